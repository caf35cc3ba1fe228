/**
 * The Arrow batches of the aggregate methods: reading an update's group ids and
 * argument columns, the int64 id columns of combine and finalize, and the one-column
 * result batch finalize answers. Work on the columns' buffers, not per value.
 */
import { Field, RecordBatch, Schema, Struct, makeData, type Data } from "apache-arrow";
import { ErrorKind, VgiError } from "@vgi-ts/protocol";
import type { AggregateFunction } from "../functions/aggregate-function.js";
import type { UpdateBatch } from "../functions/state-table.js";

export function updateBatch(batch: RecordBatch, fn: AggregateFunction): UpdateBatch {
  const groupIds = int64Column(batch, batch.schema.fields[0]!.name);
  const columns = batch.schema.fields.slice(1).map((_, i) => batch.getChildAt(i + 1)!);
  const names = fn.definition.arguments.filter((arg) => arg.const !== true).map((a) => a.name);
  return {
    numRows: batch.numRows,
    groupIds,
    columns,
    column: (name) => {
      const index = names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
      const column = index < 0 ? undefined : columns[index];
      if (column === undefined) throw new Error(`${fn.name} has no column argument '${name}'`);
      return column;
    },
  };
}

/** An int64 column's values; arrow-js slices a primitive values buffer with the column. */
export function int64Column(batch: RecordBatch, name: string): BigInt64Array {
  const data = batch.getChild(name)?.data[0];
  if (data === undefined) {
    throw new VgiError(ErrorKind.MalformedRequest, `aggregate batch has no column '${name}'`);
  }
  if (!(data.values instanceof BigInt64Array)) {
    throw new VgiError(ErrorKind.TypeMismatch, `aggregate column '${name}' must be int64`);
  }
  return data.values.subarray(0, data.length);
}

export function singleColumnBatch(field: Field, column: Data): RecordBatch {
  const schema = new Schema([field]);
  const struct = makeData({ type: new Struct([field]), length: column.length, children: [column] });
  return new RecordBatch(schema, struct);
}
