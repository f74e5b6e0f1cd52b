// Keeping the file log in git: `cnassess merge-log` (the merge driver git runs) and `cnassess git-setup`.

import { resolve } from 'node:path';
import { ExitCode } from '../errors.js';
import { MergeRefused, mergeLogFiles } from '../store/mergeLog.js';
import { setUpGitMerge } from '../store/gitSetup.js';
import { plural, safeText } from '../text.js';
import type { Context } from './context.js';
import { storeDirOf } from './session.js';

/** git's merge driver: %O (ancestor), %A (ours, where the result goes), %B (theirs). Exit 1 leaves a conflict. */
export async function mergeLog(ctx: Context, base: string, ours: string, theirs: string): Promise<number> {
  try {
    const at = (path: string) => resolve(ctx.cwd, path);
    const merged = await mergeLogFiles(at(base), at(ours), at(theirs));
    const range = merged.added.length > 0 ? ` (now seq ${merged.added[0]?.seq ?? ''}–${merged.added.at(-1)?.seq ?? ''})` : '';
    ctx.stderr.write(
      `cnassess merge-log: kept ours, appended ${plural(merged.added.length, 'event')} of theirs${range}` +
        `${merged.alreadyOurs > 0 ? `; ${merged.alreadyOurs} of theirs were ours already` : ''}\n`,
    );
    for (const both of merged.bothChanged)
      ctx.stderr.write(
        `cnassess merge-log: both branches changed the answer to ${safeText(both)}; both are kept, theirs last (it counts)\n`,
      );
    return ExitCode.ok;
  } catch (e) {
    if (!(e instanceof MergeRefused)) throw e;
    ctx.stderr.write(`cnassess merge-log: not merged, ours left as it was: ${safeText(e.message)}\n`);
    return ExitCode.problems;
  }
}

export async function gitSetup(ctx: Context): Promise<number> {
  const setup = await setUpGitMerge(storeDirOf(ctx, 'git-setup'));
  ctx.stderr.write(
    `${setup.attributesAdded.length > 0 ? `added to ${safeText(setup.repository)}/.gitattributes:\n${setup.attributesAdded.map((l) => `  ${l}`).join('\n')}\n` : '.gitattributes already names the cnassess merge driver\n'}` +
      `set in ${safeText(setup.repository)}'s git config: merge.cnassess.driver = ${safeText(setup.driver)}\n` +
      'Commit .gitattributes; each clone runs cnassess git-setup once (git never runs a driver a clone brought in).\n',
  );
  return ExitCode.ok;
}
