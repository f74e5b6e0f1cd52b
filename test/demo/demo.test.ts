// The demo history, seeded into a memory store: plausible, varied, deterministic, and verifiable.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildView, type LogView } from '../../src/assessment/projection.js';
import { openDisagreements } from '../../src/assessment/respondents.js';
import { combinedAnswers, combineResponses } from '../../src/assessment/state.js';
import { demoRubrics, seedDemo } from '../../src/commands/demo.js';
import { compareAssessments } from '../../src/compare/compare.js';
import { buildPortfolio } from '../../src/compare/portfolio.js';
import { createMemoryStore, type MemoryStore } from '../../src/store/memoryStore.js';

let store: MemoryStore;
let view: LogView;
beforeAll(async () => {
  store = createMemoryStore();
  await seedDemo(store, await demoRubrics());
  view = await buildView(store.readAll());
});
/** The platform team's quarters: the demo's main history. */
const quarters = () =>
  [...view.assessments.values()].filter((a) => a.scope === 'platform').sort((a, b) => a.period.localeCompare(b.period));
const quarter = (i: number) => {
  const state = quarters().at(i)!;
  return { state, rubric: view.rubrics.get(state.rubric.digest)! };
};

describe('cnassess demo', () => {
  it('seeds six completed quarters of one organisation, and the log verifies', async () => {
    expect(quarters().map((a) => [a.id, a.status])).toEqual([
      ['kestrel-freight/platform/2025-q3', 'completed'],
      ['kestrel-freight/platform/2025-q4', 'completed'],
      ['kestrel-freight/platform/2026-q1', 'completed'],
      ['kestrel-freight/platform/2026-q2', 'completed'],
      ['kestrel-freight/platform/2026-q3', 'completed'],
      ['kestrel-freight/platform/2026-q4', 'completed'],
    ]);
    expect((await store.verify()).ok).toBe(true);
  });

  it('has three more scopes in the last two quarters, at other levels, one of them unfinished, for the organisation view', () => {
    const others = [...view.assessments.values()].filter((a) => a.scope !== 'platform');
    expect(others.map((a) => [a.id, a.status]).sort()).toEqual([
      ['kestrel-freight/data/2026-q3', 'completed'],
      ['kestrel-freight/data/2026-q4', 'open'],
      ['kestrel-freight/payments/2026-q3', 'completed'],
      ['kestrel-freight/payments/2026-q4', 'completed'],
      ['kestrel-freight/tracking/2026-q3', 'completed'],
      ['kestrel-freight/tracking/2026-q4', 'completed'],
    ]);
    const all = [...view.assessments.values()].map((state) => ({ state, rubric: view.rubrics.get(state.rubric.digest)! }));
    const p = buildPortfolio(all, 'Kestrel Freight', '2026-Q4');
    expect(new Set(p.scopes.map((s) => s.card.overall.level)).size).toBeGreaterThanOrEqual(3);
    // The platform team's quarter is still the one a plain `cnassess report` shows: the most recently changed.
    expect([...view.assessments.values()].reduce((a, b) => (b.lastSeq > a.lastSeq ? b : a)).id).toBe('kestrel-freight/platform/2026-q4');
  });

  it('is the same history every time', async () => {
    const again = createMemoryStore();
    await seedDemo(again, await demoRubrics());
    expect(again.text()).toBe(store.text());
  });

  it('dates every event inside its quarter, spread over the weeks of the assessment', async () => {
    for (const q of quarters()) {
      const [year, n] = [Number(q.period.slice(0, 4)), Number(q.period.slice(-1))];
      const events = await store.readStream(`assessment/${q.id}`);
      for (const e of events)
        expect(new Date(e.at).getUTCFullYear() * 4 + Math.floor(new Date(e.at).getUTCMonth() / 3)).toBe(year * 4 + n - 1);
      expect(new Set(events.map((e) => e.at.slice(0, 10))).size).toBeGreaterThan(4);
    }
  });

  it('bumps the rubric version in the middle, with a renamed, an added and a removed question', () => {
    expect(quarters().map((q) => q.rubric.version)).toEqual(['1.0.0', '1.0.0', '1.1.0', '1.1.0', '1.1.0', '2.0.0']);
    const p = compareAssessments(quarter(1), quarter(2), { history: [...view.rubrics.values()] });
    expect(p.rubric.renamed).toEqual([{ from: 'obs-incident-reviews', to: 'obs-postmortems', aspect: 'observability' }]);
    expect(p.rubric.added.map((q) => q.question)).toEqual(['app-feature-flags']);
    expect(p.rubric.removed.map((q) => q.question)).toEqual(['orch-api-contracts']);
    expect(p.rubric.comparability).toBe('like-for-like');
  });

  it('has several respondents who sometimes disagree, notes with evidence, targets and carried-over quarters', () => {
    const latest = quarter(-1).state;
    expect(latest.respondents.length).toBeGreaterThanOrEqual(4);
    const spreads = quarters().flatMap((q) =>
      [...q.responses].map(([id, r]) => combineResponses(view.rubrics.get(q.rubric.digest)!, id, r)!.spread),
    );
    expect(spreads.filter((s) => s > 0).length).toBeGreaterThan(3);
    const responses = quarters().flatMap((q) => [...q.responses.values()].flatMap((m) => [...m.values()]));
    expect(responses.filter((r) => r.note !== undefined).length / responses.length).toBeGreaterThan(0.6);
    expect(latest.targets.size).toBe(6);
    expect(
      quarters()
        .slice(1)
        .every((q) => q.carriedFrom !== undefined),
    ).toBe(true);
    // Every carried answer was confirmed or changed before the quarter was completed.
    expect(responses.filter((r) => r.carried)).toEqual([]);
  });

  it('ends with one disagreement settled by consensus and one that still makes a level provisional', () => {
    const { state, rubric } = quarter(-1);
    const settled = [...combinedAnswers(rubric, state).values()].flatMap((c) => (c.consensus ? [c.consensus.question] : []));
    expect(settled).toEqual(['rt-network']);
    const open = openDisagreements(rubric, state);
    expect(open.filter((d) => d.consequential).map((d) => [d.question.id, d.aspect])).toEqual([['prov-iac-changes', 'provisioning']]);
    // The consensus decides rt-network: without it, the lower median of the two answers would count.
    expect(combineResponses(rubric, 'rt-network', state.responses.get('rt-network')!)!.effective).not.toEqual(
      combineResponses(rubric, 'rt-network', state.responses.get('rt-network')!, state.consensus.get('rt-network'))!.effective,
    );
  });

  it('tracks roadmap steps from quarter to quarter, and ends with steps marked done that the answers still call for', () => {
    const done = quarters().map((q) => [...q.steps.values()].filter((x) => x.status === 'done').length);
    expect(done).toEqual([0, 0, 1, 2, 3, 4]);
    expect(quarter(-1).state.steps.get('rt-survive-zone-loss')).toMatchObject({ status: 'wont-do', carried: true });
    const p = compareAssessments(quarter(-2), quarter(-1), { history: [...view.rubrics.values()] });
    expect(p.doneButOpen.map((x) => x.step).sort()).toEqual(['app-adopt-gitops', 'app-sign-and-attest-builds', 'prov-policy-as-code']);
  });

  it('upgrades to the built-in rubric 2.0.0 in the last quarter, compared like for like with the one before', () => {
    const p = compareAssessments(quarter(-2), quarter(-1), { history: [...view.rubrics.values()] });
    expect(p.rubric.comparability).toBe('like-for-like');
    expect(p.rubric.added.map((q) => q.question)).toEqual(
      expect.arrayContaining(['app-rollout', 'orch-workloads', 'rt-restore', 'sls-concurrency']),
    );
    expect(p.rubric.removed.map((q) => q.question)).toEqual(expect.arrayContaining(['orch-scheduling', 'prov-iac', 'sls-scaling']));
    // The answers the new questions kept the meaning of were carried over and confirmed.
    expect(quarter(-1).state.responses.get('app-deploy')?.size).toBeGreaterThan(0);
  });

  it('improves overall, with one aspect that regresses in 2026-Q3', () => {
    const p = compareAssessments(quarter(-3), quarter(-2));
    expect(p.regressions).toEqual(['observability']);
    expect(p.aspects.filter((a) => a.change === 'up').length).toBeGreaterThanOrEqual(2);
    const first = compareAssessments(quarter(0), quarter(-1), { history: [...view.rubrics.values()] });
    expect(first.overall.levelDelta).toBeGreaterThan(0);
  });
});
