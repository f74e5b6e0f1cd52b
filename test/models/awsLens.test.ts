// The AWS Well-Architected lens importer on a real public lens (test/fixtures/models): the rubric it writes validates,
// and scores every answer as the Well-Architected Tool does — each question's risk from the lens's own risk rules.
import fc from 'fast-check';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { answerLevel } from '../../src/assessment/scoring.js';
import { importAwsLens, parseRiskCondition } from '../../src/models/awsLens.js';
import { parseRubric } from '../../src/rubric/parse.js';
import type { Rubric } from '../../src/rubric/types.js';
import { parseYamlSource } from '../../src/source/yamlSource.js';
import { riskOf } from '../support/awsRiskRules.js';
import { cnassess, ROOT, tempDir } from '../support/cli.js';

const LENS_FILE = join(ROOT, 'test', 'fixtures', 'models', 'aws-orr-lens.json');
const LENS_TEXT = readFileSync(LENS_FILE, 'utf8');

interface Lens {
  pillars: {
    id: string;
    name: string;
    questions: { id: string; choices: { id: string }[]; riskRules: { condition: string; risk: string }[] }[];
  }[];
}
const lens = JSON.parse(LENS_TEXT) as Lens;
const LEVEL_OF_RISK: Record<string, number> = { HIGH_RISK: 1, MEDIUM_RISK: 2, NO_RISK: 3 };

async function imported(): Promise<Rubric> {
  const dir = tempDir();
  const out = join(dir, 'lens.yaml');
  const r = await cnassess(['rubric', 'import', '--from', 'aws-lens', LENS_FILE, '-o', out]);
  expect(r.code, r.stderr).toBe(0);
  const parsed = parseRubric(out, readFileSync(out), { builtIn: false });
  expect(parsed.problems).toEqual([]);
  return parsed.rubric!;
}

describe('importing an AWS Well-Architected lens', () => {
  it('writes a rubric that validates, with the lens’s pillars, questions and ids, and says what it invented', async () => {
    const dir = tempDir();
    const r = await cnassess(['rubric', 'import', '--from', 'aws-lens', LENS_FILE, '-o', join(dir, 'lens.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/cnassess: .*None of these/);
    expect(r.stderr).toMatch(/cnassess levels a pillar by its worst question/);
    expect(r.stderr).toMatch(/wrote .*lens\.yaml: AWS Operational Readiness Review Whitepaper Sample \(3 pillars, 16 questions\)/);
    const rubric = await imported();
    expect(rubric).toMatchObject({ multiChoice: 'rules', aspectRule: 'worst', nouns: { aspect: 'pillar', aspects: 'pillars' } });
    expect(rubric.aspects.map((a) => a.sourceId)).toEqual(lens.pillars.map((p) => p.id));
    expect(rubric.aspects.flatMap((a) => a.questions.map((q) => q.sourceId))).toEqual(
      lens.pillars.flatMap((p) => p.questions.map((q) => q.id)),
    );
    for (const [p, pillar] of lens.pillars.entries())
      for (const [q, question] of pillar.questions.entries())
        expect(rubric.aspects[p]!.questions[q]!.choices.flatMap((c) => (c.sourceId === undefined ? [] : [c.sourceId]))).toEqual(
          question.choices.map((c) => c.id),
        );
  });

  it('gives every answer the risk the lens’s own rules give it, for random answers to every question', async () => {
    const rubric = await imported();
    const questions = rubric.aspects.flatMap((a) => a.questions);
    for (const [i, source] of lens.pillars.flatMap((p) => p.questions).entries()) {
      const question = questions[i]!;
      const idOf = new Map(question.choices.map((c) => [c.sourceId, c.id]));
      fc.assert(
        fc.property(fc.subarray(source.choices.map((c) => c.id)), (selected) => {
          // Selecting nothing in the tool is answering "None of these" here.
          const chosen =
            selected.length === 0 ? [question.choices.find((c) => c.exclusive === true)!.id] : selected.map((s) => idOf.get(s)!);
          expect(answerLevel(rubric, question, chosen), `${source.id}: ${selected.join(', ') || 'none'}`).toBe(
            LEVEL_OF_RISK[riskOf(source.riskRules, new Set(selected))],
          );
        }),
        { numRuns: 64, seed: 20261203 },
      );
    }
  });

  it('scores the lens’s own examples by hand: the architecture diagram question', async () => {
    const rubric = await imported();
    const q = rubric.aspects[0]!.questions[0]!;
    expect(q.sourceId).toBe('architecture_architecture_diagram');
    expect(answerLevel(rubric, q, ['architecture-diagram', 'data-flow-diagram'])).toBe(3); // NO_RISK: both diagrams
    expect(answerLevel(rubric, q, ['data-flow-diagram'])).toBe(2); // MEDIUM_RISK: one of them
    expect(answerLevel(rubric, q, ['none'])).toBe(1); // HIGH_RISK: default
  });

  it('assesses with the imported lens end to end: a pillar with one high risk is at High risk', async () => {
    const dir = tempDir();
    const rubricFile = join(dir, 'lens.yaml');
    expect((await cnassess(['rubric', 'import', '--from', 'aws-lens', LENS_FILE, '-o', rubricFile])).code).toBe(0);
    const run = (...args: string[]) => cnassess(['--store', join(dir, 'store'), ...args], { cwd: dir });
    expect((await run('start', '--org', 'Acme', '--scope', 'payments', '--period', '2026-Q4', '--rubric', 'lens.yaml')).code).toBe(0);
    expect((await run('answer', 'architecture-architecture-diagram', 'architecture-diagram,data-flow-diagram')).code).toBe(0);
    expect((await run('answer', 'architecture-api-matrix', 'none')).code).toBe(0);
    const both = await run('answer', 'architecture-api-matrix', 'none,table-provided');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/cannot be given together with other choices/); // "None of these" stands on its own
    const score = JSON.parse((await run('score', '--json')).stdout) as { aspects: { id: string; level: number | null }[] };
    expect(score.aspects[0]).toMatchObject({ id: 'architecture', level: 1 });
  });
});

describe('a broken lens', () => {
  const importText = async (text: string) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lens.json'), text);
    return { ...(await cnassess(['rubric', 'import', '--from', 'aws-lens', 'lens.json', '-o', 'out.yaml'], { cwd: dir })), dir };
  };

  it('gets every problem at its line and column, and nothing is written', async () => {
    const broken = LENS_TEXT.replace(
      '"condition": "data_flow_diagram && architecture_diagram"',
      '"condition": "data_flow_diagram && architecture_diagrm"',
    ).replace('"risk": "MEDIUM_RISK"', '"risk": "SOME_RISK"');
    const r = await importText(broken);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(
      /^lens\.json:\d+:\d+: the condition "data_flow_diagram && architecture_diagrm" names "architecture_diagrm", which is not a choice/,
    );
    expect(lines[1]).toMatch(/^lens\.json:\d+:\d+: "SOME_RISK" is not a risk \(expected HIGH_RISK, MEDIUM_RISK or NO_RISK\)/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('refuses a lens that reads but would make a rubric that does not validate, naming why there, and writes nothing', async () => {
    // 31 pillars: a rubric holds at most 30 aspects. The lens itself is well formed; the rubric it would make is not.
    const pillar = lens.pillars[0]!;
    const pillars = Array.from({ length: 31 }, (_, i) => ({
      ...pillar,
      id: `${pillar.id}_${i}`,
      name: `${pillar.name} ${i}`,
      questions: pillar.questions.map((q) => ({ ...q, id: `${q.id}_${i}` })),
    }));
    const r = await importText(JSON.stringify({ ...lens, pillars }, null, 2));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^out\.yaml:\d+:\d+: aspects has more than 30 items \(at \/aspects\)$/),
      'cnassess cannot turn lens.json into a rubric that validates (the reasons above, in the rubric it would write); nothing was written',
    ]);
    expect(existsSync(join(r.dir, 'out.yaml'))).toBe(false);
  });

  it('refuses what JSON does not allow, such as NaN, at its place', async () => {
    const r = await importText('{\n  "name": "x",\n  "pillars": NaN\n}\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^lens\.json:3:14: /);
  });

  it('asks which model a file is, and says which it knows', async () => {
    const r = await cnassess(['rubric', 'import', LENS_FILE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rubric import needs --from, one of: aws-lens/);
  });
});

describe('risk rule conditions', () => {
  const ids = new Map(['a', 'b', 'c'].map((x) => [x, `c-${x}`]));
  it('read && before ||, ! and parentheses, as the tool does', () => {
    expect(parseRiskCondition('a && b || !c', ids)).toEqual({ condition: { any: [{ all: ['c-a', 'c-b'] }, { none: ['c-c'] }] } });
    expect(parseRiskCondition('a && (b || c)', ids)).toEqual({ condition: { all: ['c-a', { any: ['c-b', 'c-c'] }] } });
  });
  it('say what is wrong with a condition that is not one', () => {
    for (const [text, why] of [
      ['a &&', /ends where a choice id was expected/],
      ['(a || b', /"\(" that is never closed/],
      ['a b', /has "b" after a complete condition/],
      ['a & b', /characters a risk rule cannot have/],
    ] as const) {
      const parsed = parseRiskCondition(text, ids);
      expect('error' in parsed && parsed.error, text).toMatch(why);
    }
  });
});

// The parsed source keeps positions for every pointer the importer reports.
it('locates a pointer of the lens file', () => {
  const source = parseYamlSource('lens.json', Buffer.from(LENS_TEXT), { json: true });
  const result = importAwsLens(source.value, 'lens.json', (p) => source.locate(p));
  expect(result.problems).toEqual([]);
  expect(source.locate('/pillars/1/questions/0').line).toBeGreaterThan(source.locate('/pillars/0').line);
});

describe('answers exported from the Well-Architected Tool', () => {
  const ANSWERS = join(ROOT, 'test', 'fixtures', 'models', 'aws-wa-answers.json');

  async function lensAssessment() {
    const dir = tempDir();
    expect((await cnassess(['rubric', 'import', '--from', 'aws-lens', LENS_FILE, '-o', join(dir, 'lens.yaml')])).code).toBe(0);
    const run = (...args: string[]) => cnassess(['--store', join(dir, 'store'), ...args], { cwd: dir });
    expect((await run('start', '--org', 'Acme', '--scope', 'payments', '--period', '2026-Q4', '--rubric', 'lens.yaml')).code).toBe(0);
    return { dir, run };
  }

  it('import by source id: selected choices, "None of these", not applicable with its reason, notes; the level is the tool’s risk', async () => {
    const { run } = await lensAssessment();
    const r = await run('import', '--from', 'aws-wa', ANSWERS, '--respondent', 'alice');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/recorded 3 answers of the Well-Architected Tool from .* into acme\/payments\/2026-q4 as alice/);
    expect(r.stderr).not.toMatch(/the Well-Architected Tool says/); // every level agrees with the exported risk
    const history = JSON.parse((await run('history', '--json')).stdout) as {
      events: { type: string; data: { question?: string; answer?: unknown; note?: string } }[];
    };
    const answers = history.events.filter((e) => e.type === 'AnswerRecorded').map((e) => [e.data.question, e.data.answer, e.data.note]);
    expect(answers).toEqual([
      ['architecture-architecture-diagram', ['architecture-diagram', 'data-flow-diagram'], 'Diagrams in the wiki, reviewed 2026-10'],
      ['architecture-api-matrix', ['none'], undefined],
      ['releases-deployment-rollback', 'n/a', 'Not applicable in the Well-Architected Tool: out of scope.'],
    ]);
    const score = JSON.parse((await run('score', '--json')).stdout) as {
      aspects: { id: string; rule: string; level: number; holdingBack: { question: string; level: number }[] }[];
    };
    // The pillar is at its worst answer, api-matrix's HIGH risk; the diagrams (NONE) do not hold it back.
    expect(score.aspects[0]).toMatchObject({ id: 'architecture', rule: 'worst', level: 1 });
    expect(score.aspects[0]?.holdingBack.map((h) => [h.question, h.level])).toEqual([['architecture-api-matrix', 1]]);
  });

  it('says where the tool’s risk and the rubric’s level disagree, and refuses an answer to a question the rubric does not have', async () => {
    const { dir, run } = await lensAssessment();
    const text = readFileSync(ANSWERS, 'utf8');
    writeFileSync(join(dir, 'changed.json'), text.replace('"Risk": "HIGH"', '"Risk": "MEDIUM"'));
    const changed = await run('import', '--from', 'aws-wa', 'changed.json');
    expect(changed.code).toBe(0);
    expect(changed.stderr).toMatch(/architecture-api-matrix: the Well-Architected Tool says MEDIUM risk, the rubric's rules give level 1/);

    writeFileSync(join(dir, 'foreign.json'), text.replace('"QuestionId": "architecture_failure_models"', '"QuestionId": "ops_priorities"'));
    const foreign = await run('import', '--from', 'aws-wa', 'foreign.json');
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/^foreign\.json:\d+:\d+: question "ops_priorities" is not in the rubric/);
  });

  it('refuses an export that is not JSON, and a source it does not read, recording nothing', async () => {
    const { dir, run } = await lensAssessment();
    const before = (await run('history')).stdout;
    writeFileSync(join(dir, 'broken.json'), '{ "AnswerSummaries": [ { "QuestionId": NaN } ] }');
    const broken = await run('import', '--from', 'aws-wa', 'broken.json');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^broken\.json:1:\d+: /);
    expect(broken.stderr).toMatch(/broken\.json is not a JSON file cnassess can read; nothing was recorded/);
    const other = await run('import', '--from', 'jira', ANSWERS);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/import --from: cnassess reads aws-wa \(the Well-Architected Tool's answers\), not "jira"/);
    expect((await run('history')).stdout).toBe(before);
  });
});

describe('the views of two quarters with an imported lens', () => {
  it('say pillar, not aspect: diff (text, Markdown, HTML) and trend', async () => {
    const dir = tempDir();
    expect((await cnassess(['rubric', 'import', '--from', 'aws-lens', LENS_FILE, '-o', join(dir, 'lens.yaml')])).code).toBe(0);
    const run = (...args: string[]) => cnassess(['--store', join(dir, 'store'), ...args], { cwd: dir });
    expect((await run('start', '--org', 'Acme', '--period', '2026-Q3', '--rubric', 'lens.yaml')).code).toBe(0);
    expect((await run('answer', 'architecture-api-matrix', 'none')).code).toBe(0);
    expect((await run('complete')).code).toBe(0);
    expect((await run('start', '--org', 'Acme', '--period', '2026-Q4', '--from', '2026-Q3')).code).toBe(0);
    expect((await run('answer', 'architecture-api-matrix', 'table-provided')).code).toBe(0);
    const text = (await run('diff')).stdout;
    expect(text).toMatch(/^\s*pillar\s+level/m);
    expect(text).not.toMatch(/\baspect\b/);
    expect((await run('diff', '--format', 'md')).stdout).toMatch(/^\| \| Pillar \| Level \| Score \| Answered \|$/m);
    expect((await run('diff', '--format', 'html')).stdout).toContain('<th scope="col">Pillar</th>');
    expect((await run('trend')).stdout).toMatch(/^\s*pillar\b/m);
  });
});

describe('other public lenses', () => {
  it('write a lens version as a semantic version: "1.02" is 1.2.0, and the importer says so', () => {
    const lens = JSON.parse(LENS_TEXT) as Record<string, unknown>;
    const result = importAwsLens({ ...lens, _version: '1.02' }, 'lens.json', () => ({ line: 1, col: 1 }));
    expect(result.rubric).toMatchObject({ version: '1.2.0' });
    expect(result.notes).toContain("the lens's version 1.02 is written 1.2.0 as a semantic version");
    expect(importAwsLens({ ...lens, _version: '2.1' }, 'lens.json', () => ({ line: 1, col: 1 })).rubric).toMatchObject({
      version: '2.1.0',
    });
  });
});

describe('a lens file with a hostile name', () => {
  it('cannot add keys to the rubric through the comment that names it', async () => {
    const dir = tempDir();
    const name = 'lens\nid: evil\n.json';
    writeFileSync(join(dir, name), LENS_TEXT);
    const r = await cnassess(['rubric', 'import', '--from', 'aws-lens', name], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('from lens?id: evil?.json.');
    expect((parse(r.stdout) as { id: string }).id).not.toBe('evil');
  });
});
