/** What a table function's author declares: metadata, arguments, columns, hooks. */
import { Schema } from "apache-arrow";
import { type CacheControl, type ColumnStatistics, type OrderPreservation } from "@vgi-ts/protocol";
import type { SharedStorage } from "../storage/shared-storage.js";
import { type ArgumentSpec } from "./argument-spec.js";
import { type FunctionMetadata, type SecretRequirement } from "./function-metadata.js";
import type { FunctionContext } from "./scalar-exchange.js";
import { type PartitionKind } from "./partition-values.js";
import { type TableSplits } from "./table-splits.js";

import type { TableCall, TableColumns, TableOutput } from "./table-call.js";

export interface TableFunctionDefinition<S = unknown> extends FunctionMetadata {
  readonly name: string;
  /**
   * DuckDB may hand `TABLESAMPLE SYSTEM` to the function (`call.pushdown.sample`) and
   * then does not sample the result itself.
   */
  readonly samplingPushdown?: boolean;
  /**
   * The output column DuckDB uses as the row id (a `rowid` virtual column for queries;
   * catalog tables name theirs with their own `rowId`). Marked `is_row_id` in the
   * output schema; a schema built by `columns` may mark its own instead.
   */
  readonly rowIdColumn?: string;
  /**
   * Take part in DuckDB's late materialization (catalog tables backed by this function,
   * with a row id column): a Top-N / LIMIT / `USING SAMPLE n ROWS` scans the ordering
   * columns first, then re-scans for the surviving rows with their row ids pushed as
   * a filter (`call.rowIds`), so the wide columns are made only for those. Needs
   * `filterPushdown` and `projectionPushdown` (DuckDB ignores it otherwise). The
   * function promises row ids that are unique and the same in every scan of the same
   * arguments, whichever process runs it: DuckDB joins the two scans on them.
   */
  readonly lateMaterialization?: boolean;
  /**
   * With `filterPushdown`: the runtime applies `call.filters` to every produced batch,
   * so `produce` may ignore them. Columns that filters read are then produced even when
   * the query does not select them (`call.columns` includes them).
   */
  readonly autoApplyFilters?: boolean;
  /** Positional arguments (constants at the call site), then named options. */
  readonly arguments: readonly ArgumentSpec[];
  /**
   * Output columns, fixed or decided at bind from the arguments (possibly asynchronously,
   * e.g. from `call.attach` storage).
   */
  readonly columns:
    TableColumns | ((call: TableCall) => TableColumns | Schema | Promise<TableColumns | Schema>);
  /**
   * Secrets to resolve before bind completes whose scope or name comes from the call
   * (`scoped_demo('s3://bucket/...')`); they then appear in `call.secrets` (see
   * `secretForScope`). Secrets known up front go in `requiredSecrets` instead.
   */
  readonly secretLookups?: (call: TableCall) => readonly SecretRequirement[];
  /**
   * How many streams DuckDB may run in parallel for one call (default 1). With more,
   * every stream runs `start` and `produce`, so they must split the work between them,
   * typically through `call.execution.queue` filled by `init`.
   */
  readonly maxWorkers?: number;
  /**
   * Plan the scan into splits (FunctionInfo `supports_splits`): DuckDB reads each split
   * through its own stream, in parallel and in any worker process, instead of one
   * primary stream sharing work through `init`. See `TableSplits`.
   */
  readonly splits?: TableSplits;
  /** Once per execution, on the primary stream before `start` (e.g. enqueue work). */
  readonly init?: (call: TableCall) => void | Promise<void>;
  /** Whether DuckDB must keep the produced row order (default: DuckDB's insertion order). */
  readonly orderPreservation?: OrderPreservation;
  /**
   * Each produced batch covers one partition of `partitionColumns` (Hive-style): with
   * SINGLE_VALUE_PARTITIONS every batch holds one value of them, and DuckDB aggregates
   * `GROUP BY` those columns batch by batch. The runtime sends each batch's bounds,
   * derived from the batch or named with `withPartitionValues`.
   */
  readonly partitionKind?: PartitionKind;
  readonly partitionColumns?: readonly string[];
  /**
   * False: never derive partition bounds from a batch; only chunks returned through
   * `withPartitionValues` carry them (DuckDB rejects a non-empty batch without).
   */
  readonly derivePartitionValues?: boolean;
  /** Chunks carry a batch index (`withBatchIndex`) so parallel output can be reordered. */
  readonly supportsBatchIndex?: boolean;
  /**
   * The client abandoned the stream (LIMIT reached, query interrupted, an error
   * elsewhere in the plan). Best effort: a killed process never calls it, and it may run
   * in another process than the one that produced. Use it to release external resources
   * early, never for correctness.
   */
  readonly onCancel?: (state: S, call: TableCall) => void | Promise<void>;
  /**
   * Diagnostics for `EXPLAIN ANALYZE` (shown as the scan's extra info, after DuckDB's
   * own keys): called once per execution, in any worker process, after its streams
   * ran. Streams leave what they measured in `execution.storage` (under their own
   * namespace, keyed by `execution.id`); this reads it back and sums it up.
   */
  readonly dynamicToString?: (
    execution: { readonly id: Uint8Array; readonly storage: SharedStorage },
    call: TableCall,
  ) => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>;
  /** Validate a call at bind time (throw to reject it with a clear message). */
  readonly validate?: (call: TableCall) => void;
  /** How many rows the call will produce, if known: helps DuckDB plan joins. */
  readonly cardinality?: (call: TableCall) => { estimate?: number | bigint; max?: number | bigint };
  /**
   * What the call's output columns hold (bounds, NULLs, distinct values), known from
   * its arguments at plan time: DuckDB folds filters no row can pass into an empty
   * result without scanning. Null or absent: nothing known.
   */
  readonly statistics?: (call: TableCall) => readonly ColumnStatistics[] | null;
  /** The stream's initial state (plain, serializable data). */
  readonly start: (call: TableCall) => S;
  /**
   * Let DuckDB's result cache keep the result: the `vgi.cache.*` metadata rides the first
   * produced batch (a function of the call, or null for "not cacheable this time").
   * A chunk returned through `withCacheControl` carries its own control instead.
   */
  readonly cacheControl?: CacheControl | ((call: TableCall) => CacheControl | null);
  /** The next batch, advancing `state` in place; `null` when the table is complete. */
  readonly produce: (
    state: S,
    call: TableCall,
    ctx: FunctionContext,
  ) => TableOutput | null | Promise<TableOutput | null>;
}
