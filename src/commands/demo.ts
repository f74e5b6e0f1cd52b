// `cnassess demo`: seeds an empty store with Kestrel Freight's six quarters (src/progress/demoScenario.ts),
// played through the same decider and workspace as real answers, with a fake clock, so the log
// verifies and `--as-of`, trends and diffs see answers arrive over each quarter.

import type { AssessmentCommand } from '../assessment/decider.js';
import { conditionMet } from '../assessment/scoring.js';
import { assessmentId, effectiveAnswers, type AssessmentState } from '../assessment/state.js';
import { ExitCode, UsageError } from '../errors.js';
import { carriedCommands, planCarryOver } from '../compare/carryOver.js';
import {
  choicesAt,
  DEMO_ORG,
  DEMO_PERIODS,
  DEMO_SCOPE,
  DEMO_SEED,
  demoRubricRevision,
  EVIDENCE,
  LEAD,
  PEOPLE,
  PRIMARY,
  REVISED_FROM,
  UPGRADED_FROM,
  SECOND_OPINIONS,
  CONSENSUS,
  STEP_UPDATES,
  OTHER_SCOPES,
  OTHER_SCOPES_SEED,
  seededRandom,
  STORY,
  TARGETS,
  TRAJECTORY,
  type Person,
} from '../demo/scenario.js';
import { questionsOf } from '../compare/questionMatch.js';
import { wrap } from '../text.js';
import { FIRST_BUILT_IN_RUBRIC_PATH, loadRubric } from '../source/rubricFile.js';
import type { Rubric } from '../rubric/types.js';
import type { EventStore } from '../store/eventStore.js';
import { createMemoryStore } from '../store/memoryStore.js';
import { copyEvents } from '../store/copy.js';
import { Workspace } from '../workspace.js';
import { printJson, type Context } from './context.js';
import { openWorkspace } from './session.js';

export interface DemoResult {
  readonly assessments: readonly string[];
  readonly events: number;
}

/** The rubrics the demo's quarters were answered against: the first built-in rubric, and the one of today. */
export interface DemoRubrics {
  /** cloud-native 1.0.0, which the demo revises to 1.1.0 from 2026-Q1. */
  readonly first: Rubric;
  /** The built-in rubric (2.0.0), from 2026-Q4. */
  readonly current: Rubric;
}

/** Loads the rubrics the demo needs from the package: the first built-in rubric is kept in rubric/history/. */
export async function demoRubrics(): Promise<DemoRubrics> {
  return { first: (await loadRubric(FIRST_BUILT_IN_RUBRIC_PATH)).rubric, current: (await loadRubric()).rubric };
}

/** Plays the demo history into `store`, which must be empty. Deterministic: same store contents every time. */
export async function seedDemo(store: EventStore, given: DemoRubrics): Promise<DemoResult> {
  const random = seededRandom(DEMO_SEED);
  let clock = new Date(0);
  const workspace = new Workspace(
    store,
    () => clock,
    () => uuid(random),
  );
  // The other scopes draw their event ids from a generator of their own, so the platform's history does not move.
  const otherRandom = seededRandom(OTHER_SCOPES_SEED);
  const others = new Workspace(
    store,
    () => clock,
    () => uuid(otherRandom),
  );
  const rubrics = [given.first, demoRubricRevision(given.first), given.current];
  const ids: string[] = [];
  let previous: { state: AssessmentState; rubric: Rubric } | undefined;

  for (const [t, period] of DEMO_PERIODS.entries()) {
    const rubric = rubrics[t >= UPGRADED_FROM ? 2 : t >= REVISED_FROM ? 1 : 0]!;
    const id = assessmentId(DEMO_ORG, DEMO_SCOPE, period);
    const month = (Number(period.slice(-1)) - 1) * 3 + 1; // the quarter's second month, 0-based
    const year = Number(period.slice(0, 4));
    const day = (d: number, hour: number, minute = 0) => new Date(Date.UTC(year, month, d, hour, minute));
    const run = async (at: Date, actor: Person, commands: AssessmentCommand[]) => {
      clock = at;
      await workspace.execute(id, commands, rubric, PEOPLE[actor]);
    };

    clock = day(2, 8, 50);
    const ref = await workspace.registerRubric(rubric, PEOPLE[LEAD]);
    const start: AssessmentCommand = { type: 'StartAssessment', org: DEMO_ORG, scope: DEMO_SCOPE, period, rubric: ref };
    if (previous) {
      const plan = planCarryOver(previous.state, previous.rubric, rubric);
      await run(day(2, 9), LEAD, [{ ...start, carriedFrom: previous.state.id }, ...carriedCommands(plan)]);
    } else {
      await run(day(2, 9), LEAD, [start]);
    }
    const targets = TARGETS[t];
    if (targets)
      await run(
        day(2, 9, 20),
        LEAD,
        Object.entries(targets).map(([aspect, level]): AssessmentCommand => ({ type: 'SetTarget', aspect, level })),
      );

    // Primary respondents answer first (later answers may depend on theirs), second opinions after.
    const sessions: { person: Person; at: Date }[] = [
      ...(['amara', 'priya', 'jonas'] as const).map((person, i) => ({
        person,
        at: day(3 + i * 2 + Math.floor(random() * 2), 9 + Math.floor(random() * 6), Math.floor(random() * 60)),
      })),
      ...(['lee', 'sofia'] as const).map((person, i) => ({
        person,
        at: day(11 + i * 3 + Math.floor(random() * 3), 10 + Math.floor(random() * 6), Math.floor(random() * 60)),
      })),
    ];
    for (const { person, at } of sessions) {
      let minute = at.getTime();
      for (const { question, aspect } of questionsOf(rubric)) {
        const level = levelFor(person, question.id, aspect, t);
        if (level === undefined) continue;
        const state = (await workspace.assessment(id))!;
        const mine = state.responses.get(question.id)?.get(PEOPLE[person]);
        minute += (2 + Math.floor(random() * 6)) * 60_000;
        if (level === null || !conditionMet(rubric, question, effectiveAnswers(rubric, state))) {
          if (mine) await run(new Date(minute), person, [{ type: 'ClearAnswer', question: question.id, respondent: PEOPLE[person] }]);
          continue;
        }
        const answer = level === 'n/a' ? 'n/a' : choicesAt(question, level);
        const note = noteFor(person, question.id, t, level, previous?.state.responses.get(question.id)?.get(PEOPLE[person])?.note, random);
        await run(new Date(minute), person, [
          { type: 'RecordAnswer', question: question.id, answer, respondent: PEOPLE[person], ...(note !== undefined && { note }) },
        ]);
      }
    }
    for (const [n, u] of STEP_UPDATES.filter((x) => x.period === t).entries())
      await run(day(20, 11, n * 7), LEAD, [
        {
          type: 'SetStepStatus',
          step: u.step,
          status: u.status,
          ...(u.owner !== undefined && { owner: PEOPLE[u.owner] }),
          ...(u.due !== undefined && { due: u.due }),
          ...(u.note !== undefined && { note: u.note }),
        },
      ]);
    const settled = CONSENSUS.filter((c) => c.period === t);
    for (const [n, c] of settled.entries()) {
      const question = questionsOf(rubric).find((q) => q.question.id === c.question)?.question;
      if (!question) throw new Error(`demo consensus on ${c.question}: no such question in ${rubric.version}`);
      await run(day(22, 14, n * 10), LEAD, [
        {
          type: 'RecordConsensus',
          question: c.question,
          answer: choicesAt(question, c.level),
          rationale: c.rationale,
          facilitator: PEOPLE[LEAD],
        },
      ]);
    }
    for (const [n, other] of OTHER_SCOPES.entries()) {
      if (t < other.from) continue;
      const otherId = assessmentId(DEMO_ORG, other.scope, period);
      const as = async (at: Date, commands: AssessmentCommand[]) => {
        clock = at;
        await others.execute(otherId, commands, rubric, PEOPLE[other.respondent]);
      };
      await as(day(23, 9 + n), [{ ...start, scope: other.scope }]);
      const unfinished = other.unfinishedAt === t;
      const questions = questionsOf(rubric);
      let minute = day(23, 9 + n, 5).getTime();
      for (const [i, { question }] of questions.entries()) {
        if (unfinished && i >= questions.length / 2) break;
        const base = TRAJECTORY[question.id]?.[t];
        const state = (await others.assessment(otherId))!;
        if (typeof base !== 'number' || !conditionMet(rubric, question, effectiveAnswers(rubric, state))) continue;
        const level = Math.max(1, Math.min(5, base + other.offset - (i % 5 === 0 ? 1 : 0)));
        minute += 60_000;
        await as(new Date(minute), [
          { type: 'RecordAnswer', question: question.id, answer: choicesAt(question, level), respondent: PEOPLE[other.respondent] },
        ]);
      }
      if (!unfinished) await as(day(24, 9 + n), [{ type: 'CompleteAssessment' }]);
      ids.push(otherId);
    }
    await run(day(25, 16, Math.floor(random() * 30)), LEAD, [{ type: 'CompleteAssessment' }]);
    previous = { state: (await workspace.assessment(id))!, rubric };
    ids.push(id);
  }
  let events = 0;
  for await (const _ of store.readAll()) events++;
  return { assessments: ids, events };
}

/** The level `person` answers for a question in period `t`: undefined if they do not answer it, null to withdraw. */
function levelFor(person: Person, question: string, aspect: string, t: number): number | 'n/a' | null | undefined {
  const base = TRAJECTORY[question]?.[t];
  if (PRIMARY[aspect] === person) return base === undefined ? undefined : base;
  const opinion = SECOND_OPINIONS.find((o) => o.person === person && o.question === question);
  const delta = opinion?.delta[t];
  if (!opinion || delta === undefined) return undefined;
  if (delta === null || base === null || base === undefined) return t > 0 && opinion.delta[t - 1] != null ? null : undefined;
  if (base === 'n/a') return base;
  return Math.max(1, Math.min(5, base + delta));
}

function noteFor(
  person: Person,
  question: string,
  t: number,
  level: number | 'n/a',
  previousNote: string | undefined,
  random: () => number,
): string | undefined {
  const opinion = SECOND_OPINIONS.find((o) => o.person === person && o.question === question);
  if (opinion) {
    if (opinion.delta[t] !== 0) return opinion.note;
    return t > 0 && opinion.delta[t - 1] ? `Agreed after the quarterly review. ${EVIDENCE[question] ?? ''}`.trim() : undefined;
  }
  const story = STORY[`${question}@${t}`];
  if (story) return story;
  const before = TRAJECTORY[question]?.[t - 1];
  const evidence = EVIDENCE[question];
  if (typeof before === 'number' && typeof level === 'number' && before !== level) {
    const ticket = `${question.split('-')[0]!.toUpperCase()}-${100 + Math.floor(random() * 400)}`;
    return `${level > before ? 'Up' : 'Down'} since last quarter (${ticket}). ${evidence ?? ''}`.trim();
  }
  // Confirming an unchanged answer keeps its note, unless that note only said what had changed;
  // about one fresh answer in six has no note.
  if (previousNote !== undefined && !/^(Up|Down) since last quarter/.test(previousNote)) return previousNote;
  return previousNote !== undefined || random() >= 0.17 ? evidence : undefined;
}

/** A version-4 UUID drawn from `random`: the demo's ids are the same on every run. */
function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (Math.floor(random() * 4) + 8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export async function demo(ctx: Context, o: { json?: boolean }): Promise<number> {
  const { workspace, storeName, location } = await openWorkspace(ctx);
  let existing = 0;
  for await (const _ of workspace.store.readAll()) existing++;
  if (existing > 0) {
    throw new UsageError(
      `the store ${storeName} already has ${existing} event${existing === 1 ? '' : 's'}; the demo only seeds an empty store, so nothing was written.\n` +
        'Seed a separate one, for example: cnassess --store /tmp/cnassess-demo demo',
    );
  }
  // Played in memory, then written in a few appends: the file store would re-read its log for every answer.
  const memory = createMemoryStore();
  const result = await seedDemo(memory, await demoRubrics());
  // Events another demo, started on the same empty store at the same time, wrote first are not written twice.
  const byOthers = result.events - (await copyEvents(memory, workspace.store, 'streams'));
  if (o.json) {
    printJson(ctx, { store: storeName, ...result, writtenMeanwhileByOthers: byOthers });
    return ExitCode.ok;
  }
  // The store as given, but for a password: a URL's is masked, and the reader types their own.
  const flag = ctx.storeFlag !== undefined ? ` --store ${shellQuote(location.kind === 'postgres' ? storeName : ctx.storeFlag)}` : '';
  const last = result.assessments.at(-1)!;
  ctx.stdout.write(
    wrap(
      `Seeded ${storeName} with ${result.events} events${byOthers > 0 ? ` (${byOthers} of them already there, written meanwhile by another demo)` : ''}: ${DEMO_ORG} / ${DEMO_SCOPE}, ${DEMO_PERIODS[0]} to ${DEMO_PERIODS.at(-1)}, ` +
        `four respondents (a fifth joins in ${DEMO_PERIODS[3]}), a revision of rubric 1.0.0 from ${DEMO_PERIODS[REVISED_FROM]}, ` +
        `and the upgrade to the built-in rubric 2.0.0 in ${DEMO_PERIODS[UPGRADED_FROM]}.`,
      ctx.stdout.columns,
      '',
    ).join('\n') +
      '\n\nSee it:\n' +
      `  cnassess${flag} report --format html   the leadership report of ${DEMO_PERIODS.at(-1)}\n` +
      `  cnassess${flag} diff                   what changed since ${DEMO_PERIODS.at(-2)}\n` +
      `  cnassess${flag} diff ${DEMO_PERIODS[REVISED_FROM - 1]} ${DEMO_PERIODS[REVISED_FROM]}   across the rubric revision\n` +
      `  cnassess${flag} trend                  every period at a glance\n` +
      `  cnassess${flag} report --org ${shellQuote(DEMO_ORG)}   the organisation view: ${OTHER_SCOPES.length + 1} scopes\n` +
      `  cnassess${flag} history ${last}\n`,
  );
  return ExitCode.ok;
}

function shellQuote(s: string): string {
  return /^[\w./:@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
