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
 * transaction sees its own writes and no one else's uncommitted ones. Folds are kept in
 * the process between calls and catch up on new entries only (table-fold.ts), so a write
 * batch costs in proportion to itself, not to the table.
 *
 * A change is a batch of rows to put (whole rows with their row id: an insert, or the
 * new version of an updated row) or of row ids to delete. Folding keeps, for each row id,
 * the batch holding its latest version, then takes the live rows in row id order (an
 * updated row keeps its place), whole batches where nothing changed. A write checked
 * against a snapshot (a primary key not yet taken) goes through `writeAt`, which appends
 * only if the log has not moved since, so writers of one log (parallel streams of one
 * statement, or statements outside transactions) cannot both take a key. Concurrent
 * transactions that change the same row: the last commit wins (no conflict detection).
 *
 * Storage expiry applies: the sqlite backend drops an attachment's log when nothing was
 * written to it for its `maxAgeMs` (one hour by default).
 */
import type { RecordBatch } from "apache-arrow";
import { takeRows } from "../filters/select-rows.js";
import { executionKey, type SharedStorage } from "./shared-storage.js";
import { TableFold, TableSnapshot, type KeyFunction } from "./table-fold.js";
import { concat, encodeChanges, type TableChange } from "./table-changes.js";

export { TableFold, TableSnapshot, type KeyFunction } from "./table-fold.js";
export { decodeChanges, encodeChanges, type TableChange } from "./table-changes.js";

export const COMMITTED_NAMESPACE = "vgi.tables";
export const STAGED_NAMESPACE = "vgi.tables.tx";

/** Where a write or read happens: the attachment and, if any, its open transaction. */
export interface TableScope {
  readonly attachId: Uint8Array;
  readonly transactionId: Uint8Array | null;
}

/**
 * Folds kept per storage (a process normally has one), most recently used last. Bounded:
 * a transaction's staged fold is dropped at commit or rollback only in the process that
 * ran it, and other processes' copies age out of here.
 */
const FOLDS = new WeakMap<SharedStorage, Map<string, TableFold>>();
const MAX_FOLDS = 64;

/** The log a scope's writes go to: its transaction's staged log, else the committed one. */
function writeLog(scope: TableScope): [namespace: string, logId: Uint8Array] {
  return scope.transactionId === null
    ? [COMMITTED_NAMESPACE, scope.attachId]
    : [STAGED_NAMESPACE, scope.transactionId];
}

export class TableStore {
  constructor(private readonly storage: SharedStorage) {}

  /**
   * The live rows of `table` as `scope` sees them, brought up to date: look rows up by
   * id, or by key with `keys` (each row's key as text; indexed once, then kept current).
   * Use it before the next await: another call of the process may move it on.
   */
  async snapshot(
    scope: TableScope,
    table: string,
    rowId: string,
    keys?: KeyFunction,
  ): Promise<TableSnapshot> {
    const base = this.fold(COMMITTED_NAMESPACE, scope.attachId, table, rowId, false);
    const overlay =
      scope.transactionId === null
        ? null
        : this.fold(STAGED_NAMESPACE, scope.transactionId, table, rowId, true);
    await base.catchUp(this.storage);
    await overlay?.catchUp(this.storage);
    if (keys !== undefined) {
      base.indexKeys(keys);
      overlay?.indexKeys(keys);
    }
    return new TableSnapshot(base, overlay);
  }

  /** The live rows of `table` as `scope` sees them, in insertion order. */
  async rows(scope: TableScope, table: string, rowId: string): Promise<RecordBatch[]> {
    const runs = (await this.snapshot(scope, table, rowId)).liveRows();
    // Live rows in row id order (insertion order: an updated row keeps its place), as
    // runs of rows taken from one batch.
    const live: { id: number | bigint; run: number; row: number }[] = [];
    runs.forEach(({ rows, ids }, run) => {
      for (let i = 0; i < rows.length; i++) live.push({ id: ids[i]!, run, row: rows[i]! });
    });
    // Numbers and bigints compare by value with < and >.
    live.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const out: RecordBatch[] = [];
    for (let start = 0; start < live.length;) {
      let end = start + 1;
      while (
        end < live.length &&
        live[end]!.run === live[start]!.run &&
        live[end]!.row > live[end - 1]!.row
      ) {
        end++;
      }
      const batch = runs[live[start]!.run]!.batch;
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
    const [namespace, logId] = writeLog(scope);
    await this.storage.append(namespace, logId, encodeChanges(changes));
  }

  /**
   * `write`, but only if the scope's log has not moved since `snapshot` was taken
   * (`snapshot.writeSeq`); false when another writer appended first, so changes checked
   * against the snapshot (a key not yet taken) must be checked again.
   */
  async writeAt(
    scope: TableScope,
    snapshot: TableSnapshot,
    changes: readonly TableChange[],
  ): Promise<boolean> {
    if (changes.length === 0) return true;
    const [namespace, logId] = writeLog(scope);
    return this.storage.appendAt(namespace, logId, snapshot.writeSeq, encodeChanges(changes));
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
    await this.rollback(transactionId);
  }

  /** Drop a transaction's staged changes. */
  async rollback(transactionId: Uint8Array): Promise<void> {
    const folds = FOLDS.get(this.storage);
    const prefix = `${STAGED_NAMESPACE}/${executionKey(transactionId)}/`;
    for (const key of [...(folds?.keys() ?? [])]) if (key.startsWith(prefix)) folds!.delete(key);
    await this.storage.clear(transactionId);
  }

  private fold(
    namespace: string,
    logId: Uint8Array,
    table: string,
    rowId: string,
    masks: boolean,
  ): TableFold {
    let folds = FOLDS.get(this.storage);
    if (folds === undefined) FOLDS.set(this.storage, (folds = new Map()));
    const key = `${namespace}/${executionKey(logId)}/${table}/${rowId}`;
    const fold = folds.get(key) ?? new TableFold(namespace, logId, table, rowId, masks);
    folds.delete(key);
    folds.set(key, fold);
    if (folds.size > MAX_FOLDS) folds.delete(folds.keys().next().value!);
    return fold;
  }
}
