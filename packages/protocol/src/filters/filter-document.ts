/**
 * The document level of `vgi.filters.v2`: the header (encoding, semantics, kind), the
 * predicates of a snapshot and the upserts/removes of a delta. A snapshot starts every
 * predicate at revision 0; a delta may only touch advisory predicates, and revisions only
 * move forward, so a stale update is validated and then ignored.
 */
import {
  DEFAULT_FILTER_LIMITS,
  type DecodeFiltersOptions,
  type FilterLimits,
} from "./decode-options.js";
import { needsSessionContext } from "./evaluation-context.js";
import { isBooleanExpression } from "./expression-types.js";
import { FilterDecodeError } from "./filter-errors.js";
import { FilterPayload } from "./filter-payload.js";
import {
  DUCKDB_SESSION_CONTEXT,
  DUCKDB_STANDARD_V1,
  FILTER_ENCODING,
  NO_EVALUATION_CONTEXT,
  type EvaluationContext,
  type FilterPredicate,
  type FilterState,
  type PredicateMode,
  type PredicateSource,
} from "./filter-tree.js";
import {
  array,
  exactKeys,
  object,
  string,
  uint,
  utf8Bytes,
  type JsonObject,
} from "./json-shape.js";
import { ExpressionParser } from "./parse-expression.js";

const MODES = new Set<string>(["required", "advisory"]);
const SOURCES = new Set<string>(["query", "join", "top_n", "split_refinement", "other"]);
const MAX_ID_BYTES = 128;

export class FilterDocument {
  private readonly limits: FilterLimits;
  private readonly payload: FilterPayload;
  private readonly parser: ExpressionParser;
  readonly context: EvaluationContext;

  constructor(bytes: Uint8Array, options: DecodeFiltersOptions) {
    this.limits = { ...DEFAULT_FILTER_LIMITS, ...options.limits };
    this.payload = new FilterPayload(bytes, options, this.limits);
    this.context = this.payload.context;
    this.parser = new ExpressionParser(this.payload, options, this.limits);
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
      const id = predicateId(update.id, where);
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

  private header(kind: "snapshot" | "delta", member: "predicates" | "updates"): unknown[] {
    const doc = this.payload.document;
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
    const expression = this.parser.expression(raw.expression, 1);
    if (!isBooleanExpression(expression)) {
      throw new FilterDecodeError(`${where}: the predicate is not BOOLEAN`);
    }
    if (this.context.profile === NO_EVALUATION_CONTEXT && needsSessionContext(expression)) {
      throw new FilterDecodeError(`${where} needs ${DUCKDB_SESSION_CONTEXT}`);
    }
    return {
      id: predicateId(raw.id, where),
      revision: uint(raw.revision, `${where}.revision`),
      mode: mode as PredicateMode,
      source: source as PredicateSource,
      expression,
    };
  }
}

function predicateId(value: unknown, where: string): string {
  const id = string(value, `${where}.id`);
  if (utf8Bytes(id) > MAX_ID_BYTES) throw new FilterDecodeError(`${where}.id is too long`);
  return id;
}
