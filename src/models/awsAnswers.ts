// The answers the AWS Well-Architected Tool exports (`aws wellarchitected list-answers`: { AnswerSummaries: [ … ] },
// or `get-answer`: { Answer: { … } }), as answers to an assessment whose rubric was imported from the same lens:
// questions and choices matched by sourceId. Selected choices become the answer ("None of these" when none is
// selected), a question marked not applicable becomes n/a with its reason, notes stay notes. Pure.

import { answerLevel } from '../assessment/scoring.js';
import type { FileProblem } from '../errors.js';
import { NOT_APPLICABLE, type Question, type Rubric } from '../rubric/types.js';
import { isRaw, problemsIn, type Locate } from './common.js';

export interface ExportedAnswer {
  readonly question: string;
  readonly answer: readonly string[] | typeof NOT_APPLICABLE;
  readonly note?: string;
}

const RISK_LEVEL: Readonly<Record<string, number>> = { HIGH: 1, MEDIUM: 2, NONE: 3 };
const REASONS: Readonly<Record<string, string>> = {
  OUT_OF_SCOPE: 'out of scope',
  BUSINESS_PRIORITIES: 'business priorities',
  ARCHITECTURE_CONSTRAINTS: 'architecture constraints',
  OTHER: 'other reasons',
  NONE: 'no reason given',
};

export function awsAnswers(
  value: unknown,
  file: string,
  locate: Locate,
  rubric: Rubric,
): { answers: ExportedAnswer[]; problems: FileProblem[]; notes: string[] } {
  const { problems, problem } = problemsIn(file, locate);
  const notes: string[] = [];
  const entries: { item: unknown; at: string }[] = isRaw(value)
    ? Array.isArray(value.AnswerSummaries)
      ? (value.AnswerSummaries as unknown[]).map((item, i) => ({ item, at: `/AnswerSummaries/${i}` }))
      : isRaw(value.Answer)
        ? [{ item: value.Answer, at: '/Answer' }]
        : []
    : [];
  if (entries.length === 0)
    problem(
      '',
      'aws-answers',
      'the file holds no answers (expected the JSON of `aws wellarchitected list-answers`: { "AnswerSummaries": [ … ] })',
    );
  const bySource = new Map(
    rubric.aspects.flatMap((a) => a.questions.flatMap((q) => (q.sourceId === undefined ? [] : [[q.sourceId, q] as const]))),
  );
  const answers: ExportedAnswer[] = [];
  const answered = new Set<string>();
  for (const { item, at } of entries) {
    if (!isRaw(item)) {
      problem(at, 'aws-answer', 'an answer must be an object with QuestionId and SelectedChoices');
      continue;
    }
    const questionId = typeof item.QuestionId === 'string' ? item.QuestionId : undefined;
    const question = questionId === undefined ? undefined : bySource.get(questionId);
    if (question === undefined) {
      problem(
        `${at}/QuestionId`,
        'aws-unknown-question',
        `question ${JSON.stringify(item.QuestionId)} is not in the rubric ${rubric.id}: import the answers into an assessment of the lens they were given for`,
      );
      continue;
    }
    const note = typeof item.Notes === 'string' && item.Notes.trim() !== '' ? item.Notes.trim().slice(0, 2000) : undefined;
    /** Whether this is the export's first answer to the question (an entry left unanswered does not count). */
    const firstAnswer = (): boolean => {
      if (!answered.has(question.id)) {
        answered.add(question.id);
        return true;
      }
      problem(`${at}/QuestionId`, 'aws-twice', `question ${questionId ?? ''} is answered twice in the export; keep one answer`);
      return false;
    };
    if (item.IsApplicable === false) {
      if (!question.notApplicable) {
        problem(`${at}/IsApplicable`, 'aws-not-applicable', `question ${question.id} cannot be answered not applicable in the rubric`);
        continue;
      }
      const reason =
        typeof item.Reason === 'string' ? (Object.hasOwn(REASONS, item.Reason) ? REASONS[item.Reason] : item.Reason) : undefined;
      const said = [reason !== undefined && `Not applicable in the Well-Architected Tool: ${reason}.`, note].filter(Boolean).join(' ');
      if (!firstAnswer()) continue;
      answers.push({ question: question.id, answer: NOT_APPLICABLE, ...(said !== '' && { note: said }) });
      continue;
    }
    const selected = Array.isArray(item.SelectedChoices) ? item.SelectedChoices : [];
    if (selected.length === 0 && item.Risk === 'UNANSWERED') continue;
    const titles = new Map(
      (Array.isArray(item.Choices) ? item.Choices : []).flatMap((c) =>
        isRaw(c) && typeof c.ChoiceId === 'string' && typeof c.Title === 'string' ? [[c.ChoiceId, c.Title] as const] : [],
      ),
    );
    const none = question.choices.find((c) => c.exclusive === true);
    const chosen: string[] = [];
    selected.forEach((choiceId, k) => {
      const choice = question.choices.find((c) => c.sourceId !== undefined && c.sourceId === choiceId);
      if (choice !== undefined) return chosen.push(choice.id);
      // The tool's own "None of these" has an id the lens does not carry.
      if (none !== undefined && /^none of these/i.test(titles.get(String(choiceId)) ?? '')) return chosen.push(none.id);
      return problem(
        `${at}/SelectedChoices/${k}`,
        'aws-unknown-choice',
        `${JSON.stringify(choiceId)} is not a choice of question ${question.id} (${questionId})`,
      );
    });
    if (chosen.length === 0 && none !== undefined && selected.length === 0) chosen.push(none.id);
    // The tool never keeps "None of these" with a practice; if an export does, the practices are the answer.
    const answer = chosen.length > 1 && none !== undefined ? chosen.filter((c) => c !== none.id) : chosen;
    if (answer.length === 0) continue;
    if (!firstAnswer()) continue;
    answers.push({ question: question.id, answer: [...new Set(answer)], ...(note !== undefined && { note }) });
    checkRisk(rubric, question, answer, item.Risk, notes);
  }
  return { answers, problems, notes };
}

/** Says so when the tool's risk and cnassess's level disagree: the lens was edited, or the rubric was. */
function checkRisk(rubric: Rubric, question: Question, chosen: readonly string[], risk: unknown, notes: string[]): void {
  const expected = typeof risk === 'string' && Object.hasOwn(RISK_LEVEL, risk) ? RISK_LEVEL[risk] : undefined;
  if (expected === undefined) return;
  const level = answerLevel(rubric, question, chosen);
  if (level !== expected)
    notes.push(
      `${question.id}: the Well-Architected Tool says ${String(risk)} risk, the rubric's rules give level ${level ?? '–'}: was the lens changed since the rubric was imported?`,
    );
}
