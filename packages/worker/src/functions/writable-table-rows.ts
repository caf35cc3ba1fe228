/**
 * Row-level helpers of writable tables: reading the row ids and keys of a batch,
 * finding rows' live versions in a snapshot, and assembling the columns of the rows a
 * write produces. Pure functions over Arrow batches, shared by INSERT, UPDATE and DELETE.
 */
import { type Data, type Field, type RecordBatch } from "apache-arrow";
import { ErrorKind, VgiError, makeRecordBatch, sql, sqlTypeFromArrow } from "@vgi-ts/protocol";
import type { TableSnapshot } from "../storage/table-store.js";
import { ROW_ID, type WritableTableSpec } from "./writable-table-definition.js";
import { COUNT_SCHEMA } from "./write-options.js";

export function rowIdValues(batch: RecordBatch): bigint[] {
  const column = batch.getChild(ROW_ID);
  if (column === null) {
    throw new VgiError(ErrorKind.InvalidArgument, `write input has no ${ROW_ID} column`);
  }
  const out: bigint[] = [];
  for (let i = 0; i < column.length; i++) {
    const id = column.get(i) as bigint | null;
    if (id === null)
      throw new VgiError(ErrorKind.InvalidArgument, `write input has a NULL ${ROW_ID}`);
    out.push(id);
  }
  return out;
}

export interface Located {
  readonly batch: RecordBatch;
  readonly row: number;
}

/** The batch and row of each row id's live version; a missing one is an error. */
export function locate(
  snapshot: TableSnapshot,
  ids: readonly bigint[],
  table: string,
  verb: string,
): Located[] {
  return ids.map((id) => {
    const found = snapshot.locate(id);
    if (found === null) {
      throw new VgiError(ErrorKind.NotFound, `${verb} target rowid ${id} not in table ${table}`);
    }
    return found;
  });
}

/** One column of the located rows, read from their batches. */
export function gather(field: Field, located: readonly Located[]): Data {
  const type = sqlTypeFromArrow(field.type, field.metadata);
  const readers = new Map<RecordBatch, (row: number) => unknown>();
  const reader = (batch: RecordBatch) => {
    let read = readers.get(batch);
    if (read === undefined) readers.set(batch, (read = type.reader(batch.getChild(field.name)!)));
    return read;
  };
  return type.build(located.map(({ batch, row }) => reader(batch)(row)));
}

/** A multi-chunk input column as one chunk. */
export function rebuild(field: Field, column: { length: number; get(i: number): unknown }): Data {
  const type = sqlTypeFromArrow(field.type, field.metadata);
  return type.build(Array.from({ length: column.length }, (_, i) => column.get(i)));
}

/** Each row's key, as text (`1`, `"a", 2`). */
export function rowKeys(batch: RecordBatch, key: readonly string[]): string[] {
  const readers = key.map((column) => {
    const index = batch.schema.fields.findIndex(
      (f) => f.name.toLowerCase() === column.toLowerCase(),
    );
    const field = batch.schema.fields[index]!;
    return sqlTypeFromArrow(field.type, field.metadata).reader(batch.getChildAt(index)!);
  });
  return Array.from({ length: batch.numRows }, (_, row) =>
    readers
      .map((read) => {
        const value = read(row);
        return typeof value === "bigint" ? value.toString() : JSON.stringify(value);
      })
      .join(", "),
  );
}

export function userColumns(spec: WritableTableSpec, rows: RecordBatch): RecordBatch {
  return makeRecordBatch(
    spec.userSchema,
    rows.numRows,
    spec.userSchema.fields.map((field) => rows.getChild(field.name)!.data[0]!),
  );
}

export function countBatch(count: number): RecordBatch {
  return makeRecordBatch(COUNT_SCHEMA, 1, [sql.bigint.build([BigInt(count)])]);
}
