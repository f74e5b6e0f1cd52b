// Checks a rubric needs beyond what its JSON Schema can say. They run on the raw parsed value even
// when the schema found problems, so an author sees every problem at once; hence the defensive reads.

import type { FileProblem } from '../errors.js';
import type { YamlSource } from '../source/yamlSource.js';
import { didYouMean } from '../text.js';
import { DEFAULT_MULTI_CHOICE } from './types.js';

interface Options {
  /** The built-in rubric must have a recommendation for every level transition; custom ones get a warning. */
  readonly builtIn: boolean;
}

type Raw = Record<string, unknown>;
const asList = (v: unknown): Raw[] => (Array.isArray(v) ? v.filter((x): x is Raw => typeof x === 'object' && x !== null) : []);
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** Text from the file, quoted for a message: JSON escapes keep control characters off the terminal. */
const quoted = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
/** An id for a message. Never String(v): a mapping with a `toString` key would make that throw. */
const named = (v: unknown): string =>
  typeof v === 'string' ? quoted(v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '(no id)';

/** Longer level names get a warning (see the levels check): in Chromium, 52 characters still fitted A4; 76 did not. */
const LONG_LEVEL_NAME = 48;

export function semanticProblems(source: YamlSource, raw: unknown, options: Options): FileProblem[] {
  const problems: FileProblem[] = [];
  const report = (pointer: string, code: string, message: string, severity: 'error' | 'warning' = 'error', at: 'key' | 'value' = 'value') =>
    problems.push({ file: source.file, ...source.locate(pointer, at), message, pointer, code, severity });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return problems;
  const rubric = raw as Raw;

  // Levels: strictly ascending, so "at least level L" has one meaning.
  const levels = asList(rubric.levels);
  const levelNumbers = new Set<number>();
  let previous: number | undefined;
  levels.forEach((l, i) => {
    const n = asNumber(l.level);
    if (n === undefined) return;
    if (previous !== undefined && n <= previous) {
      report(
        `/levels/${i}/level`,
        'levels-not-ascending',
        `level ${n} comes after level ${previous}; list levels in strictly ascending order`,
      );
    }
    previous = n;
    levelNumbers.add(n);
    // Reports show a level as "3 · Scale" in narrow table cells that do not wrap (a name broken over lines reads as
    // two); a name of 76 characters there widened an 800-pixel window and the A4 page, which then prints smaller.
    const nameLength = [...(asString(l.name) ?? '')].length;
    if (nameLength > LONG_LEVEL_NAME) {
      report(
        `/levels/${i}/name`,
        'level-name-long',
        `the name of level ${n} is ${nameLength} characters; reports show level names in narrow table columns, and one longer than ${LONG_LEVEL_NAME} can widen them past the page; keep the name short and say the rest in its summary`,
        'warning',
      );
    }
  });
  // A loop, not Math.min(...levels): a hostile file can hold more levels than a call has room for arguments.
  let lowest = Infinity;
  for (const n of levelNumbers) lowest = Math.min(lowest, n);
  const sortedLevels = [...levelNumbers].sort((a, b) => a - b);
  const knownLevels = sortedLevels.length > 12 ? `${sortedLevels.slice(0, 12).join(', ')}, …` : sortedLevels.join(', ');
  /** `says` puts the level into words, e.g. (n) => `choice "x" is mapped to level ${n}`. */
  const checkLevel = (pointer: string, value: unknown, says: (n: number) => string) => {
    const n = asNumber(value);
    if (n !== undefined && levelNumbers.size > 0 && !levelNumbers.has(n)) {
      report(pointer, 'unknown-level', `${says(n)}, which the rubric does not define (levels: ${knownLevels})`);
    }
  };

  // One namespace for aspect, question and recommendation ids: answers, `when` and `requires` name them unambiguously.
  const firstSeen = new Map<string, string>();
  const claimId = (pointer: string, value: unknown) => {
    const id = asString(value);
    if (id === undefined) return;
    const first = firstSeen.get(id);
    if (first !== undefined) {
      const { line } = source.locate(first);
      report(pointer, 'duplicate-id', `duplicate id ${quoted(id)} (first used on line ${line}); ids must be unique across the rubric`);
    } else {
      firstSeen.set(id, pointer);
    }
  };

  /**
   * A multi question scored by `rules` has rules, and a question with rules is scored by them: each condition names a
   * choice of the question, each rule leads to a level the rubric defines, and the last rule, only the last, is the
   * default — so every answer gets a level.
   */
  const checkAnswerRules = (q: Raw, base: string, choiceIds: ReadonlySet<string>) => {
    const scoredBy = asString(q.multiChoice) ?? asString(rubric.multiChoice) ?? DEFAULT_MULTI_CHOICE;
    const rules = Array.isArray(q.rules) ? (q.rules as unknown[]) : undefined;
    if (q.type === 'multi' && scoredBy === 'rules' && rules === undefined) {
      report(base, 'rules-missing', `question ${named(q.id)} is scored by rules (multiChoice: rules), but has no rules`, 'error', 'key');
    }
    if (rules === undefined) return;
    if (q.type !== 'multi' || scoredBy !== 'rules') {
      report(
        `${base}/rules`,
        'rules-unused',
        q.type !== 'multi'
          ? `question ${named(q.id)} has answer rules, but only a multi question's answer is scored by rules`
          : `question ${named(q.id)} has answer rules, but is scored by ${scoredBy}; set multiChoice: rules on it (or on the rubric) to use them`,
        'error',
        'key',
      );
      return;
    }
    const walk = (condition: unknown, pointer: string, depth: number): void => {
      if (depth > 20) {
        report(pointer, 'rule-too-deep', 'conditions nest more than 20 deep');
        return;
      }
      if (typeof condition === 'string') {
        if (!choiceIds.has(condition))
          report(
            pointer,
            'rule-unknown-choice',
            `${quoted(condition)} is not a choice of question ${named(q.id)}${didYouMean(condition, choiceIds)}`,
          );
        return;
      }
      if (typeof condition !== 'object' || condition === null) return;
      for (const key of ['all', 'any', 'none'] as const) {
        const list = (condition as Raw)[key];
        if (Array.isArray(list)) list.forEach((c, k) => walk(c, `${pointer}/${key}/${k}`, depth + 1));
      }
    };
    rules.forEach((rule, k) => {
      if (typeof rule !== 'object' || rule === null) return;
      const r = rule as Raw;
      const pointer = `${base}/rules/${k}`;
      checkLevel(`${pointer}/level`, r.level, (n) => `answer rule ${k + 1} of question ${named(q.id)} gives level ${n}`);
      if (r.when !== undefined) walk(r.when, `${pointer}/when`, 0);
      const isDefault = r.default === true;
      if (isDefault && k !== rules.length - 1)
        report(
          `${pointer}/default`,
          'rule-default-not-last',
          `the default rule of question ${named(q.id)} must be its last rule: the rules after it could never hold`,
          'error',
          'key',
        );
      if (!isDefault && k === rules.length - 1)
        report(
          pointer,
          'rule-no-default',
          `the last answer rule of question ${named(q.id)} must be { default: true, level: … }, so that every answer gets a level`,
        );
    });
  };

  /** Each question's place and choices, for `when` and `raises`. */
  const questionOrder = new Map<
    string,
    { index: number; choices: Set<string>; type: unknown; levels: Map<string, number>; exclusive: Set<string> }
  >();
  const recommendationIds = new Set<string>();
  const aspects = asList(rubric.aspects);
  aspects.forEach((aspect, a) => {
    claimId(`/aspects/${a}/id`, aspect.id);
    asList(aspect.questions).forEach((q, i) => {
      const base = `/aspects/${a}/questions/${i}`;
      claimId(`${base}/id`, q.id);
      const choiceIds = new Set<string>();
      const choiceLevels = new Map<string, number>();
      const exclusive = new Set<string>();
      asList(q.choices).forEach((c, j) => {
        const id = asString(c.id);
        const n = asNumber(c.level);
        if (id !== undefined && n !== undefined && !choiceLevels.has(id)) choiceLevels.set(id, n);
        if (c.exclusive === true) {
          if (q.type !== 'multi') {
            report(
              `${base}/choices/${j}/exclusive`,
              'exclusive-not-multi',
              `choice ${named(c.id)} is exclusive, but question ${named(q.id)} is not multi-choice; only a multi question's choices can exclude the others`,
            );
          } else if (id !== undefined) exclusive.add(id);
        }
        if (id !== undefined && choiceIds.has(id)) {
          report(
            `${base}/choices/${j}/id`,
            'duplicate-choice',
            `duplicate choice id ${quoted(id)} in question ${named(q.id)}; choice ids must be unique within a question`,
          );
        }
        if (id !== undefined) choiceIds.add(id);
        checkLevel(`${base}/choices/${j}/level`, c.level, (n) => `choice ${named(c.id)} is mapped to level ${n}`);
      });
      const choices = asList(q.choices);
      // Without a list of choices the schema has already said so; a second problem would only repeat it.
      if (q.type === 'yes-no' && Array.isArray(q.choices) && (choices.length !== 2 || !choiceIds.has('yes') || !choiceIds.has('no'))) {
        const found = choices.map((c) => named(c.id)).join(', ');
        report(
          `${base}/choices`,
          'yes-no-choices',
          `a yes-no question needs exactly two choices, with ids "yes" and "no" (found ${found || 'none'})`,
        );
      }
      if (q.type === 'scale') {
        // Pointed at the first choice that breaks the order, which is the one to move.
        let highest: number | undefined;
        const j = choices.findIndex((c) => {
          const n = asNumber(c.level);
          if (n === undefined) return false;
          if (highest !== undefined && n < highest) return true;
          highest = n;
          return false;
        });
        if (j !== -1) {
          report(
            `${base}/choices/${j}/level`,
            'scale-order',
            `choice ${named(choices[j]!.id)} (level ${asNumber(choices[j]!.level)}) comes after a choice at level ${highest}; a scale question lists its choices from the lowest level to the highest`,
          );
        }
      }
      if (q.multiChoice !== undefined && q.type !== 'multi') {
        report(
          `${base}/multiChoice`,
          'multi-choice-rule-not-multi',
          `question ${named(q.id)} sets multiChoice, but it is not a multi question`,
        );
      }
      checkAnswerRules(q, base, choiceIds);
      const id = asString(q.id);
      if (id !== undefined && !questionOrder.has(id)) {
        questionOrder.set(id, { index: questionOrder.size, choices: choiceIds, type: q.type, levels: choiceLevels, exclusive });
      }
    });
    asList(aspect.recommendations).forEach((r, i) => {
      claimId(`/aspects/${a}/recommendations/${i}/id`, r.id);
      const id = asString(r.id);
      if (id !== undefined) recommendationIds.add(id);
      const level = asNumber(r.level);
      checkLevel(`/aspects/${a}/recommendations/${i}/level`, r.level, (n) => `recommendation ${named(r.id)} leads to level ${n}`);
      if (level !== undefined && level === lowest) {
        report(
          `/aspects/${a}/recommendations/${i}/level`,
          'recommendation-to-lowest',
          `recommendation ${named(r.id)} leads to level ${level}, the lowest level; a recommendation's level is the level it leads up to, so it must be above ${level}`,
        );
      }
    });
  });

  // `when` may only look back: the questionnaire asks in order, so a later answer cannot decide an earlier question.
  aspects.forEach((aspect, a) =>
    asList(aspect.questions).forEach((q, i) => {
      const raw: unknown = q.when;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
      const when = raw as Raw;
      const pointer = `/aspects/${a}/questions/${i}/when`;
      const target = asString(when.question);
      if (target === undefined) return;
      const ref = questionOrder.get(target);
      const self = questionOrder.get(asString(q.id) ?? '');
      if (!ref) {
        report(
          `${pointer}/question`,
          'when-unknown',
          `when names question ${quoted(target)}, which is not in the rubric${didYouMean(target, questionOrder.keys())}`,
        );
      } else if (self && ref === self) {
        report(
          `${pointer}/question`,
          'when-not-earlier',
          `when names question ${quoted(target)}, the question itself; a condition can only look at an earlier question`,
        );
      } else if (self && ref.index >= self.index) {
        report(
          `${pointer}/question`,
          'when-not-earlier',
          `when names question ${quoted(target)}, which is not asked before ${named(q.id)}; a condition can only look at an earlier question`,
        );
      } else {
        asList(Array.isArray(when.anyOf) ? (when.anyOf as unknown[]).map((c) => ({ c })) : []).forEach(({ c }, j) => {
          if (typeof c === 'string' && !ref.choices.has(c)) {
            report(
              `${pointer}/anyOf/${j}`,
              'when-unknown-choice',
              `when names choice ${quoted(c)}, which question ${quoted(target)} does not have (choices: ${[...ref.choices].map(quoted).join(', ')})`,
            );
          }
        });
      }
      checkLevel(`${pointer}/atLeast`, when.atLeast, (n) => `when asks for at least level ${n}`);
    }),
  );

  // `requires` must name recommendations, without cycles.
  const requires = new Map<string, { pointer: string; ids: string[] }>();
  aspects.forEach((aspect, a) =>
    asList(aspect.recommendations).forEach((r, i) => {
      const id = asString(r.id);
      const ids = Array.isArray(r.requires) ? r.requires.filter((x): x is string => typeof x === 'string') : [];
      ids.forEach((req, j) => {
        if (!recommendationIds.has(req)) {
          const other = firstSeen.get(req);
          const kind =
            other === undefined
              ? 'which is not a recommendation in the rubric'
              : `which is ${/\/questions\//.test(other) ? 'a question' : 'an aspect'}, not a recommendation`;
          report(
            `/aspects/${a}/recommendations/${i}/requires/${j}`,
            'requires-unknown',
            `requires ${quoted(req)}, ${kind}; requires lists the recommendations to do first${other === undefined ? didYouMean(req, recommendationIds) : ''}`,
          );
        }
      });
      if (id !== undefined) requires.set(id, { pointer: `/aspects/${a}/recommendations/${i}/requires`, ids });
    }),
  );
  for (const cycle of findCycles(requires)) {
    report(
      requires.get(cycle[0]!)!.pointer,
      'requires-cycle',
      `requires forms a cycle: ${[...cycle, cycle[0]!].map(quoted).join(' → ')}; a recommendation cannot depend on itself, directly or through others`,
    );
  }

  aspects.forEach((aspect, a) =>
    asList(aspect.questions).forEach((q, i) => {
      const replaced = asString(q.replaces);
      if (replaced !== undefined && firstSeen.has(replaced)) {
        report(
          `/aspects/${a}/questions/${i}/replaces`,
          'replaces-existing',
          `replaces ${quoted(replaced)}, which is still an id in this rubric`,
        );
      }
    }),
  );

  checkRaises(aspects, questionOrder, firstSeen, report, options);
  const terms = new Map<string, number>();
  asList((rubric.howToAnswer as Raw | undefined)?.terms).forEach((t, i) => {
    const term = asString(t.term)?.toLowerCase();
    if (term === undefined) return;
    if (terms.has(term))
      report(
        `/howToAnswer/terms/${i}/term`,
        'duplicate-term',
        `term ${quoted(term)} is defined twice (first as term ${(terms.get(term) ?? 0) + 1}); a term has one meaning`,
      );
    else terms.set(term, i);
  });

  // Every step up needs advice, or the roadmap has a hole at that step.
  const ascending = [...levelNumbers].sort((x, y) => x - y);
  aspects.forEach((aspect, a) => {
    const covered = new Set(asList(aspect.recommendations).map((r) => asNumber(r.level)));
    const missing = ascending.slice(1).filter((l) => !covered.has(l));
    if (missing.length > 0 && Array.isArray(aspect.recommendations)) {
      const steps = missing.map((l) => `${ascending[ascending.indexOf(l) - 1]}→${l}`).join(', ');
      report(
        `/aspects/${a}/recommendations`,
        'missing-recommendation',
        `aspect ${named(aspect.id)} has no recommendation for level step${missing.length > 1 ? 's' : ''} ${steps}; add ${missing.length > 1 ? 'recommendations with levels' : 'a recommendation with level'} ${missing.join(', ')} so the roadmap has advice for every step`,
        options.builtIn ? 'error' : 'warning',
        'key',
      );
    }
  });

  return problems;
}

type Report = (pointer: string, code: string, message: string, severity?: 'error' | 'warning', at?: 'key' | 'value') => void;
type QuestionFacts = { type: unknown; levels: Map<string, number>; exclusive: Set<string> };

/**
 * `raises` says which answers a recommendation improves; the roadmap recommends a step only while one of them is
 * below it. So every entry must name a question (or a practice of a multi question) the step can improve, and every
 * question that can be answered below its top must be improved by some step, or the roadmap is silent about it.
 */
function checkRaises(
  aspects: Raw[],
  questions: ReadonlyMap<string, QuestionFacts>,
  ids: ReadonlyMap<string, string>,
  report: Report,
  options: Options,
): void {
  const raised = new Set<string>();
  const withoutRaises: string[] = [];
  let anyRaises = false;
  for (const [a, aspect] of aspects.entries()) {
    for (const [i, r] of asList(aspect.recommendations).entries()) {
      const base = `/aspects/${a}/recommendations/${i}`;
      const level = asNumber(r.level);
      if (!Array.isArray(r.raises)) {
        if (r.raises === undefined) withoutRaises.push(base);
        continue;
      }
      anyRaises = true;
      let reachable = false;
      let badEntries = 0;
      for (const [j, entry] of (r.raises as unknown[]).entries()) {
        const pointer = `${base}/raises/${j}`;
        const isPair = typeof entry === 'object' && entry !== null && !Array.isArray(entry);
        const questionId = isPair ? asString((entry as Raw).question) : asString(entry);
        const choiceId = isPair ? asString((entry as Raw).choice) : undefined;
        if (questionId === undefined) continue; // the schema has said what is wrong with it
        const at = isPair ? `${pointer}/question` : pointer;
        const q = questions.get(questionId);
        if (!q) {
          const other = ids.get(questionId);
          const kind =
            other === undefined
              ? 'which is not a question in the rubric'
              : `which is ${/\/recommendations\//.test(other) ? 'a recommendation' : 'an aspect'}, not a question`;
          report(
            at,
            'raises-unknown',
            `raises ${quoted(questionId)}, ${kind}; raises lists the questions (or practices) this step improves${other === undefined ? didYouMean(questionId, questions.keys()) : ''}`,
          );
          badEntries++;
          continue;
        }
        raised.add(questionId);
        const levels = [...q.levels.values()];
        if (choiceId !== undefined) {
          if (q.type !== 'multi') {
            badEntries++;
            report(
              `${pointer}/choice`,
              'raises-choice-not-multi',
              `raises choice ${quoted(choiceId)} of ${quoted(questionId)}, which is not a multi question; name the question alone`,
            );
          } else if (!q.levels.has(choiceId)) {
            badEntries++;
            report(
              `${pointer}/choice`,
              'raises-unknown-choice',
              `raises choice ${quoted(choiceId)}, which question ${quoted(questionId)} does not have (choices: ${[...q.levels.keys()].map(quoted).join(', ')})`,
            );
          } else if (q.exclusive.has(choiceId)) {
            badEntries++;
            report(
              `${pointer}/choice`,
              'raises-exclusive-choice',
              `raises choice ${quoted(choiceId)} of ${quoted(questionId)}, which is its "none of these" choice; name a practice`,
            );
          } else reachable = true;
          continue;
        }
        if (level === undefined || levels.length === 0) continue;
        if (!levels.some((l) => l < level)) {
          report(
            at,
            'raises-nothing-below',
            `raises ${quoted(questionId)} to level ${level}, but no choice of that question is below level ${level}, so this step could never be needed`,
          );
        }
        if (levels.some((l) => l >= level)) reachable = true;
      }
      // An entry already reported is the cause; saying that the step reaches nothing would only repeat it.
      if (!reachable && badEntries === 0 && level !== undefined && (r.raises as unknown[]).length > 0) {
        report(
          `${base}/raises`,
          'raises-unreachable',
          `recommendation ${named(r.id)} leads to level ${level}, but none of the questions it raises has a choice at level ${level} or above; raise a question the step can bring to that level`,
        );
      }
    }
  }
  const severity = options.builtIn ? 'error' : 'warning';
  if (options.builtIn || anyRaises) {
    for (const pointer of withoutRaises) {
      report(
        `${pointer}/id`,
        'raises-missing',
        'this recommendation does not say which answers it raises (`raises`); the roadmap then takes it to raise every question of its aspect',
        severity,
        'key',
      );
    }
  } else if (withoutRaises.length > 0) {
    report(
      '/aspects',
      'raises-missing',
      `no recommendation says which answers it raises (\`raises\`); the roadmap then takes each to raise every question of its aspect, and may recommend a step that is already done`,
      'warning',
      'key',
    );
  }
  if (!options.builtIn && !anyRaises) return;
  aspects.forEach((aspect, a) =>
    asList(aspect.questions).forEach((q, i) => {
      const id = asString(q.id);
      const facts = id === undefined ? undefined : questions.get(id);
      if (id === undefined || !facts || raised.has(id) || new Set(facts.levels.values()).size < 2) return;
      report(
        `/aspects/${a}/questions/${i}/id`,
        'question-not-raised',
        `no recommendation raises question ${quoted(id)}, so the roadmap has no step for an answer below its top choice; add it to a recommendation's raises`,
        severity,
      );
    }),
  );
}

/**
 * Cycles found by a depth-first search, each once, starting from its first id in rubric order. The
 * search keeps its own stack: a hostile file's requires chain can be longer than the call stack.
 */
function findCycles(graph: Map<string, { ids: string[] }>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const frames: { id: string; next: number }[] = [];
  const enter = (id: string) => {
    state.set(id, 'visiting');
    path.push(id);
    frames.push({ id, next: 0 });
  };
  for (const root of graph.keys()) {
    if (state.has(root)) continue;
    enter(root);
    while (frames.length > 0) {
      const frame = frames.at(-1)!;
      const ids = graph.get(frame.id)?.ids ?? [];
      if (frame.next < ids.length) {
        const next = ids[frame.next++]!;
        if (!graph.has(next)) continue;
        if (state.get(next) === 'visiting') cycles.push(path.slice(path.indexOf(next)));
        else if (!state.has(next)) enter(next);
      } else {
        frames.pop();
        path.pop();
        state.set(frame.id, 'done');
      }
    }
  }
  return cycles;
}
