// The CNCF Platform Engineering Maturity Model, as its assessment tool holds it (pemm-assessment's
// data/questions-<lang>.yaml), as a cnassess rubric scored as that tool scores it: a category's score is the mean of
// its answered questions' values (1–4), shown to two decimals. Pure, like the other importers.

import { isRaw, problemsIn, uniqueIds, type Locate, type ModelImport } from './common.js';

/** The model's levels, from the CNCF whitepaper: the assessment file numbers its options 1–4 without naming them. */
const LEVELS = [
  { level: 1, name: 'Provisional', summary: 'Ad-hoc: platform work is done by whoever needs it, as it is needed.' },
  { level: 2, name: 'Operational', summary: 'A dedicated team runs the platform; needs are met as they become problems.' },
  { level: 3, name: 'Scalable', summary: 'The platform is run as a product, with a strategy and its users in mind.' },
  { level: 4, name: 'Optimizing', summary: 'The platform improves from measured outcomes, and its users contribute to it.' },
] as const;

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;

export function importPemm(value: unknown, file: string, locate: Locate): ModelImport {
  const { problems, problem } = problemsIn(file, locate);
  if (!isRaw(value) || !Array.isArray(value.categories)) {
    problem('', 'pemm-not-model', 'the file is not a PEMM assessment model (expected a mapping with "categories")');
    return { problems, notes: [] };
  }
  const ids = uniqueIds();
  const metadata = isRaw(value.metadata) ? value.metadata : {};
  const title = text(metadata.title) ?? 'Platform Engineering Maturity Model';
  const aspects = value.categories.map((category, c) => {
    const at = `/categories/${c}`;
    if (!isRaw(category)) return problem(at, 'pemm-category', 'a category must be a mapping with id, name and questions');
    const id = text(category.id);
    const name = text(category.name);
    if (id === undefined) problem(`${at}/id`, 'pemm-missing', 'the category id is missing');
    if (name === undefined) problem(`${at}/name`, 'pemm-missing', 'the category name is missing');
    const questions = (Array.isArray(category.questions) ? category.questions : []).map((question, q) => {
      const qAt = `${at}/questions/${q}`;
      if (!isRaw(question)) return problem(qAt, 'pemm-question', 'a question must be a mapping with id, text and options');
      const sourceId = text(question.field_name) ?? `${id ?? c}_${text(question.id) ?? q}`;
      const questionText = text(question.text);
      if (questionText === undefined) problem(`${qAt}/text`, 'pemm-missing', 'the question text is missing');
      const options = Array.isArray(question.options) ? question.options : [];
      if (options.length < 2) problem(`${qAt}/options`, 'pemm-options', `a question needs at least 2 options (found ${options.length})`);
      const choiceIds = uniqueIds();
      let previous = -Infinity;
      const choices = options.map((option, o) => {
        const oAt = `${qAt}/options/${o}`;
        if (!isRaw(option)) return problem(oAt, 'pemm-option', 'an option must be a mapping with value, level and description');
        const level = option.value;
        if (typeof level !== 'number' || !LEVELS.some((l) => l.level === level)) {
          return problem(`${oAt}/value`, 'pemm-value', `${JSON.stringify(level)} is not a value of the model (expected 1, 2, 3 or 4)`);
        }
        if (level <= previous) problem(`${oAt}/value`, 'pemm-order', `value ${level} comes after ${previous}; options go from 1 up`);
        previous = level;
        const label = text(option.level);
        if (label === undefined) problem(`${oAt}/level`, 'pemm-missing', 'the option’s label ("level") is missing');
        const help = text(option.description);
        return {
          id: choiceIds.choice('q', label ?? `value-${level}`),
          label: label ?? '',
          level,
          ...(help !== undefined && { help }),
          sourceId: String(level),
        };
      });
      return {
        id: ids.claim(sourceId, 'q'),
        text: questionText ?? '',
        type: 'scale' as const,
        sourceId,
        choices: choices.flatMap((x) => (x === undefined ? [] : [x])),
      };
    });
    if (questions.length === 0) problem(`${at}/questions`, 'pemm-no-questions', `category ${id ?? c} has no questions`);
    return {
      id: ids.claim(id ?? `category-${c}`, 'c'),
      title: name ?? '',
      summary: `The ${name ?? id} category of the Platform Engineering Maturity Model.`,
      ...(id !== undefined && { sourceId: id }),
      questions: questions.flatMap((x) => (x === undefined ? [] : [x])),
      recommendations: [],
    };
  });
  if (value.categories.length === 0) problem('/categories', 'pemm-no-categories', 'the model has no categories');
  if (problems.length > 0) return { problems, notes: [] };
  return {
    problems,
    notes: [
      'level names and summaries (Provisional, Operational, Scalable, Optimizing) are the CNCF whitepaper’s: the assessment file numbers its options 1–4',
      'a category is scored as the assessment tool scores it: the mean of its answers (aspectRule: mean); its level is that mean rounded down',
      'the model carries no recommendations: the roadmap has no steps until you add some',
    ],
    rubric: {
      id: ids.claim(`pemm-${text(metadata.language) ?? 'en'}`, 'pemm'),
      version: '1.0.0',
      title,
      description:
        'The CNCF Platform Engineering Maturity Model (https://tag-app-delivery.cncf.io/whitepapers/platform-eng-maturity-model/), imported from its assessment.',
      aspectRule: 'mean',
      nouns: { aspect: 'category', aspects: 'categories' },
      levels: LEVELS.map((l) => ({ ...l })),
      aspects: aspects.flatMap((x) => (x === undefined ? [] : [x])),
    },
  };
}
