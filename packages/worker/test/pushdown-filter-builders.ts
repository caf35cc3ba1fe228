/**
 * Builders for the pushdown-filter tests: Arrow batches of named columns, filter
 * payloads built exactly as the extension sends them (vgi.filters.v2 IPC) and decoded
 * with `PushdownFilters`, and the row indices a predicate keeps.
 */
import { RecordBatch, Schema, Struct, makeData, type Data } from "apache-arrow";
import { encodeFilterPayload, type AnySqlType, type FilterPayloadColumn } from "@vgi-ts/protocol";
import { PushdownFilters } from "../src/index.js";

export type Columns = Record<string, { type: AnySqlType; values: unknown[] }>;

export function batchOf(columns: Columns): RecordBatch {
  const fields = Object.entries(columns).map(([name, c]) => c.type.field(name));
  const children: Data[] = Object.values(columns).map((c) => c.type.build(c.values));
  const schema = new Schema(fields);
  const length = children[0]!.length;
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length, children }));
}

export function payload(name: string, type: AnySqlType, value: unknown): FilterPayloadColumn {
  return { field: type.field(name), data: type.build([value]) };
}

export const col = (batch: RecordBatch, name: string) => ({
  node: "column_ref",
  column_index: batch.schema.fields.findIndex((f) => f.name === name),
  column_name: name,
});
export const lit = (ref: number) => ({ node: "literal", value_ref: ref });
export const cmp = (op: string, left: unknown, right: unknown) => ({
  node: "comparison",
  op,
  left,
  right,
});

export function filtersFor(
  batch: RecordBatch,
  expressions: unknown[],
  payloads: FilterPayloadColumn[],
  mode = "required",
): PushdownFilters {
  const doc = {
    encoding: "vgi.filters.v2",
    semantics: "vgi.duckdb.standard.v1",
    kind: "snapshot",
    predicates: expressions.map((expression, i) => ({
      id: `q${i}`,
      revision: 0,
      mode,
      source: "query",
      expression,
    })),
  };
  return PushdownFilters.decode(encodeFilterPayload(doc, payloads), { outputSchema: batch.schema });
}

/** Row indices of `batch` that pass. */
export function passing(
  batch: RecordBatch,
  expressions: unknown[],
  payloads: FilterPayloadColumn[],
): number[] {
  const mask = filtersFor(batch, expressions, payloads).mask(batch);
  return [...mask.keys()].filter((i) => mask[i] === 1);
}

/** `column op literal` on one column of values. */
export function where(
  type: AnySqlType,
  values: unknown[],
  op: string,
  literal: unknown,
  literalType = type,
): number[] {
  const batch = batchOf({ c: { type, values } });
  return passing(
    batch,
    [cmp(op, col(batch, "c"), lit(0))],
    [payload("value_0", literalType, literal)],
  );
}
