/**
 * The three writes of a writable table — INSERT, UPDATE, DELETE of one batch — with
 * the constraints DuckDB leaves to the worker for catalog tables: NOT NULL, the primary
 * key, and the table's own `check`. Each stages its rows in `TableStore` under the
 * call's scope (its transaction, when the catalog has them) and returns the rows
 * written, for the count or RETURNING.
 */
import { Int64, Schema, makeData, type Data, type RecordBatch } from "apache-arrow";
import { ErrorKind, VgiError, makeRecordBatch, sql } from "@vgi-ts/protocol";
import type { SharedStorage } from "../storage/shared-storage.js";
import { TableStore, type TableScope, type TableSnapshot } from "../storage/table-store.js";
import { selectRows } from "../filters/select-rows.js";
import type { OnConflict } from "./write-options.js";
import { ROW_ID, type WritableTableSpec } from "./writable-table-definition.js";
import { gather, locate, rebuild, rowIdValues, rowKeys } from "./writable-table-rows.js";

const CONFLICT_ERROR = ErrorKind.ConstraintViolation;

/** The table store over the worker's shared storage, which writable tables need. */
export function tableStore(storage: SharedStorage | null): TableStore {
  if (storage === null) {
    throw new VgiError(ErrorKind.Internal, "writable tables need the worker's shared storage");
  }
  return new TableStore(storage);
}

export async function insertRows(
  spec: WritableTableSpec,
  scope: TableScope,
  storage: SharedStorage | null,
  input: RecordBatch,
  onConflict: OnConflict,
): Promise<RecordBatch> {
  const name = spec.definition.name;
  const columns = spec.userSchema.fields.map((field) => {
    const child = input.getChild(field.name);
    if (child === null) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `INSERT into ${name} lacks column ${field.name}`,
      );
    }
    return child.data.length === 1 ? child.data[0]! : rebuild(field, child);
  });
  checkNotNull(
    spec,
    columns,
    spec.userSchema.fields.map((f) => f.name),
  );
  const store = tableStore(storage);
  const all = makeRecordBatch(spec.schema, input.numRows, [
    ...columns,
    await nextRowIds(storage!, input.numRows),
  ]);
  const key = spec.definition.primaryKey;
  if (key === undefined || key.length === 0) {
    spec.definition.check?.("insert", all);
    await store.write(scope, [{ kind: "put", table: name, rows: all }]);
    return all;
  }
  return keyCheckedWrite(store, scope, name, key, (snapshot) => {
    const seen = new Set<string>();
    const keep = new Uint8Array(all.numRows);
    rowKeys(all, key).forEach((k, i) => {
      if (snapshot.keyOwner(k) === undefined && !seen.has(k)) {
        seen.add(k);
        keep[i] = 1;
      } else if (onConflict === "throw") {
        throw duplicateKey(key, k, name);
      }
    });
    const rows = keep.some((v) => v === 0) ? selectRows(all, keep) : all;
    spec.definition.check?.("insert", rows);
    return rows;
  });
}

/** How often a keyed write checks again after losing a race to another writer. */
const KEY_CHECK_ATTEMPTS = 100;

/**
 * A write whose rows are checked against the table's keys: take a snapshot, let `rows`
 * check (and pick) the rows against it, and append them only if the log has not moved
 * since; otherwise another process wrote first (parallel streams of one statement run in
 * different worker processes) and the check runs again on the new snapshot, so two
 * writers cannot both take the same new key.
 */
async function keyCheckedWrite(
  store: TableStore,
  scope: TableScope,
  name: string,
  key: readonly string[],
  rows: (snapshot: TableSnapshot) => RecordBatch,
): Promise<RecordBatch> {
  for (let attempt = 0; attempt < KEY_CHECK_ATTEMPTS; attempt++) {
    const snapshot = await store.snapshot(scope, name, ROW_ID, (batch) => rowKeys(batch, key));
    const checked = rows(snapshot);
    if (await store.writeAt(scope, snapshot, [{ kind: "put", table: name, rows: checked }])) {
      return checked;
    }
  }
  throw new VgiError(
    ErrorKind.Internal,
    `writing ${name}: the table changed under ${KEY_CHECK_ATTEMPTS} key checks in a row`,
  );
}

export async function updateRows(
  spec: WritableTableSpec,
  scope: TableScope,
  storage: SharedStorage | null,
  input: RecordBatch,
): Promise<RecordBatch> {
  const name = spec.definition.name;
  const store = tableStore(storage);
  const key = spec.definition.primaryKey;
  const updated = new Set(input.schema.fields.map((f) => f.name).filter((n) => n !== ROW_ID));
  const ids = rowIdValues(input);
  /** The new versions of the rows, from the snapshot's current ones. */
  const newRows = (snapshot: TableSnapshot): RecordBatch => {
    const located = locate(snapshot, ids, name, "Update");
    const columns = spec.userSchema.fields.map((field) => {
      if (updated.has(field.name)) {
        const child = input.getChild(field.name)!;
        return child.data.length === 1 ? child.data[0]! : rebuild(field, child);
      }
      return gather(field, located);
    });
    checkNotNull(
      spec,
      columns,
      spec.userSchema.fields.map((f) => f.name).filter((n) => updated.has(n)),
    );
    return makeRecordBatch(spec.schema, input.numRows, [...columns, sql.bigint.build(ids)]);
  };
  if (key === undefined || key.length === 0 || !key.some((column) => updated.has(column))) {
    const rows = newRows(await store.snapshot(scope, name, ROW_ID));
    spec.definition.check?.("update", rows);
    await store.write(scope, [{ kind: "put", table: name, rows }]);
    return rows;
  }
  return keyCheckedWrite(store, scope, name, key, (snapshot) => {
    const rows = newRows(snapshot);
    // Keys of rows this batch changes are free; any other live row's key is taken.
    const changing = new Set(ids);
    const seen = new Set<string>();
    for (const k of rowKeys(rows, key)) {
      const owner = snapshot.keyOwner(k);
      if ((owner !== undefined && !changing.has(owner)) || seen.has(k)) {
        throw duplicateKey(key, k, name);
      }
      seen.add(k);
    }
    spec.definition.check?.("update", rows);
    return rows;
  });
}

export async function deleteRows(
  spec: WritableTableSpec,
  scope: TableScope,
  storage: SharedStorage | null,
  input: RecordBatch,
): Promise<RecordBatch> {
  const name = spec.definition.name;
  const store = tableStore(storage);
  const snapshot = await store.snapshot(scope, name, ROW_ID);
  const ids = rowIdValues(input);
  const located = locate(snapshot, ids, name, "Delete");
  const columns = spec.userSchema.fields.map((field) => gather(field, located));
  const rows = makeRecordBatch(spec.schema, input.numRows, [...columns, sql.bigint.build(ids)]);
  spec.definition.check?.("delete", rows);
  const doomed = makeRecordBatch(new Schema([spec.schema.fields.at(-1)!]), ids.length, [
    sql.bigint.build(ids),
  ]);
  await store.write(scope, [{ kind: "delete", table: name, rows: doomed }]);
  return rows;
}

/** Key `k` of columns `key` is already taken in table `table`. */
function duplicateKey(key: readonly string[], k: string, table: string): VgiError {
  return new VgiError(
    CONFLICT_ERROR,
    `Duplicate key "${key.join(", ")}: ${k}" violates the primary key of table ${table}`,
  );
}

function checkNotNull(
  spec: WritableTableSpec,
  columns: readonly Data[],
  names: readonly string[],
): void {
  for (const column of spec.definition.notNull ?? []) {
    const index = spec.userSchema.fields.findIndex(
      (f) => f.name.toLowerCase() === column.toLowerCase(),
    );
    if (index < 0 || !names.includes(spec.userSchema.fields[index]!.name)) continue;
    if (columns[index]!.nullCount > 0) {
      throw new VgiError(
        CONFLICT_ERROR,
        `NOT NULL constraint failed: ${spec.definition.name}.${spec.userSchema.fields[index]!.name}`,
      );
    }
  }
}

/** The counter (in shared storage) every writable table numbers its rows from. */
const ROW_ID_SEQUENCE = "vgi.tables.rowid";

/**
 * Fresh row ids, consecutive, claimed from a shared-storage counter in one atomic step:
 * unique across every worker process, and increasing in claim order, so row id order
 * is insertion order.
 */
async function nextRowIds(storage: SharedStorage, count: number): Promise<Data<Int64>> {
  const ids = new BigInt64Array(count);
  if (count > 0) {
    const first = await storage.nextSequence(ROW_ID_SEQUENCE, count);
    for (let i = 0; i < count; i++) ids[i] = first + BigInt(i);
  }
  return makeData({ type: new Int64(), length: count, nullCount: 0, data: ids });
}
