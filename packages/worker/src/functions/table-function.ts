/**
 * Table functions (generators): constant arguments in, a stream of batches out. Bind
 * decides the output columns; init opens a producer stream that answers each tick with
 * the next batch until the function says it is done.
 *
 * Stream state is a plain object the function creates in `start` and advances in
 * `produce`. Keep it serializable (numbers, strings, arrays, plain objects): over HTTP a
 * stream's state travels between requests in a sealed token and may resume on another
 * replica, so it must not hold sockets, closures or class instances.
 */
import { randomBytes } from "node:crypto";
import { Field, RecordBatch, Schema, type DataType, type Vector } from "apache-arrow";
import {
  ErrorKind,
  GlobalInitResponseCodec,
  VgiError,
  NO_CACHE_VALIDATORS,
  decodeSchema,
  decodeSingleBatch,
  encodeColumnStatistics,
  type BindResultInput,
  type CacheControl,
  type ColumnStatistics,
  type CacheValidators,
  type FunctionInfoInput,
  type InitRequest,
  type OrderByDirection,
  type OrderByNullOrder,
  type OrderPreservation,
  type TableFunctionCardinalityResultInput,
  type TableFunctionPlanRequest,
  type TableFunctionPlanResultInput,
} from "@vgi-ts/protocol";
import type { CallContext } from "../rpc/call-context.js";
import { MemoryStorage } from "../storage/memory-storage.js";
import type { SharedStorage } from "../storage/shared-storage.js";
import { WorkQueue } from "../storage/work-queue.js";
import type { StreamCall } from "../rpc/method.js";
import { argumentsSchema, isConcrete, type ArgumentSpec, type TypeLike } from "./argument-spec.js";
import type { BindCall } from "./bind-call.js";
import type { AtClause } from "@vgi-ts/catalog";
import {
  buildFunctionInfo,
  type FunctionMetadata,
  type SecretRequirement,
} from "./function-metadata.js";
import { sameType } from "./overload-score.js";
import type { FunctionContext, ScalarResult } from "./scalar-exchange.js";
import type { AnnotatedChunk } from "./table-chunk-metadata.js";
import { cardinalityResult, tableBindResult } from "./table-bind-result.js";
import { TableProducer } from "./table-producer.js";
import { PushdownFilters } from "../filters/pushdown-filters.js";
import {
  ROW_ID_KEY,
  rowIdColumnOf,
  rowIdSelection,
  type RowIdSelection,
} from "../filters/row-id-selection.js";
import { PartitionValues, markPartitionColumns, type PartitionKind } from "./partition-values.js";
import type { AttachScope } from "../storage/attach-scope.js";
import type { TransactionScope } from "../storage/transaction-scope.js";
import type { WorkerFunction } from "./worker-function.js";
import {
  DEFAULT_SPLIT_TTL_SECONDS,
  checkTtl,
  planResult,
  redeemSplits,
  splitContext,
  splitTokenKey,
  type TableSplits,
} from "./table-splits.js";

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

const NO_PUSHDOWN: TablePushdown = { orderBy: null, sample: null, rowLimit: null };

export type TableColumns = Readonly<Record<string, TypeLike>>;

/** One produced batch: a record batch, or columns by name (any `ScalarResult` form). */
export type TableChunk = RecordBatch | Readonly<Record<string, ScalarResult>>;

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

/** What `produce` returns: a chunk, possibly with its own batch metadata. */
export type TableOutput = TableChunk | AnnotatedChunk;

export class TableFunction<S = unknown> implements WorkerFunction {
  readonly functionType = "TABLE" as const;
  private readonly argumentSchema: Schema;

  constructor(readonly definition: TableFunctionDefinition<S>) {
    this.argumentSchema = argumentsSchema(definition.arguments);
    if (definition.splits !== undefined) {
      checkTtl(definition.name, this.splitTtl);
    }
    const kind = definition.partitionKind;
    const partitionColumns = definition.partitionColumns ?? [];
    if ((kind === undefined) !== (partitionColumns.length === 0)) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `table function ${definition.name}: partitionKind and partitionColumns go together`,
      );
    }
    if (
      definition.lateMaterialization === true &&
      (definition.filterPushdown !== true || definition.projectionPushdown !== true)
    ) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `table function ${definition.name}: lateMaterialization needs filterPushdown and projectionPushdown`,
      );
    }
    const { columns } = definition;
    if (typeof columns !== "function") {
      const names = new Set(Object.keys(columns).map((n) => n.toLowerCase()));
      const unknown = partitionColumns.filter((c) => !names.has(c.toLowerCase()));
      if (unknown.length > 0) {
        throw new VgiError(
          ErrorKind.InvalidArgument,
          `table function ${definition.name}: partition column ${unknown.join(", ")} is not an output column`,
        );
      }
      const rowId = definition.rowIdColumn;
      if (rowId !== undefined && !names.has(rowId.toLowerCase())) {
        throw new VgiError(
          ErrorKind.InvalidArgument,
          `table function ${definition.name}: row id column ${rowId} is not an output column`,
        );
      }
    }
  }

  /** Partition and row id columns marked in a decided output schema. */
  private markColumns(schema: Schema): Schema {
    const marked = markPartitionColumns(schema, this.definition.partitionColumns ?? []);
    const rowId = this.definition.rowIdColumn?.toLowerCase();
    if (rowId === undefined) return marked;
    return new Schema(
      marked.fields.map((f) =>
        f.name.toLowerCase() === rowId
          ? new Field(f.name, f.type, f.nullable, new Map([...f.metadata, [ROW_ID_KEY, ""]]))
          : f,
      ),
      marked.metadata,
    );
  }

  get name(): string {
    return this.definition.name;
  }

  describe(schemaPath: readonly string[]): FunctionInfoInput {
    const { columns } = this.definition;
    const output = this.markColumns(
      typeof columns === "function" ? new Schema([]) : columnsSchema(columns as TableColumns),
    );
    const info = buildFunctionInfo(
      {
        name: this.name,
        functionType: "TABLE",
        arguments: this.argumentSchema,
        outputSchema: output,
        metadata: this.definition,
      },
      schemaPath,
    );
    const { maxWorkers, orderPreservation, supportsBatchIndex } = this.definition;
    return {
      ...info,
      ...(this.definition.samplingPushdown === true ? { samplingPushdown: true } : {}),
      ...(this.definition.lateMaterialization === true ? { lateMaterialization: true } : {}),
      ...(maxWorkers === undefined ? {} : { maxWorkers }),
      ...(orderPreservation === undefined ? {} : { orderPreservation }),
      ...(supportsBatchIndex === true ? { supportsBatchIndex: true } : {}),
      ...(this.definition.splits === undefined
        ? {}
        : {
            supportsSplits: true,
            splitTokenTtlSeconds: this.splitTtl === null ? null : BigInt(this.splitTtl),
          }),
      ...(this.definition.partitionKind === undefined
        ? {}
        : { partitionKind: this.definition.partitionKind }),
    };
  }

  private get splitTtl(): number | null {
    const ttl = this.definition.splits?.ttlSeconds;
    return ttl === undefined ? DEFAULT_SPLIT_TTL_SECONDS : ttl;
  }

  private get positionalSpecs(): readonly ArgumentSpec[] {
    return this.definition.arguments.filter((arg) => arg.named !== true);
  }

  matchScore(call: BindCall): number | null {
    const specs = this.positionalSpecs;
    const varargs = specs.at(-1)?.varargs === true ? specs.at(-1) : undefined;
    const fixed = varargs === undefined ? specs : specs.slice(0, -1);
    const types = call.positionalTypes;
    if (types.length < fixed.length || (varargs === undefined && types.length > fixed.length)) {
      return null;
    }
    let score = 0;
    for (let i = 0; i < types.length; i++) {
      const spec = i < fixed.length ? fixed[i]! : varargs!;
      if (!isConcrete(spec.type)) continue;
      const declared = spec.type.arrowType();
      if (sameType(declared, types[i]!)) score += 2;
      else if (declared.typeId === types[i]!.typeId) score += 1;
      else return null;
    }
    return score;
  }

  tableCall(
    call: BindCall,
    columns: readonly string[] = [],
    pushdown: TablePushdown = NO_PUSHDOWN,
    cacheValidators: CacheValidators = NO_CACHE_VALIDATORS,
    execution: TableExecution | null = null,
    filters: FilterHolder = { current: null },
    rowIdColumn: string | null = null,
    splits: readonly unknown[] | null = null,
  ): TableCall {
    const args: Record<string, unknown> = {};
    const specs = this.positionalSpecs;
    specs.forEach((spec, index) => {
      args[spec.name] =
        spec.varargs === true ? call.positional.slice(index) : (call.positional[index] ?? null);
    });
    for (const spec of this.definition.arguments.filter((arg) => arg.named === true)) {
      const value = call.named.get(spec.name.toLowerCase());
      args[spec.name] = value === undefined ? (spec.default ?? null) : value;
    }
    let argumentColumns: readonly TableArgument[] | undefined;
    // Recomputed only when a tick's delta replaced the filters.
    let rowIds: { of: PushdownFilters | null; selection: RowIdSelection | null } | undefined;
    return {
      functionName: this.name,
      args,
      argumentTypes: call.positionalTypes,
      settings: call.settings,
      secrets: call.secrets,
      attachOptions: call.attachOptions,
      at: call.at,
      attachId: call.attachId,
      transactionId: call.transactionId,
      columns,
      get argumentColumns() {
        return (argumentColumns ??= positionalArguments(call));
      },
      pushdown,
      cacheValidators,
      execution,
      splits,
      get filters() {
        return filters.current;
      },
      get rowIds() {
        if (rowIdColumn === null) return null;
        if (rowIds?.of !== filters.current) {
          rowIds = {
            of: filters.current,
            selection: rowIdSelection(filters.current, rowIdColumn),
          };
        }
        return rowIds.selection;
      },
      attach: call.attach,
      transaction: call.transaction,
    };
  }

  outputSchema(call: TableCall): Schema | Promise<Schema> {
    this.checkRanges(call);
    this.definition.validate?.(call);
    const { columns } = this.definition;
    const decided = typeof columns === "function" ? columns(call) : columns;
    const mark = (c: TableColumns | Schema): Schema => this.markColumns(asSchema(c));
    return decided instanceof Promise ? decided.then(mark) : mark(decided);
  }

  bind(call: BindCall): BindResultInput | Promise<BindResultInput> {
    const tableCall = this.tableCall(call);
    return tableBindResult(
      call,
      () => this.definition.secretLookups?.(tableCall) ?? [],
      () => this.outputSchema(tableCall),
    );
  }

  cardinality(call: BindCall): TableFunctionCardinalityResultInput {
    return cardinalityResult(this.definition.cardinality?.(this.tableCall(call)));
  }

  async dynamicToString(
    call: BindCall,
    executionId: Uint8Array,
    storage: SharedStorage,
  ): Promise<Readonly<Record<string, string>>> {
    const describe = this.definition.dynamicToString;
    if (describe === undefined) return {};
    return describe({ id: executionId, storage }, this.tableCall(call));
  }

  statistics(call: BindCall): Uint8Array | null {
    const stats = this.definition.statistics?.(this.tableCall(call)) ?? null;
    return stats === null ? null : encodeColumnStatistics(stats);
  }

  /**
   * Open one stream. An init request without an execution id is the primary: it gets a
   * new id and runs the function's `init`; secondaries carry the primary's id (and its
   * init opaque data, echoed back) and skip `init`.
   */
  async open(
    call: BindCall,
    init: InitRequest,
    ctx: CallContext,
    storage: SharedStorage = new MemoryStorage(),
  ): Promise<StreamCall> {
    const full = decodeSchema(init.outputSchema, "InitRequest.output_schema");
    const output = this.projectedSchema(full, init.projectionIds);
    const splits = await this.redeemSplits(init, output, storage);
    const isPrimary = init.executionId === null;
    const id = init.executionId ?? new Uint8Array(randomBytes(16));
    const execution: TableExecution = { id, isPrimary, storage, queue: new WorkQueue(storage, id) };
    // Filled by the producer from the first tick's metadata (conditional requests).
    const validators = { ...NO_CACHE_VALIDATORS };
    const filters: FilterHolder = { current: this.decodeFilters(init, full) };
    const produced = this.producedSchema(full, output, filters.current);
    const tableCall = this.tableCall(
      call,
      produced.fields.map((f) => f.name),
      pushdownOf(init),
      validators,
      execution,
      filters,
      rowIdColumnOf(full),
      splits,
    );
    // A split stream reads its own split: the plan replaced `init`'s work sharing.
    if (isPrimary && splits === null) await this.definition.init?.(tableCall);
    const header = GlobalInitResponseCodec.encode({
      executionId: id,
      opaqueData: init.initOpaqueData,
      maxWorkers: BigInt(Math.max(1, this.definition.maxWorkers ?? 1)),
    });
    const partitionNames = new Set(
      (this.definition.partitionColumns ?? []).map((c) => c.toLowerCase()),
    );
    const partitions = new PartitionValues(
      this.name,
      full.fields.filter((f) => partitionNames.has(f.name.toLowerCase())),
      this.definition.partitionKind ?? null,
      this.definition.derivePartitionValues !== false,
    );
    return new TableProducer(this.definition, tableCall, output, ctx, validators, header, {
      produced,
      filters,
      autoApply: this.definition.autoApplyFilters === true,
      partitions,
    });
  }

  /**
   * `table_function_plan`: the function's splits for this call, each sealed into a token
   * bound to the call (function, arguments, projected columns, transaction).
   */
  async plan(
    call: BindCall,
    request: TableFunctionPlanRequest,
    storage: SharedStorage,
  ): Promise<TableFunctionPlanResultInput> {
    const splits = this.definition.splits;
    if (splits === undefined) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `table function ${this.name} does not plan splits (it does not declare supports_splits)`,
      );
    }
    const full = await this.outputSchema(this.tableCall(call));
    const output = this.projectedSchema(full, request.projectionIds);
    const filters: FilterHolder = { current: this.decodeFilters(request, full) };
    const produced = this.producedSchema(full, output, filters.current);
    const tableCall = this.tableCall(
      call,
      produced.fields.map((f) => f.name),
      pushdownOf(request),
      NO_CACHE_VALIDATORS,
      null,
      filters,
      rowIdColumnOf(full),
    );
    const planned = await splits.plan(tableCall, {
      targetSplitBytes: request.targetSplitBytes,
      minSplits: request.minSplits,
    });
    return planResult(planned, {
      key: await splitTokenKey(storage),
      context: splitContext(
        this.name,
        request.bindCall,
        output.fields.map((f) => f.name),
      ),
      ttlSeconds: this.splitTtl,
      maxWorkers: this.definition.maxWorkers ?? planned.length,
    });
  }

  /** The splits an init's tokens name, or null for an unsplit stream. */
  private async redeemSplits(
    init: InitRequest,
    output: Schema,
    storage: SharedStorage,
  ): Promise<unknown[] | null> {
    const tokens = init.splitTokens;
    if (tokens === null || tokens.length === 0) return null;
    if (this.definition.splits === undefined) {
      throw new VgiError(
        ErrorKind.MalformedRequest,
        `table function ${this.name} plans no splits, yet its init carries split tokens`,
      );
    }
    const context = splitContext(
      this.name,
      init.bindCall,
      output.fields.map((f) => f.name),
    );
    return redeemSplits(tokens, await splitTokenKey(storage), context);
  }

  /** The request's filters, decoded against the unprojected bind schema. */
  private decodeFilters(
    init: Pick<InitRequest, "pushdownFilters" | "joinKeys">,
    full: Schema,
  ): PushdownFilters | null {
    if (this.definition.filterPushdown !== true || init.pushdownFilters === null) return null;
    return PushdownFilters.decode(init.pushdownFilters, {
      outputSchema: full,
      joinKeys: init.joinKeys,
      additionalFilterFunctions: this.definition.additionalFilterFunctions ?? [],
      evaluationContexts: this.definition.filterEvaluationContexts ?? [],
    });
  }

  /**
   * What `produce` is asked for: the output columns plus, when the runtime applies the
   * filters, the columns they read (in bind order), so the mask can be computed.
   */
  private producedSchema(full: Schema, output: Schema, filters: PushdownFilters | null): Schema {
    if (this.definition.autoApplyFilters !== true || filters === null) return output;
    const wanted = new Set(output.fields.map((f) => f.name));
    const extra = new Set(filters.filteredColumns().filter((name) => !wanted.has(name)));
    // Columns only a predicate reads may be missing from the projection.
    if (extra.size === 0) return output;
    return new Schema(
      [...output.fields, ...full.fields.filter((f) => extra.has(f.name))],
      full.metadata,
    );
  }

  /**
   * A declared `range` is enforced at bind, not only advertised: a value outside it, or
   * NULL (which no range contains), is rejected before any row is produced, instead of
   * reaching `produce` as a zero batch size that never finishes.
   */
  private checkRanges(call: TableCall): void {
    for (const spec of this.definition.arguments) {
      const chosen = call.args[spec.name];
      if (spec.choices !== undefined && chosen !== null && chosen !== undefined) {
        // DuckDB shows the choices but does not enforce them for table functions.
        if (!spec.choices.includes(String(chosen))) {
          throw new VgiError(
            ErrorKind.InvalidArgument,
            `${this.name}: argument '${spec.name}' must be one of the allowed choices: ` +
              `${spec.choices.join(", ")} (got ${String(chosen)})`,
          );
        }
      }
      if (spec.range === undefined) continue;
      const bounds = parseRange(spec.range);
      if (bounds === null) continue;
      const raw = call.args[spec.name];
      const values = spec.varargs === true && Array.isArray(raw) ? raw : [raw];
      for (const value of values) {
        const problem = rangeProblem(value, bounds);
        if (problem === null) continue;
        throw new VgiError(
          ErrorKind.InvalidArgument,
          `${this.name}: argument '${spec.name}' ${problem} (allowed: ${spec.range})`,
        );
      }
    }
  }

  /** With projection pushdown the stream carries only the projected columns, in that order. */
  private projectedSchema(full: Schema, projectionIds: readonly bigint[] | null): Schema {
    if (this.definition.projectionPushdown !== true || projectionIds === null) return full;
    return new Schema(
      projectionIds.map((id) => {
        const field = full.fields[Number(id)];
        if (field === undefined) {
          throw new VgiError(
            ErrorKind.MalformedRequest,
            `projection id ${id} is outside the ${full.fields.length} output columns`,
          );
        }
        return field;
      }),
      full.metadata,
    );
  }
}

/** The positional argument columns of a bind request, with their fields. */
function positionalArguments(call: BindCall): TableArgument[] {
  const batch = decodeSingleBatch(call.request.arguments, "BindRequest.arguments");
  const struct = batch.getChild("args");
  if (struct === null || struct.length === 0) return [];
  const out: TableArgument[] = [];
  struct.type.children.forEach((field: Field, index: number) => {
    if (!field.name.startsWith("named_")) out.push({ field, column: struct.getChildAt(index)! });
  });
  return out;
}

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

function pushdownOf(init: ScanHints): TablePushdown {
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

interface RangeBounds {
  readonly low: { readonly value: number; readonly text: string; readonly open: boolean } | null;
  readonly high: { readonly value: number; readonly text: string; readonly open: boolean } | null;
}

/** Interval notation as advertised in `vgi_range`: `[0, +inf)`, `(0.0, 1]`, `[1, 10)`. */
function parseRange(range: string): RangeBounds | null {
  const match = /^\s*([[(])\s*([^,]+?)\s*,\s*([^\])]+?)\s*([\])])\s*$/.exec(range);
  if (match === null) return null;
  const bound = (text: string, open: boolean) => {
    if (/^[-+]?inf$/i.test(text)) return null;
    const value = Number(text);
    return Number.isNaN(value) ? null : { value, text, open };
  };
  return { low: bound(match[2]!, match[1] === "("), high: bound(match[3]!, match[4] === ")") };
}

function rangeProblem(value: unknown, { low, high }: RangeBounds): string | null {
  if (value === null || value === undefined) return "cannot be NULL";
  if (typeof value !== "number" && typeof value !== "bigint") return null;
  const n = Number(value);
  if (low !== null && (low.open ? !(n > low.value) : !(n >= low.value))) {
    return `must be ${low.open ? ">" : ">="} ${low.text} (got ${String(value)})`;
  }
  if (high !== null && (high.open ? !(n < high.value) : !(n <= high.value))) {
    return `must be ${high.open ? "<" : "<="} ${high.text} (got ${String(value)})`;
  }
  return null;
}

function asSchema(columns: TableColumns | Schema): Schema {
  return columns instanceof Schema ? columns : columnsSchema(columns);
}

/** Declared output columns as a schema (types' extension metadata on the fields). */
export function columnsSchema(columns: TableColumns): Schema {
  return new Schema(
    Object.entries(columns).map(
      ([name, type]) => new Field(name, type.arrowType(), true, new Map(type.metadata?.() ?? [])),
    ),
  );
}

/** Define a table function. */
export function tableFunction<S>(definition: TableFunctionDefinition<S>): TableFunction<S> {
  return new TableFunction(definition);
}
