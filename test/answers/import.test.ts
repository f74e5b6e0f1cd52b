// Answers files through the built CLI: real files, real processes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cnassess, ROOT, tempDir } from '../support/cli.js';

const logLines = (store: string) => {
  try {
    return readFileSync(join(store, 'events.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

const VALID = `# alice's answers for Q4
assessment:
  org: Acme
  scope: platform
  period: 2026-Q4
respondent: alice
answers:
  app-deploy: pipeline
  orch-workloads:
    answer: most
    note: "payments still on VMs — https://wiki.example/PLAT-12"
  orch-workload-config: [health-checks, resources]
  orch-mesh: { answer: n/a, note: "one cluster, no mesh needed" }
  sls-usage: none
targets:
  orchestration: 4
  observability: Improve
`;

function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('cnassess import', () => {
  it('records every answer of a valid file, creating the assessment, and a re-import records nothing new', async () => {
    const dir = tempDir();
    const store = join(dir, 'store');
    const file = write(dir, 'answers.yaml', VALID);
    const first = await cnassess(['--store', store, 'import', file]);
    expect(first.stderr).toMatch(/recorded 5 answers/);
    expect(first.code).toBe(0);
    const after = logLines(store).length;

    const again = await cnassess(['--store', store, 'import', file]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/nothing new/);
    expect(logLines(store)).toHaveLength(after);

    const score = JSON.parse((await cnassess(['--store', store, 'score', '--json'])).stdout) as {
      aspects: { id: string; target: number | null }[];
    };
    expect(score.aspects.find((a) => a.id === 'observability')!.target).toBe(4);
  });

  it('reports every problem with its position and records nothing', async () => {
    const dir = tempDir();
    const store = join(dir, 'store');
    const file = write(
      dir,
      'bad.yaml',
      `assessment: { org: Acme, period: 2026-Q4 }
respondent: alice
answers:
  app-build: imagee
  no-such-question: yes
  orch-workloads: [most, all]
  app-deploy: n/a
  sls-deploy: pipeline
  app-dev-workflow: [none, local-run]
targets:
  orchestration: 9
`,
    );
    const r = await cnassess(['--store', store, 'import', file]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${file}:4:14: "imagee" is not a choice of "app-build".*\\(at /answers/app-build\\)$`)),
        expect.stringMatching(new RegExp(`^${file}:5:3: unknown question "no-such-question"`)),
        expect.stringMatching(new RegExp(`^${file}:6:19: "orch-workloads" takes exactly one choice`)),
        expect.stringMatching(new RegExp(`^${file}:7:15: question "app-deploy" must be answered`)),
        expect.stringMatching(new RegExp(`^${file}:8:15: "sls-deploy" is only asked when`)),
        expect.stringMatching(
          new RegExp(`^${file}:9:21: "none" \\(None of these\\) of "app-dev-workflow" cannot be given together with other choices`),
        ),
        expect.stringMatching(new RegExp(`^${file}:11:18: unknown level 9`)),
      ]),
    );
    expect(lines.at(-1)).toMatch(/7 problems .*nothing was recorded/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The rubric is registered only once a file is valid: nothing at all was written.
    expect(logLines(store)).toHaveLength(0);
  });

  it('reports schema problems at the offending key, with what was expected', async () => {
    const dir = tempDir();
    const file = write(dir, 'shape.yaml', `assessment: { org: Acme, period: Q4-2026 }\nrespondant: alice\nanswers: []\n`);
    const r = await cnassess(['--store', join(dir, 'store'), 'import', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `${file}:2:1: unknown key "respondant" at the top level; did you mean "respondent"\\? \\(expected one of: assessment, respondent, answers, targets\\)`,
      ),
    );
    expect(r.stderr).toMatch(new RegExp(`${file}:3:10: answers should be a mapping, found a list`));
  });

  it('refuses a YAML syntax error with its position', async () => {
    const dir = tempDir();
    const file = write(dir, 'syntax.yaml', `assessment: { org: Acme\nrespondent: alice\n`);
    const r = await cnassess(['--store', join(dir, 'store'), 'import', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${file}:\\d+:\\d+: YAML syntax error`, 'm'));
  });

  it('round-trips: export writes a file that import reads back as nothing new', async () => {
    const dir = tempDir();
    const store = join(dir, 'store');
    await cnassess(['--store', store, 'import', write(dir, 'answers.yaml', VALID)]);
    const exported = await cnassess(['--store', store, 'export']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('orch-workloads:');
    const before = logLines(store).length;
    const again = await cnassess(['--store', store, 'import', write(dir, 'exported.yaml', exported.stdout)]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/nothing new/);
    expect(logLines(store)).toHaveLength(before);
  });

  it("exports what a reader needs without the rubric: each answer's level and label, a schema an editor loads, and only own targets", async () => {
    const dir = tempDir();
    const store = join(dir, 'store');
    await cnassess(['--store', store, 'import', write(dir, 'answers.yaml', VALID)]);
    // bob sets a target of his own: it is not alice's to export.
    expect((await cnassess(['--store', store, 'target', 'runtime', '3'], { env: { CNASSESS_RESPONDENT: 'bob' } })).code).toBe(0);
    const out = await cnassess(['--store', store, 'export', '--respondent', 'alice']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^ {2}# 3 Scale: Each of the last 20 went through a CD pipeline[^\n]*\n {2}app-deploy: pipeline$/m);
    expect(out.stdout).toMatch(/^ {2}# not applicable\n {2}orch-mesh:$/m);
    expect(out.stdout).toMatch(/^ {2}# \d \w+: Health checks[^\n]*; [^\n]+\n {2}orch-workload-config:$/m);
    expect(out.stdout).toMatch(/^targets:\n {2}orchestration: 4 # Improve\n {2}observability: 4 # Improve$/m);
    expect(out.stdout).not.toContain('runtime');
    // The modeline names a schema file that exists: absolute on stdout, relative to the file with -o inside the project.
    const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(out.stdout)?.[1] ?? '';
    expect(readFileSync(schema, 'utf8')).toContain('"$schema"');
    // Inside the project that holds cnassess (here: this repository; for a team, its node_modules), relative to the file.
    const target = join('test-artifacts', 'export', `${basename(dir)}.yaml`);
    mkdirSync(join(ROOT, 'test-artifacts', 'export'), { recursive: true });
    const written = await cnassess(['--store', store, 'export', '--respondent', 'alice', '-o', target], { cwd: ROOT });
    expect(written.code, written.stderr).toBe(0);
    const file = readFileSync(join(ROOT, target), 'utf8');
    const relativeSchema = /^# yaml-language-server: \$schema=(.+)$/m.exec(file)?.[1] ?? '';
    expect(relativeSchema).toBe('../../rubric/answers.schema.json');
    expect(readFileSync(join(ROOT, 'test-artifacts', 'export', relativeSchema), 'utf8')).toBe(readFileSync(schema, 'utf8'));
  });
});
