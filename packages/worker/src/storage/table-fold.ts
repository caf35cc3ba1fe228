/**
 * The folded state of one table's change log (see table-store.ts), kept between calls
 * in the worker process and brought up to date by reading only the entries appended
 * since. A write then costs what its own batch costs, not a re-read and re-fold of the
 * whole table: the log is append-only, so the entries a fold has seen never change.
 *
 * Two kinds: the committed log of an attachment (`masks: false`), and a transaction's
 * staged log (`masks: true`), folded as an overlay on top of the committed one: a row it
 * deletes is remembered as deleted, so it hides that row of the committed fold. Reading
 * "staged over committed" per row id is exactly folding the committed log then the staged
 * one, even while other transactions commit meanwhile.
 *
 * A fold also detects a log that was dropped and written again (the sqlite storage expires
 * logs idle for an hour): it re-reads the last entry it saw, and starts over from the
 * beginning when that entry is gone or different.
 */
import type { RecordBatch } from "apache-arrow";
import type { SharedStorage } from "./shared-storage.js";
import { decodeChanges } from "./table-changes.js";

/** Where a row version lives: batch index × 2^32 + row (exact in a double below 2^53). */
type Location = number;
const DELETED: Location = -1;
const ROW_SPAN = 0x1_0000_0000;

/**
 * A row id as a map key: a number when it is in [0, 2^53) (row ids from the storage's
 * counter are; small ones are V8 small integers), else the bigint. Maps keyed by BigInts
 * hash each one, and reading a BigInt64Array allocates a BigInt per element: the fold's
 * cost was mostly that.
 */
type IdKey = number | bigint;
const SAFE = 0x20_0000; // 2^53 / 2^32: the high word of ids below 2^53

function idKey(id: bigint): IdKey {
  return id >= 0n && id < 0x20_0000_0000_0000n ? Number(id) : id;
}

/** The keys of a batch's row ids, reading the words (no BigInt for ids below 2^53). */
function idKeys(ids: BigInt64Array): IdKey[] {
  const words = new Int32Array(ids.buffer, ids.byteOffset, ids.length * 2);
  const out = new Array<IdKey>(ids.length);
  for (let row = 0; row < ids.length; row++) {
    const high = words[2 * row + 1]!;
    out[row] = high >= 0 && high < SAFE ? high * ROW_SPAN + (words[2 * row]! >>> 0) : ids[row]!;
  }
  return out;
}

function idOf(key: IdKey): bigint {
  return typeof key === "bigint" ? key : BigInt(key);
}

/** Each row's key as text, for primary key checks (given by the table's owner). */
export type KeyFunction = (batch: RecordBatch) => readonly string[];

export class TableFold {
  /** Every put batch of the log, in log order, and its row ids (as map keys). */
  readonly batches: RecordBatch[] = [];
  readonly batchIds: IdKey[][] = [];
  /** The latest version of each row id (a masking fold: or DELETED). */
  readonly where = new Map<IdKey, Location>();
  /** Key index (when asked for): each live row's key, and the row holding each key. */
  private keyFn: KeyFunction | null = null;
  private readonly keyOf = new Map<IdKey, string>();
  private readonly idOfKey = new Map<string, IdKey>();
  /** Entries applied (the next seq to read) and the last one, to notice a reset log. */
  private seq = 0;
  private last: Uint8Array | null = null;
  /** Catch-ups of one fold run one at a time (calls of one process interleave). */
  private busy: Promise<void> = Promise.resolve();

  constructor(
    private readonly namespace: string,
    private readonly logId: Uint8Array,
    readonly table: string,
    private readonly rowId: string,
    private readonly masks: boolean,
  ) {}

  /** Apply the entries appended since the last call (all of them the first time). */
  catchUp(storage: SharedStorage): Promise<void> {
    const run = this.busy.then(() => this.readNew(storage));
    this.busy = run.catch(() => undefined);
    return run;
  }

  /** Build the key index once; later changes keep it current. */
  indexKeys(keyFn: KeyFunction): void {
    if (this.keyFn !== null) return;
    this.keyFn = keyFn;
    this.batches.forEach((batch, index) => this.indexBatch(batch, index));
  }

  /** The location of a row id's latest version; DELETED or undefined when not here. */
  locate(id: IdKey): Location | undefined {
    return this.where.get(id);
  }

  /** The live row holding `key` (needs `indexKeys`). */
  keyOwner(key: string): IdKey | undefined {
    return this.idOfKey.get(key);
  }

  /** The log position after the last entry applied: where the next append lands. */
  get nextSeq(): number {
    return this.seq;
  }

  private async readNew(storage: SharedStorage): Promise<void> {
    if (this.seq > 0) {
      const [previous] = await storage.read(this.namespace, this.logId, this.seq - 1, 1);
      if (previous === undefined || !sameBytes(previous.data, this.last!)) this.reset();
    }
    const entries = await storage.read(this.namespace, this.logId, this.seq);
    for (const entry of entries) {
      for (const change of decodeChanges(entry.data, this.table)) {
        if (change.kind === "put") this.put(change.rows);
        else this.delete(idKeys(rowIds(change.rows, this.rowId)));
      }
      this.seq = entry.seq + 1;
      this.last = entry.data;
    }
  }

  private reset(): void {
    this.batches.length = 0;
    this.batchIds.length = 0;
    this.where.clear();
    this.keyOf.clear();
    this.idOfKey.clear();
    this.seq = 0;
    this.last = null;
  }

  private put(rows: RecordBatch): void {
    const index = this.batches.push(rows) - 1;
    const ids = idKeys(rowIds(rows, this.rowId));
    this.batchIds.push(ids);
    for (let row = 0; row < ids.length; row++) this.where.set(ids[row]!, index * ROW_SPAN + row);
    if (this.keyFn !== null) this.indexBatch(rows, index);
  }

  private delete(ids: readonly IdKey[]): void {
    for (const id of ids) {
      if (this.masks) this.where.set(id, DELETED);
      else this.where.delete(id);
      this.unindex(id);
    }
  }

  /** Index the keys of the rows of batch `index` that are their id's latest version. */
  private indexBatch(batch: RecordBatch, index: number): void {
    const keys = this.keyFn!(batch);
    const ids = this.batchIds[index]!;
    for (let row = 0; row < ids.length; row++) {
      const id = ids[row]!;
      if (this.where.get(id) !== index * ROW_SPAN + row) continue;
      this.unindex(id);
      this.keyOf.set(id, keys[row]!);
      this.idOfKey.set(keys[row]!, id);
    }
  }

  private unindex(id: IdKey): void {
    const key = this.keyOf.get(id);
    if (key === undefined) return;
    this.keyOf.delete(id);
    if (this.idOfKey.get(key) === id) this.idOfKey.delete(key);
  }
}

/** The live rows of a table as one scope sees them: committed, with staged on top. */
export class TableSnapshot {
  /**
   * Where a write of this scope lands in its log (the transaction's staged log, else the
   * committed one) if nothing was appended since this snapshot: for `TableStore.writeAt`.
   */
  readonly writeSeq: number;

  constructor(
    private readonly base: TableFold,
    private readonly overlay: TableFold | null,
  ) {
    this.writeSeq = (overlay ?? base).nextSeq;
  }

  /** The batch and row of a row id's latest version, or null when it is not live. */
  locate(rowId: bigint): { batch: RecordBatch; row: number } | null {
    const id = idKey(rowId);
    const staged = this.overlay?.locate(id);
    if (staged !== undefined) return staged === DELETED ? null : at(this.overlay!, staged);
    const committed = this.base.locate(id);
    return committed === undefined ? null : at(this.base, committed);
  }

  /** The live row holding `key`, if any (folds built with `indexKeys`). */
  keyOwner(key: string): bigint | undefined {
    const staged = this.overlay?.keyOwner(key);
    if (staged !== undefined) return idOf(staged);
    const committed = this.base.keyOwner(key);
    // A committed row the transaction changed or deleted holds its staged key, if any.
    if (committed === undefined || this.overlay?.locate(committed) !== undefined) return undefined;
    return idOf(committed);
  }

  /** Live rows as runs of batch rows, each run in row id order (insertion order). */
  liveRows(): { batch: RecordBatch; rows: Int32Array; ids: IdKey[] }[] {
    const runs: { batch: RecordBatch; rows: Int32Array; ids: IdKey[] }[] = [];
    const collect = (fold: TableFold, hidden: TableFold | null) => {
      fold.batches.forEach((batch, index) => {
        const ids = fold.batchIds[index]!;
        const rows: number[] = [];
        for (let row = 0; row < ids.length; row++) {
          const id = ids[row]!;
          if (fold.where.get(id) !== index * ROW_SPAN + row) continue;
          if (hidden !== null && hidden.where.has(id)) continue;
          rows.push(row);
        }
        if (rows.length > 0) {
          const taken = Int32Array.from(rows);
          runs.push({ batch, rows: taken, ids: Array.from(taken, (row) => ids[row]!) });
        }
      });
    };
    collect(this.base, this.overlay);
    if (this.overlay !== null) collect(this.overlay, null);
    return runs;
  }
}

function at(fold: TableFold, location: Location): { batch: RecordBatch; row: number } {
  const batch = Math.floor(location / ROW_SPAN);
  return { batch: fold.batches[batch]!, row: location - batch * ROW_SPAN };
}

export function rowIds(batch: RecordBatch, rowId: string): BigInt64Array {
  const column = batch.getChild(rowId);
  if (column === null) throw new Error(`table change has no row id column '${rowId}'`);
  return column.data.length === 1 && column.data[0]!.offset === 0
    ? (column.data[0]!.values as BigInt64Array).subarray(0, column.length)
    : BigInt64Array.from(column.toArray() as Iterable<bigint>);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}
