// The git merge driver for the file log (`cnassess merge-log %O %A %B`). Two branches that both appended to
// events.jsonl share the log up to their common ancestor; each numbered its new records from there, so a line-based
// merge can only conflict. This one keeps our side byte for byte and appends their side's events that ours does not
// have (by event id), in their order and in their writes, renumbered and re-chained after ours. It refuses — leaving
// our file untouched, so git reports a conflict — when either side fails verification, when an event of the common
// ancestor is missing or changed on either side (compared by id and content, not position, so rebases and
// criss-cross merges work), or when both branches started the same assessment.

import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { StoredEvent } from './eventStore.js';
import { ChainState, checkLines, encodeRecord, LineProblem, parseRecord } from './record.js';

export class MergeRefused extends Error {}

export interface MergedLog {
  readonly text: Buffer;
  /** Their events appended after ours, as now numbered. */
  readonly added: readonly StoredEvent[];
  /** Their events ours already had (the same event ids), left out. */
  readonly alreadyOurs: number;
  /** Where both sides changed one respondent's answer to one question: both kept, theirs last. */
  readonly bothChanged: readonly string[];
}

/** Merges `theirs` into `ours`, given the common ancestor `base`. Pure; throws MergeRefused. */
export function mergeLogs(base: Buffer, ours: Buffer, theirs: Buffer): MergedLog {
  const baseRecords = checked('the common ancestor', base);
  const ourRecords = checked('ours', ours);
  const theirRecords = checked('theirs', theirs);
  // Every event of the ancestor must be on both sides, unchanged. Not by position: a rebase, a cherry-pick or a
  // criss-cross merge renumbers them; by content, so an edit of what both branches shared is still refused.
  const ourById = new Map(ourRecords.map((r) => [r.id, r] as const));
  const theirById = new Map(theirRecords.map((r) => [r.id, r] as const));
  for (const b of baseRecords)
    for (const [name, side] of [
      ['ours', ourById],
      ['theirs', theirById],
    ] as const) {
      const found = side.get(b.id);
      if (found === undefined || content(found) !== content(b))
        throw new MergeRefused(
          `${name} ${found === undefined ? 'lacks' : 'changed'} event ${b.id} (seq ${b.seq} of the common ancestor): a record from before the branches split was ${found === undefined ? 'removed' : 'edited'}`,
        );
    }
  const baseIds = new Set(baseRecords.map((r) => r.id));
  const ourNew = ourRecords.filter((r) => !baseIds.has(r.id));
  // Both branches starting the same assessment would put two starts in one stream: the second would wipe the first's
  // answers from every view. Refused, so a person decides.
  const ourStreams = new Set(ourRecords.map((r) => r.stream));
  const twiceStarted = theirRecords.find((r) => r.type === 'AssessmentStarted' && !ourById.has(r.id) && ourStreams.has(r.stream));
  if (twiceStarted)
    throw new MergeRefused(
      `both branches started ${twiceStarted.stream.replace(/^assessment\//, '')}; keep one side's log and import the other side's answers (cnassess export on that branch, then cnassess import)`,
    );

  const chain = new ChainState();
  for (const r of ourRecords) chain.advance(r);
  const ourIds = new Set(ourRecords.map((r) => r.id));

  const lines: string[] = [];
  const added: StoredEvent[] = [];
  let alreadyOurs = 0;
  // Their records, write by write: a write is kept whole (less what ours has), so it stays all or nothing.
  let write: StoredEvent[] = [];
  const flush = () => {
    const kept = write.filter((r) => !ourIds.has(r.id));
    alreadyOurs += write.length - kept.length;
    for (const [i, r] of kept.entries()) {
      const line = encodeRecord(
        {
          seq: chain.lastSeq + 1,
          stream: r.stream,
          version: (chain.versions.get(r.stream) ?? 0) + 1,
          more: kept.length - 1 - i,
          prev: chain.lastHash,
        },
        { id: r.id, type: r.type, schema: r.schema, at: r.at, actor: r.actor, data: r.data },
      );
      const record = parseRecord(line);
      if (record instanceof LineProblem) throw new MergeRefused(`their event ${r.id} cannot be written again: ${record.detail}`);
      chain.advance(record);
      lines.push(line, '\n');
      added.push(record);
    }
    write = [];
  };
  for (const r of theirRecords.filter((x) => !baseIds.has(x.id))) {
    write.push(r);
    if ((r.more ?? 0) === 0) flush();
  }

  return { text: Buffer.concat([ours, Buffer.from(lines.join(''), 'utf8')]), added, alreadyOurs, bothChanged: bothChanged(ourNew, added) };
}

/** What an event is, apart from where it sits in a log (seq, version, chain). */
function content(r: StoredEvent): string {
  return JSON.stringify([r.stream, r.type, r.schema, r.at, r.actor, r.data]);
}

/** Every record of a whole log, verified: JSON, hashes, seq, versions and writes, each complete. */
function checked(name: string, bytes: Buffer): StoredEvent[] {
  if (bytes.includes('\r\n'))
    throw new MergeRefused(
      `${name}: the log has CRLF line ends (git converted it); the .gitattributes line of cnassess git-setup (-text) prevents that`,
    );
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a)
    throw new MergeRefused(`${name}: the log ends inside a record (an interrupted write); run cnassess verify on that branch`);
  const chain = new ChainState();
  const { records, problem } = checkLines(bytes, bytes.length, chain);
  if (problem !== undefined) throw new MergeRefused(`${name}: record ${records.length + 1}: ${problem.detail}`);
  if (chain.open > 0) throw new MergeRefused(`${name}: the log ends with an unfinished write; run cnassess verify on that branch`);
  return records;
}

/** Answers both sides recorded for the same respondent, question and assessment since the branches split. */
function bothChanged(ours: readonly StoredEvent[], theirs: readonly StoredEvent[]): string[] {
  const key = (r: StoredEvent): string | undefined => {
    if (r.type !== 'AnswerRecorded' || typeof r.data !== 'object' || r.data === null) return undefined;
    const d = r.data as { question?: unknown; respondent?: unknown };
    return typeof d.question === 'string' && typeof d.respondent === 'string' ? `${r.stream} ${d.question} ${d.respondent}` : undefined;
  };
  const mine = new Set(ours.map(key).filter((k): k is string => k !== undefined));
  const found = new Set<string>();
  for (const r of theirs) {
    const k = key(r);
    if (k !== undefined && mine.has(k)) found.add(k);
  }
  return [...found].map((k) => {
    const [stream = '', question = '', ...who] = k.split(' ');
    return `${question} of ${who.join(' ')} in ${stream.replace(/^assessment\//, '')}`;
  });
}

/**
 * The driver's files: reads the three versions git hands over, and writes the merge over ours (%A) atomically, or
 * leaves it untouched when the merge is refused.
 */
export async function mergeLogFiles(basePath: string, oursPath: string, theirsPath: string): Promise<MergedLog> {
  const read = (path: string) =>
    readFile(path).catch((e: unknown) => {
      throw new MergeRefused(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    });
  // One after another, so that when several are missing the message always names the first (base, ours, theirs).
  const base = await read(basePath);
  const ours = await read(oursPath);
  const theirs = await read(theirsPath);
  const merged = mergeLogs(base, ours, theirs);
  const temp = join(dirname(oursPath), `.${basename(oursPath)}.${randomUUID()}.merge`);
  try {
    await writeFile(temp, merged.text, { flag: 'wx' });
    await rename(temp, oursPath);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  return merged;
}
