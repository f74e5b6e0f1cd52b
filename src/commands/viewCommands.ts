// Commands that only read the log: list, score, history, verify.

import { readEvent, type DomainEvent } from '../assessment/events.js';
import type { Scorecard } from '../assessment/scoring.js';
import { assessmentStream, scoreAssessment, type AssessmentState } from '../assessment/state.js';
import { consensusInForce, openDisagreements, respondentProgress, type RespondentProgress } from '../assessment/respondents.js';
import { ExitCode, ImpossibleEventError, UnreadableEventError } from '../errors.js';
import type { Rubric } from '../rubric/types.js';
import { levelName } from '../rubric/levels.js';
import type { VerifyReport } from '../store/eventStore.js';
import { comparedWithRevision } from '../store/gitRevision.js';
import { DATABASE_WORDING, FOLDER_WORDING } from '../store/record.js';
import type { Workspace } from '../workspace.js';
import { renderScore } from '../views/score.js';
import { displayWidth, safeText } from '../text.js';
import { table } from '../views/terminal.js';
import { printJson, type Context } from './context.js';
import { findAssessment, openWorkspace, parseAsOf, storeDirOf } from './session.js';

export async function list(ctx: Context, o: { json?: boolean }): Promise<number> {
  const { workspace } = await openWorkspace(ctx);
  const view = await workspace.view();
  const rows = [...view.assessments.values()]
    .sort((a, b) => a.org.localeCompare(b.org) || a.scope.localeCompare(b.scope) || a.period.localeCompare(b.period))
    .map((state) => {
      const rubric = view.rubrics.get(state.rubric.digest);
      const card = rubric && scoreAssessment(rubric, state);
      return {
        ...identity(state),
        answered: card?.overall.answered ?? 0,
        applicable: card?.overall.applicable ?? 0,
        level: card?.overall.level ?? null,
        levelName: (rubric && card?.overall.level !== undefined && levelName(rubric, card.overall.level)) || null,
        score: card?.overall.score ?? null,
        updatedAt: state.updatedAt,
        respondents: rubric ? respondentProgress(rubric, state) : [],
      };
    });
  if (o.json) {
    printJson(ctx, rows);
    return ExitCode.ok;
  }
  if (rows.length === 0) {
    ctx.stderr.write('No assessments yet. Start one with `cnassess assess`.\n');
    return ExitCode.ok;
  }
  const columns = [
    { header: 'id' },
    { header: 'status' },
    { header: 'answered', align: 'right' as const },
    { header: 'level' },
    { header: 'score', align: 'right' as const },
    { header: 'respondents' },
    { header: 'changed' },
  ];
  const cells = rows.map((r) => [
    r.id,
    r.status,
    `${r.answered}/${r.applicable}`,
    r.level === null ? '–' : `${r.level} ${safeText(r.levelName ?? '')}`,
    r.score === null ? '–' : r.score.toFixed(0),
    respondentsCell(r.respondents),
    r.updatedAt.slice(0, 10),
  ]);
  // The id is what a user types next: never cut. Less telling columns go first when the table does not fit; when even
  // the id and its status do not, each assessment gets lines of its own.
  const fits = (text: string) => text.split('\n').every((line) => displayWidth(line) <= ctx.stdout.columns);
  for (const keep of [7, 6, 5, 4]) {
    const text = table(
      columns.slice(0, keep),
      cells.map((c) => c.slice(0, keep)),
      ctx.stdout.columns,
    );
    if (fits(text)) {
      ctx.stdout.write(text);
      return ExitCode.ok;
    }
  }
  ctx.stdout.write(cells.map(([id, ...rest]) => `${id ?? ''}\n    ${rest.join(' · ')}\n`).join(''));
  return ExitCode.ok;
}

/** "2/3 done" of those invited (and "+1" answered uninvited), or how many answered when nobody was invited. */
function respondentsCell(progress: readonly RespondentProgress[]): string {
  const invited = progress.filter((p) => p.invited);
  if (invited.length === 0) return String(progress.length);
  const done = invited.filter((p) => p.answered >= p.applicable && p.carried === 0).length;
  const extra = progress.length - invited.length;
  return `${done}/${invited.length} done${extra > 0 ? ` +${extra}` : ''}`;
}

export async function score(ctx: Context, id: string | undefined, o: { asOf?: string; json?: boolean }): Promise<number> {
  const { workspace } = await openWorkspace(ctx);
  const bounds = o.asOf !== undefined ? parseAsOf(o.asOf) : undefined;
  const state = await findAssessment(workspace, id, 'read', bounds);
  const rubric = await workspace.rubricOf(state);
  const card = scoreAssessment(rubric, state);
  if (o.json) {
    printJson(ctx, scoreJson(rubric, state, card, o.asOf));
    return ExitCode.ok;
  }
  ctx.stdout.write(renderScore({ style: ctx.style, columns: ctx.stdout.columns }, rubric, state, card, o.asOf));
  return ExitCode.ok;
}

/** What names an assessment in every JSON view. */
function identity(state: AssessmentState) {
  return { id: state.id, org: state.org, scope: state.scope, period: state.period, status: state.status };
}

export function scoreJson(rubric: Rubric, state: AssessmentState, card: Scorecard, asOf?: string) {
  const open = openDisagreements(rubric, state);
  return {
    ...identity(state),
    rubric: state.rubric,
    ...(asOf !== undefined && { asOf }),
    lastSeq: state.lastSeq,
    overall: { ...card.overall, levelName: card.overall.level !== undefined ? levelName(rubric, card.overall.level) : null },
    aspects: card.aspects.map((a) => ({
      id: a.aspect,
      title: rubric.aspects.find((x) => x.id === a.aspect)?.title,
      rule: a.rule,
      level: a.level ?? null,
      levelName: a.level !== undefined ? levelName(rubric, a.level) : null,
      ...(a.mean !== undefined && { mean: a.mean }),
      score: a.score ?? null,
      coverage: a.coverage,
      answered: a.answered,
      applicable: a.applicable,
      notApplicable: a.notApplicable,
      target: state.targets.get(a.aspect) ?? null,
      holdingBack: a.holdingBack,
      ...(a.cappedBy !== undefined && { cappedBy: a.cappedBy }),
      provisional: open.some((d) => d.aspect === a.aspect && d.consequential),
    })),
    respondents: respondentProgress(rubric, state),
    disagreements: open.map((d) => ({
      question: d.question.id,
      aspect: d.aspect,
      consequential: d.consequential,
      answers: d.responses.map((r) => ({ respondent: r.respondent, answer: r.answer })),
      levelIf: d.levelIf.map((l) => ({ answer: l.answer, level: l.level ?? null })),
    })),
    consensus: consensusInForce(rubric, state),
  };
}

export async function history(ctx: Context, id: string | undefined, o: { json?: boolean }): Promise<number> {
  const { workspace } = await openWorkspace(ctx);
  const state = await findAssessment(workspace, id, 'read');
  const records = await workspace.store.readStream(assessmentStream(state.id));
  const entries = records.map((r) => ({ seq: r.seq, version: r.version, at: r.at, actor: r.actor, event: readEvent(r) }));
  if (o.json) {
    printJson(ctx, { id: state.id, events: entries.map(({ event, ...e }) => ({ ...e, type: event.type, data: event.data })) });
    return ExitCode.ok;
  }
  ctx.stdout.write(
    table(
      [
        { header: 'seq', align: 'right' },
        { header: 'when' },
        { header: 'who', flexible: true, overflow: 'wrap' },
        { header: 'what', flexible: true, overflow: 'wrap' },
      ],
      entries.map((e) => [String(e.seq), e.at.slice(0, 16).replace('T', ' '), safeText(e.actor), safeText(describeEvent(e.event))]),
      ctx.stdout.columns,
    ),
  );
  return ExitCode.ok;
}

function describeEvent(event: DomainEvent): string {
  switch (event.type) {
    case 'AssessmentStarted':
      return `started (rubric ${event.data.rubric.id} ${event.data.rubric.version})`;
    case 'AnswerRecorded': {
      const d = event.data;
      const answer = d.answer === 'n/a' ? d.answer : d.answer.join(',');
      return `${d.question} = ${answer}${d.carried === true ? ' (carried)' : ''}${d.note !== undefined ? ` — ${d.note}` : ''}`;
    }
    case 'AnswerCleared':
      return `${event.data.question} cleared`;
    case 'TargetSet':
      return `target ${event.data.aspect} → ${event.data.level}`;
    case 'AssessmentCompleted':
      return 'completed';
    case 'AssessmentReopened':
      return `reopened${event.data.reason !== undefined ? `: ${event.data.reason}` : ''}`;
    case 'RubricRegistered':
      return `rubric ${event.data.ref.id} ${event.data.ref.version} registered`;
    case 'RespondentsInvited':
      return `invited ${event.data.respondents.join(', ')}`;
    case 'ConsensusRecorded': {
      const d = event.data;
      return `consensus ${d.question} = ${d.answer === 'n/a' ? d.answer : d.answer.join(',')}, facilitated by ${d.facilitator} — ${d.rationale}`;
    }
    case 'RespondentRenamed':
      return `respondent ${event.data.from} is ${event.data.to}`;
    case 'StepStatusSet': {
      const d = event.data;
      const details = [d.owner !== undefined && `owner ${d.owner}`, d.due !== undefined && `due ${d.due}`].filter(Boolean).join(', ');
      return `step ${d.step}: ${d.status}${d.carried === true ? ' (carried)' : ''}${details !== '' ? ` (${details})` : ''}${d.note !== undefined ? ` — ${d.note}` : ''}`;
    }
  }
}

export async function verify(ctx: Context, o: { json?: boolean; since?: string }): Promise<number> {
  // Before opening: the history check needs git, so a database store is refused before any work.
  const storeDir = o.since !== undefined ? storeDirOf(ctx, 'verify --since') : undefined;
  const { workspace, storeName, location } = await openWorkspace(ctx);
  let report = await workspace.store.verify();
  if (report.ok) report = await checkPayloads(workspace, report, (location.kind === 'postgres' ? DATABASE_WORDING : FOLDER_WORDING).advice);
  const history = report.ok && storeDir !== undefined && o.since !== undefined ? await comparedWithRevision(storeDir, o.since) : undefined;
  const ok = report.ok && (history?.ok ?? true);
  if (o.json) {
    printJson(ctx, { store: storeName, ...report, ...(history !== undefined && { since: history }) });
    return ok ? ExitCode.ok : ExitCode.problems;
  }
  if (report.ok) {
    const anchor =
      location.kind === 'postgres'
        ? `in ${storeName}`
        : report.anchored !== undefined
          ? `end anchored by events.head at seq ${report.anchored.seq}`
          : report.events === 0
            ? 'empty'
            : 'no events.head yet (the next write creates it; until then a removed last record cannot be detected)';
    ctx.stdout.write(
      `ok: ${report.events} events in ${report.streams} streams, hash chain intact (last seq ${report.lastSeq}); ${anchor}\n`,
    );
  } else {
    const p = report.problem!;
    if (location.kind === 'postgres') {
      ctx.stdout.write(`${safeText(storeName)}: seq ${p.line}: ${p.code}: ${safeText(p.message)}\n`);
    } else {
      ctx.stdout.write(`${safeText(storeName)}/${p.file ?? 'events.jsonl'}:${p.line}: ${p.code}: ${safeText(p.message)}\n`);
      if (p.code !== 'torn-tail') {
        ctx.stdout.write(
          `The log is damaged from line ${p.line} on; cnassess refuses to write until it is restored (for example: git checkout -- ${safeText(storeName)}/).\n`,
        );
      }
    }
  }
  if (history !== undefined) ctx.stdout.write(`${history.ok ? 'ok' : 'changed'}: ${safeText(history.text)}\n`);
  return ok ? ExitCode.ok : ExitCode.problems;
}

/**
 * The store checks the chain; the domain checks that every record is a possible event of its type. An event from a
 * newer cnassess cannot be checked here, and is not damage: the chain still covers it.
 */
async function checkPayloads(workspace: Workspace, report: VerifyReport, advice: string): Promise<VerifyReport> {
  for await (const record of workspace.store.readAll()) {
    try {
      readEvent(record);
    } catch (e) {
      if (e instanceof UnreadableEventError) continue;
      if (!(e instanceof ImpossibleEventError)) throw e;
      const problem = { line: e.seq, code: 'bad-payload' as const, message: `${e.detail}. ${advice}` };
      return { ...report, ok: false, events: e.seq - 1, problem };
    }
  }
  return report;
}
