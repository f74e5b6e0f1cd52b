// `cnassess store copy FROM TO`: moving a log between stores (a team's folder into the company's database, or back).

import { CnassessError, ExitCode, InterruptedError, StoreWriteError, UsageError } from '../errors.js';
import { copyEvents } from '../store/copy.js';
import { locationOf, storeName } from '../store/location.js';
import { plural, safeText } from '../text.js';
import { printJson, type Context } from './context.js';
import { openStoreAt } from './session.js';

export async function storeCopy(ctx: Context, fromText: string, toText: string, o: { json?: boolean }): Promise<number> {
  const from = locationOf(fromText, ctx.cwd);
  const to = locationOf(toText, ctx.cwd);
  if (storeName(from) === storeName(to))
    throw new UsageError(`store copy: the source and the target are the same store (${storeName(from)})`);
  const source = await openStoreAt(ctx, from);
  const target = await openStoreAt(ctx, to);

  // Both sides are verified: a damaged log is not spread, and a copy that does not end where its source ends is no copy.
  const original = await source.verify();
  if (!original.ok) {
    throw new UsageError(
      `store copy: the log in ${storeName(from)} is damaged at ${original.problem?.line ?? '?'} (${original.problem?.code ?? '?'}); nothing was copied. Run \`cnassess --store ${storeName(from)} verify\``,
    );
  }
  const existing = await target.verify();
  if (existing.events > 0 || !existing.ok) {
    throw new UsageError(
      `store copy: ${storeName(to)} already holds ${plural(existing.events, 'event')}; a log is copied only into an empty store, so nothing was copied`,
    );
  }
  const copied = await copyEvents(source, target, 'writes', { upToSeq: original.lastSeq }).catch(async (err: unknown) => {
    // The batches before the failure are in the target: say what it holds now, whatever failed (a read of the source,
    // a write of the target, an error cnassess does not know).
    if (err instanceof InterruptedError) throw err;
    const held = await target.verify().then(
      (report) =>
        report.ok
          ? `${storeName(to)} holds the first ${plural(report.events, 'event')} of ${original.events}`
          : `${storeName(to)} holds part of the copy`,
      () => `${storeName(to)} may hold part of the copy`,
    );
    if (!(err instanceof CnassessError)) {
      ctx.stderr.write(`cnassess: store copy stopped: ${safeText(held)}: remove it, then copy again\n`);
      throw err;
    }
    throw new StoreWriteError(`store copy stopped: ${err.message}. ${held}: remove it, then copy again`);
  });
  const copy = await target.verify();
  if (!copy.ok || copy.events !== original.events || copy.lastHash !== original.lastHash) {
    throw new StoreWriteError(
      `store copy: the copy in ${storeName(to)} does not end where its source does (${copy.events} events, last hash ${copy.lastHash.slice(0, 12)}…, ` +
        `against ${original.events}, ${original.lastHash.slice(0, 12)}…): a record of the source is not in the form cnassess writes. Remove the copy before trying again`,
    );
  }
  // The target was empty when the copy began; events it holds that this copy did not write, another process wrote
  // meanwhile (the same copy, run twice at once). The copy is whole either way: it was just verified.
  const byOthers = original.events - copied;
  if (o.json) {
    printJson(ctx, {
      from: storeName(from),
      to: storeName(to),
      events: copied,
      writtenMeanwhileByOthers: byOthers,
      streams: copy.streams,
      lastSeq: copy.lastSeq,
      lastHash: copy.lastHash,
    });
  } else {
    const verified = `hash chain verified on both sides, ending at seq ${copy.lastSeq} with the same hash (${copy.lastHash.slice(0, 12)}…)`;
    ctx.stdout.write(
      byOthers === 0
        ? `copied ${plural(copied, 'event')} in ${plural(copy.streams, 'stream')} from ${safeText(storeName(from))} to ${safeText(storeName(to))}; ${verified}\n`
        : `copied ${plural(copied, 'event')} from ${safeText(storeName(from))} to ${safeText(storeName(to))}: ` +
            `${copied === 0 ? 'all' : 'the other'} ${plural(byOthers, 'event')} ${byOthers === 1 ? 'was' : 'were'} already there, written meanwhile, not by this copy; ` +
            `${safeText(storeName(to))} holds all ${plural(original.events, 'event')} in ${plural(copy.streams, 'stream')}, ${verified}\n`,
    );
  }
  return ExitCode.ok;
}
