// Where things are in a file log: the byte offset of every record, each stream's records, and a hash of every event
// id. The file store keeps one beside the log (`events.index`) so that reading one assessment, or appending to it,
// costs about the same on a log of a million events as on one of a thousand.
//
// It is a cache, never the source of truth: it describes the log up to `offset` (the end of a complete write), is
// checked against the log before use (same file, and the record that ends at `offset` has the seq and hash it
// records), is extended with what was appended since, and is rebuilt from the log whenever it does not match or
// cannot be read. Every record read through it is still checked against its own hash.
// Every record read through it is also checked against the hash it had when it was indexed (from a chain-checked
// read), so a record rewritten with a recomputed hash is found even though the chain is not read. The file carries a
// SHA-256 of its body: a damaged or half-written index is rebuilt, never believed.
// This module is the data and its encoding; reading the log and the file is the file store's.

import { createHash } from 'node:crypto';

const MAGIC = 'cnassess-index 2\n';
/** Typed arrays are in the machine's byte order: an index written on another kind of machine is rebuilt. */
const ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'LE' : 'BE';

/** The index's arrays, one entry per record (or per event id), as they are written to the file. */
interface Tables {
  /** `recordOffsets[seq - 1]`: where the record with that seq starts. */
  readonly recordOffsets: Float64Array;
  /** `recordHashes[seq - 1]`: the first 52 bits of that record's hash, as it was when indexed. */
  readonly recordHashes: Float64Array;
  /** Every seq, grouped by stream (in version order within one). */
  readonly streamSeqs: Uint32Array;
  /** Hashes of every event id, ascending, and the seq of the record holding each. */
  readonly idHashes: Float64Array;
  readonly idSeqs: Uint32Array;
}

export class StreamIndex {
  /** The places in `streamSeqs` of the streams looked up so far: a command reads two or three of 25,000. */
  private readonly ranges = new Map<string, { start: number; count: number }>();

  constructor(
    /** Byte length of the log this describes: the end of its last complete write. */
    readonly offset: number,
    /** The log file's inode, so a log replaced by another (a checkout, a restore) is not described by this. */
    readonly ino: number,
    readonly lastSeq: number,
    readonly lastHash: string,
    /** Streams in the order their seqs are grouped in `streamSeqs`, with how many records each has. */
    private readonly streams: readonly (readonly [string, number])[],
    private readonly tables: Tables,
  ) {}

  /** Where a stream's seqs are in `streamSeqs`: found by adding up the counts before it, quicker than a map of all. */
  private rangeOf(stream: string): { start: number; count: number } | undefined {
    let range = this.ranges.get(stream);
    if (range === undefined) {
      let start = 0;
      for (const [name, count] of this.streams) {
        if (name === stream) {
          range = { start, count };
          this.ranges.set(stream, range);
          break;
        }
        start += count;
      }
    }
    return range;
  }

  static empty(ino: number, lastHash: string): StreamIndex {
    return new StreamIndex(0, ino, 0, lastHash, [], {
      recordOffsets: new Float64Array(0),
      recordHashes: new Float64Array(0),
      streamSeqs: new Uint32Array(0),
      idHashes: new Float64Array(0),
      idSeqs: new Uint32Array(0),
    });
  }

  /** A stream's version: the number of its records (versions run from 1 without gaps); 0 for a stream not in it. */
  versionOf(stream: string): number {
    return this.rangeOf(stream)?.count ?? 0;
  }

  /** The seqs of a stream's records, in version order. */
  seqsOf(stream: string): Uint32Array {
    const range = this.rangeOf(stream);
    return range === undefined ? new Uint32Array(0) : this.tables.streamSeqs.subarray(range.start, range.start + range.count);
  }

  /** Where the record with this seq starts, and where its line (with its line end) ends. */
  placeOf(seq: number): { start: number; end: number } {
    const start = this.tables.recordOffsets[seq - 1];
    if (start === undefined || seq < 1) throw new RangeError(`seq ${seq} is not in the index (1–${this.lastSeq})`);
    return { start, end: seq === this.lastSeq ? this.offset : (this.tables.recordOffsets[seq] ?? this.offset) };
  }

  /** Whether `hash` is the hash the record with this seq had when it was indexed (compared on its first 52 bits). */
  holds(seq: number, hash: string): boolean {
    return this.tables.recordHashes[seq - 1] === hashPrefix(hash);
  }

  /** The seqs of records whose event id has the same hash as `id`: the only records that can hold it. */
  candidatesFor(id: string): number[] {
    const hash = idHash(id);
    const low = firstAtLeast(this.tables.idHashes, hash, 0);
    const found: number[] = [];
    for (let i = low; i < this.tables.idHashes.length && this.tables.idHashes[i] === hash; i++) found.push(this.tables.idSeqs[i] ?? 0);
    return found;
  }

  encode(): Buffer {
    const body = Buffer.concat([
      bytesOf(this.tables.recordOffsets),
      bytesOf(this.tables.recordHashes),
      bytesOf(this.tables.idHashes),
      bytesOf(this.tables.streamSeqs),
      bytesOf(this.tables.idSeqs),
    ]);
    const header = JSON.stringify({
      checksum: createHash('sha256').update(body).digest('hex'),
      endian: ENDIAN,
      offset: this.offset,
      ino: this.ino,
      lastSeq: this.lastSeq,
      lastHash: this.lastHash,
      streams: this.streams,
    });
    const head = Buffer.from(`${MAGIC}${header}\n`, 'utf8');
    const padding = (8 - (head.length % 8)) % 8;
    return Buffer.concat([head, Buffer.alloc(padding, 0x20), body]);
  }

  /** The index in `bytes`, or undefined when they are not one (another version's, damaged, cut short). */
  static decode(bytes: Buffer): StreamIndex | undefined {
    if (bytes.toString('utf8', 0, MAGIC.length) !== MAGIC) return undefined;
    const end = bytes.indexOf(0x0a, MAGIC.length);
    if (end === -1) return undefined;
    let header: {
      checksum: unknown;
      endian: unknown;
      offset: unknown;
      ino: unknown;
      lastSeq: unknown;
      lastHash: unknown;
      streams: unknown;
    };
    try {
      header = JSON.parse(bytes.toString('utf8', MAGIC.length, end)) as typeof header;
    } catch {
      return undefined;
    }
    const { checksum, endian, offset, ino, lastSeq, lastHash, streams } = header;
    if (endian !== ENDIAN) return undefined;
    if (!isCount(offset) || typeof ino !== 'number' || !isCount(lastSeq) || typeof lastHash !== 'string') return undefined;
    if (!Array.isArray(streams) || !streams.every((s) => Array.isArray(s) && typeof s[0] === 'string' && isCount(s[1]))) return undefined;
    const counted = (streams as [string, number][]).reduce((sum, [, count]) => sum + count, 0);
    let at = end + 1;
    at += (8 - (at % 8)) % 8;
    if (counted !== lastSeq || bytes.length !== at + lastSeq * 32) return undefined;
    if (checksum !== createHash('sha256').update(bytes.subarray(at)).digest('hex')) return undefined;
    // Views on the bytes read where they are aligned (a file read whole is its own buffer), copies where not.
    const aligned = (bytes.byteOffset + at) % 8 === 0;
    const take = <T>(make: (buffer: ArrayBuffer, offset: number, length: number) => T, width: number): T => {
      const offset = bytes.byteOffset + at;
      at += lastSeq * width;
      return aligned
        ? make(bytes.buffer as ArrayBuffer, offset, lastSeq)
        : make(bytes.buffer.slice(offset, offset + lastSeq * width) as ArrayBuffer, 0, lastSeq);
    };
    const float64 = (buffer: ArrayBuffer, offset: number, length: number) => new Float64Array(buffer, offset, length);
    const uint32 = (buffer: ArrayBuffer, offset: number, length: number) => new Uint32Array(buffer, offset, length);
    const recordOffsets = take(float64, 8);
    const recordHashes = take(float64, 8);
    const idHashes = take(float64, 8);
    const streamSeqs = take(uint32, 4);
    const idSeqs = take(uint32, 4);
    return new StreamIndex(offset, ino, lastSeq, lastHash, streams as [string, number][], {
      recordOffsets,
      recordHashes,
      streamSeqs,
      idHashes,
      idSeqs,
    });
  }

  /** This index with records appended after it: `add` each, in seq order, then `finish`. */
  extend(): StreamIndexBuilder {
    return new StreamIndexBuilder(this, this.streams, this.tables);
  }
}

export class StreamIndexBuilder {
  private readonly offsets: number[] = [];
  private readonly hashes: number[] = [];
  private readonly added = new Map<string, number[]>();
  private readonly ids: number[] = [];
  private lastSeq: number;

  constructor(
    private readonly base: StreamIndex,
    private readonly streams: readonly (readonly [string, number])[],
    private readonly tables: Tables,
  ) {
    this.lastSeq = base.lastSeq;
  }

  get count(): number {
    return this.offsets.length;
  }

  /** A record read (and chain-checked) from the log: its seq, stream, event id, where it starts, and its hash. */
  add(seq: number, stream: string, id: string, start: number, hash: string): void {
    if (seq !== this.lastSeq + 1) throw new RangeError(`the index is at seq ${this.lastSeq}; seq ${seq} cannot follow it`);
    this.lastSeq = seq;
    this.offsets.push(start);
    this.hashes.push(hashPrefix(hash));
    let seqs = this.added.get(stream);
    if (seqs === undefined) this.added.set(stream, (seqs = []));
    seqs.push(seq);
    this.ids.push(idHash(id));
  }

  /** The index up to `offset`, where the last added record's line ends; `lastHash` is that record's hash. */
  finish(offset: number, lastHash: string): StreamIndex {
    const base = this.base;
    if (this.offsets.length === 0) return new StreamIndex(offset, base.ino, base.lastSeq, lastHash, this.streams, this.tables);
    const total = this.lastSeq;
    const recordOffsets = new Float64Array(total);
    recordOffsets.set(this.tables.recordOffsets);
    recordOffsets.set(this.offsets, base.lastSeq);
    const recordHashes = new Float64Array(total);
    recordHashes.set(this.tables.recordHashes);
    recordHashes.set(this.hashes, base.lastSeq);

    // Each stream's old seqs, then its new ones; streams new to the log after the others.
    const streams: [string, number][] = [];
    const streamSeqs = new Uint32Array(total);
    let at = 0;
    let from = 0;
    for (const [name, count] of this.streams) {
      streamSeqs.set(this.tables.streamSeqs.subarray(from, from + count), at);
      from += count;
      at += count;
      const more = this.added.get(name) ?? [];
      streamSeqs.set(more, at);
      at += more.length;
      streams.push([name, count + more.length]);
      this.added.delete(name);
    }
    for (const [name, seqs] of this.added) {
      streamSeqs.set(seqs, at);
      at += seqs.length;
      streams.push([name, seqs.length]);
    }

    // The new ids sorted by hash, each put after the old ids of the same or a lower hash: the runs of old ids between
    // them are copied whole (a few new ids among a million old ones cost two copies, not a million steps).
    const order = this.ids.map((_, i) => i).sort((a, b) => (this.ids[a] ?? 0) - (this.ids[b] ?? 0));
    const old = this.tables;
    const idHashes = new Float64Array(total);
    const idSeqs = new Uint32Array(total);
    let read = 0;
    let written = 0;
    for (const n of order) {
      const hash = this.ids[n] ?? 0;
      const until = firstAtLeast(old.idHashes, hash + 1, read); // id hashes are whole numbers below 2^53
      idHashes.set(old.idHashes.subarray(read, until), written);
      idSeqs.set(old.idSeqs.subarray(read, until), written);
      written += until - read;
      read = until;
      idHashes[written] = hash;
      idSeqs[written] = base.lastSeq + 1 + n;
      written++;
    }
    idHashes.set(old.idHashes.subarray(read), written);
    idSeqs.set(old.idSeqs.subarray(read), written);
    return new StreamIndex(offset, base.ino, total, lastHash, streams, { recordOffsets, recordHashes, streamSeqs, idHashes, idSeqs });
  }
}

/** A 53-bit hash of an event id (cyrb53): exact in a double, so the ids sort and compare as plain numbers. */
export function idHash(id: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function bytesOf(array: Float64Array | Uint32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The first 52 bits of a record's hash (hex), exact in a double. */
function hashPrefix(hash: string): number {
  return parseInt(hash.slice(0, 13), 16);
}

/** The first index from `from` on whose value in the ascending `sorted` is at least `value` (its length if none). */
function firstAtLeast(sorted: Float64Array, value: number, from: number): number {
  let low = from;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
