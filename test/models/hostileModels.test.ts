// Odd and hostile model files (found in review): each gets a problem at its place or a note, never a crash, and every
// rubric the importers write validates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { awsAnswers } from '../../src/models/awsAnswers.js';
import { importAwsLens } from '../../src/models/awsLens.js';
import type { ModelImport } from '../../src/models/common.js';
import { importDsomm } from '../../src/models/dsomm.js';
import { parseRubric } from '../../src/rubric/parse.js';
import { ROOT } from '../support/cli.js';
import { importedRubric } from '../support/models.js';

const here = () => ({ line: 1, col: 1 });
const codes = (r: ModelImport) => r.problems.map((p) => p.code);
const validates = (r: ModelImport) => {
  expect(r.problems).toEqual([]);
  const parsed = parseRubric('out.yaml', Buffer.from(stringify(r.rubric), 'utf8'), { builtIn: false });
  expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return parsed.rubric!;
};

const lens = (questions: unknown[], pillarId = 'ops') => ({ name: 'Odd lens', pillars: [{ id: pillarId, name: 'Operations', questions }] });
const question = (extra: Record<string, unknown> = {}) => ({
  id: 'q1',
  title: 'A question',
  choices: [
    { id: 'a', title: 'A' },
    { id: 'b', title: 'B' },
  ],
  riskRules: [
    { condition: 'a && b', risk: 'NO_RISK' },
    { condition: 'default', risk: 'HIGH_RISK' },
  ],
  ...extra,
});

describe('an odd AWS lens', () => {
  it('refuses a risk that is a property of every object ("toString") as no risk at all', () => {
    expect(codes(importAwsLens(lens([question({ riskRules: [{ condition: 'default', risk: 'toString' }] })]), 'l.json', here))).toEqual([
      'lens-risk',
    ]);
  });

  it('refuses a default rule that is not the last, whose later rules could never hold', () => {
    const rules = [
      { condition: 'default', risk: 'HIGH_RISK' },
      { condition: 'a', risk: 'NO_RISK' },
    ];
    expect(codes(importAwsLens(lens([question({ riskRules: rules })]), 'l.json', here))).toEqual(['lens-condition']);
  });

  it('refuses a condition nested deeper than the format allows, without overflowing the stack', () => {
    const deep = `${'('.repeat(5000)}a${')'.repeat(5000)}`;
    const r = importAwsLens(
      lens([
        question({
          riskRules: [
            { condition: deep, risk: 'NO_RISK' },
            { condition: 'default', risk: 'HIGH_RISK' },
          ],
        }),
      ]),
      'l.json',
      here,
    );
    expect(r.problems[0]?.message).toMatch(/nests more than 15 deep/);
    expect(
      codes(
        importAwsLens(
          lens([
            question({
              riskRules: [
                { condition: `${'!'.repeat(30)}a`, risk: 'NO_RISK' },
                { condition: 'default', risk: 'HIGH_RISK' },
              ],
            }),
          ]),
          'l.json',
          here,
        ),
      ),
    ).toEqual(['lens-condition']);
  });

  it('refuses a choice or question id given twice, which would score one choice by another', () => {
    const twice = question({
      choices: [
        { id: 'a', title: 'A' },
        { id: 'a', title: 'A again' },
      ],
    });
    expect(codes(importAwsLens(lens([twice]), 'l.json', here))).toContain('lens-duplicate');
    expect(codes(importAwsLens(lens([question(), question()]), 'l.json', here))).toEqual(['lens-duplicate']);
  });

  it('writes ids within the 48-character limit, even when a prefix is needed, and summaries within theirs', () => {
    const longId = `1${'x'.repeat(60)}`;
    const rubric = validates(
      importAwsLens({ ...lens([question({ id: longId })], `2${'y'.repeat(60)}`), name: 'n'.repeat(2100) }, 'l.json', here),
    );
    for (const id of [rubric.aspects[0]!.id, rubric.aspects[0]!.questions[0]!.id]) expect(id.length).toBeLessThanOrEqual(48);
  });
});

describe('an odd DSOMM model', () => {
  const model = (activities: Record<string, unknown>) => ({ Dimension: { Sub: activities } });
  it('leaves out a dependency on itself or one that closes a circle, and says so; the rubric validates', () => {
    const r = importDsomm(
      model({
        First: { uuid: 'u1', level: 1, dependsOn: ['u1', 'u2'] },
        Second: { uuid: 'u2', level: 2, dependsOn: ['u1'] },
      }),
      'model.yaml',
      here,
    );
    const rubric = validates(r);
    expect(r.notes.join(' ')).toMatch(/1 dependencies would have made steps require each other in a circle/);
    const requires = rubric.aspects[0]!.recommendations.map((s) => [s.id, s.requires]);
    expect(requires).toEqual([
      ['do-first', ['do-second']],
      ['do-second', []],
    ]);
  });

  it('refuses two activities with one uuid', () => {
    expect(codes(importDsomm(model({ First: { uuid: 'u1', level: 1 }, Second: { uuid: 'u1', level: 2 } }), 'model.yaml', here))).toEqual([
      'dsomm-duplicate',
    ]);
  });
});

describe('an odd answers export', () => {
  const rubric = importedRubric('aws-lens');
  const summary = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'models', 'aws-wa-answers.json'), 'utf8')) as {
    AnswerSummaries: Record<string, unknown>[];
  };
  const first = summary.AnswerSummaries[0]!;

  it('refuses a question answered twice, and reads a practice with "None of these" as the practice', () => {
    expect(codes(awsAnswers({ AnswerSummaries: [first, first] }, 'a.json', here, rubric))).toEqual(['aws-twice']);
    const both = { ...first, SelectedChoices: ['architecture_diagram', 'architecture_architecture_diagram_no'], Risk: 'MEDIUM' };
    const read = awsAnswers({ AnswerSummaries: [both] }, 'a.json', here, rubric);
    expect(read.answers.map((a) => a.answer)).toEqual([['architecture-diagram']]);
  });

  it('keeps a reason that is a property of every object ("toString") as the text it is', () => {
    const na = { ...summary.AnswerSummaries[3]!, Reason: 'toString' };
    expect(awsAnswers({ AnswerSummaries: [na] }, 'a.json', here, rubric).answers[0]?.note).toBe(
      'Not applicable in the Well-Architected Tool: toString.',
    );
  });
});
