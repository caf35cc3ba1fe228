/**
 * What a table function sees about its call: arguments, columns, pushdown (projection,
 * filters, ORDER BY / Top-N, TABLESAMPLE, row limit), shared storage, and the chunks it
 * may return.
 */
import { Field, RecordBatch, type DataType, type Vector } from "apache-arrow";
import {
  type CacheValidators,
  type InitRequest,
  type OrderByDirection,
  type OrderByNullOrder,
} from "@vgi-ts/protocol";
import type { SharedStorage } from "../storage/shared-storage.js";
import { WorkQueue } from "../storage/work-queue.js";
import { type TypeLike } from "./argument-spec.js";
import type { AtClause } from "@vgi-ts/catalog";
import type { ScalarResult } from "./scalar-exchange.js";
import type { AnnotatedChunk } from "./table-chunk-metadata.js";
import { PushdownFilters } from "../filters/pushdown-filters.js";
import { type RowIdSelection } from "../filters/row-id-selection.js";
import type { AttachScope } from "../storage/attach-scope.js";
import type { TransactionScope } from "../storage/transaction-scope.js";

/** What bind, start and produce see about the call. */
export interface TableCall {
  readonly functionName: string;
  /** Argument values by declared name (varargs: an array); named options included. */
  readonly args: Readonly<Record<string, unknown>>;
  /** Arrow types of the positional arguments as the call site passed them. */
  readonly argumentTypes: readonly DataType[];
  readonly settings: ReadonlyMap<string, unknown>;
  readonly secrets: ReadonlyMap<string, unknown>;
  /** The attachment's ATTACH option values by declared name (defaults filled in). */
  readonly attachOptions: ReadonlyMap<string, unknown>;
  /** The attachment's own id (catalogs with writable tables), else null. */
  readonly attachId: Uint8Array | null;
  /** The DuckDB transaction of the call (catalogs that declare transactions), else null. */
  readonly transactionId: Uint8Array | null;
  /**
   * The `AT (...)` clause of a query on a time-travelling catalog table this function
   * backs (`versionAt` resolves it); null without one.
   */
  readonly at: AtClause | null;
  /**
   * In `start`/`produce` of a function with `projectionPushdown`: the output columns the
   * query reads, in output order (others may be left out of produced chunks); otherwise
   * every column.
   */
  readonly columns: readonly string[];
  /**
   * The positional arguments as they arrived: Arrow field (type and extension metadata,
   * e.g. `arrow.uuid`) and a one-row column each. `args` holds plain JS values, which
   * lose detail for some types (a UNION's member tag, a UUID's extension type);
   * functions that echo ANY-typed or UNION arguments read these with
   * `sqlTypeFromArrow(field.type, field.metadata)`. Decoded on first use.
   */
  readonly argumentColumns: readonly TableArgument[];
  /** In `start`/`produce`: the scan hints of the init request (at bind: none). */
  readonly pushdown: TablePushdown;
  /**
   * In `produce`: the validators of a conditional request. The client holds a stale
   * cached copy of this result (advertised `revalidatable` with an `etag` or
   * `lastModified`) and asks whether it is still good; answer with a zero-row chunk
   * wrapped by `withCacheControl(chunk, { notModified: true, ... })` to let it reuse
   * the copy. Both null otherwise (and always in `start`, before the first tick).
   */
  readonly cacheValidators: CacheValidators;
  /**
   * In `start`/`produce` of a function with `filterPushdown`: the pushed predicates,
   * decoded once (raw tree in `predicates`, evaluator in `mask`/`apply`), or null when
   * DuckDB pushed none. Dynamic filters (Top-N bounds) replace it between batches.
   */
  readonly filters: PushdownFilters | null;
  /**
   * In `start`/`produce` of a function with `filterPushdown` and a row id column: what
   * the current filters say about the row ids (the survivors' IN-list and min/max
   * range when DuckDB late-materializes a Top-N or sample), or null when they say
   * nothing. Follows `filters`, so it may appear or tighten between batches.
   */
  readonly rowIds: RowIdSelection | null;
  /** In `init`/`start`/`produce`: the execution this stream belongs to (at bind: null). */
  readonly execution: TableExecution | null;
  /**
   * In `start`/`produce` of a function with `splits`, when DuckDB scans split by split:
   * the descriptors (as `splits.plan` returned them) this stream reads, usually one.
   * Null otherwise, including when DuckDB falls back to one unsplit scan
   * (`SET vgi_split_scans = false`): then the stream reads everything.
   */
  readonly splits: readonly unknown[] | null;
  /** Attachment-private storage, for catalogs declared `attachScoped` (else null). */
  readonly attach: AttachScope | null;
  /**
   * Transaction-private storage (catalogs that declare transactions), else null: values
   * one statement leaves for the next of the same transaction; dropped at its end.
   */
  readonly transaction: TransactionScope | null;
}

/**
 * One execution of a table function call. With `maxWorkers > 1` DuckDB opens several
 * streams for it, possibly in different worker processes: the first (primary) runs the
 * function's `init`, the others (secondaries) join with the primary's execution id.
 */
export interface TableExecution {
  readonly id: Uint8Array;
  readonly isPrimary: boolean;
  /** Storage every process of the execution sees (sqlite for the fixture worker). */
  readonly storage: SharedStorage;
  /** A work queue shared by the execution's streams: `init` pushes, `produce` pops. */
  readonly queue: WorkQueue;
}

/** Where a stream keeps its current filters, updated by tick metadata. */
export interface FilterHolder {
  current: PushdownFilters | null;
}

export interface TableArgument {
  readonly field: Field;
  readonly column: Vector;
}

/**
 * Hints DuckDB's optimizer passes to the scan. They are hints: DuckDB still sorts and
 * limits the result itself, so a function may ignore them. The exception is sampling:
 * with `samplingPushdown` DuckDB drops its own TABLESAMPLE SYSTEM operator and leaves
 * sampling to the function.
 */
export interface TablePushdown {
  /** `ORDER BY <column> ... LIMIT n` above the scan (first sort key only). */
  readonly orderBy: {
    readonly column: string;
    readonly direction: OrderByDirection;
    readonly nullOrder: OrderByNullOrder;
    /** LIMIT plus OFFSET, when DuckDB knows it (not when filters sit on the scan). */
    readonly limit: bigint | null;
  } | null;
  /** `TABLESAMPLE SYSTEM(p%) [REPEATABLE(seed)]`, with `samplingPushdown` only. */
  readonly sample: { readonly percentage: number; readonly seed: bigint | null } | null;
  /** Row limit of the init request, if any. */
  readonly rowLimit: bigint | null;
}

export const NO_PUSHDOWN: TablePushdown = { orderBy: null, sample: null, rowLimit: null };

export type TableColumns = Readonly<Record<string, TypeLike>>;

/** One produced batch: a record batch, or columns by name (any `ScalarResult` form). */
export type TableChunk = RecordBatch | Readonly<Record<string, ScalarResult>>;

export type TableOutput = TableChunk | AnnotatedChunk;

type ScanHints = Pick<
  InitRequest,
  | "orderByColumnName"
  | "orderByDirection"
  | "orderByNullOrder"
  | "orderByLimit"
  | "tablesamplePercentage"
  | "tablesampleSeed"
  | "rowLimit"
>;

export function pushdownOf(init: ScanHints): TablePushdown {
  const orderBy =
    init.orderByColumnName === null || init.orderByDirection === null
      ? null
      : {
          column: init.orderByColumnName,
          direction: init.orderByDirection,
          nullOrder: init.orderByNullOrder ?? "NULLS_LAST",
          limit: init.orderByLimit,
        };
  const sample =
    init.tablesamplePercentage === null
      ? null
      : { percentage: init.tablesamplePercentage, seed: init.tablesampleSeed };
  return { orderBy, sample, rowLimit: init.rowLimit };
}
