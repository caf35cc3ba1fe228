/**
 * The filters of one table-function scan, decoded once: the raw predicate tree
 * (`predicates`, `context`) and a ready evaluator (`mask`, `apply`) plus the accessors
 * sources use to prune work (`filteredColumns`, `columnValues`). Immutable: a dynamic
 * delta (tick metadata) gives a new instance.
 */
import type { RecordBatch, Schema } from "apache-arrow";
import {
  DYNAMIC_FILTERS_KEY,
  applyFilterDelta,
  decodeDynamicFilterMetadata,
  decodeFilterSnapshot,
  sqlTypeFromArrow,
  type DecodeFiltersOptions,
  type EvaluationContext,
  type FilterCapabilities,
  type FilterExpression,
  type FilterPredicate,
  type FilterState,
} from "@vgi-ts/protocol";
import { FilterEvaluator, FilterEvaluationError } from "./evaluate-filter.js";
import { FILTER_DEBUG, filterDebug } from "./filter-debug.js";
import {
  expressionColumns,
  renderPredicates,
  reprPredicates,
  type RenderOptions,
} from "./render-filters.js";
import { selectRows } from "./select-rows.js";
import { TRUE, andInto } from "./truth.js";

export interface PushdownFilterOptions extends FilterCapabilities {
  readonly outputSchema: Schema;
  readonly joinKeys?: readonly Uint8Array[] | null;
}

export class PushdownFilters {
  private readonly evaluator: FilterEvaluator;

  private constructor(
    readonly state: FilterState,
    private readonly options: DecodeFiltersOptions,
  ) {
    this.evaluator = new FilterEvaluator(state.context);
  }

  /** Decode the init request's `pushdown_filters`. */
  static decode(bytes: Uint8Array, options: PushdownFilterOptions): PushdownFilters {
    if (FILTER_DEBUG) filterDebug("deserialize_start", { bytes: bytes.byteLength });
    let state: FilterState;
    try {
      state = decodeFilterSnapshot(bytes, options);
    } catch (error) {
      if (FILTER_DEBUG) filterDebug("deserialize_parse_error", { error: String(error) });
      throw error;
    }
    const filters = new PushdownFilters(state, options);
    if (FILTER_DEBUG) filters.traceParsed("deserialize_complete");
    return filters;
  }

  get predicates(): readonly FilterPredicate[] {
    return this.state.predicates;
  }

  get context(): EvaluationContext {
    return this.state.context;
  }

  get isEmpty(): boolean {
    return this.state.predicates.length === 0;
  }

  /** Predicates the function must apply (DuckDB does not filter those rows again). */
  get required(): readonly FilterPredicate[] {
    return this.state.predicates.filter((p) => p.mode === "required");
  }

  /** These filters with one delta document (IPC bytes) applied. */
  applyDelta(bytes: Uint8Array): PushdownFilters {
    const next = new PushdownFilters(
      applyFilterDelta(this.state, bytes, this.options),
      this.options,
    );
    if (FILTER_DEBUG) next.traceParsed("delta_applied");
    return next;
  }

  /** The filters after a tick's metadata (`vgi_pushdown_filters`), or these if it has none. */
  withTickMetadata(metadata: ReadonlyMap<string, string>): PushdownFilters {
    const encoded = metadata.get(DYNAMIC_FILTERS_KEY);
    if (encoded === undefined || encoded.length === 0) return this;
    return this.applyDelta(decodeDynamicFilterMetadata(encoded));
  }

  /**
   * One byte per row, 1 where every predicate is TRUE. A predicate that cannot be
   * evaluated on this batch (a column the batch lacks, a failed cast) is skipped when
   * advisory (DuckDB filters again) and an error when required.
   */
  mask(batch: RecordBatch): Uint8Array {
    const mask = new Uint8Array(batch.numRows).fill(TRUE);
    if (FILTER_DEBUG) {
      filterDebug("evaluate_start", {
        num_filters: this.predicates.length,
        input_rows: batch.numRows,
      });
    }
    for (const predicate of this.predicates) {
      let truth: Uint8Array;
      try {
        truth = this.evaluator.truth(predicate.expression, batch);
      } catch (error) {
        if (predicate.mode === "advisory") {
          if (FILTER_DEBUG)
            filterDebug("evaluate_skipped", { id: predicate.id, error: String(error) });
          continue;
        }
        if (error instanceof FilterEvaluationError) throw error;
        throw new FilterEvaluationError(String(error), { cause: error });
      }
      andInto(mask, truth);
      if (FILTER_DEBUG) {
        filterDebug("evaluate_filter", { id: predicate.id, passing: countTrue(mask) });
      }
    }
    // andInto leaves NULL (2) for unknown rows; only TRUE passes.
    for (let i = 0; i < mask.length; i++) if (mask[i] !== TRUE) mask[i] = 0;
    if (FILTER_DEBUG)
      filterDebug("evaluate_complete", { passing: countTrue(mask), input_rows: batch.numRows });
    return mask;
  }

  /** The rows of `batch` that pass every predicate. */
  apply(batch: RecordBatch): RecordBatch {
    if (this.isEmpty || batch.numRows === 0) return batch;
    if (FILTER_DEBUG) filterDebug("apply_start", { input_rows: batch.numRows });
    const result = selectRows(batch, this.mask(batch));
    if (FILTER_DEBUG) filterDebug("apply_complete", { output_rows: result.numRows });
    return result;
  }

  /** Names of the columns any predicate reads, sorted. */
  filteredColumns(): string[] {
    const columns = new Set<string>();
    for (const predicate of this.predicates) expressionColumns(predicate.expression, columns);
    return [...columns].sort();
  }

  hasFilterForColumn(name: string): boolean {
    return this.predicates.some((p) => expressionColumns(p.expression).has(name));
  }

  /**
   * The discrete values `column` is pinned to (`=`, `IN`, `OR` of those, or a BOOLEAN
   * column on its own), or null when the predicates do not enumerate it. Sources use
   * it to fetch only those keys.
   */
  columnValues(column: string): unknown[] | null {
    for (const predicate of this.predicates) {
      const values = discreteValues(predicate.expression, column);
      if (values !== null) return values;
    }
    return null;
  }

  /** `n >= 3 AND s = 'row_5'`; `(none)` without predicates. */
  toSql(options: RenderOptions = {}): string {
    return this.isEmpty ? "(none)" : renderPredicates(this.predicates, options);
  }

  /** The reference SDK's debugging form: `PushdownFilters([ConstantFilter(n < 5)])`. */
  toString(): string {
    return reprPredicates(this.predicates);
  }

  private traceParsed(event: string): void {
    for (const p of this.predicates) {
      filterDebug("parse_filter", {
        id: p.id,
        mode: p.mode,
        source: p.source,
        revision: p.revision,
        expr: renderPredicates([p]),
      });
    }
    filterDebug(event, { num_filters: this.predicates.length, context: this.context.profile });
  }
}

function countTrue(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === TRUE) n++;
  return n;
}

function literalValue(expression: FilterExpression): unknown {
  return expression.node === "literal" ? expression.value : undefined;
}

function discreteValues(expression: FilterExpression, column: string): unknown[] | null {
  const isColumn = (e: FilterExpression) => e.node === "column_ref" && e.columnName === column;
  switch (expression.node) {
    case "column_ref":
      return isColumn(expression) ? [true] : null;
    case "not":
      return isColumn(expression.expression) ? [false] : null;
    case "comparison": {
      if (expression.op !== "eq" && expression.op !== "not_distinct_from") return null;
      const { left, right } = expression;
      const value = isColumn(left)
        ? literalValue(right)
        : isColumn(right)
          ? literalValue(left)
          : undefined;
      return value === undefined || value === null ? null : [value];
    }
    case "in": {
      if (expression.negated || !isColumn(expression.expression)) return null;
      const { field, data } = expression.set;
      const read = sqlTypeFromArrow(field.type, field.metadata).reader(data);
      const out: unknown[] = [];
      for (let i = 0; i < data.length; i++) {
        const value = read(i);
        if (value !== null) out.push(value);
      }
      return out;
    }
    case "and": {
      for (const child of expression.children) {
        const values = discreteValues(child, column);
        if (values !== null) return values;
      }
      return null;
    }
    case "or": {
      const seen = new Set<string>();
      const out: unknown[] = [];
      for (const child of expression.children) {
        const values = discreteValues(child, column);
        if (values === null) return null;
        for (const value of values) {
          const key = typeof value === "bigint" ? `${value}n` : JSON.stringify(value);
          if (!seen.has(key)) {
            seen.add(key);
            out.push(value);
          }
        }
      }
      return out;
    }
    default:
      return null;
  }
}
