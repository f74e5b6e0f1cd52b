// The command table: the one place that reads argv and sets the exit code. Each command's module
// is imported only when that command runs, so `--help` and `--version` load nothing heavy.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from '@commander-js/extra-typings';
import { PACKAGE_ROOT } from './paths.js';
import { isPostgresUrl, maskedUrl } from './store/url.js';
import { CnassessError, ExitCode, formatProblem, ImpossibleEventError, InvalidFileError, UnreadableEventError } from './errors.js';
import { safeText } from './text.js';
import type { CliIo, Context } from './commands/context.js';

const EXIT_CODES = `
Examples:
  cnassess assess                                  answer the questionnaire (resumes if unfinished)
  cnassess score                                   levels and scores of the latest assessment
  cnassess rubric validate my-rubric.yaml          check a custom rubric
  cnassess <command> --help                        every command's options, with an example

Exit codes:
  0    success
  1    the command ran and found problems (an invalid rubric for \`rubric validate\`,
       a damaged log for \`verify\`, a regression for \`diff --fail-on-regression\`)
  2    bad usage or input that stopped the command (nothing was recorded)
  130  interrupted (Ctrl+C); every answer already acknowledged is saved
  70   internal error: a bug in cnassess; please report it

Environment:
  CNASSESS_STORE      the store when --store is not given: a folder, or a PostgreSQL
                      database as postgres://user:password@host:port/db (default: ./.cnassess)
  CNASSESS_RESPONDENT who answers, when --respondent is not given (default: git user.name,
                      else the OS user)
  CNASSESS_LOCK_WAIT  seconds a write waits for another writer before giving up (default: 10)
  NO_COLOR            set to anything to turn colour off (same as --no-color)

Every command that prints data takes --json: data on stdout, messages on stderr.`;

function version(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(io: CliIo, run: (task: (ctx: Context) => Promise<number | void>) => Promise<void>) {
  const program = new Command('cnassess')
    .description('How far has your organisation come in adopting cloud-native practice, and what to do next.')
    .version(version(), '-V, --version')
    .option('--store <dir|url>', 'the store: a folder, or postgres://user@host/db (default: $CNASSESS_STORE or ./.cnassess)')
    .option('--no-color', 'no colour in output (also NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES)
    // Before any .command(): subcommands copy these settings when they are created.
    .exitOverride()
    .configureOutput({
      writeErr: (s) => void io.stderr.write(s),
      writeOut: (s) => void io.stdout.write(s),
      getOutHelpWidth: () => io.stdout.columns || 80,
      getErrHelpWidth: () => io.stderr.columns || 80,
      // One prefix for every error, commander's (usage) and ours: "cnassess: …".
      outputError: (text, write) => write(text.replace(/^error: /, 'cnassess: ')),
    });

  const rubric = program.command('rubric').description('check a rubric, or show the one in use');
  rubric
    .command('validate')
    .description('check rubric files; every problem as FILE:LINE:COL: message')
    .argument('<files...>', 'rubric YAML files')
    .option('--json', 'problems as JSON')
    .addHelpText('after', '\nExample:\n  cnassess rubric validate my-rubric.yaml')
    .action((files, o) => run(async (ctx) => (await import('./commands/rubricCommands.js')).validate(ctx, files, o)));
  rubric
    .command('show')
    .description('show the rubric in use: aspects, questions, choices and levels')
    .option('--rubric <file>', 'a custom rubric (default: the built-in cloud-native rubric)')
    .option('--assessment <id>', 'the rubric this assessment was answered with (an id or a period), from the log')
    .option('--json', 'the rubric as JSON')
    .addHelpText('after', '\nExamples:\n  cnassess rubric show --assessment 2026-Q3\n  cnassess rubric show --json | jq ".aspects[].id"')
    .action((o) => run(async (ctx) => (await import('./commands/rubricCommands.js')).show(ctx, o)));
  rubric
    .command('diff')
    .description('what changed between two rubric files: questions added, removed, renamed, re-weighted; choices')
    .argument('<old>', 'the rubric the last quarter used')
    .argument('<new>', 'the edited rubric')
    .option('--json', 'the changes as JSON')
    .addHelpText('after', '\nExample:\n  cnassess rubric diff rubric-2026.yaml my-rubric.yaml')
    .action((older, newer, o) => run(async (ctx) => (await import('./commands/rubricCommands.js')).rubricDiff(ctx, older, newer, o)));

  rubric
    .command('import')
    .description(
      'turn another maturity model into a cnassess rubric, scored as its own tool scores it: an AWS Well-Architected lens, the CNCF PEMM, OWASP DSOMM',
    )
    .argument('<file>', 'the source file: a custom lens JSON, as the Well-Architected Tool imports it')
    .option(
      '--from <model>',
      'what the file is: aws-lens (a Well-Architected lens JSON), pemm (the PEMM assessment questions YAML) or dsomm (OWASP DSOMM model.yaml)',
    )
    .option('-o, --output <file>', 'write the rubric there (default: stdout)')
    .addHelpText('after', '\nExample:\n  cnassess rubric import --from aws-lens lens.json -o lens.yaml')
    .action((file, o) => run(async (ctx) => (await import('./commands/rubricCommands.js')).importModel(ctx, file, o)));

  program
    .command('assess')
    .description('the interactive questionnaire: starts an assessment or resumes the unfinished one')
    .option('--org <name>', 'the organisation (asked when missing; default: the last one used)')
    .option('--scope <name>', 'the part of the organisation assessed (asked when missing; "all" is offered)')
    .option('--period <quarter>', 'the quarter, as YYYY-Qn (default: the latest unfinished one of the org and scope, else asked)')
    .option('--respondent <name>', 'who answers (asked when missing; $CNASSESS_RESPONDENT, git user.name or the OS user is offered)')
    .option('--rubric <file>', 'a custom rubric, for a new assessment (default: built-in)')
    .option('--from <previous>', "carry a previous assessment's answers over as a baseline (id or period; asked when there is one)")
    .option('--show-others', "show other respondents' answers before you answer (default: after, so nobody anchors on them)")
    .addHelpText('after', '\nExample:\n  cnassess assess --org acme --scope platform')
    .action((o) => run(async (ctx) => (await import('./commands/assess.js')).assess(ctx, o)));

  program
    .command('start')
    .description('start an assessment without prompting; prints its id')
    // Checked by start() rather than by commander, which would report a missing --period before a misspelt --perod.
    .option('--org <name>', 'the organisation (required)')
    .option('--scope <name>', 'the part of the organisation assessed', 'all')
    .option('--period <quarter>', 'the quarter, as YYYY-Qn, e.g. 2026-Q4 (required)')
    .option('--rubric <file>', 'a custom rubric (default: built-in)')
    .option('--respondent <name>', 'who starts it (default: $CNASSESS_RESPONDENT, git user.name, else the OS user)')
    .option('--json', 'print { "id": … }')
    .option('--respondents <names>', 'who is expected to answer, comma-separated (as `cnassess invite` records)')
    .option('--from <previous>', "carry over a previous assessment's answers and targets (an id, or a period of the same org and scope)")
    .addHelpText('after', '\nExample:\n  cnassess start --org acme --scope platform --period 2026-Q4')
    .action((o) => run(async (ctx) => (await import('./commands/answerCommands.js')).start(ctx, o)));

  program
    .command('answer')
    .description('record one answer: a choice id, a comma-separated list for multi-choice, or n/a')
    .argument('<question>', 'question id (see `cnassess rubric show`)')
    .argument('<answer>', 'choice id(s), or n/a')
    .option('--assessment <id>', 'which assessment (default: the one unfinished assessment)')
    .option('--note <text>', 'evidence: a link, a ticket, a sentence; the reason for n/a')
    .option('--respondent <name>', 'who answers (default: $CNASSESS_RESPONDENT, git user.name, else the OS user)')
    .option('--json', 'print the recorded event')
    .addHelpText(
      'after',
      '\nExamples:\n  cnassess answer orch-workloads most --note "payments still on VMs"\n  cnassess answer orch-workload-config health-checks,resources',
    )
    .action((question, answer, o) => run(async (ctx) => (await import('./commands/answerCommands.js')).answer(ctx, question, answer, o)));

  program
    .command('invite')
    .description('say who is expected to answer: their progress is shown in list, score and the report')
    .argument('<names...>', 'respondent names, as they will answer')
    .option('--assessment <id>', 'which assessment (default: the one unfinished assessment)')
    .option('--respondent <name>', 'who invites (default: $CNASSESS_RESPONDENT, git user.name, else the OS user)')
    .addHelpText('after', '\nExample:\n  cnassess invite "Priya Raman" "Jonas Berg" "Amara Okafor"')
    .action((names, o) => run(async (ctx) => (await import('./commands/respondentCommands.js')).invite(ctx, names, o)));

  program
    .command('settle')
    .description('walk through every question respondents answered differently, and record the agreed answers')
    .argument('[id]', 'assessment id or period (default: the one unfinished assessment)')
    .option('--facilitator <name>', 'who facilitates (default: $CNASSESS_RESPONDENT, git user.name, else the OS user)')
    .addHelpText('after', '\nExample:\n  cnassess settle acme/platform/2026-q4')
    .action((id, o) => run(async (ctx) => (await import('./commands/respondentCommands.js')).settle(ctx, id, o)));

  program
    .command('consensus')
    .description('record the answer respondents agreed on for one question, with why (what settle does, without prompting)')
    .argument('<question>', 'question id')
    .argument('<answer>', 'choice id(s), or n/a')
    .option('--note <text>', 'why this answer: who agreed, on what evidence (required)')
    .option('--assessment <id>', 'which assessment (default: the one unfinished assessment)')
    .option('--facilitator <name>', 'who facilitated (default: $CNASSESS_RESPONDENT, git user.name, else the OS user)')
    .addHelpText(
      'after',
      '\nExample:\n  cnassess consensus obs-metrics golden --note "agreed in the review: 14 of 23 services have RED dashboards"',
    )
    .action((question, answer, o) =>
      run(async (ctx) => (await import('./commands/respondentCommands.js')).consensus(ctx, question, answer, o)),
    );

  program
    .command('rename-respondent')
    .description('show one respondent known under two names as one (the log keeps what was recorded)')
    .argument('<from>', 'the name to merge away')
    .argument('<to>', 'the name to show instead')
    .option('--assessment <id>', 'which assessment (default: the one unfinished assessment)')
    .option('--respondent <name>', 'who renames')
    .addHelpText('after', '\nExample:\n  cnassess rename-respondent alice "Alice Smith"')
    .action((from, to, o) => run(async (ctx) => (await import('./commands/respondentCommands.js')).renameRespondent(ctx, from, to, o)));

  program
    .command('target')
    .description('set the target level of an aspect (the roadmap aims at it)')
    .argument('<aspect>', 'aspect id')
    .argument('<level>', 'level number or name (e.g. 3 or Scale)')
    .option('--assessment <id>', 'which assessment (default: the one unfinished assessment)')
    .option('--respondent <name>', 'who sets it')
    .addHelpText('after', '\nExample:\n  cnassess target observability Improve')
    .action((aspect, level, o) => run(async (ctx) => (await import('./commands/answerCommands.js')).target(ctx, aspect, level, o)));

  program
    .command('step')
    .description('track a roadmap step: planned, in-progress, done or wont-do (the report shows it; start --from carries it)')
    .argument('<step>', 'the step id, as the report shows it (e.g. app-adopt-gitops)')
    .argument('<status>', 'planned, in-progress, done or wont-do')
    .option('--note <text>', 'why, or what is left; required for wont-do (the risk accepted)')
    .option('--owner <name>', 'who owns the step')
    .option('--due <date>', 'by when, as YYYY-MM-DD')
    .option('--assessment <id>', 'which assessment (default: the most recently changed one; completed ones too)')
    .option('--respondent <name>', 'who records it')
    .addHelpText('after', '\nExample:\n  cnassess step app-adopt-gitops in-progress --owner "Priya Raman" --due 2027-03-31')
    .action((step, status, o) => run(async (ctx) => (await import('./commands/answerCommands.js')).step(ctx, step, status, o)));

  for (const [name, description, example] of [
    ['complete', 'mark an assessment complete (no more answers until reopened)', 'acme/platform/2026-q4'],
    ['reopen', 'reopen a completed assessment', 'acme/platform/2026-q3'],
  ] as const) {
    program
      .command(name)
      .description(description)
      .argument('[id]', 'assessment id (default: the one unfinished, or the latest)')
      .option('--respondent <name>', 'who does it')
      .addHelpText('after', `\nExample:\n  cnassess ${name} ${example}`)
      .action((id, o) => run(async (ctx) => (await import('./commands/answerCommands.js')).setStatus(ctx, name, id, o)));
  }

  program
    .command('import')
    .description("record every answer of a YAML answers file (or the Well-Architected Tool's answers), all or none")
    .argument('<file>', 'answers file (format: see README), or with --from aws-wa the JSON of `aws wellarchitected list-answers`')
    .option('--rubric <file>', 'a custom rubric, when the file creates a new assessment')
    .option('--from <source>', 'aws-wa: answers exported from the AWS Well-Architected Tool, into an assessment of the imported lens')
    .option('--assessment <id>', 'with --from: which assessment (default: the one unfinished assessment)')
    .option('--respondent <name>', 'with --from: who answers (default: $CNASSESS_RESPONDENT, git user.name, else the OS user)')
    .option('--json', 'print what was recorded as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  cnassess import answers/alice-2026-Q4.yaml\n  cnassess rubric import --from aws-lens lens.json -o lens.yaml && cnassess start --org Acme --scope payments --period 2026-Q4 --rubric lens.yaml && cnassess import --from aws-wa wa-answers.json',
    )
    .action((file, o) => run(async (ctx) => (await import('./commands/importExport.js')).importAnswers(ctx, file, o)));

  program
    .command('export')
    .description("write one respondent's answers as an answers file (import reads it back)")
    .argument('[id]', 'assessment id (default: the most recently changed)')
    .option('--respondent <name>', 'whose answers (default: who answered most)')
    .option('--format <format>', 'yaml (the answers file format)', 'yaml')
    .option('-o, --output <file>', 'write to this file (its schema modeline then relative to it); - for stdout', '-')
    .addHelpText(
      'after',
      '\nExamples:\n  cnassess export -o answers/alice.yaml\n  cnassess export acme/platform/2026-q4 --respondent alice > alice.yaml',
    )
    .action((id, o) => run(async (ctx) => (await import('./commands/importExport.js')).exportAnswers(ctx, id, o)));

  program
    .command('list')
    .description('the assessments in the store')
    .option('--json', 'as JSON')
    .addHelpText('after', '\nExample:\n  cnassess list --json')
    .action((o) => run(async (ctx) => (await import('./commands/viewCommands.js')).list(ctx, o)));

  program
    .command('score')
    .description('levels and scores per aspect; --as-of replays the log as it stood then')
    .argument('[id]', 'assessment id (default: the most recently changed)')
    .option('--as-of <date|seq>', 'a date (YYYY-MM-DD: the end of that day, UTC), a timestamp, or a seq number')
    .option('--json', 'as JSON')
    .addHelpText('after', '\nExamples:\n  cnassess score\n  cnassess score acme/platform/2026-q4 --as-of 2026-10-01')
    .action((id, o) => run(async (ctx) => (await import('./commands/viewCommands.js')).score(ctx, id, o)));

  program
    .command('report')
    .description('the leadership report: one self-contained HTML file (or Markdown, or the JSON view model)')
    .argument('[id]', 'assessment id (default: the most recently changed)')
    .option('-o, --output <file>', 'where to write; - for stdout (default: ./cnassess-report-<org>-<scope>-<period>.<ext>)')
    .option('--format <format>', 'html, md, json, or csv (the roadmap as a backlog to import)', 'html')
    .option('--template <dir>', 'your own report.hbs and partials/*.hbs, laid over the built-in templates (HTML only)')
    .option('--as-of <date|seq>', 'a date (YYYY-MM-DD: the end of that day, UTC), a timestamp, or a seq number')
    .option('--org <name>', 'without an id: the portfolio of every scope of this org (default: ./cnassess-portfolio-<org>-<period>.<ext>)')
    .option('--period <period>', 'with --org: which period (default: the latest with any assessment of the org)')
    .addHelpText(
      'after',
      '\nExamples:\n  cnassess report\n  cnassess report acme/platform/2026-q4 --format md -o - > report.md\n  cnassess report --format csv -o roadmap.csv\n  cnassess report --org Acme --period 2026-Q4',
    )
    .action((id, o) => run(async (ctx) => (await import('./commands/reportCommand.js')).report(ctx, id, o)));

  program
    .command('diff')
    .description('quarter over quarter: levels, scores, changed answers and targets between two periods')
    .argument('[from]', 'assessment id or period (default: the period before TO)')
    .argument('[to]', 'assessment id or period (default: the latest period)')
    .option('--org <name>', 'whose periods (default: those of the most recently changed assessment)')
    .option('--scope <name>', 'with --org: which scope')
    .option('--format <format>', 'text, md, html or json (default: text)')
    .option('--json', 'the comparison as JSON (same as --format json)')
    .option('--fail-on-regression', 'exit 1 when any aspect went down a level (for CI)')
    .addHelpText(
      'after',
      '\nExamples:\n  cnassess diff\n  cnassess diff 2026-Q3 2026-Q4 --format md > progress.md\n  cnassess diff --fail-on-regression',
    )
    .action((from, to, o) =>
      run(async (ctx) =>
        (await import('./commands/progressCommands.js')).diff(
          ctx,
          [from, to].filter((x): x is string => x !== undefined),
          o,
        ),
      ),
    );

  program
    .command('trend')
    .description('level and score per aspect across every period of an org and scope')
    .option('--org <name>', 'whose periods (default: those of the most recently changed assessment)')
    .option('--scope <name>', 'with --org: which scope')
    .option('--json', 'as JSON')
    .addHelpText('after', '\nExample:\n  cnassess trend --org acme --scope platform')
    .action((o) => run(async (ctx) => (await import('./commands/progressCommands.js')).trend(ctx, o)));

  program
    .command('demo')
    .description('seed an empty store with a sample organisation: six quarters of history')
    .option('--json', 'print what was seeded as JSON')
    .addHelpText('after', '\nExamples:\n  cnassess demo && cnassess report\n  cnassess --store demo-store demo')
    .action((o) => run(async (ctx) => (await import('./commands/demo.js')).demo(ctx, o)));

  program
    .command('history')
    .description('every event of an assessment: who changed what, when')
    .argument('[id]', 'assessment id (default: the most recently changed)')
    .option('--json', 'as JSON')
    .addHelpText('after', '\nExample:\n  cnassess history acme/platform/2026-q4')
    .action((id, o) => run(async (ctx) => (await import('./commands/viewCommands.js')).history(ctx, id, o)));

  program
    .command('git-setup')
    .description('let git merge the file log of two branches: a .gitattributes line and the merge driver in git config')
    .addHelpText('after', '\nExample:\n  cnassess git-setup && git add .gitattributes')
    .action(() => run(async (ctx) => (await import('./commands/gitCommands.js')).gitSetup(ctx)));

  program
    .command('merge-log')
    .description('the merge driver git runs for events.jsonl (set up by git-setup): keeps ours, appends theirs re-chained')
    .argument('<base>', "%O: the common ancestor's log")
    .argument('<ours>', '%A: our log, where the merge is written')
    .argument('<theirs>', '%B: their log')
    .addHelpText('after', '\nExample:\n  cnassess merge-log base.jsonl ours.jsonl theirs.jsonl')
    .action((base, ours, theirs) => run(async (ctx) => (await import('./commands/gitCommands.js')).mergeLog(ctx, base, ours, theirs)));

  const store = program.command('store').description('work on a whole store: copy its log to another store');
  store
    .command('copy')
    .description('copy a whole log between stores (a folder or a postgres:// URL), verified on both sides; the target must be empty')
    .argument('<from>', 'the store to copy: a folder or postgres://user@host/db')
    .argument('<to>', 'an empty store: a folder or postgres://user@host/db')
    .option('--json', 'what was copied, as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  cnassess store copy .cnassess backup/\n  cnassess store copy .cnassess postgres://cnassess@db.internal/assessments\n  cnassess store copy postgres://cnassess@db.internal/assessments backup/',
    )
    .action((from, to, o) => run(async (ctx) => (await import('./commands/storeCommands.js')).storeCopy(ctx, from, to, o)));

  program
    .command('verify')
    .description("check the log's integrity: JSON, sequence, stream versions, hash chain, its anchored end, every event's shape")
    .option('--since <rev>', 'also check that the log committed at this git revision is where the log now begins (only appended to since)')
    .option('--json', 'as JSON')
    .addHelpText('after', '\nExamples:\n  cnassess verify && git add .cnassess/\n  cnassess verify --since origin/main')
    .action((o) => run(async (ctx) => (await import('./commands/viewCommands.js')).verify(ctx, o)));

  return program;
}

/**
 * Runs the CLI with the given arguments and I/O, and returns the exit code instead of exiting: bin.ts hands it the
 * process's own streams, folder and environment; tests hand it theirs and run it in-process.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const releases: (() => Promise<void>)[] = [];
  const program = buildProgram(io, async (task) => {
    const opts = program.opts();
    const { contextFor } = await import('./commands/context.js');
    const { colorWanted } = await import('./views/terminal.js');
    const ctx = contextFor(io, {
      color: colorWanted({ flag: opts.color, env: io.env, isTTY: io.stdout.isTTY === true }),
      ...(opts.store !== undefined && { storeFlag: opts.store }),
      commandLine: commandLine(argv),
      defer: (release) => void releases.push(release),
    });
    try {
      exitCode = (await task(ctx)) ?? ExitCode.ok;
    } catch (e) {
      if (!(e instanceof ImpossibleEventError || e instanceof UnreadableEventError)) throw e;
      const { damageInStore } = await import('./commands/session.js');
      throw damageInStore(ctx, e);
    }
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    return await reportError(e, io.stderr);
  } finally {
    await Promise.all(releases.map((release) => release().catch(() => undefined)));
  }
}

/** The command and its arguments up to the first option, for a writer waiting on this one: never a note's text. */
export function commandLine(argv: readonly string[]): string {
  const words: string[] = [];
  for (const word of argv) {
    if (word.startsWith('-')) break;
    // A database URL's password never reaches the lock file that names this command (`store copy postgres://…`).
    words.push((isPostgresUrl(word) ? maskedUrl(word) : word).replace(/[\u0000-\u001f\u007f]/g, '?'));
  }
  return ['cnassess', ...words].join(' ').slice(0, 200);
}

async function reportError(e: unknown, stderr: NodeJS.WritableStream): Promise<number> {
  if (e instanceof CommanderError) {
    // Help and version are "errors" only to commander; usage mistakes exit 2, as documented.
    return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? ExitCode.ok : ExitCode.usage;
  }
  if (e instanceof InvalidFileError) {
    for (const p of e.problems) stderr.write(`${safeText(formatProblem(p))}\n`);
    stderr.write(`${safeText(e.message)}\n`);
    return e.exitCode;
  }
  if (e instanceof CnassessError) {
    // Messages quote user input (ids, names, file content); no escape sequence reaches the terminal.
    stderr.write(`cnassess: ${safeText(e.message)}\n`);
    return e.exitCode;
  }
  // Ctrl+C inside a prompt: matched by name, as the prompt library may be installed twice.
  if (e instanceof Error && e.name === 'ExitPromptError') return ExitCode.interrupted;
  stderr.write(
    `cnassess: internal error: ${e instanceof Error ? e.message : String(e)}\n` +
      'This is a bug in cnassess. Please report it with the command you ran and this trace:\n' +
      `${e instanceof Error ? e.stack : ''}\n`,
  );
  return 70;
}
