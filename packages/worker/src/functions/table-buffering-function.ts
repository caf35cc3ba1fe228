/**
 * Table-buffering functions (sink → combine → source): functions that must see every
 * input row before producing any output — buffer-then-emit, global reductions,
 * sort-then-emit. DuckDB runs three phases (Query-farm/vgi `vgi_table_buffering_impl.cpp`):
 *
 * 1. Sink: each DuckDB thread opens an init stream (phase `TABLE_BUFFERING`, the first
 *    one mints the execution id) and then sends its input chunks as unary
 *    `table_buffering_process` calls; `process` stores the batch and returns a state id.
 * 2. Combine: once, `table_buffering_combine` hands every state id to `combine`, which
 *    returns the finalize state ids, one output stream each.
 * 3. Source: per finalize state id an init stream (phase `TABLE_BUFFERING_FINALIZE`)
 *    that `produce` answers batch by batch, like a table function.
 *
 * Each of those calls may reach a different worker process, so whatever `process` keeps
 * for later goes into `call.storage` (shared storage scoped by the execution id, sqlite
 * across processes by default), and the source stream's state must be plain serializable
 * data. `table_buffering_destructor` drops the execution's storage after the query.
 */
import { randomBytes } from "node:crypto";
import { Schema, type Field, type RecordBatch } from "apache-arrow";
import {
  ErrorKind,
  GlobalInitResponseCodec,
  NO_CACHE_VALIDATORS,
  VgiError,
  decodeSchema,
  type BindRequest,
  type BindResultInput,
  type FunctionInfoInput,
  type InitRequest,
  type LogLevel,
  type TableFunctionCardinalityResultInput,
} from "@vgi-ts/protocol";
import type { CallContext } from "../rpc/call-context.js";
import type { StreamCall } from "../rpc/method.js";
import type { SharedStorage } from "../storage/shared-storage.js";
import { executionStorage, type ExecutionStorage } from "../storage/execution-storage.js";
import { argumentsSchema, isTableInput, type ArgumentSpec } from "./argument-spec.js";
import type { BindCall } from "./bind-call.js";
import {
  buildFunctionInfo,
  type FunctionMetadata,
  type SecretRequirement,
} from "./function-metadata.js";
import { cardinalityResult, tableBindResult } from "./table-bind-result.js";
import type { FunctionContext } from "./scalar-exchange.js";
import { TableFunction, columnsSchema } from "./table-function.js";
import { type TableOutput, type TableColumns } from "./table-call.js";
import { TableProducer } from "./table-producer.js";
import type { WorkerFunction } from "./worker-function.js";
import { persistInit } from "./buffering-init.js";
import type { AttachScope } from "../storage/attach-scope.js";
import { projectedSchema } from "./table-scan-schema.js";

/** A secret the function asks DuckDB to resolve before bind completes (two-phase bind). */
export type SecretLookup = SecretRequirement;

/** The `COPY ... TO` destination when the function serves a COPY TO format. */
export interface CopyToTarget {
  readonly format: string;
  readonly filePath: string;
}

/** What bind sees about the call. */
export interface BufferingBindCall {
  readonly functionName: string;
  /** Constant arguments and named options by declared name (defaults applied). */
  readonly args: Readonly<Record<string, unknown>>;
  readonly settings: ReadonlyMap<string, unknown>;
  /** Resolved secrets by column name; each value carries its `type` and `scope`. */
  readonly secrets: ReadonlyMap<string, unknown>;
  /** The columns of the table input. */
  readonly inputSchema: Schema;
  readonly copyTo: CopyToTarget | null;
  /** Attachment-private storage, for catalogs declared `attachScoped` (else null). */
  readonly attach: AttachScope | null;
}

/** What process, combine and the source stream see. */
export interface BufferingCall extends BufferingBindCall {
  /** The bound output columns (all of them, before projection). */
  readonly outputSchema: Schema;
  /** Stable across every process and call of one query execution. */
  readonly executionId: Uint8Array;
  /** Shared storage scoped to this execution: what process keeps for combine and produce. */
  readonly storage: ExecutionStorage;
  /** Log to DuckDB (`duckdb_logs()`, type `VGI`). */
  log(level: LogLevel, message: string, extra?: Record<string, unknown>): void;
}

/** What process sees: the call plus the chunk's position when the function asked for it. */
export interface SinkCall extends BufferingCall {
  /** DuckDB's batch index of this chunk (`requiresInputBatchIndex`), else null. */
  readonly batchIndex: bigint | null;
}

export interface TableBufferingFunctionDefinition<S = unknown> extends FunctionMetadata {
  readonly name: string;
  /** Exactly one `TABLE` argument, plus constants and named options. */
  readonly arguments: readonly ArgumentSpec[];
  /** Output columns; default: the input's columns (a passthrough). May be decided async. */
  readonly columns?:
    | TableColumns
    | ((call: BufferingBindCall) => TableColumns | Schema | Promise<TableColumns | Schema>);
  /** Validate a call at bind time (throw to reject it with a clear message). */
  readonly validate?: (call: BufferingBindCall) => void;
  /** Secrets to resolve before bind completes (DuckDB retries bind with them resolved). */
  readonly secretLookups?: (call: BufferingBindCall) => readonly SecretLookup[];
  readonly cardinality?: (call: BufferingBindCall) => {
    estimate?: number | bigint;
    max?: number | bigint;
  };
  /** One sink thread, chunks in source order (DuckDB's `ParallelSink=false`). */
  readonly sinkOrderDependent?: boolean;
  /** Finalize streams drained one after another, in the order `combine` returned. */
  readonly sourceOrderDependent?: boolean;
  /** Every process call carries DuckDB's batch index (`call.batchIndex`). */
  readonly requiresInputBatchIndex?: boolean;
  /** Store one input batch; return the state id naming where (opaque bytes). */
  readonly process: (batch: RecordBatch, call: SinkCall) => Uint8Array | Promise<Uint8Array>;
  /**
   * Once, after every process call: turn all state ids (one per sink thread, duplicates
   * kept) into the finalize state ids, one output stream each.
   */
  readonly combine: (
    stateIds: readonly Uint8Array[],
    call: BufferingCall,
  ) => readonly Uint8Array[] | Promise<readonly Uint8Array[]>;
  /** A finalize stream's initial state (plain, serializable data). */
  readonly start: (finalizeStateId: Uint8Array, call: BufferingCall) => S;
  /** The stream's next batch, advancing `state` in place; `null` when it is done. */
  readonly produce: (
    state: S,
    finalizeStateId: Uint8Array,
    call: BufferingCall,
    ctx: FunctionContext,
  ) => TableOutput | null | Promise<TableOutput | null>;
}

export class TableBufferingFunction<S = unknown> implements WorkerFunction {
  readonly functionType = "TABLE_BUFFERING" as const;
  /** Decodes constants and named options, checks ranges: a table function minus its input. */
  private readonly signature: TableFunction<null>;

  constructor(readonly definition: TableBufferingFunctionDefinition<S>) {
    const tables = definition.arguments.filter((arg) => isTableInput(arg.type));
    if (tables.length !== 1) {
      throw new Error(
        `table-buffering function ${definition.name} needs exactly one TABLE argument (has ${tables.length})`,
      );
    }
    if (definition.sinkOrderDependent === true && definition.requiresInputBatchIndex === true) {
      throw new Error(
        `table-buffering function ${definition.name}: sinkOrderDependent and requiresInputBatchIndex ` +
          `exclude each other (a single sink thread already sees input in order)`,
      );
    }
    this.signature = new TableFunction({
      name: definition.name,
      arguments: definition.arguments.filter((arg) => !isTableInput(arg.type)),
      columns: {},
      start: () => null,
      produce: () => null,
    });
  }

  get name(): string {
    return this.definition.name;
  }

  describe(schemaPath: readonly string[]): FunctionInfoInput {
    const { columns } = this.definition;
    const output =
      columns === undefined || typeof columns === "function"
        ? new Schema([])
        : columnsSchema(columns);
    const info = buildFunctionInfo(
      {
        name: this.name,
        functionType: "TABLE_BUFFERING",
        arguments: argumentsSchema(this.definition.arguments),
        outputSchema: output,
        metadata: this.definition,
      },
      schemaPath,
    );
    return {
      ...info,
      sinkOrderDependent: this.definition.sinkOrderDependent === true,
      sourceOrderDependent: this.definition.sourceOrderDependent === true,
      requiresInputBatchIndex: this.definition.requiresInputBatchIndex === true,
    };
  }

  matchScore(call: BindCall): number | null {
    return this.signature.matchScore(call);
  }

  bindCall(call: BindCall): BufferingBindCall {
    // Range checks of constants and options; the empty schema it returns is not used.
    const tableCall = this.signature.tableCall(call);
    this.signature.outputSchema(tableCall);
    const request = call.request as Partial<BindRequest>;
    const copyTo = request.copyTo ?? null;
    return {
      functionName: this.name,
      args: tableCall.args,
      settings: call.settings,
      secrets: call.secrets,
      inputSchema: new Schema(call.inputFields as Field[]),
      copyTo: copyTo === null ? null : { format: copyTo.format, filePath: copyTo.filePath },
      attach: call.attach,
    };
  }

  outputSchema(call: BufferingBindCall): Schema | Promise<Schema> {
    this.definition.validate?.(call);
    const { columns } = this.definition;
    if (columns === undefined) return call.inputSchema;
    const decided = typeof columns === "function" ? columns(call) : columns;
    const asSchema = (c: TableColumns | Schema): Schema =>
      c instanceof Schema ? c : columnsSchema(c);
    return decided instanceof Promise ? decided.then(asSchema) : asSchema(decided);
  }

  bind(call: BindCall): BindResultInput | Promise<BindResultInput> {
    const bindCall = this.bindCall(call);
    return tableBindResult(
      call,
      () => this.definition.secretLookups?.(bindCall) ?? [],
      () => this.outputSchema(bindCall),
    );
  }

  cardinality(call: BindCall): TableFunctionCardinalityResultInput {
    return cardinalityResult(this.definition.cardinality?.(this.bindCall(call)));
  }

  /** The call as process, combine and produce see it, rebuilt from the init request. */
  bufferingCall(
    call: BindCall,
    init: InitRequest,
    executionId: Uint8Array,
    storage: SharedStorage,
    ctx: CallContext,
  ): BufferingCall {
    return {
      ...this.bindCall(call),
      outputSchema: decodeSchema(init.outputSchema, "InitRequest.output_schema"),
      executionId,
      storage: executionStorage(storage, executionId),
      log: (level, message, extra) => ctx.log(level, message, extra),
    };
  }

  async open(
    call: BindCall,
    init: InitRequest,
    ctx: CallContext,
    storage?: SharedStorage,
  ): Promise<StreamCall> {
    if (storage === undefined) {
      throw new VgiError(ErrorKind.Internal, `${this.name}: table-buffering needs shared storage`);
    }
    const output = decodeSchema(init.outputSchema, "InitRequest.output_schema");
    switch (init.phase) {
      case "TABLE_BUFFERING": {
        // A sink thread's init: the first one (no execution id yet) mints the execution
        // and records the init request, from which any process rebuilds the call for the
        // unary process/combine calls that follow. The stream itself carries no rows.
        const executionId = init.executionId ?? newExecutionId();
        if (init.executionId === null) await persistInit(storage, executionId, init);
        return { header: header(executionId), outputSchema: output, turn: () => noRows() };
      }
      case "TABLE_BUFFERING_FINALIZE": {
        if (init.executionId === null || init.finalizeStateId === null) {
          throw new VgiError(
            ErrorKind.MalformedRequest,
            `${this.name}: a TABLE_BUFFERING_FINALIZE init needs execution_id and finalize_state_id`,
          );
        }
        return this.openSource(call, init, init.executionId, init.finalizeStateId, ctx, storage);
      }
      default:
        throw new VgiError(
          ErrorKind.InvalidArgument,
          `${this.name} is a table-buffering function: call it with a table input, ` +
            `e.g. ${this.name}((SELECT ...)) (init phase ${init.phase ?? "none"})`,
        );
    }
  }

  private openSource(
    call: BindCall,
    init: InitRequest,
    executionId: Uint8Array,
    finalizeStateId: Uint8Array,
    ctx: CallContext,
    storage: SharedStorage,
  ): StreamCall {
    const bufferingCall = this.bufferingCall(call, init, executionId, storage, ctx);
    const projected = projectedSchema(
      this.definition,
      bufferingCall.outputSchema,
      init.projectionIds,
    );
    const { definition } = this;
    const producer = new TableProducer(
      {
        name: definition.name,
        arguments: [],
        columns: {},
        start: () => definition.start(finalizeStateId, bufferingCall),
        produce: (state: S, _call, context) =>
          definition.produce(state, finalizeStateId, bufferingCall, context),
      },
      this.signature.tableCall(
        call,
        projected.fields.map((f) => f.name),
      ),
      projected,
      ctx,
      // Conditional-request validators (result cache) do not apply to a buffered source.
      { ...NO_CACHE_VALIDATORS },
    );
    const stream: StreamCall = {
      header: header(executionId),
      outputSchema: projected,
      turn: (tick) => producer.turn(tick),
      written: () => producer.written(),
    };
    return stream;
  }
}

function newExecutionId(): Uint8Array {
  return new Uint8Array(randomBytes(16));
}

function header(executionId: Uint8Array): RecordBatch {
  return GlobalInitResponseCodec.encode({ executionId, opaqueData: null, maxWorkers: 1n });
}

function noRows(): Promise<null> {
  return Promise.resolve(null);
}

/** Define a table-buffering (sink → combine → source) function. */
export function tableBufferingFunction<S>(
  definition: TableBufferingFunctionDefinition<S>,
): TableBufferingFunction<S> {
  return new TableBufferingFunction(definition);
}
