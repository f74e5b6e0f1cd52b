// An AWS Well-Architected custom lens (the JSON the Well-Architected Tool imports) as a cnassess rubric, scored as the
// tool scores it: each question's risk comes from its risk rules, in order, the first whose condition holds; the
// conditions (`a && (b || !c)`) become answer rules. Pure: the parsed file and a way to locate a JSON pointer in it.
//
// Levels: 1 High risk, 2 Medium risk, 3 No risk. The tool gives a pillar no level (it counts its risks), so a pillar
// is levelled by its worst question: one high risk makes it High risk. What the lens does not carry (level
// summaries, a pillar's summary, a step's effort and impact) is invented, and said so in `notes`.

import type { AnswerRule, ChoiceCondition } from '../rubric/types.js';
import { clip as cut, isRaw, problemsIn, textOf, uniqueIds, type Locate, type ModelImport } from './common.js';

const RISK_LEVELS: Readonly<Record<string, number>> = { HIGH_RISK: 1, MEDIUM_RISK: 2, NO_RISK: 3 };
const NO_RISK = 3;
/** How deep a risk rule's condition may nest (!, parentheses): the rubric's checks allow 20, YAML 64. */
const MAX_DEPTH = 15;

export function importAwsLens(value: unknown, file: string, locate: Locate): ModelImport {
  const { problems, problem } = problemsIn(file, locate);
  const notes: string[] = [];
  const need = (v: unknown, pointer: string, what: string): string => {
    const found = textOf(v);
    if (found === undefined)
      problem(pointer, 'lens-missing', `${what} is missing or not text (expected a string, as the lens format has it)`);
    return found ?? '';
  };
  if (!isRaw(value)) {
    problem('', 'lens-not-object', 'the file is not an AWS Well-Architected lens (expected a JSON object with "pillars")');
    return { problems, notes };
  }
  const pillars = Array.isArray(value.pillars) ? value.pillars : [];
  if (pillars.length === 0) problem('/pillars', 'lens-no-pillars', 'the lens has no pillars (expected "pillars": [ … ])');
  const ids = uniqueIds();
  const seenQuestions = new Set<string>();
  const name = need(value.name, '/name', 'the lens name');
  // Semantic versions have no leading zeros: a lens's "1.02" becomes 1.2.0, and says so.
  const given = typeof value._version === 'string' && /^\d{1,9}\.\d{1,9}(\.\d{1,9})?$/.test(value._version) ? value._version : undefined;
  const parts = given?.split('.').map(Number) ?? [];
  const version = given === undefined ? undefined : [...parts, 0, 0].slice(0, 3).join('.');
  if (version === undefined) notes.push('the lens has no version of the form 1.0: the rubric is version 1.0.0');
  else if (parts.join('.') !== given) notes.push(`the lens's version ${given} is written ${version} as a semantic version`);

  const aspects = pillars.map((pillar, p) => {
    const at = `/pillars/${p}`;
    if (!isRaw(pillar)) {
      problem(at, 'lens-pillar', 'a pillar must be an object with id, name and questions');
      return undefined;
    }
    const pillarId = need(pillar.id, `${at}/id`, 'the pillar id');
    const pillarName = need(pillar.name, `${at}/name`, 'the pillar name');
    const questions = (Array.isArray(pillar.questions) ? pillar.questions : []).map((question, q) => {
      const qAt = `${at}/questions/${q}`;
      if (!isRaw(question)) {
        problem(qAt, 'lens-question', 'a question must be an object with id, title, choices and riskRules');
        return undefined;
      }
      const questionId = need(question.id, `${qAt}/id`, 'the question id');
      if (seenQuestions.has(questionId))
        problem(`${qAt}/id`, 'lens-duplicate', `question id ${JSON.stringify(questionId)} appears twice in the lens`);
      seenQuestions.add(questionId);
      const choices = Array.isArray(question.choices) ? question.choices : [];
      if (choices.length < 1 || choices.length > 19)
        problem(`${qAt}/choices`, 'lens-choices', `a question needs 1 to 19 choices (found ${choices.length})`);
      const choiceIds = new Map<string, string>();
      const choiceList = choices.map((choice, c) => {
        const cAt = `${qAt}/choices/${c}`;
        if (!isRaw(choice)) {
          problem(cAt, 'lens-choice', 'a choice must be an object with id and title');
          return undefined;
        }
        const sourceId = need(choice.id, `${cAt}/id`, 'the choice id');
        if (choiceIds.has(sourceId))
          problem(`${cAt}/id`, 'lens-duplicate', `choice id ${JSON.stringify(sourceId)} appears twice in question ${questionId}`);
        const label = need(choice.title, `${cAt}/title`, 'the choice title');
        const id = ids.choice(questionId, sourceId);
        choiceIds.set(sourceId, id);
        const exclusive = /^none of (these|the above)\.?$/i.test(label);
        const helpful = isRaw(choice.helpfulResource) ? choice.helpfulResource : undefined;
        const plan = isRaw(choice.improvementPlan) ? choice.improvementPlan : undefined;
        return {
          id,
          sourceId,
          label,
          exclusive,
          help: textOf(helpful?.displayText),
          helpUrl: link(helpful?.url),
          plan: textOf(plan?.displayText),
          planUrl: link(plan?.url),
        };
      });
      const rules: AnswerRule[] = [];
      const riskRules = Array.isArray(question.riskRules) ? question.riskRules : [];
      if (riskRules.length === 0)
        problem(`${qAt}/riskRules`, 'lens-no-rules', 'the question has no risk rules (expected "riskRules": [ … ])');
      riskRules.forEach((rule, r) => {
        const rAt = `${qAt}/riskRules/${r}`;
        if (!isRaw(rule)) return problem(rAt, 'lens-rule', 'a risk rule must be an object with condition and risk');
        // Own keys only: "toString" is not a risk.
        const level = typeof rule.risk === 'string' && Object.hasOwn(RISK_LEVELS, rule.risk) ? RISK_LEVELS[rule.risk] : undefined;
        if (level === undefined)
          return problem(
            `${rAt}/risk`,
            'lens-risk',
            `${JSON.stringify(rule.risk)} is not a risk (expected HIGH_RISK, MEDIUM_RISK or NO_RISK)`,
          );
        const condition = textOf(rule.condition);
        if (condition === undefined)
          return problem(
            `${rAt}/condition`,
            'lens-condition',
            'the condition is missing (expected a string such as "a && !b", or "default")',
          );
        if (condition === 'default') {
          if (r !== riskRules.length - 1)
            return problem(
              `${rAt}/condition`,
              'lens-condition',
              'a "default" risk rule must be the last rule of its question: the rules after it could never hold',
            );
          return rules.push({ default: true, level });
        }
        const parsed = parseRiskCondition(condition, choiceIds);
        if ('error' in parsed) return problem(`${rAt}/condition`, 'lens-condition', parsed.error);
        rules.push({ when: wrap(parsed.condition), level });
        return undefined;
      });
      const defaults = rules.filter((r) => 'default' in r);
      if (riskRules.length > 0 && defaults.length === 0) {
        // The Well-Architected Tool leaves a question with no matching rule without a risk; cnassess needs a level.
        rules.push({ default: true, level: 1 });
        notes.push(`question ${questionId} has no default risk rule: cnassess adds one at High risk`);
      }
      const id = ids.claim(questionId, 'q');
      // The Well-Architected Tool offers "None of these" on every question; answering it is selecting no practice.
      const hasNone = choiceList.some((c) => c?.exclusive === true);
      if (!hasNone) {
        const none = ids.choice(questionId, 'none');
        choiceList.unshift({
          id: none,
          sourceId: '',
          label: 'None of these',
          exclusive: true,
          help: undefined,
          helpUrl: undefined,
          plan: undefined,
          planUrl: undefined,
        });
      }
      return {
        id,
        text: clip(need(question.title, `${qAt}/title`, 'the question title'), 300, `the title of question ${questionId}`, notes),
        ...(textOf(question.description) !== undefined && {
          help: clip(textOf(question.description) ?? '', 2000, `the description of ${questionId}`, notes),
        }),
        type: 'multi' as const,
        multiChoice: 'rules' as const,
        notApplicable: true,
        sourceId: questionId,
        rules,
        choices: choiceList.flatMap((c) =>
          c === undefined
            ? []
            : [
                {
                  id: c.id,
                  label: clip(c.label, 300, `the title of choice ${c.sourceId}`, notes),
                  // Under answer rules a choice's own level does not score; a practice is what reaches No risk.
                  level: c.exclusive ? 1 : NO_RISK,
                  ...(c.exclusive && { exclusive: true }),
                  ...(c.help !== undefined && { help: clip(c.help, 2000, `the help of choice ${c.sourceId}`, notes) }),
                  ...(c.helpUrl !== undefined && { links: [{ title: 'Helpful resource', url: c.helpUrl }] }),
                  ...(c.sourceId !== '' && { sourceId: c.sourceId }),
                },
              ],
        ),
        plans: choiceList.flatMap((c) => (c === undefined || c.exclusive ? [] : [c])),
      };
    });
    if (questions.length === 0) problem(`${at}/questions`, 'lens-no-questions', `pillar ${pillarId} has no questions`);
    const asked = questions.flatMap((q) => (q === undefined ? [] : [q]));
    return {
      id: ids.claim(pillarId, 'p'),
      title: clip(pillarName, 300, `the name of pillar ${pillarId}`, notes),
      summary: clip(`The ${pillarName} pillar of the ${name} lens.`, 2000, `the summary of pillar ${pillarId}`, []),
      sourceId: pillarId,
      questions: asked.map(({ plans: _plans, ...q }) => q),
      recommendations: asked.flatMap((q) =>
        q.plans.map((c) => ({
          level: stepLevel(q.rules, c.id),
          id: ids.claim(`${q.sourceId}-${c.sourceId}`, 'r'),
          title: clip(c.label, 300, `the title of choice ${c.sourceId}`, []),
          why: clip(c.plan ?? `Improves “${q.text}”.`, 2000, `the improvement plan of ${c.sourceId}`, notes),
          effort: 'M' as const,
          impact: 'medium' as const,
          raises: [{ question: q.id, choice: c.id }],
          ...(c.planUrl !== undefined && { links: [{ title: 'Improvement plan', url: c.planUrl }] }),
        })),
      ),
    };
  });
  if (problems.length > 0) return { problems, notes };
  notes.push(
    'a step (a choice’s improvement plan) leads to the lowest risk level of a rule that needs its choice ticked; No risk when none does',
    'every question gets a "None of these" choice where the lens has none, as the Well-Architected Tool adds one: answering it is selecting no practice',
    'levels 1 High risk, 2 Medium risk and 3 No risk, and their summaries, are cnassess’s: the lens names only the risks',
    'the Well-Architected Tool gives a pillar no level; cnassess levels a pillar by its worst question (aspectRule: worst)',
    'each choice’s improvement plan became a step of effort M and impact medium, which the lens does not say',
  );
  return {
    problems,
    notes,
    rubric: {
      id: ids.claim(name, 'lens'),
      version: version ?? '1.0.0',
      title: clip(name, 300, 'the lens name', notes),
      ...(textOf(value.description) !== undefined && {
        description: clip(textOf(value.description) ?? '', 2000, 'the lens description', notes),
      }),
      multiChoice: 'rules',
      aspectRule: 'worst',
      nouns: { aspect: 'pillar', aspects: 'pillars' },
      levels: [
        {
          level: 1,
          name: 'High risk',
          summary: 'The Well-Architected Tool would flag a high risk: a best practice the lens treats as essential is missing.',
        },
        { level: 2, name: 'Medium risk', summary: 'The Well-Architected Tool would flag a medium risk: some best practices are missing.' },
        { level: 3, name: 'No risk', summary: 'The best practices the lens asks for are in place.' },
      ],
      aspects: aspects.flatMap((a) => (a === undefined ? [] : [a])),
    },
  };
}

/**
 * The level a step that ticks `choice` leads to: the lowest level above the default's of a rule whose condition needs
 * the choice ticked (names it outside a `none`), so the roadmap can go from High to Medium risk where the lens has a
 * rule for it; No risk when no rule names it so.
 */
function stepLevel(rules: readonly AnswerRule[], choice: string): number {
  const needs = (condition: ChoiceCondition, negated: boolean): boolean =>
    typeof condition === 'string'
      ? condition === choice && !negated
      : 'all' in condition
        ? condition.all.some((c) => needs(c, negated))
        : 'any' in condition
          ? condition.any.some((c) => needs(c, negated))
          : condition.none.some((c) => needs(c, !negated));
  const floor = Math.min(...rules.filter((r) => 'default' in r).map((r) => r.level), NO_RISK);
  const levels = rules.flatMap((r) => ('when' in r && r.level > floor && needs(r.when, false) ? [r.level] : []));
  return levels.length > 0 ? Math.min(...levels) : NO_RISK;
}

/**
 * A risk rule's condition, as the Well-Architected Tool reads it: choice ids joined by `&&` and `||`, negated by `!`,
 * grouped by parentheses (`&&` binds tighter). Returns the condition over cnassess choice ids, or why it is not one.
 */
export function parseRiskCondition(
  source: string,
  choiceIds: ReadonlyMap<string, string>,
): { condition: ChoiceCondition } | { error: string } {
  const tokens = [...source.matchAll(/\s*(&&|\|\||!|\(|\)|[^\s&|!()]+)/g)].map((m) => m[1] ?? '');
  if (tokens.join('').length !== source.replace(/\s+/g, '').length)
    return { error: `the condition ${JSON.stringify(source)} has characters a risk rule cannot have` };
  let at = 0;
  const fail = (why: string): never => {
    throw new ConditionError(`the condition ${JSON.stringify(source)} ${why}`);
  };
  const or = (): ChoiceCondition => {
    const parts = [and()];
    while (tokens[at] === '||') {
      at++;
      parts.push(and());
    }
    return parts.length === 1 ? parts[0]! : { any: parts.flatMap((p) => (typeof p === 'object' && 'any' in p ? p.any : [p])) };
  };
  const and = (): ChoiceCondition => {
    const parts = [unary()];
    while (tokens[at] === '&&') {
      at++;
      parts.push(unary());
    }
    return parts.length === 1 ? parts[0]! : { all: parts.flatMap((p) => (typeof p === 'object' && 'all' in p ? p.all : [p])) };
  };
  let depth = 0;
  const unary = (): ChoiceCondition => {
    // As deep as the rubric format allows, and no deeper than a stack can hold.
    if (++depth > MAX_DEPTH) return fail(`nests more than ${MAX_DEPTH} deep`);
    try {
      return term();
    } finally {
      depth--;
    }
  };
  const term = (): ChoiceCondition => {
    const token = tokens[at++];
    if (token === undefined) return fail('ends where a choice id was expected');
    if (token === '!') return { none: [unary()] };
    if (token === '(') {
      const inner = or();
      if (tokens[at++] !== ')') fail('has a "(" that is never closed');
      return inner;
    }
    if (token === ')' || token === '&&' || token === '||') return fail(`has "${token}" where a choice id was expected`);
    const id = choiceIds.get(token);
    return (
      id ?? fail(`names ${JSON.stringify(token)}, which is not a choice of the question (choices: ${[...choiceIds.keys()].join(', ')})`)
    );
  };
  try {
    const condition = or();
    if (at < tokens.length) fail(`has "${tokens[at]}" after a complete condition`);
    return { condition };
  } catch (e) {
    if (e instanceof ConditionError) return { error: e.message };
    throw e;
  }
}

class ConditionError extends Error {}

/** A rule's condition must be all / any / none of something; a lone choice id is "all of it". */
function wrap(condition: ChoiceCondition): Exclude<ChoiceCondition, string> {
  return typeof condition === 'string' ? { all: [condition] } : condition;
}

function link(url: unknown): string | undefined {
  return typeof url === 'string' && /^https?:\/\/[^\s]+$/.test(url) && url.length <= 500 ? url : undefined;
}

/** The common clip, saying in `notes` what was cut. */
function clip(value: string, max: number, what: string, notes: string[]): string {
  if (value.length > max) notes.push(`${what} is longer than ${max} characters: cut`);
  return cut(value, max);
}
