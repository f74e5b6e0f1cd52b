// Who answered: each respondent's progress, in words, and the one sentence the summary says of them.

import { respondentProgress } from '../../assessment/respondents.js';
import type { AssessmentState } from '../../assessment/state.js';
import type { Rubric } from '../../rubric/types.js';
import { list, plural } from '../../text.js';
import type { ReportModel } from './types.js';
import { MANY_RESPONDENTS } from './words.js';

export function respondentsSection(rubric: Rubric, state: AssessmentState): ReportModel['respondents'] {
  const progress = respondentProgress(rubric, state);
  const rows = progress.map((p) => ({
    respondent: p.respondent,
    invited: p.invited,
    invitedText: p.invited ? 'invited' : 'not invited',
    answeredText: `${p.answered} of ${p.applicable}`,
    carriedText: p.carried === 0 ? '–' : `${p.carried} not confirmed`,
    lastText: p.lastAnswerAt === null ? 'no answer yet' : p.lastAnswerAt.slice(0, 10),
    done: p.answered >= p.applicable && p.carried === 0,
  }));
  const expected = rows.filter((r) => r.invited);
  const uninvited = rows.filter((r) => !r.invited).map((r) => r.respondent);
  let text: string;
  if (expected.length > 0) {
    const unfinished = expected.filter((r) => !r.done);
    text =
      `${plural(expected.length, 'respondent was', 'respondents were')} expected` +
      (unfinished.length === 0
        ? ', and all of them have answered every question.'
        : `: ${expected.length - unfinished.length} done; still answering: ${list(
            unfinished.map((r) => `${r.respondent} (${r.answeredText}${r.carriedText === '–' ? '' : `, ${r.carriedText} carried`})`),
          )}.`) +
      (uninvited.length > 0 ? ` ${list(uninvited)} answered without being invited.` : '');
  } else {
    text = rows.length === 0 ? 'Nobody has answered yet.' : `Answers came from ${plural(rows.length, 'respondent')}.`;
  }
  return { show: rows.length > 1 || expected.length > 0, many: rows.length > MANY_RESPONDENTS, text, rows };
}
