// Hostile strings for every place the report shows user text, and a rubric made of them.

import type { AssessmentEvent } from '../../../src/assessment/events.js';
import { buildReportModel, relatedAssessments, type ReportModel } from '../../../src/views/report/model.js';
import type { Rubric } from '../../../src/rubric/types.js';
import { assessment } from './fixtures.js';

export const HOSTILE = {
  script: '<script>alert(1)</script>',
  attribute: '" onmouseover="alert(1)',
  singleQuoteAttribute: "' onfocus='window.__pwned=1' autofocus x='",
  javascriptLink: 'javascript:alert(1)',
  image: '<img src=x onerror="window.__pwned=1">',
  closeSvg: '</svg><script>window.__pwned=1</script>',
  closeStyle: '</style><script>window.__pwned=1</script>',
  closeTitle: '</title><script>window.__pwned=1</script>',
  template: '{{constructor}} {{{constructor.constructor "alert(1)"}}}',
  markdown: '[click](javascript:alert(1)) ![x](https://evil.example/x.png) <b>bold</b> | cell | `code` # heading',
  controls: 'bell\u0007 escape\u001b[31m nul\u0000 end',
  newline: 'line one\n# heading\n- list',
} as const;

export const HOSTILE_NOTE = `${HOSTILE.script} see javascript:alert(1) and JAVASCRIPT://x and data:text/html,<b>x</b> and https://ok.example/path?q="><script>alert(1)</script> ${HOSTILE.closeSvg}`;

const all = Object.values(HOSTILE);
const pick = (i: number) => all[i % all.length]!;

/** A valid rubric (as the loader would produce it) whose every free-text string is hostile; its aspects' ids start with "one". */
export function hostileRubric(aspectIds: readonly string[] = ['one', 'two', 'three']): Rubric {
  let n = 0;
  const text = () => pick(n++);
  return {
    id: 'hostile',
    version: '1.0.0',
    title: text(),
    description: text(),
    levels: [1, 2, 3, 4, 5].map((level) => ({ level, name: `${level}${text()}`, summary: text() })),
    aspects: aspectIds.map((id) => ({
      id,
      title: text(),
      summary: text(),
      weight: 1,
      questions: [1, 2, 3].map((q) => ({
        id: `${id}-q${q}`,
        text: text(),
        help: text(),
        type: 'single' as const,
        weight: 1,
        gate: q === 1,
        notApplicable: true,
        choices: [1, 2, 3, 4, 5].map((level) => ({ id: `c${level}`, label: text(), level })),
      })),
      recommendations: [2, 3, 4, 5].map((level) => ({
        id: `${id}-r${level}`,
        title: text(),
        why: text(),
        level,
        effort: 'M' as const,
        impact: 'high' as const,
        requires: level > 2 ? [`${id}-r${level - 1}`] : id === 'two' ? ['one-r3'] : [],
        // The schema allows only http(s) link urls; the second one is what a hand-edited log could hold.
        links: [
          { title: text(), url: 'https://example.com/?q="><script>alert(1)</script>' },
          { title: text(), url: 'javascript:alert(1)' },
        ],
      })),
    })),
  };
}

/** A report of the hostile rubric, by hostile respondents of a hostile org, with hostile notes and a previous period. */
export function hostileModel(): ReportModel {
  const r = hostileRubric();
  const answers = r.aspects.flatMap((a, i) =>
    a.questions.flatMap((q, j) => [
      { question: q.id, answer: [`c${1 + ((i + j) % 5)}`], respondent: Object.values(HOSTILE)[j]!, note: HOSTILE_NOTE },
      { question: q.id, answer: [`c${5 - ((i + j) % 2)}`], respondent: HOSTILE.closeStyle },
    ]),
  );
  const previous = assessment(r, {
    org: HOSTILE.script,
    scope: HOSTILE.attribute,
    period: '2026-Q3',
    answers: answers.map((a) => ({ ...a, answer: ['c1'] })),
  });
  // Step statuses with hostile owners and notes: one in the roadmap and overdue, one done, one given up.
  const recs = r.aspects.flatMap((a) => a.recommendations.map((x) => x.id));
  const events = recs.slice(0, 3).map((step, i): AssessmentEvent => ({
    type: 'StepStatusSet',
    data: {
      step,
      status: (['in-progress', 'done', 'wont-do'] as const)[i]!,
      owner: HOSTILE.attribute,
      note: HOSTILE_NOTE,
      due: '2026-01-31',
    },
  }));
  const current = assessment(r, { org: HOSTILE.script, scope: HOSTILE.attribute, period: '2026-Q4', firstSeq: 500, answers, events });
  const all = [previous, current].map((state) => ({ state, rubric: r }));
  return buildReportModel({
    state: current,
    rubric: r,
    ...relatedAssessments(all, current),
    generatedAt: '2026-10-02T08:00:00.000Z',
    asOf: HOSTILE.closeTitle,
  });
}
