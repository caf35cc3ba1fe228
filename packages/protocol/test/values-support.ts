/** Shared by the values tests: boundary constants and one column through IPC and back. */
import { expect } from "vitest";
import { Field, RecordBatch, Schema, Struct, makeData, type Data } from "apache-arrow";
import { decodeStream, encodeStream, type AnySqlType } from "../src/index.js";

export const I128_MAX = (1n << 127n) - 1n;
export const I128_MIN = -(1n << 127n);
export const U128_MAX = (1n << 128n) - 1n;
export const I64_MAX = (1n << 63n) - 1n;
export const I64_MIN = -(1n << 63n);
export const D38 = "9".repeat(38);

/** Build one column, send it through IPC, return the decoded field and column data. */
export function throughIpc(
  type: AnySqlType,
  values: readonly unknown[],
): { field: Field; data: Data } {
  const field = type.field("v");
  const built = type.build(values);
  expect(built.length).toBe(values.length);
  const schema = new Schema([field]);
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: values.length, children: [built] }),
  );
  const decoded = decodeStream(encodeStream(schema, [batch]));
  const column = decoded.batches[0]!.getChildAt(0)!;
  expect(column.data).toHaveLength(1);
  return { field: decoded.schema.fields[0]!, data: column.data[0]! };
}

export function roundTrip(type: AnySqlType, values: readonly unknown[]): unknown[] {
  const { field, data } = throughIpc(type, values);
  expect(type.accepts(field.type)).toBe(true);
  return type.readAll(data);
}
