/**
 * Rows of writable catalog tables, kept in SharedStorage so that every worker process
 * serving an attachment (DuckDB pools them, and sends each write stream, scan and
 * commit to whichever is idle) sees the same rows.
 *
 * Two append-only logs of changes:
 * - committed changes, one log per attachment (`vgi.tables`, keyed by the attachment id);
 * - staged changes, one log per open transaction (`vgi.tables.tx`, keyed by the
 *   transaction id). A commit reads them and appends them to the committed log as ONE
 *   entry, so a transaction is applied whole or not at all; a rollback (or a statement
 *   that failed, which DuckDB rolls back) drops the staged log.
 * A reader folds the committed log, then its own transaction's staged log on top, so a
 * transaction sees its own writes and no one else's uncommitted ones.
 *
 * A change is a batch of rows to put (whole rows with their row id: an insert, or the
 * new version of an updated row) or of row ids to delete. Folding keeps, for each row id,
 * the batch holding its latest version, then takes the live rows in row id order (an
 * updated row keeps its place), whole batches where nothing changed. Concurrent transactions that change the same row: the last commit
 * wins (no conflict detection).
 *
 * Storage expiry applies: the sqlite backend drops an attachment's log when nothing was
 * written to it for its `maxAgeMs` (one hour by default).
 */
import { RecordBatch } from "apache-arrow";
import { decodeSingleBatch, encodeBatch } from "@vgi-ts/protocol";
import { takeRows } from "../filters/select-rows.js";
import type { SharedStorage } from "./shared-storage.js";

export const COMMITTED_NAMESPACE = "vgi.tables";
export const STAGED_NAMESPACE = "vgi.tables.tx";

export type TableChange =
  /** Whole rows, including the row id column: new rows, or new versions of rows. */
  | { readonly kind: "put"; readonly table: string; readonly rows: RecordBatch }
  /** A batch whose row id column names the rows to remove. */
  | { readonly kind: "delete"; readonly table: string; readonly rows: RecordBatch };

/** Where a write or read happens: the attachment and, if any, its open transaction. */
export interface TableScope {
  readonly attachId: Uint8Array;
  readonly transactionId: Uint8Array | null;
}

export class TableStore {
  constructor(private readonly storage: SharedStorage) {}

  /** The live rows of `table` as `scope` sees them, in insertion order. */
  async rows(scope: TableScope, table: string, rowId: string): Promise<RecordBatch[]> {
    const changes = await this.changes(scope, table);
    const batches: RecordBatch[] = [];
    const latest = new Map<bigint, number>();
    for (const change of changes) {
      const ids = rowIds(change.rows, rowId);
      if (change.kind === "put") {
        const index = batches.push(change.rows) - 1;
        for (const id of ids) latest.set(id, index);
      } else {
        for (const id of ids) latest.delete(id);
      }
    }
    // Live rows in row id order (insertion order: an updated row keeps its place), as
    // runs of rows taken from one batch.
    const live: { id: bigint; batch: number; row: number }[] = [];
    batches.forEach((batch, index) => {
      const ids = rowIds(batch, rowId);
      for (let i = 0; i < ids.length; i++) {
        if (latest.get(ids[i]!) === index) live.push({ id: ids[i]!, batch: index, row: i });
      }
    });
    live.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const out: RecordBatch[] = [];
    for (let start = 0; start < live.length;) {
      let end = start + 1;
      while (
        end < live.length &&
        live[end]!.batch === live[start]!.batch &&
        live[end]!.row > live[end - 1]!.row
      ) {
        end++;
      }
      const batch = batches[live[start]!.batch]!;
      const rows = Int32Array.from(live.slice(start, end), (entry) => entry.row);
      out.push(rows.length === batch.numRows ? batch : takeRows(batch, rows));
      start = end;
    }
    return out;
  }

  /**
   * Record changes: staged under the transaction when there is one, else committed at
   * once (one entry, so the changes of one call are applied together).
   */
  async write(scope: TableScope, changes: readonly TableChange[]): Promise<void> {
    if (changes.length === 0) return;
    const entry = encodeChanges(changes);
    if (scope.transactionId === null) {
      await this.storage.append(COMMITTED_NAMESPACE, scope.attachId, entry);
    } else {
      await this.storage.append(STAGED_NAMESPACE, scope.transactionId, entry);
    }
  }

  /** Apply a transaction's staged changes as one committed entry, then forget them. */
  async commit(attachId: Uint8Array, transactionId: Uint8Array): Promise<void> {
    const staged = await this.storage.read(STAGED_NAMESPACE, transactionId, 0);
    if (staged.length > 0) {
      await this.storage.append(
        COMMITTED_NAMESPACE,
        attachId,
        concat(staged.map((entry) => entry.data)),
      );
    }
    await this.storage.clear(transactionId);
  }

  /** Drop a transaction's staged changes. */
  async rollback(transactionId: Uint8Array): Promise<void> {
    await this.storage.clear(transactionId);
  }

  private async changes(scope: TableScope, table: string): Promise<TableChange[]> {
    const committed = await this.storage.read(COMMITTED_NAMESPACE, scope.attachId, 0);
    const staged =
      scope.transactionId === null
        ? []
        : await this.storage.read(STAGED_NAMESPACE, scope.transactionId, 0);
    const out: TableChange[] = [];
    for (const entry of [...committed, ...staged]) {
      for (const change of decodeChanges(entry.data)) {
        if (change.table === table) out.push(change);
      }
    }
    return out;
  }
}

function rowIds(batch: RecordBatch, rowId: string): BigInt64Array {
  const column = batch.getChild(rowId);
  if (column === null) throw new Error(`table change has no row id column '${rowId}'`);
  return column.data.length === 1
    ? (column.data[0]!.values as BigInt64Array)
    : BigInt64Array.from(column.toArray() as Iterable<bigint>);
}

/*
 * One entry: frames of [u32 header length][header JSON][u32 IPC length][IPC stream],
 * self-delimiting, so a commit concatenates the staged entries into one.
 */
const KINDS = new Set(["put", "delete"]);

function encodeChanges(changes: readonly TableChange[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const change of changes) {
    const header = new TextEncoder().encode(JSON.stringify({ k: change.kind, t: change.table }));
    const ipc = encodeBatch(change.rows);
    parts.push(u32(header.byteLength), header, u32(ipc.byteLength), ipc);
  }
  return concat(parts);
}

function decodeChanges(bytes: Uint8Array): TableChange[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: TableChange[] = [];
  let at = 0;
  const take = (): Uint8Array => {
    if (at + 4 > bytes.byteLength) throw new Error("table change log entry is truncated");
    const length = view.getUint32(at, true);
    at += 4;
    if (at + length > bytes.byteLength) throw new Error("table change log entry is truncated");
    const part = bytes.subarray(at, at + length);
    at += length;
    return part;
  };
  while (at < bytes.byteLength) {
    const header = JSON.parse(new TextDecoder().decode(take())) as { k: string; t: string };
    if (!KINDS.has(header.k)) throw new Error(`unknown table change kind '${header.k}'`);
    const rows = decodeSingleBatch(take(), "table change");
    out.push({ kind: header.k as TableChange["kind"], table: header.t, rows });
  }
  return out;
}

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
