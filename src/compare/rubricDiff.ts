// What changed between two rubric versions, so an edit can be reviewed before the next quarter, and
// so a diff of two quarters can say what moved under its feet. Pure: two rubrics in, a list out.

import type { Condition, Question, Rubric } from '../rubric/types.js';
import { multiChoiceRule, overallRule } from '../assessment/scoring.js';
import { matchQuestions, questionsOf, type QuestionMatch } from './questionMatch.js';
import { plural } from '../text.js';
import compare from 'semver/functions/compare.js';
import valid from 'semver/functions/valid.js';

export type RubricChangeKind =
  | 'levels-changed'
  | 'rubric-multi-choice'
  | 'rubric-aspect-rule'
  | 'rubric-nouns'
  | 'rubric-how-to-answer'
  | 'aspect-rule'
  | 'aspect-group'
  | 'aspect-added'
  | 'aspect-removed'
  | 'aspect-reweighted'
  | 'question-added'
  | 'question-removed'
  | 'question-renamed'
  | 'question-moved'
  | 'question-reweighted'
  | 'question-gate'
  | 'question-type'
  | 'question-not-applicable'
  | 'question-condition'
  | 'question-text'
  | 'question-multi-choice'
  | 'question-rules'
  | 'source-id'
  | 'choice-help'
  | 'choice-added'
  | 'choice-removed'
  | 'choice-relevelled'
  | 'choice-relabelled'
  | 'choice-exclusive'
  | 'recommendation-added'
  | 'recommendation-removed'
  | 'recommendation-changed';

export interface RubricChange {
  readonly kind: RubricChangeKind;
  /** The aspect, question (TO id), choice (`question/choice`) or recommendation it is about. */
  readonly subject: string;
  /** The aspect the subject belongs to (for aspects, the aspect itself). */
  readonly aspect: string;
  /** Whether the change can move a level or score (wording and recommendations cannot). */
  readonly affectsScoring: boolean;
  readonly before?: string | number | boolean | null;
  readonly after?: string | number | boolean | null;
}

export interface RubricDiff {
  readonly from: { readonly id: string; readonly version: string };
  readonly to: { readonly id: string; readonly version: string };
  readonly match: QuestionMatch;
  readonly changes: readonly RubricChange[];
  readonly counts: {
    readonly total: number;
    readonly affectsScoring: number;
    readonly renamed: number;
    readonly added: number;
    readonly removed: number;
  };
}

export function diffRubrics(from: Rubric, to: Rubric, history: readonly Rubric[] = []): RubricDiff {
  const match = matchQuestions(from, to, history);
  const changes: RubricChange[] = [];
  const push = (c: RubricChange) => changes.push(c);

  const levels = (r: Rubric) => r.levels.map((l) => `${l.level} ${l.name}`).join(', ');
  if (levels(from) !== levels(to)) {
    // Numbers decide scoring; names only how a level reads.
    const numbers = (r: Rubric) => r.levels.map((l) => l.level).join(',');
    push({
      kind: 'levels-changed',
      subject: 'levels',
      aspect: '',
      affectsScoring: numbers(from) !== numbers(to),
      before: levels(from),
      after: levels(to),
    });
  }

  // How multi-choice answers score moves levels; how to answer changes what respondents read, not the arithmetic.
  const rule = (r: Rubric) => multiChoiceRule(r);
  if (rule(from) !== rule(to))
    push({ kind: 'rubric-multi-choice', subject: 'multiChoice', aspect: '', affectsScoring: true, before: rule(from), after: rule(to) });
  const aspectRuleOf = overallRule;
  if (aspectRuleOf(from) !== aspectRuleOf(to))
    push({
      kind: 'rubric-aspect-rule',
      subject: 'aspectRule',
      aspect: '',
      affectsScoring: true,
      before: aspectRuleOf(from),
      after: aspectRuleOf(to),
    });
  const nouns = (r: Rubric) => (r.nouns === undefined ? 'aspect/aspects' : `${r.nouns.aspect}/${r.nouns.aspects}`);
  if (nouns(from) !== nouns(to))
    push({ kind: 'rubric-nouns', subject: 'nouns', aspect: '', affectsScoring: false, before: nouns(from), after: nouns(to) });
  if (JSON.stringify(from.howToAnswer ?? null) !== JSON.stringify(to.howToAnswer ?? null)) {
    push({
      kind: 'rubric-how-to-answer',
      subject: 'howToAnswer',
      aspect: '',
      affectsScoring: false,
      before: from.howToAnswer !== undefined,
      after: to.howToAnswer !== undefined,
    });
  }

  const fromAspects = new Map(from.aspects.map((a) => [a.id, a]));
  const toAspects = new Map(to.aspects.map((a) => [a.id, a]));
  for (const a of to.aspects) {
    const old = fromAspects.get(a.id);
    if (!old) {
      push({ kind: 'aspect-added', subject: a.id, aspect: a.id, affectsScoring: true });
      continue;
    }
    if (old.weight !== a.weight)
      push({ kind: 'aspect-reweighted', subject: a.id, aspect: a.id, affectsScoring: true, before: old.weight, after: a.weight });
    // The aspect's own rule; a change of the rubric's rule is reported once, above.
    const before = old.rule ?? aspectRuleOf(from);
    const after = a.rule ?? aspectRuleOf(to);
    if (before !== after && aspectRuleOf(from) === aspectRuleOf(to))
      push({ kind: 'aspect-rule', subject: a.id, aspect: a.id, affectsScoring: true, before, after });
    if ((old.group ?? null) !== (a.group ?? null))
      push({ kind: 'aspect-group', subject: a.id, aspect: a.id, affectsScoring: false, before: old.group ?? null, after: a.group ?? null });
    if ((old.sourceId ?? null) !== (a.sourceId ?? null))
      push({
        kind: 'source-id',
        subject: a.id,
        aspect: a.id,
        affectsScoring: false,
        before: old.sourceId ?? null,
        after: a.sourceId ?? null,
      });
  }
  for (const a of from.aspects)
    if (!toAspects.has(a.id)) push({ kind: 'aspect-removed', subject: a.id, aspect: a.id, affectsScoring: true });

  const fromQ = new Map(questionsOf(from).map((q) => [q.question.id, q]));
  const toQ = new Map(questionsOf(to).map((q) => [q.question.id, q]));
  for (const q of match.added) push({ kind: 'question-added', subject: q.id, aspect: q.aspect, affectsScoring: true });
  for (const q of match.removed) push({ kind: 'question-removed', subject: q.id, aspect: q.aspect, affectsScoring: true });

  for (const pair of match.pairs) {
    const before = fromQ.get(pair.from)!.question;
    const after = toQ.get(pair.to)!.question;
    const at = { subject: pair.to, aspect: pair.toAspect };
    if (pair.renamed) push({ kind: 'question-renamed', ...at, affectsScoring: false, before: pair.from, after: pair.to });
    if (pair.fromAspect !== pair.toAspect)
      push({ kind: 'question-moved', ...at, affectsScoring: true, before: pair.fromAspect, after: pair.toAspect });
    if (before.weight !== after.weight)
      push({ kind: 'question-reweighted', ...at, affectsScoring: true, before: before.weight, after: after.weight });
    if (before.gate !== after.gate) push({ kind: 'question-gate', ...at, affectsScoring: true, before: before.gate, after: after.gate });
    if (before.type !== after.type) push({ kind: 'question-type', ...at, affectsScoring: true, before: before.type, after: after.type });
    if (before.notApplicable !== after.notApplicable) {
      push({ kind: 'question-not-applicable', ...at, affectsScoring: true, before: before.notApplicable, after: after.notApplicable });
    }
    const oldCondition = describeCondition(before.when, match.toOf);
    const newCondition = describeCondition(after.when, new Map());
    if (oldCondition !== newCondition)
      push({ kind: 'question-condition', ...at, affectsScoring: true, before: oldCondition, after: newCondition });
    if (before.text !== after.text || before.help !== after.help) push({ kind: 'question-text', ...at, affectsScoring: false });
    const questionRule = (r: Rubric, q: Question) => (q.type === 'multi' ? multiChoiceRule(r, q) : null);
    if (
      questionRule(from, before) !== null &&
      questionRule(to, after) !== null &&
      questionRule(from, before) !== questionRule(to, after) &&
      rule(from) === rule(to)
    ) {
      push({
        kind: 'question-multi-choice',
        ...at,
        affectsScoring: true,
        before: questionRule(from, before),
        after: questionRule(to, after),
      });
    }
    if (JSON.stringify(before.rules ?? null) !== JSON.stringify(after.rules ?? null))
      push({ kind: 'question-rules', ...at, affectsScoring: true, before: before.rules?.length ?? 0, after: after.rules?.length ?? 0 });
    if ((before.sourceId ?? null) !== (after.sourceId ?? null))
      push({ kind: 'source-id', ...at, affectsScoring: false, before: before.sourceId ?? null, after: after.sourceId ?? null });
    diffChoices(before, after, at, push);
  }

  const fromRecs = new Map(from.aspects.flatMap((a) => a.recommendations.map((r) => [r.id, { r, aspect: a.id }] as const)));
  const toRecs = new Map(to.aspects.flatMap((a) => a.recommendations.map((r) => [r.id, { r, aspect: a.id }] as const)));
  for (const [id, { r, aspect }] of toRecs) {
    const old = fromRecs.get(id);
    if (!old) push({ kind: 'recommendation-added', subject: id, aspect, affectsScoring: false, after: r.level });
    else if (JSON.stringify(old.r) !== JSON.stringify(r) || old.aspect !== aspect)
      push({ kind: 'recommendation-changed', subject: id, aspect, affectsScoring: false });
  }
  for (const [id, { r, aspect }] of fromRecs)
    if (!toRecs.has(id)) push({ kind: 'recommendation-removed', subject: id, aspect, affectsScoring: false, before: r.level });

  return {
    from: { id: from.id, version: from.version },
    to: { id: to.id, version: to.version },
    match,
    changes,
    counts: {
      total: changes.length,
      affectsScoring: changes.filter((c) => c.affectsScoring).length,
      renamed: match.pairs.filter((p) => p.renamed).length,
      added: match.added.length,
      removed: match.removed.length,
    },
  };
}

function diffChoices(before: Question, after: Question, at: { subject: string; aspect: string }, push: (c: RubricChange) => void): void {
  const old = new Map(before.choices.map((c) => [c.id, c]));
  const now = new Map(after.choices.map((c) => [c.id, c]));
  for (const c of after.choices) {
    const o = old.get(c.id);
    const subject = `${at.subject}/${c.id}`;
    if (!o) push({ kind: 'choice-added', subject, aspect: at.aspect, affectsScoring: true, after: c.level });
    else {
      if (o.level !== c.level)
        push({ kind: 'choice-relevelled', subject, aspect: at.aspect, affectsScoring: true, before: o.level, after: c.level });
      if (o.label !== c.label) push({ kind: 'choice-relabelled', subject, aspect: at.aspect, affectsScoring: false });
      if (o.help !== c.help || JSON.stringify(o.links ?? []) !== JSON.stringify(c.links ?? []))
        push({ kind: 'choice-help', subject, aspect: at.aspect, affectsScoring: false });
      if ((o.sourceId ?? null) !== (c.sourceId ?? null))
        push({
          kind: 'source-id',
          subject,
          aspect: at.aspect,
          affectsScoring: false,
          before: o.sourceId ?? null,
          after: c.sourceId ?? null,
        });
      if ((o.exclusive === true) !== (c.exclusive === true))
        push({
          kind: 'choice-exclusive',
          subject,
          aspect: at.aspect,
          affectsScoring: true,
          before: o.exclusive === true,
          after: c.exclusive === true,
        });
    }
  }
  for (const c of before.choices) {
    if (!now.has(c.id))
      push({ kind: 'choice-removed', subject: `${at.subject}/${c.id}`, aspect: at.aspect, affectsScoring: true, before: c.level });
  }
}

/** A condition as text, with its question id translated into the newer rubric's ids. */
function describeCondition(when: Condition | undefined, rename: ReadonlyMap<string, string>): string | null {
  if (!when) return null;
  const question = rename.get(when.question) ?? when.question;
  return 'atLeast' in when ? `${question} at least ${when.atLeast}` : `${question} any of ${[...when.anyOf].sort().join(', ')}`;
}

/** One line of plain English per change, for text and Markdown output. */
export function describeChange(c: RubricChange): string {
  const s = c.subject;
  switch (c.kind) {
    case 'levels-changed':
      return `levels changed: ${c.before} → ${c.after}`;
    case 'rubric-multi-choice':
      return `multi-choice answers scored as ${c.after} (before: ${c.before})`;
    case 'rubric-how-to-answer':
      return `how to answer ${c.before === false ? 'added' : c.after === false ? 'removed' : 'reworded'}`;
    case 'question-multi-choice':
      return `${s} scored as ${c.after} (before: ${c.before})`;
    case 'rubric-aspect-rule':
      return `aspect levels by the ${c.after} rule (before: ${c.before})`;
    case 'rubric-nouns':
      return `aspects now called ${c.after} (before: ${c.before})`;
    case 'aspect-rule':
      return `aspect ${s} levelled by the ${c.after} rule (before: ${c.before})`;
    case 'aspect-group':
      return `aspect ${s} grouped under ${c.after ?? 'no group'} (before: ${c.before ?? 'no group'})`;
    case 'question-rules':
      return `${s} answer rules changed (${c.before} → ${c.after} rules)`;
    case 'source-id':
      return `${s} source id ${c.before ?? 'none'} → ${c.after ?? 'none'}`;
    case 'choice-help':
      return `${s} help or links reworded`;
    case 'choice-exclusive':
      return `${s} ${c.after ? 'is now "none of these" (exclusive)' : 'is no longer exclusive'}`;
    case 'aspect-added':
      return `aspect ${s} added`;
    case 'aspect-removed':
      return `aspect ${s} removed`;
    case 'aspect-reweighted':
      return `aspect ${s} weight ${c.before} → ${c.after}`;
    case 'question-added':
      return `${s} added (${c.aspect})`;
    case 'question-removed':
      return `${s} removed (${c.aspect})`;
    case 'question-renamed':
      return `${c.before} renamed to ${c.after} (${c.aspect})`;
    case 'question-moved':
      return `${s} moved from aspect ${c.before} to ${c.after}`;
    case 'question-reweighted':
      return `${s} weight ${c.before} → ${c.after}`;
    case 'question-gate':
      return `${s} ${c.after ? 'is now a gate' : 'is no longer a gate'}`;
    case 'question-type':
      return `${s} type ${c.before} → ${c.after}`;
    case 'question-not-applicable':
      return `${s} ${c.after ? 'now allows' : 'no longer allows'} n/a`;
    case 'question-condition':
      return `${s} asked when: ${c.before ?? 'always'} → ${c.after ?? 'always'}`;
    case 'question-text':
      return `${s} text or help reworded`;
    case 'choice-added':
      return `${s} added at level ${c.after}`;
    case 'choice-removed':
      return `${s} removed (was level ${c.before})`;
    case 'choice-relevelled':
      return `${s} level ${c.before} → ${c.after}`;
    case 'choice-relabelled':
      return `${s} relabelled`;
    case 'recommendation-added':
      return `recommendation ${s} added (leads to level ${c.after})`;
    case 'recommendation-removed':
      return `recommendation ${s} removed`;
    case 'recommendation-changed':
      return `recommendation ${s} changed`;
  }
}

/**
 * The changes as lines a reviewer reads: one per rubric-wide change, per added or removed question, and per changed
 * question (all its changes on that line); recommendations summed up, with their ids. `scoring`: the line holds a
 * change that can move levels or scores.
 */
export function changeLines(changes: readonly RubricChange[]): { text: string; scoring: boolean }[] {
  const lines: { text: string; scoring: boolean }[] = [];
  const byQuestion = new Map<string, RubricChange[]>();
  const recommendations: RubricChange[] = [];
  for (const c of changes) {
    if (c.kind.startsWith('recommendation-')) recommendations.push(c);
    else if (c.kind.startsWith('question-') || c.kind.startsWith('choice-')) {
      if (c.kind === 'question-added' || c.kind === 'question-removed' || c.kind === 'question-renamed')
        lines.push({ text: describeChange(c), scoring: c.affectsScoring });
      else {
        const question = c.subject.split('/')[0] ?? c.subject;
        byQuestion.set(question, [...(byQuestion.get(question) ?? []), c]);
      }
    } else lines.push({ text: describeChange(c), scoring: c.affectsScoring });
  }
  for (const [question, list] of byQuestion) {
    const scoring = list.some((c) => c.affectsScoring);
    if (list.length === 1) {
      lines.push({ text: describeChange(list[0]!), scoring });
      continue;
    }
    const choice = (c: RubricChange) => c.subject.slice(question.length + 1);
    const parts: string[] = [];
    const of = (kind: RubricChangeKind) => list.filter((c) => c.kind === kind);
    for (const c of list.filter((x) => !x.kind.startsWith('choice-') && x.kind !== 'question-text'))
      parts.push(describeChange(c).replace(`${question} `, ''));
    if (of('choice-added').length > 0)
      parts.push(
        `choices added: ${of('choice-added')
          .map((c) => `${choice(c)} (${c.after})`)
          .join(', ')}`,
      );
    if (of('choice-removed').length > 0)
      parts.push(
        `removed: ${of('choice-removed')
          .map((c) => `${choice(c)} (was ${c.before})`)
          .join(', ')}`,
      );
    if (of('choice-relevelled').length > 0)
      parts.push(
        `re-levelled: ${of('choice-relevelled')
          .map((c) => `${choice(c)} ${c.before} → ${c.after}`)
          .join(', ')}`,
      );
    const exclusive = of('choice-exclusive');
    if (exclusive.some((c) => c.after === true))
      parts.push(
        `now "none of these" (exclusive): ${exclusive
          .filter((c) => c.after === true)
          .map(choice)
          .join(', ')}`,
      );
    if (exclusive.some((c) => c.after !== true))
      parts.push(
        `no longer exclusive: ${exclusive
          .filter((c) => c.after !== true)
          .map(choice)
          .join(', ')}`,
      );
    if (of('choice-relabelled').length > 0) parts.push(`${of('choice-relabelled').length} relabelled`);
    if (of('choice-help').length > 0) parts.push(`help or links of ${plural(of('choice-help').length, 'choice')} reworded`);
    if (of('question-text').length > 0) parts.push('text or help reworded');
    lines.push({ text: `${question}: ${parts.join('; ')}`, scoring });
  }
  if (recommendations.length > 0) {
    const of = (kind: RubricChangeKind) => recommendations.filter((c) => c.kind === kind).map((c) => c.subject);
    const counts = (['recommendation-added', 'recommendation-removed', 'recommendation-changed'] as const)
      .map((k) => [of(k).length, k.slice('recommendation-'.length)] as const)
      .filter(([n]) => n > 0)
      .map(([n, word]) => `${n} ${word}`);
    lines.push({ text: `recommendations: ${counts.join(', ')} (they change the roadmap, not levels or scores)`, scoring: false });
    for (const [word, kind] of [
      ['added', 'recommendation-added'],
      ['removed', 'recommendation-removed'],
      ['changed', 'recommendation-changed'],
    ] as const) {
      if (of(kind).length > 0) lines.push({ text: `  ${word}: ${of(kind).join(', ')}`, scoring: false });
    }
  }
  return lines;
}

/**
 * Orders rubric versions by semantic versioning (semver): 1.10.0 after 1.9.0, and a pre-release before its release
 * (1.0.0-rc.1 before 1.0.0), which the schema allows. A version that is not semver (a hand-edited log) sorts as text.
 */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [coerce(a), coerce(b)];
  return x !== null && y !== null ? compare(x, y) : Math.sign(a.localeCompare(b));
}

function coerce(version: string): string | null {
  // "1.0" is how a YAML author may write 1.0.0; semver itself wants three parts.
  return valid(/^\d+\.\d+$/.test(version) ? `${version}.0` : version);
}
