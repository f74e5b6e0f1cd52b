// Every example a newcomer copies — each command line in the README's code blocks and in every `--help` — runs as
// written, in a folder that holds what the example names (a demo store, an answers file, a rubric to compare). The
// README's sample outputs are what the commands print on the demo data, line for line (a "…" line stands for lines
// left out).

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnassess, ROOT, tempDir, type Run } from '../support/cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const BUILT_IN = readFileSync(join(ROOT, 'rubric', 'cloud-native.yaml'), 'utf8');
/** When the examples run: in 2026-Q4, after the prepared quarters. */
const NOW = new Date('2026-11-20T10:00:00Z');

const ANSWERS = (period: string) => `assessment: { org: Acme, scope: platform, period: ${period} }
respondent: alice
answers:
  app-deploy: pipeline
  orch-workloads: { answer: most, note: "payments still on VMs" }
  obs-metrics: golden
targets:
  observability: Improve
`;

/** Shell words of a command line: quotes kept together, a trailing `# comment` dropped. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(#.*$)|(\S+)/g)) {
    if (m[3] !== undefined) break;
    out.push(m[1] ?? m[2] ?? m[4] ?? '');
  }
  return out;
}

interface Step {
  readonly argv: readonly string[];
  /** How the step is joined to the one before: always, only after success (&&), only after failure (||). */
  readonly after: 'always' | '&&' | '||';
  readonly redirect?: string;
  readonly pipe?: string;
}

function steps(line: string): Step[] {
  const result: Step[] = [];
  let argv: string[] = [];
  let after: Step['after'] = 'always';
  let redirect: string | undefined;
  let pipe: string | undefined;
  const w = words(line);
  const flush = (next: Step['after']) => {
    if (argv.length > 0) result.push({ argv, after, ...(redirect !== undefined && { redirect }), ...(pipe !== undefined && { pipe }) });
    [argv, after, redirect, pipe] = [[], next, undefined, undefined];
  };
  for (let i = 0; i < w.length; i++) {
    const word = w[i] ?? '';
    if (word === '&&' || word === '||') flush(word);
    else if (word === '>') redirect = w[++i];
    else if (word === '|') {
      pipe = w.slice(i + 1).join(' ');
      break;
    } else argv.push(word);
  }
  flush('always');
  return result;
}

/** The folders examples run in, each prepared once and copied for every example. */
const folders = { empty: '', demo: '', base: '', open: '' };

async function prepared(dir: string, ...commands: { argv: string[]; now: string }[]): Promise<void> {
  for (const c of commands) {
    const r = await cnassess(c.argv, { cwd: dir, now: new Date(c.now), env: { CNASSESS_RESPONDENT: 'alice' } });
    expect(r.code, `${c.argv.join(' ')}: ${r.stderr}`).toBe(0);
  }
}

function git(dir: string, ...args: string[]): void {
  const r = spawnSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

beforeAll(async () => {
  folders.empty = tempDir('cnassess-examples-empty-');
  // The files the examples name.
  folders.demo = tempDir('cnassess-examples-demo-');
  mkdirSync(join(folders.demo, 'answers'));
  writeFileSync(join(folders.demo, 'answers', 'alice.yaml'), ANSWERS('2026-Q4'));
  writeFileSync(join(folders.demo, 'answers', 'alice-2026-Q4.yaml'), ANSWERS('2026-Q4'));
  for (const name of ['cloud-native.yaml', 'rubric-2026.yaml']) writeFileSync(join(folders.demo, name), BUILT_IN);
  // Another model's file, as `rubric import` examples read it: the public AWS Operational Readiness Review lens.
  cpSync(join(ROOT, 'test', 'fixtures', 'models', 'aws-orr-lens.json'), join(folders.demo, 'lens.json'));
  cpSync(join(ROOT, 'test', 'fixtures', 'models', 'pemm-questions-en.yaml'), join(folders.demo, 'questions-en.yaml'));
  cpSync(join(ROOT, 'test', 'fixtures', 'models', 'dsomm-model.yaml'), join(folders.demo, 'model.yaml'));
  cpSync(join(ROOT, 'test', 'fixtures', 'models', 'aws-wa-answers.json'), join(folders.demo, 'wa-answers.json'));
  // A company's edit of the built-in rubric, as `rubric diff` and `rubric validate` examples review it.
  const edited = BUILT_IN.replace(/^version: 2\.0\.0$/m, 'version: 2.1.0')
    .replace(/(- id: obs-cost\n(?: {8}.*\n)*? {8}weight: )1/, '$12')
    .replaceAll('obs-chaos', 'obs-drills')
    .replace('      - id: obs-drills\n', '      - id: obs-drills\n        replaces: obs-chaos\n');
  expect(edited).not.toBe(BUILT_IN);
  writeFileSync(join(folders.demo, 'my-rubric.yaml'), edited);
  mkdirSync(join(folders.demo, 'our-templates', 'partials'), { recursive: true });
  writeFileSync(
    join(folders.demo, 'our-templates', 'partials', 'cover.hbs'),
    '<header><h1>Acme Platform Review: {{assessment.org}}</h1></header>',
  );
  await prepared(folders.demo, { argv: ['demo'], now: '2026-11-20T09:00:00Z' });

  // The demo, and Acme's platform answered and completed last quarter: what a team has before a quarterly re-run.
  folders.base = tempDir('cnassess-examples-base-');
  cpSync(folders.demo, folders.base, { recursive: true });
  writeFileSync(join(folders.base, 'q3.yaml'), ANSWERS('2026-Q3'));
  await prepared(
    folders.base,
    // The demo leaves one scope's quarter unfinished (the organisation view shows it); finish it here, so that, as on
    // a team's own store, the quarter being answered is the one unfinished assessment.
    { argv: ['complete', 'kestrel-freight/data/2026-q4'], now: '2026-08-01T09:00:00Z' },
    { argv: ['import', 'q3.yaml'], now: '2026-08-12T09:00:00Z' },
    { argv: ['complete'], now: '2026-09-20T09:00:00Z' },
  );
  git(folders.base, 'init', '-q');
  git(folders.base, 'add', '.cnassess');
  git(folders.base, 'commit', '-q', '-m', 'the log');
  git(folders.base, 'update-ref', 'refs/remotes/origin/main', 'HEAD');

  // And this quarter under way: Acme's 2026-Q4 started from Q3, one answer changed.
  folders.open = tempDir('cnassess-examples-open-');
  cpSync(folders.base, folders.open, { recursive: true });
  await prepared(
    folders.open,
    { argv: ['start', '--org', 'Acme', '--scope', 'platform', '--period', '2026-Q4', '--from', '2026-Q3'], now: '2026-10-01T08:00:00Z' },
    { argv: ['answer', 'app-deploy', 'gitops', '--note', 'Argo CD since October'], now: '2026-10-06T09:00:00Z' },
  );
  // What git hands the merge driver: the ancestor's, our and their log (here the same, so the merge adds nothing).
  for (const name of ['base.jsonl', 'ours.jsonl', 'theirs.jsonl'])
    cpSync(join(folders.open, '.cnassess', 'events.jsonl'), join(folders.open, name));
}, 120_000);

/**
 * Where an example runs: a fresh copy of the folder it needs — its store and git repository, and of the other files
 * only those the example names (copying all of them, 4 MB, for each of 70 examples was a sixth of this file's time).
 * An example that needs a file it does not name fails here, as it would for a reader.
 */
function folderFor(lines: readonly string[]): string {
  const text = lines.join('\n');
  const source = / demo\b/.test(text) ? folders.empty : /\bstart\b/.test(text) ? folders.base : folders.open;
  const dir = tempDir('cnassess-example-');
  const named = (path: string) => {
    const top = relative(source, path).split(sep)[0] ?? '';
    return top === '' || top === '.cnassess' || top === '.git' || text.includes(top);
  };
  cpSync(source, dir, { recursive: true, filter: named });
  return dir;
}

/** Runs a command line as a shell would, with cnassess in-process; returns each cnassess run. */
async function runLine(line: string, dir: string): Promise<{ argv: readonly string[]; run: Run; step: Step }[]> {
  const runs: { argv: readonly string[]; run: Run; step: Step }[] = [];
  let ok = true;
  for (const step of steps(line)) {
    if ((step.after === '&&' && !ok) || (step.after === '||' && ok)) continue;
    const [program, ...rest] = step.argv;
    const args = program === 'npx' ? rest.slice(1) : rest;
    const command = program === 'npx' ? rest[0] : program;
    if (command === 'cnassess') {
      const run = await cnassess(args, { cwd: dir, now: NOW, env: { CNASSESS_RESPONDENT: 'alice' } });
      if (step.redirect !== undefined) writeFileSync(join(dir, step.redirect), run.stdout);
      runs.push({ argv: args, run, step });
      ok = run.code === 0;
    } else if (command === 'git') {
      git(dir, ...args);
      ok = true;
    } else if (command === 'npm' || command === 'echo') {
      ok = true; // installing is the README's business; echo only speaks
    } else {
      throw new Error(`an example runs ${String(command)}, which this test does not know: ${line}`);
    }
  }
  return runs;
}

/** The command lines of the README's shell blocks, block by block. */
/** Examples on a PostgreSQL store run in the PostgreSQL store's tests, against a server of their own. */
function needsPostgres(line: string): boolean {
  return line.includes('postgres://');
}

function readmeBlocks(): string[][] {
  return [...README.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => (m[1] ?? '').split('\n').filter((l) => /^(npm ci && )?(npx )?cnassess\b/.test(l.trim()) && !needsPostgres(l)))
    .filter((lines) => lines.length > 0);
}

/** Every command's help, from the command list in `--help` (and `rubric --help`), with the examples each gives. */
async function helpExamples(): Promise<{ command: string; examples: string[] }[]> {
  const listed = async (args: string[]) =>
    [...(await cnassess([...args, '--help'])).stdout.matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((m) => m[1] ?? '').filter((c) => c !== 'help');
  const groups = ['rubric', 'store'];
  const commands = ['', ...(await listed([])).filter((c) => !groups.includes(c))];
  for (const group of groups) commands.push(...(await listed([group])).map((c) => `${group} ${c}`));
  const result: { command: string; examples: string[] }[] = [];
  for (const command of commands) {
    const help = (await cnassess([...command.split(' ').filter(Boolean), '--help'])).stdout;
    const section = /^Examples?:\n((?: {2}.*\n?)+)/m.exec(help)?.[1] ?? '';
    const examples = section
      .split('\n')
      .map((line) => line.trim().split(/ {2,}/)[0] ?? '')
      .filter((example) => example.startsWith('cnassess ') && !example.includes('<command>') && !needsPostgres(example));
    result.push({ command, examples });
  }
  return result;
}

function expectRan(line: string, runs: Awaited<ReturnType<typeof runLine>>): void {
  expect(runs.length, line).toBeGreaterThan(0);
  for (const { argv, run, step } of runs) {
    const what = `${line}\n  → cnassess ${argv.join(' ')}: exit ${String(run.code)}\n${run.stderr}`;
    if (argv[0] === 'assess' || argv[0] === 'settle') {
      // Here, as in CI, there is no terminal: assess and settle say so and what to use instead.
      expect(run.code, what).toBe(2);
      expect(run.stderr).toMatch(/asks questions in a terminal, and this is not one/);
    } else if (argv.includes('--fail-on-regression')) {
      expect([0, 1], what).toContain(run.code);
    } else {
      expect(run.code, what).toBe(0);
    }
    if (step.pipe?.startsWith('jq') === true) expect(() => JSON.parse(run.stdout) as unknown, what).not.toThrow();
    expect(run.stderr, what).not.toMatch(/internal error|\n\s+at /);
  }
}

describe('the README', () => {
  it('starts with the two commands a newcomer types', () => {
    const first = /```sh\n([\s\S]*?)```/.exec(README)?.[1]?.trim().split('\n') ?? [];
    expect(first).toHaveLength(2);
    expect(first[0]).toMatch(/^npm ci && npx cnassess demo && npx cnassess report/);
    expect(first[1]).toMatch(/^npm ci && npm test\b/);
  });

  it('has shell examples to run', () => {
    expect(readmeBlocks().flat().length).toBeGreaterThan(15);
  });

  it.each(readmeBlocks().map((lines) => [lines[0] ?? '', lines] as const))('block starting `%s` runs as written', async (_, lines) => {
    const dir = folderFor(lines);
    for (const line of lines) expectRan(line, await runLine(line, dir));
  });

  it('shows sample outputs that the commands print on the demo data', async () => {
    const samples = [...README.matchAll(/```text\n\$ (cnassess [^\n]*)\n([\s\S]*?)```/g)];
    expect(samples.length).toBeGreaterThanOrEqual(3);
    for (const [, command = '', shown = ''] of samples) {
      const dir = tempDir('cnassess-sample-');
      cpSync(folders.demo, dir, { recursive: true });
      const [{ run } = { run: { code: null, stdout: '', stderr: '' } }] = await runLine(command, dir);
      expect(run.code, `${command}: ${run.stderr}`).toBe(0);
      // Each shown line is printed, in order; "…" stands for lines left out.
      const printed = run.stdout.split('\n').map((l) => l.trimEnd());
      let at = 0;
      for (const line of shown.trimEnd().split('\n')) {
        if (line.trim() === '…') continue;
        const found = printed.indexOf(line.trimEnd(), at);
        expect(
          found,
          `${command}: the README shows\n${line}\nwhich is not printed after line ${at}:\n${run.stdout}`,
        ).toBeGreaterThanOrEqual(0);
        at = found + 1;
      }
    }
  });

  it("states the built-in rubric's how-to-answer rules and terms as the rubric does", async () => {
    const { loadRubric } = await import('../../src/source/rubricFile.js');
    const { howToAnswerSections, answerTerms } = await import('../../src/rubric/howToAnswer.js');
    const { rubric } = await loadRubric();
    const section = /### How to answer\n([\s\S]*?)\n### /.exec(README)?.[1] ?? '';
    const sections = howToAnswerSections(rubric);
    expect(sections).toHaveLength(4);
    for (const s of sections) expect(section).toContain(`**${s.title}.** ${s.text}`);
    for (const t of answerTerms(rubric)) expect(section).toContain(`- **${t.term}**: ${t.meaning}`);
  });
});

describe('--help', () => {
  it('gives every command an example, and each runs as written', async () => {
    const help = await helpExamples();
    expect(help.length).toBeGreaterThan(18);
    expect(help.filter((h) => h.examples.length === 0).map((h) => h.command)).toEqual([]);
    for (const example of help.flatMap((h) => h.examples)) expectRan(example, await runLine(example, folderFor([example])));
  }, 120_000);

  it('documents the exit codes and the environment', async () => {
    const help = (await cnassess(['--help'])).stdout;
    for (const code of ['0', '1', '2', '130', '70']) expect(help).toMatch(new RegExp(`^ {2}${code} +\\S`, 'm'));
    for (const variable of ['CNASSESS_STORE', 'CNASSESS_RESPONDENT', 'CNASSESS_LOCK_WAIT', 'NO_COLOR']) expect(help).toContain(variable);
    const start = (await cnassess(['start', '--help'])).stdout;
    expect(start).toMatch(/--org <name> +the organisation \(required\)/);
    expect(start).toMatch(/--period <quarter> +the quarter, as YYYY-Qn, e.g. 2026-Q4 \(required\)/);
  });
});
