/**
 * The Arrow side of one `vgi.filters.v2` payload: an IPC stream of one row holding
 * `filter_spec` (the JSON document) and the `value_N` / `type_N` columns that literals,
 * literal IN sets and casts refer to by number, plus the init request's `join_keys`
 * batches that external IN sets refer to by position. Reading the document enforces the
 * strict-JSON and size limits before any node is looked at.
 */
import type { Data, Field, RecordBatch } from "apache-arrow";
import { decodeStream } from "../ipc/ipc-bytes.js";
import { sqlTypeFromArrow } from "../values/from-arrow.js";
import type { DecodeFiltersOptions, FilterLimits } from "./decode-options.js";
import { parseEvaluationContext } from "./evaluation-context.js";
import { isStringType } from "./expression-types.js";
import { FilterDecodeError } from "./filter-errors.js";
import type { EvaluationContext } from "./filter-tree.js";
import { object, uint, utf8Bytes, type JsonObject } from "./json-shape.js";
import { parseStrictJson } from "./strict-json.js";

const PAYLOAD_NAME = /^(?:value|type|artifact)_(?:0|[1-9][0-9]*)$/;

/** One payload column a node refers to: its number, field and single-row data. */
export interface PayloadColumn {
  readonly ref: number;
  readonly field: Field;
  readonly data: Data;
}

export class FilterPayload {
  private readonly batch: RecordBatch;
  private readonly payloadIndex = new Map<string, number>();
  private readonly joinBatches = new Map<number, RecordBatch>();
  readonly context: EvaluationContext;
  readonly document: JsonObject;

  constructor(
    bytes: Uint8Array,
    private readonly options: DecodeFiltersOptions,
    limits: FilterLimits,
  ) {
    const { schema, batches } = decodeStream(bytes, "filter payload");
    if (batches.length !== 1 || batches[0]!.numRows !== 1) {
      throw new FilterDecodeError("the payload must hold exactly one batch of one row");
    }
    this.batch = batches[0]!;
    const fields = schema.fields;
    const first = fields[0];
    if (first?.name !== "filter_spec" || !isStringType(first.type)) {
      throw new FilterDecodeError("the first column must be filter_spec (utf8)");
    }
    for (let i = 1; i < fields.length; i++) {
      const name = fields[i]!.name;
      if (!PAYLOAD_NAME.test(name))
        throw new FilterDecodeError(`unexpected payload column ${name}`);
      if (this.payloadIndex.has(name)) throw new FilterDecodeError(`duplicate payload ${name}`);
      this.payloadIndex.set(name, i);
    }
    this.context = parseEvaluationContext(schema.metadata, options);
    const spec = this.batch.getChildAt(0)?.get(0) as unknown;
    if (typeof spec !== "string") throw new FilterDecodeError("filter_spec is NULL");
    if (utf8Bytes(spec) > limits.maxDocumentBytes) {
      throw new FilterDecodeError(`filter_spec exceeds ${limits.maxDocumentBytes} bytes`);
    }
    // Each expression level nests at most three JSON levels (node, children array, node).
    const maxNesting = limits.maxDepth * 3 + 4;
    this.document = object(parseStrictJson(spec, { maxNesting }), "filter document");
  }

  /** The `value_N` or `type_N` column that `ref` (a JSON number) names. */
  column(prefix: "value" | "type", ref: unknown): PayloadColumn {
    const number = uint(ref, `${prefix}_ref`);
    const index = this.payloadIndex.get(`${prefix}_${number}`);
    if (index === undefined) throw new FilterDecodeError(`missing payload ${prefix}_${number}`);
    const field = this.batch.schema.fields[index]!;
    const data = this.batch.getChildAt(index)!.data[0]!;
    return { ref: number, field, data };
  }

  /** The single value of a payload column, as the SQL type layer reads it. */
  readValue(field: Field, data: Data): unknown {
    if (!data.getValid(0)) return null;
    try {
      return sqlTypeFromArrow(field.type, field.metadata).read(data, 0);
    } catch (error) {
      throw new FilterDecodeError(`cannot read payload ${field.name} (${String(error)})`, {
        cause: error,
      });
    }
  }

  /** The `join_keys` batch at `index`, decoded once per payload. */
  joinBatch(index: number): RecordBatch {
    let batch = this.joinBatches.get(index);
    if (batch === undefined) {
      const bytes = this.options.joinKeys?.[index];
      if (bytes === undefined) throw new FilterDecodeError(`no join_keys batch ${index}`);
      const { batches } = decodeStream(bytes, `join_keys[${index}]`);
      if (batches.length !== 1)
        throw new FilterDecodeError(`join_keys[${index}] must hold one batch`);
      batch = batches[0]!;
      this.joinBatches.set(index, batch);
    }
    return batch;
  }
}
