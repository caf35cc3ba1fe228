/**
 * Building `vgi.filters.v2` payloads: what the extension sends, for tests, replay tools
 * and clients. One row: `filter_spec` (the JSON document) and the payload columns.
 */
import {
  Field,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
  type Data,
} from "apache-arrow";
import { encodeStream } from "../ipc/stream-encoder.js";
import { FILTER_ENCODING, FILTER_VERSION, NO_EVALUATION_CONTEXT } from "./filter-tree.js";

export interface FilterPayloadColumn {
  /** `value_N`, `type_N`. */
  readonly field: Field;
  /** One row. */
  readonly data: Data;
}

export function encodeFilterPayload(
  document: unknown,
  payloads: readonly FilterPayloadColumn[] = [],
  metadata: ReadonlyMap<string, string> = new Map([
    ["vgi_filter_encoding", FILTER_ENCODING],
    ["vgi_filter_version", FILTER_VERSION],
    ["vgi_evaluation_context", NO_EVALUATION_CONTEXT],
  ]),
): Uint8Array {
  const spec = typeof document === "string" ? document : JSON.stringify(document);
  const fields = [new Field("filter_spec", new Utf8(), false), ...payloads.map((p) => p.field)];
  const children = [vectorFromArray([spec], new Utf8()).data[0]!, ...payloads.map((p) => p.data)];
  const schema = new Schema(fields, new Map(metadata));
  const struct = makeData({ type: new Struct(fields), length: 1, children });
  return encodeStream(schema, [new RecordBatch(schema, struct)]);
}
