/**
 * Shared builders for the vgi.filters.v2 decode tests: the bind output schema the
 * documents refer to, JSON node and document builders, one-row payload columns, a
 * join_keys batch, and `refused`, which asserts a typed FilterDecodeError and returns
 * its message.
 */
import { expect } from "vitest";
import {
  Bool,
  Field,
  Int64,
  List,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
  type Data,
} from "apache-arrow";
import {
  FilterDecodeError,
  decodeFilterSnapshot,
  encodeFilterPayload,
  encodeStream,
  type FilterPayloadColumn,
  type FilterState,
} from "../src/index.js";

export const output = new Schema([
  new Field("n", new Int64()),
  new Field("s", new Utf8()),
  new Field("flag", new Bool()),
  new Field("rec", new Struct([new Field("a", new Int64()), new Field("b", new Utf8())])),
  new Field("tags", new List(new Field("item", new Utf8()))),
]);

export const col = (name: string) => ({
  node: "column_ref",
  column_index: output.fields.findIndex((f) => f.name === name),
  column_name: name,
});
export const lit = (ref: number) => ({ node: "literal", value_ref: ref });
export const cmp = (op: string, left: unknown, right: unknown) => ({
  node: "comparison",
  op,
  left,
  right,
});

export function int64(name: string, value: bigint | null): FilterPayloadColumn {
  return {
    field: new Field(name, new Int64()),
    data: vectorFromArray([value], new Int64()).data[0]!,
  };
}
export function utf8(name: string, value: string | null): FilterPayloadColumn {
  return {
    field: new Field(name, new Utf8()),
    data: vectorFromArray([value], new Utf8()).data[0]!,
  };
}
export function int64List(name: string, values: (bigint | null)[]): FilterPayloadColumn {
  const type = new List(new Field("item", new Int64()));
  return { field: new Field(name, type), data: vectorFromArray([values], type).data[0]! };
}

export function predicate(expression: unknown, extra: Record<string, unknown> = {}) {
  return { id: "query:0", revision: 0, mode: "required", source: "query", expression, ...extra };
}
export function snapshot(predicates: unknown[]) {
  return {
    encoding: "vgi.filters.v2",
    semantics: "vgi.duckdb.standard.v1",
    kind: "snapshot",
    predicates,
  };
}
export function decode(
  doc: unknown,
  payloads: FilterPayloadColumn[] = [],
  joinKeys?: Uint8Array[],
): FilterState {
  return decodeFilterSnapshot(encodeFilterPayload(doc, payloads), {
    outputSchema: output,
    joinKeys,
  });
}
export function refused(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FilterDecodeError);
    expect((error as FilterDecodeError).kind).toBe("malformed_request");
    return (error as Error).message;
  }
  throw new Error("expected a FilterDecodeError");
}

export function joinBatch(schema: Schema, column: Data): Uint8Array {
  const struct = makeData({
    type: new Struct(schema.fields),
    length: column.length,
    children: [column],
  });
  return encodeStream(schema, [new RecordBatch(schema, struct)]);
}
