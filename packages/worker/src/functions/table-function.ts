/**
 * Table functions (generators): constant arguments in, a stream of batches out. Bind
 * decides the output columns; init opens a producer stream that answers each tick with
 * the next batch until the function says it is done.
 *
 * Stream state is a plain object the function creates in `start` and advances in
 * `produce`. Keep it serializable (numbers, strings, arrays, plain objects): over HTTP a
 * stream's state travels between requests in a sealed token and may resume on another
 * replica, so it must not hold sockets, closures or class instances.
 *
 * The definition's column rules are in `table-output-columns.ts`, the `TableCall`
 * hooks see is built by `table-call-builder.ts`.
 */
import { randomBytes } from "node:crypto";
import { Schema } from "apache-arrow";
import {
  ErrorKind,
  GlobalInitResponseCodec,
  VgiError,
  NO_CACHE_VALIDATORS,
  decodeSchema,
  encodeColumnStatistics,
  type BindResultInput,
  type CacheValidators,
  type FunctionInfoInput,
  type InitRequest,
  type TableFunctionCardinalityResultInput,
  type TableFunctionPlanRequest,
  type TableFunctionPlanResultInput,
} from "@vgi-ts/protocol";
import type { CallContext } from "../rpc/call-context.js";
import { MemoryStorage } from "../storage/memory-storage.js";
import type { SharedStorage } from "../storage/shared-storage.js";
import { WorkQueue } from "../storage/work-queue.js";
import type { StreamCall } from "../rpc/method.js";
import { argumentsSchema, isConcrete, type ArgumentSpec } from "./argument-spec.js";
import type { BindCall } from "./bind-call.js";
import { buildFunctionInfo } from "./function-metadata.js";
import { sameType } from "./overload-score.js";
import { cardinalityResult, tableBindResult } from "./table-bind-result.js";
import { TableProducer } from "./table-producer.js";
import { rowIdColumnOf } from "../filters/row-id-selection.js";
import { PartitionValues } from "./partition-values.js";
import type { WorkerFunction } from "./worker-function.js";
import {
  DEFAULT_SPLIT_TTL_SECONDS,
  checkTtl,
  planResult,
  redeemSplits,
  splitContext,
  splitTokenKey,
} from "./table-splits.js";
import { checkArgumentRanges } from "./argument-range.js";
import {
  asSchema,
  columnsSchema,
  producedSchema,
  projectedSchema,
  scanFilters,
} from "./table-scan-schema.js";
import type { TableFunctionDefinition } from "./table-function-definition.js";
import { buildTableCall } from "./table-call-builder.js";
import { checkTableFunctionDefinition, markOutputColumns } from "./table-output-columns.js";
import {
  NO_PUSHDOWN,
  pushdownOf,
  type TableCall,
  type TableColumns,
  type TableExecution,
  type TablePushdown,
  type FilterHolder,
} from "./table-call.js";

/** Declared columns as a schema; defined with the scan's other schemas. */
export { columnsSchema } from "./table-scan-schema.js";

export class TableFunction<S = unknown> implements WorkerFunction {
  readonly functionType = "TABLE" as const;
  private readonly argumentSchema: Schema;

  constructor(readonly definition: TableFunctionDefinition<S>) {
    this.argumentSchema = argumentsSchema(definition.arguments);
    if (definition.splits !== undefined) {
      checkTtl(definition.name, this.splitTtl);
    }
    checkTableFunctionDefinition(definition);
  }

  /** Partition and row id columns marked in a decided output schema. */
  private markColumns(schema: Schema): Schema {
    return markOutputColumns(this.definition, schema);
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
    return buildTableCall(this.definition, call, {
      columns,
      pushdown,
      cacheValidators,
      execution,
      filters,
      rowIdColumn,
      splits,
    });
  }

  outputSchema(call: TableCall): Schema | Promise<Schema> {
    checkArgumentRanges(this.name, this.definition.arguments, call.args);
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
    const output = projectedSchema(this.definition, full, init.projectionIds);
    const splits = await this.redeemSplits(init, output, storage);
    const isPrimary = init.executionId === null;
    const id = init.executionId ?? new Uint8Array(randomBytes(16));
    const execution: TableExecution = { id, isPrimary, storage, queue: new WorkQueue(storage, id) };
    // Filled by the producer from the first tick's metadata (conditional requests).
    const validators = { ...NO_CACHE_VALIDATORS };
    const filters: FilterHolder = { current: scanFilters(this.definition, init, full) };
    const produced = producedSchema(this.definition, full, output, filters.current);
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
    const output = projectedSchema(this.definition, full, request.projectionIds);
    const filters: FilterHolder = { current: scanFilters(this.definition, request, full) };
    const produced = producedSchema(this.definition, full, output, filters.current);
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
}

/** Define a table function. */
export function tableFunction<S>(definition: TableFunctionDefinition<S>): TableFunction<S> {
  return new TableFunction(definition);
}
