/**
 * Decoding `vgi.filters.v2`: the `pushdown_filters` bytes of an init request (a
 * snapshot) and the base64 `vgi_pushdown_filters` tick metadata (a delta), each an Arrow
 * IPC stream of one row: `filter_spec` (the JSON document) plus `value_N` / `type_N`
 * payload columns that literals, literal IN sets and casts refer to by number.
 * External IN sets refer to the init request's `join_keys` batches by position.
 *
 * Everything is checked before use: strict JSON, known node kinds with exactly their
 * properties, column references against the bind output schema, payload references,
 * and size limits (document bytes, nesting depth, node count, predicates, IN-set size).
 * Any violation is a `FilterDecodeError` (kind `malformed_request`); nothing else
 * escapes, whatever the bytes.
 */
import { DataType, type Data, type Field, type Schema, type RecordBatch } from "apache-arrow";
import { VgiError } from "../errors.js";
import { decodeStream } from "../ipc/ipc-bytes.js";
import { sqlTypeFromArrow } from "../values/from-arrow.js";
import { FilterDecodeError } from "./filter-errors.js";
import {
  DUCKDB_SESSION_CONTEXT,
  DUCKDB_STANDARD_V1,
  FILTER_ENCODING,
  FILTER_VERSION,
  NO_EVALUATION_CONTEXT,
  expressionType,
  filterFunctionKey,
  type ArithmeticOp,
  type ComparisonOp,
  type EvaluationContext,
  type FilterCapabilities,
  type FilterExpression,
  type FilterFunctionIdentity,
  type FilterPredicate,
  type FilterSet,
  type FilterState,
  type PredicateMode,
  type PredicateSource,
  type StandardFilterFunction,
} from "./filter-tree.js";
import { parseStrictJson } from "./strict-json.js";

export interface FilterLimits {
  /** UTF-8 bytes of one `filter_spec` document. */
  readonly maxDocumentBytes: number;
  /** Expression depth (a predicate root is depth 1). */
  readonly maxDepth: number;
  /** Expression nodes in one document. */
  readonly maxNodes: number;
  readonly maxPredicates: number;
  /** Elements of one IN set (literal list or join-key column). */
  readonly maxSetSize: number;
  /** Bytes of one base64 delta in tick metadata. */
  readonly maxDeltaBase64Bytes: number;
}

export const DEFAULT_FILTER_LIMITS: FilterLimits = {
  maxDocumentBytes: 1 << 20,
  maxDepth: 64,
  maxNodes: 10_000,
  maxPredicates: 1_024,
  maxSetSize: 1 << 22,
  maxDeltaBase64Bytes: 24 << 20,
};

export interface DecodeFiltersOptions extends FilterCapabilities {
  /** The bind output schema, unprojected: column references index into it. */
  readonly outputSchema: Schema;
  /** The init request's `join_keys` (IPC streams), for external IN sets. */
  readonly joinKeys?: readonly Uint8Array[] | null;
  readonly limits?: Partial<FilterLimits>;
}

const COMPARISONS = new Set<string>([
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "distinct_from",
  "not_distinct_from",
]);
const ARITHMETIC = new Set<string>(["add", "subtract", "multiply", "divide", "modulo"]);
const MODES = new Set<string>(["required", "advisory"]);
const SOURCES = new Set<string>(["query", "join", "top_n", "split_refinement", "other"]);
const STANDARD_FUNCTIONS = new Set<string>([
  "starts_with",
  "ends_with",
  "contains",
  "list_contains",
]);
const PAYLOAD_NAME = /^(?:value|type|artifact)_(?:0|[1-9][0-9]*)$/;
const NAMESPACE = /^[a-z][a-z0-9]*(?:\.[a-z][a-z0-9_]*)*$/;
const IDENTIFIER = /^[a-z][a-z0-9_]*$/;
const CONTEXT_KEYS = [
  "vgi_time_zone",
  "vgi_calendar",
  "vgi_default_collation",
  "vgi_ieee_floating_point_ops",
  "vgi_integer_division",
] as const;
const MAX_ID_BYTES = 128;
const BOOLEAN_NODES = new Set(["comparison", "and", "or", "not", "is_null", "in", "call"]);

/** Decode the init request's `pushdown_filters` (a snapshot document). */
export function decodeFilterSnapshot(
  bytes: Uint8Array,
  options: DecodeFiltersOptions,
): FilterState {
  return guard(() => new DocumentParser(bytes, options).snapshot());
}

/** Apply one delta document (IPC bytes) to `prior`; `prior` is left untouched. */
export function applyFilterDelta(
  prior: FilterState,
  bytes: Uint8Array,
  options: DecodeFiltersOptions,
): FilterState {
  return guard(() => new DocumentParser(bytes, options).delta(prior));
}

/** The IPC bytes of the base64 `vgi_pushdown_filters` tick metadata value. */
export function decodeDynamicFilterMetadata(
  encoded: string,
  limits: Partial<FilterLimits> = {},
): Uint8Array {
  const max = limits.maxDeltaBase64Bytes ?? DEFAULT_FILTER_LIMITS.maxDeltaBase64Bytes;
  if (encoded.length > max) {
    throw new FilterDecodeError(`dynamic filter metadata exceeds ${max} bytes`);
  }
  if (encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) {
    throw new FilterDecodeError("dynamic filter metadata is not base64");
  }
  const binary = atob(encoded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Run `decode`; anything but a VgiError it throws becomes a FilterDecodeError. */
function guard<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof VgiError) {
      if (error instanceof FilterDecodeError) throw error;
      throw new FilterDecodeError(error.message, { cause: error });
    }
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new FilterDecodeError("document nesting exhausted the stack", { cause: error });
    }
    const text = error instanceof Error ? error.message : String(error);
    throw new FilterDecodeError(`undecodable payload (${text})`, { cause: error });
  }
}

type JsonObject = Record<string, unknown>;

function object(value: unknown, where: string): JsonObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new FilterDecodeError(`${where} must be a JSON object`);
  }
  return value as JsonObject;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new FilterDecodeError(`${where} must be a JSON array`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new FilterDecodeError(`${where} must be a non-empty string`);
  }
  return value;
}

function boolean(value: unknown, where: string): boolean {
  if (typeof value !== "boolean") throw new FilterDecodeError(`${where} must be true or false`);
  return value;
}

function uint(value: unknown, where: string, min = 0): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new FilterDecodeError(`${where} must be an integer >= ${min}`);
  }
  return value;
}

function exactKeys(
  value: JsonObject,
  required: readonly string[],
  where: string,
  optional: readonly string[] = [],
): void {
  for (const key of required) {
    if (!(key in value)) throw new FilterDecodeError(`${where} is missing '${key}'`);
  }
  for (const key of Object.keys(value)) {
    if (!required.includes(key) && !optional.includes(key)) {
      throw new FilterDecodeError(`${where} has unknown property '${key}'`);
    }
  }
}

const encoder = new TextEncoder();

function utf8Bytes(text: string): number {
  // Every UTF-16 unit is 1 to 3 UTF-8 bytes: only measure when it matters.
  return text.length * 3 <= 128 ? text.length : encoder.encode(text).byteLength;
}

function isBoolType(type: DataType | undefined): boolean {
  return type !== undefined && DataType.isBool(type);
}

function isStringType(type: DataType | undefined): boolean {
  if (type === undefined) return false;
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return true;
  return DataType.isDictionary(type) && isStringType(type.dictionary);
}

function isBooleanExpression(expression: FilterExpression): boolean {
  return BOOLEAN_NODES.has(expression.node) || isBoolType(expressionType(expression));
}

/** Expressions whose value depends on session settings (division, temporal/string casts). */
function needsSessionContext(expression: FilterExpression): boolean {
  switch (expression.node) {
    case "arithmetic":
      return (
        expression.op === "divide" ||
        expression.op === "modulo" ||
        needsSessionContext(expression.left) ||
        needsSessionContext(expression.right)
      );
    case "cast": {
      const contextual = (type: DataType | undefined): boolean =>
        type !== undefined &&
        (isStringType(type) ||
          DataType.isDate(type) ||
          DataType.isTime(type) ||
          DataType.isTimestamp(type));
      return (
        (contextual(expressionType(expression.expression)) && contextual(expression.field.type)) ||
        needsSessionContext(expression.expression)
      );
    }
    case "comparison":
      return needsSessionContext(expression.left) || needsSessionContext(expression.right);
    case "and":
    case "or":
      return expression.children.some(needsSessionContext);
    case "call":
      return expression.arguments.some(needsSessionContext);
    case "field_ref":
    case "not":
    case "is_null":
    case "negate":
    case "in":
      return needsSessionContext(expression.expression);
    default:
      return false;
  }
}

class DocumentParser {
  private readonly limits: FilterLimits;
  private readonly batch: RecordBatch;
  private readonly payloadIndex = new Map<string, number>();
  private readonly joinBatches = new Map<number, RecordBatch>();
  private nodes = 0;
  readonly context: EvaluationContext;
  readonly document: JsonObject;

  constructor(
    bytes: Uint8Array,
    private readonly options: DecodeFiltersOptions,
  ) {
    this.limits = { ...DEFAULT_FILTER_LIMITS, ...options.limits };
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
    this.context = this.parseContext(schema.metadata);
    const spec = this.batch.getChildAt(0)?.get(0) as unknown;
    if (typeof spec !== "string") throw new FilterDecodeError("filter_spec is NULL");
    if (utf8Bytes(spec) > this.limits.maxDocumentBytes) {
      throw new FilterDecodeError(`filter_spec exceeds ${this.limits.maxDocumentBytes} bytes`);
    }
    // Each expression level nests at most three JSON levels (node, children array, node).
    const maxNesting = this.limits.maxDepth * 3 + 4;
    this.document = object(parseStrictJson(spec, { maxNesting }), "filter document");
  }

  private parseContext(metadata: Map<string, string>): EvaluationContext {
    const get = (key: string): string => {
      const value = metadata.get(key);
      if (value === undefined) throw new FilterDecodeError(`missing schema metadata ${key}`);
      return value;
    };
    if (get("vgi_filter_encoding") !== FILTER_ENCODING) {
      throw new FilterDecodeError(`unsupported encoding ${get("vgi_filter_encoding")}`);
    }
    if (get("vgi_filter_version") !== FILTER_VERSION) {
      throw new FilterDecodeError(`unsupported version ${get("vgi_filter_version")}`);
    }
    const profile = get("vgi_evaluation_context");
    const fingerprint = metadata.get("vgi_context_provider_fingerprint");
    if (profile === NO_EVALUATION_CONTEXT) {
      if (fingerprint !== undefined || CONTEXT_KEYS.some((key) => metadata.has(key))) {
        throw new FilterDecodeError(`${NO_EVALUATION_CONTEXT} forbids session metadata`);
      }
      return { profile };
    }
    if (profile !== DUCKDB_SESSION_CONTEXT) {
      throw new FilterDecodeError(`unknown evaluation context ${profile}`);
    }
    const advertised = (this.options.evaluationContexts ?? []).filter((c) => c.profile === profile);
    if (advertised.length === 0) {
      throw new FilterDecodeError(`evaluation context ${profile} was not advertised`);
    }
    if (fingerprint !== undefined) {
      if (fingerprint.length === 0 || utf8Bytes(fingerprint) > 256) {
        throw new FilterDecodeError("invalid context provider fingerprint");
      }
      if (!advertised.some((c) => c.providerFingerprint === fingerprint)) {
        throw new FilterDecodeError("context provider fingerprint was not advertised");
      }
    }
    const flag = (key: string): boolean => {
      const value = get(key);
      if (value !== "true" && value !== "false") {
        throw new FilterDecodeError(`${key} must be true or false`);
      }
      return value === "true";
    };
    return {
      profile,
      timeZone: get("vgi_time_zone"),
      calendar: get("vgi_calendar"),
      defaultCollation: get("vgi_default_collation"),
      ieeeFloatingPointOps: flag("vgi_ieee_floating_point_ops"),
      integerDivision: flag("vgi_integer_division"),
      ...(fingerprint === undefined ? {} : { providerFingerprint: fingerprint }),
    };
  }

  private header(kind: "snapshot" | "delta", member: "predicates" | "updates"): unknown[] {
    const doc = this.document;
    exactKeys(doc, ["encoding", "semantics", "kind", member], "filter document");
    if (doc.encoding !== FILTER_ENCODING) throw new FilterDecodeError("document encoding mismatch");
    if (doc.semantics !== DUCKDB_STANDARD_V1) {
      throw new FilterDecodeError(`unsupported semantics ${String(doc.semantics)}`);
    }
    if (doc.kind !== kind) throw new FilterDecodeError(`expected a ${kind} document`);
    const entries = array(doc[member], member);
    if (entries.length > this.limits.maxPredicates) {
      throw new FilterDecodeError(`more than ${this.limits.maxPredicates} predicates`);
    }
    return entries;
  }

  snapshot(): FilterState {
    const entries = this.header("snapshot", "predicates");
    const predicates: FilterPredicate[] = [];
    const revisions = new Map<string, number>();
    entries.forEach((entry, index) => {
      const where = `predicates[${index}]`;
      const predicate = this.predicate(object(entry, where), where, false);
      if (predicate.revision !== 0)
        throw new FilterDecodeError(`${where}: snapshot revision must be 0`);
      if (revisions.has(predicate.id)) throw new FilterDecodeError(`duplicate id ${predicate.id}`);
      revisions.set(predicate.id, 0);
      predicates.push(predicate);
    });
    const requiredIds = new Set(predicates.filter((p) => p.mode === "required").map((p) => p.id));
    return { predicates, context: this.context, revisions, requiredIds };
  }

  delta(prior: FilterState): FilterState {
    if (JSON.stringify(this.context) !== JSON.stringify(prior.context)) {
      throw new FilterDecodeError("the evaluation context changed within one scan");
    }
    const entries = this.header("delta", "updates");
    const live = new Map(prior.predicates.map((p) => [p.id, p]));
    const revisions = new Map(prior.revisions);
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
      const where = `updates[${index}]`;
      const update = object(entry, where);
      const operation = update.operation;
      if (operation !== "upsert" && operation !== "remove") {
        throw new FilterDecodeError(`${where}.operation must be upsert or remove`);
      }
      if (operation === "remove") exactKeys(update, ["operation", "id", "revision"], where);
      const id = this.predicateId(update.id, where);
      const revision = uint(update.revision, `${where}.revision`);
      if (seen.has(id)) throw new FilterDecodeError(`${where}: id ${id} updated twice`);
      seen.add(id);
      if (prior.requiredIds.has(id)) {
        throw new FilterDecodeError(`${where}: a delta may not change required predicate ${id}`);
      }
      const predicate = operation === "upsert" ? this.predicate(update, where, true) : null;
      if (predicate !== null && predicate.mode !== "advisory") {
        throw new FilterDecodeError(`${where}: delta upserts must be advisory`);
      }
      // Revisions only move forward: a stale update is validated, then ignored.
      if (revision <= (revisions.get(id) ?? -1)) return;
      revisions.set(id, revision);
      if (predicate === null) live.delete(id);
      else live.set(id, predicate);
    });
    if (revisions.size > this.limits.maxPredicates * 4) {
      throw new FilterDecodeError("too many predicate ids in one scan");
    }
    return {
      predicates: [...live.values()],
      context: this.context,
      revisions,
      requiredIds: prior.requiredIds,
    };
  }

  private predicateId(value: unknown, where: string): string {
    const id = string(value, `${where}.id`);
    if (utf8Bytes(id) > MAX_ID_BYTES) throw new FilterDecodeError(`${where}.id is too long`);
    return id;
  }

  private predicate(raw: JsonObject, where: string, update: boolean): FilterPredicate {
    const keys = ["id", "revision", "mode", "source", "expression"];
    exactKeys(raw, update ? ["operation", ...keys] : keys, where);
    const mode = raw.mode;
    const source = raw.source;
    if (typeof mode !== "string" || !MODES.has(mode)) {
      throw new FilterDecodeError(`${where}.mode must be required or advisory`);
    }
    if (typeof source !== "string" || !SOURCES.has(source)) {
      throw new FilterDecodeError(`${where}.source is unknown`);
    }
    const expression = this.expression(raw.expression, 1);
    if (!isBooleanExpression(expression)) {
      throw new FilterDecodeError(`${where}: the predicate is not BOOLEAN`);
    }
    if (this.context.profile === NO_EVALUATION_CONTEXT && needsSessionContext(expression)) {
      throw new FilterDecodeError(`${where} needs ${DUCKDB_SESSION_CONTEXT}`);
    }
    return {
      id: this.predicateId(raw.id, where),
      revision: uint(raw.revision, `${where}.revision`),
      mode: mode as PredicateMode,
      source: source as PredicateSource,
      expression,
    };
  }

  private payload(
    prefix: "value" | "type",
    ref: unknown,
  ): { ref: number; field: Field; data: Data } {
    const number = uint(ref, `${prefix}_ref`);
    const index = this.payloadIndex.get(`${prefix}_${number}`);
    if (index === undefined) throw new FilterDecodeError(`missing payload ${prefix}_${number}`);
    const field = this.batch.schema.fields[index]!;
    const data = this.batch.getChildAt(index)!.data[0]!;
    return { ref: number, field, data };
  }

  private readValue(field: Field, data: Data): unknown {
    if (!data.getValid(0)) return null;
    try {
      return sqlTypeFromArrow(field.type, field.metadata).read(data, 0);
    } catch (error) {
      throw new FilterDecodeError(`cannot read payload ${field.name} (${String(error)})`, {
        cause: error,
      });
    }
  }

  private joinBatch(index: number): RecordBatch {
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

  private identity(raw: unknown, where: string): FilterFunctionIdentity {
    const value = object(raw, where);
    exactKeys(value, ["namespace", "name", "version"], where);
    const identity = {
      namespace: string(value.namespace, `${where}.namespace`),
      name: string(value.name, `${where}.name`),
      version: uint(value.version, `${where}.version`, 1),
    };
    if (!NAMESPACE.test(identity.namespace) || !IDENTIFIER.test(identity.name)) {
      throw new FilterDecodeError(`${where} is not a canonical function identity`);
    }
    return identity;
  }

  private expression(raw: unknown, depth: number): FilterExpression {
    if (depth > this.limits.maxDepth) {
      throw new FilterDecodeError(`expression deeper than ${this.limits.maxDepth}`);
    }
    if (++this.nodes > this.limits.maxNodes) {
      throw new FilterDecodeError(`more than ${this.limits.maxNodes} expression nodes`);
    }
    const value = object(raw, "expression");
    const node = value.node;
    const child = (item: unknown): FilterExpression => this.expression(item, depth + 1);
    switch (node) {
      case "column_ref": {
        exactKeys(value, ["node", "column_index", "column_name"], node);
        const columnIndex = uint(value.column_index, "column_ref.column_index");
        const columnName = string(value.column_name, "column_ref.column_name");
        const field = this.options.outputSchema.fields[columnIndex];
        if (field?.name !== columnName) {
          throw new FilterDecodeError(
            `column_ref ${columnName} is not output column ${columnIndex}`,
          );
        }
        return { node, columnIndex, columnName, field };
      }
      case "field_ref": {
        exactKeys(value, ["node", "expression", "field_index", "field_name"], node);
        const expression = child(value.expression);
        const parent = expressionType(expression);
        if (parent === undefined || !DataType.isStruct(parent)) {
          throw new FilterDecodeError("field_ref input must be a STRUCT");
        }
        const fieldIndex = uint(value.field_index, "field_ref.field_index");
        const fieldName = string(value.field_name, "field_ref.field_name");
        const field = parent.children[fieldIndex];
        if (field?.name !== fieldName) {
          throw new FilterDecodeError(`field_ref ${fieldName} is not field ${fieldIndex}`);
        }
        return { node, expression, fieldIndex, fieldName, field };
      }
      case "literal": {
        exactKeys(value, ["node", "value_ref"], node);
        const { ref, field, data } = this.payload("value", value.value_ref);
        return { node, valueRef: ref, field, data, value: this.readValue(field, data) };
      }
      case "comparison": {
        exactKeys(value, ["node", "op", "left", "right"], node);
        if (typeof value.op !== "string" || !COMPARISONS.has(value.op)) {
          throw new FilterDecodeError(`unknown comparison ${String(value.op)}`);
        }
        return {
          node,
          op: value.op as ComparisonOp,
          left: child(value.left),
          right: child(value.right),
        };
      }
      case "and":
      case "or": {
        exactKeys(value, ["node", "children"], node);
        const children = array(value.children, `${node}.children`).map(child);
        if (children.length < 2 || !children.every(isBooleanExpression)) {
          throw new FilterDecodeError(`${node} needs at least two BOOLEAN children`);
        }
        return { node, children };
      }
      case "not": {
        exactKeys(value, ["node", "expression"], node);
        const expression = child(value.expression);
        if (!isBooleanExpression(expression)) throw new FilterDecodeError("not needs a BOOLEAN");
        return { node, expression };
      }
      case "is_null": {
        exactKeys(value, ["node", "expression", "negated"], node);
        return {
          node,
          expression: child(value.expression),
          negated: boolean(value.negated, "is_null.negated"),
        };
      }
      case "in":
        return this.inExpression(value, child);
      case "cast": {
        exactKeys(value, ["node", "expression", "type_ref"], node);
        const { ref, field, data } = this.payload("type", value.type_ref);
        if (data.getValid(0)) throw new FilterDecodeError(`type_${ref} must hold NULL`);
        return { node, expression: child(value.expression), typeRef: ref, field };
      }
      case "arithmetic": {
        exactKeys(value, ["node", "op", "left", "right"], node);
        if (typeof value.op !== "string" || !ARITHMETIC.has(value.op)) {
          throw new FilterDecodeError(`unknown arithmetic operator ${String(value.op)}`);
        }
        return {
          node,
          op: value.op as ArithmeticOp,
          left: child(value.left),
          right: child(value.right),
        };
      }
      case "negate":
        exactKeys(value, ["node", "expression"], node);
        return { node, expression: child(value.expression) };
      case "call":
        return this.call(value, child);
      default:
        throw new FilterDecodeError(`unknown expression node ${JSON.stringify(node)}`);
    }
  }

  private inExpression(
    value: JsonObject,
    child: (item: unknown) => FilterExpression,
  ): FilterExpression {
    exactKeys(value, ["node", "expression", "set", "negated"], "in");
    const raw = object(value.set, "in.set");
    let set: FilterSet;
    if (raw.kind === "literal") {
      exactKeys(raw, ["kind", "value_ref"], "in.set");
      const { ref, field, data } = this.payload("value", raw.value_ref);
      if (!DataType.isList(field.type) && !DataType.isLargeList(field.type)) {
        throw new FilterDecodeError(`IN set value_${ref} must be a LIST`);
      }
      if (!data.getValid(0)) throw new FilterDecodeError(`IN set value_${ref} is NULL`);
      const offsets = data.valueOffsets as Int32Array | BigInt64Array;
      const start = Number(offsets[data.offset]);
      const end = Number(offsets[data.offset + 1]);
      const elements = data.children[0]!;
      if (start < 0 || end < start || end > elements.length) {
        throw new FilterDecodeError(`IN set value_${ref} has bad offsets`);
      }
      this.checkSetSize(end - start);
      const element = field.type.children[0] as Field;
      set = {
        kind: "literal",
        valueRef: ref,
        field: element,
        data: elements.slice(start, end - start),
      };
    } else if (raw.kind === "external") {
      exactKeys(raw, ["kind", "batch_index", "column_index", "column_name"], "in.set");
      const batchIndex = uint(raw.batch_index, "in.set.batch_index");
      const columnIndex = uint(raw.column_index, "in.set.column_index");
      const columnName = string(raw.column_name, "in.set.column_name");
      const batch = this.joinBatch(batchIndex);
      const field = batch.schema.fields[columnIndex];
      if (field?.name !== columnName) {
        throw new FilterDecodeError(
          `join_keys[${batchIndex}] has no column ${columnName} at ${columnIndex}`,
        );
      }
      this.checkSetSize(batch.numRows);
      const data = batch.getChildAt(columnIndex)!.data[0]!;
      set = { kind: "external", batchIndex, columnIndex, columnName, field, data };
    } else {
      throw new FilterDecodeError(`unknown IN set kind ${JSON.stringify(raw.kind)}`);
    }
    return {
      node: "in",
      expression: child(value.expression),
      set,
      negated: boolean(value.negated, "in.negated"),
    };
  }

  private checkSetSize(size: number): void {
    if (size > this.limits.maxSetSize) {
      throw new FilterDecodeError(`IN set of ${size} values exceeds ${this.limits.maxSetSize}`);
    }
  }

  private call(value: JsonObject, child: (item: unknown) => FilterExpression): FilterExpression {
    exactKeys(value, ["node", "function", "arguments"], "call", ["options"]);
    let fn: StandardFilterFunction | FilterFunctionIdentity;
    if (typeof value.function === "string") {
      if (!STANDARD_FUNCTIONS.has(value.function)) {
        throw new FilterDecodeError(`unknown standard function ${value.function}`);
      }
      if (value.options !== undefined) {
        throw new FilterDecodeError("standard functions take no options");
      }
      fn = value.function as StandardFilterFunction;
    } else {
      fn = this.identity(value.function, "call.function");
      const key = filterFunctionKey(fn);
      const advertised = this.options.additionalFilterFunctions ?? [];
      if (!advertised.some((f) => filterFunctionKey(f) === key)) {
        throw new FilterDecodeError(`extension function ${key} was not advertised`);
      }
      if (
        value.options !== undefined &&
        Object.keys(object(value.options, "call.options")).length
      ) {
        throw new FilterDecodeError("extension function options are not supported");
      }
    }
    const args = array(value.arguments, "call.arguments");
    if (args.length !== 2)
      throw new FilterDecodeError("filter functions take exactly two arguments");
    const parsed = args.map(child);
    if (typeof fn === "string" && fn !== "list_contains") {
      if (!parsed.every((arg) => isStringType(expressionType(arg)))) {
        throw new FilterDecodeError(`${fn} needs two VARCHAR arguments`);
      }
    }
    if (fn === "list_contains") {
      const list = expressionType(parsed[0]!);
      if (list === undefined || !(DataType.isList(list) || DataType.isLargeList(list))) {
        throw new FilterDecodeError("list_contains needs a LIST first argument");
      }
    }
    return { node: "call", function: fn, arguments: parsed };
  }
}
