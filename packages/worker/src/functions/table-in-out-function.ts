/**
 * Table-in-out functions: a table streams in, rows stream out. DuckDB calls them with a
 * subquery argument (`f((SELECT ...), 3)`), or, for a *row transform* (`inputFromArgs`),
 * with ordinary positional arguments that become the input columns (`f(52, 13)`,
 * `FROM t, f(t.x, t.y)`, `LATERAL f(t.x)`).
 *
 * The INPUT phase is an exchange: each input batch gets exactly one output batch (zero
 * rows allowed). A function with `finalize` then gets a FINALIZE phase on the same
 * worker connection, a producer stream that emits what `finalize` returns. Between the
 * phases the stream's state goes through SharedStorage, keyed by the execution id the
 * INPUT phase handed out, so FINALIZE may run in any process (or HTTP replica).
 *
 * DuckDB runs one INPUT stream per pipeline thread ("substream"), each on its own worker
 * process, and each substream finalizes its own state: a finalize sees the states of its
 * own substream, not a global combine (that is a table-buffering function).
 *
 * Stream state is a plain object created by `start` and advanced by `process`. Keep it
 * serializable (numbers, bigints, strings, arrays, plain objects).
 */
import { Field, Schema, type DataType, type RecordBatch } from "apache-arrow";
import {
  ErrorKind,
  VgiError,
  decodeSchema,
  type BindResultInput,
  type CacheControl,
  type FunctionInfoInput,
  type InitRequest,
  type TableFunctionCardinalityResultInput,
} from "@vgi-ts/protocol";
import type { CallContext } from "../rpc/call-context.js";
import type { StreamCall } from "../rpc/method.js";
import type { SharedStorage } from "../storage/shared-storage.js";
import {
  argumentsSchema,
  isConcrete,
  isTableInput,
  type ArgumentSpec,
  type TypeLike,
} from "./argument-spec.js";
import type { BindCall } from "./bind-call.js";
import {
  buildFunctionInfo,
  type FunctionMetadata,
  type SecretRequirement,
} from "./function-metadata.js";
import { sameType } from "./overload-score.js";
import type { FunctionContext } from "./scalar-exchange.js";
import type { TableChunk, TableColumns } from "./table-call.js";
import type { TableInOutOutput } from "./table-in-out-output.js";
import { cardinalityResult, tableBindResult } from "./table-bind-result.js";
import { TableInOutExchange, TableInOutFinalizer } from "./table-in-out-streams.js";
import { PushdownFilters } from "../filters/pushdown-filters.js";
import type { WorkerFunction } from "./worker-function.js";
import type { TransactionScope } from "../storage/transaction-scope.js";
import { projectedSchema, scanFilters } from "./table-scan-schema.js";

/** What bind, start, process and finalize see about the call. */
export interface TableInOutCall {
  readonly functionName: string;
  /**
   * Constant arguments by declared name, named options included. The TABLE argument is
   * not here (its rows arrive in `process`), nor are a row transform's positional
   * arguments (they are the input columns).
   */
  readonly args: Readonly<Record<string, unknown>>;
  /** The schema of the streamed input (a row transform: its positional arguments). */
  readonly inputSchema: Schema;
  readonly settings: ReadonlyMap<string, unknown>;
  readonly secrets: ReadonlyMap<string, unknown>;
  /** The attachment's own id (catalogs with writable tables), else null. */
  readonly attachId: Uint8Array | null;
  /** The DuckDB transaction of the call (catalogs that declare transactions), else null. */
  readonly transactionId: Uint8Array | null;
  /** Transaction-private storage (catalogs that declare transactions), else null. */
  readonly transaction: TransactionScope | null;
  /** From `start` on: the storage every worker process sees (null at bind). */
  readonly storage: SharedStorage | null;
  /**
   * From `start` on: the output schema the stream carries. With `projectionPushdown`
   * only the columns the query reads, in that order; otherwise every output column.
   */
  readonly outputSchema: Schema;
  /**
   * From `start` on: DuckDB's id for this substream (one per pipeline thread), stable
   * across its INPUT and FINALIZE phases; null when the client sent none.
   */
  readonly substreamId: Uint8Array | null;
  /** From `start` on: the execution id shared by this stream's INPUT and FINALIZE phases. */
  readonly executionId: Uint8Array | null;
  /**
   * From `start` on, with `filterPushdown`: the predicates DuckDB pushed on the output
   * columns (raw tree and evaluator), or null when none.
   */
  readonly filters: PushdownFilters | null;
}

/** What `process` may return: a chunk, a chunk with extras, or null for "no rows". */
export type TableInOutResult = TableChunk | TableInOutOutput | null;

export interface TableInOutDefinition<S = undefined> extends FunctionMetadata {
  readonly name: string;
  /**
   * Positional arguments, then named options. A classic table-in-out function declares
   * exactly one argument of type `TABLE`; a row transform (`inputFromArgs`) declares
   * none, its positional arguments being the input columns.
   */
  readonly arguments: readonly ArgumentSpec[];
  /**
   * Row transform ("UNNEST-style"): the positional arguments are the per-row input
   * columns. Such a function cannot have `finalize` (DuckDB forbids it under LATERAL).
   */
  readonly inputFromArgs?: boolean;
  /** Output columns, fixed or decided at bind; default: the input schema (pass-through). */
  readonly columns?: TableColumns | ((call: TableInOutCall) => TableColumns | Schema);
  /** Validate a call at bind time (throw to reject it with a clear message). */
  readonly validate?: (call: TableInOutCall) => void;
  readonly cardinality?: (call: TableInOutCall) => {
    estimate?: number | bigint;
    max?: number | bigint;
  };
  /**
   * Secrets to resolve before bind completes (two-phase bind: DuckDB resolves them and
   * binds again; they then arrive in `call.secrets`).
   */
  readonly secretLookups?: (call: TableInOutCall) => readonly SecretRequirement[];
  /**
   * With `filterPushdown`: the runtime applies `call.filters` to every output batch
   * (INPUT and FINALIZE), so `process` may ignore them.
   */
  readonly autoApplyFilters?: boolean;
  /** 1 keeps the whole query on one worker stream; otherwise DuckDB fans out per thread. */
  readonly maxWorkers?: number;
  /**
   * Hand each substream's worker back to DuckDB's worker pool when its stream ends, so
   * the next query (and the transaction commit after this one) finds a warm process
   * instead of spawning one. The extension only returns a table-in-out worker to its
   * pool after a FINALIZE phase; a function without `finalize` has none, so its workers
   * are retired at the end of every query. This declares an empty FINALIZE phase (one
   * extra round trip per substream). The price: like any function with a finalize
   * stage, it cannot take correlated LATERAL input. Not for row transforms.
   */
  readonly reuseWorkers?: boolean;
  /** The stream's initial state (plain, serializable data). */
  readonly start?: (call: TableInOutCall) => S;
  /**
   * One input batch to one output batch, advancing `state` in place. Default: emit the
   * input unchanged (narrowed to the projected columns), moving its Arrow buffers.
   */
  readonly process?: (
    input: RecordBatch,
    state: S,
    call: TableInOutCall,
    ctx: FunctionContext,
  ) => TableInOutResult | Promise<TableInOutResult>;
  /**
   * After the last input batch: the rows to emit at the end, from the states of this
   * substream (one per INPUT stream that fed it, normally one).
   */
  readonly finalize?: (
    states: S[],
    call: TableInOutCall,
    ctx: FunctionContext,
  ) => readonly TableChunk[] | Promise<readonly TableChunk[]>;
  /**
   * Let DuckDB's result cache memoize this function's output per input batch (and,
   * with `perValue`, per distinct input value of a row transform): the `vgi.cache.*`
   * metadata rides every INPUT-phase output batch. Only for deterministic functions.
   * An output returned as `TableInOutOutput` with its own `vgi.cache.*` metadata (a
   * `notModified` answer to a conditional request, whose validators arrive on the
   * input batch's metadata: `cacheValidatorsOf(input.metadata)`) overrides it.
   */
  readonly cacheControl?: CacheControl;
  /** Called when DuckDB cancels the stream (LIMIT reached, interrupt); best effort. */
  readonly onCancel?: (state: S, call: TableInOutCall) => void | Promise<void>;
}

export class TableInOutFunction<S = undefined> implements WorkerFunction {
  readonly functionType = "TABLE" as const;
  private readonly argumentSchema: Schema;

  constructor(readonly definition: TableInOutDefinition<S>) {
    const tables = definition.arguments.filter((arg) => isTableInput(arg.type));
    if (definition.inputFromArgs === true) {
      if (tables.length > 0) throw new Error(`${definition.name}: a row transform has no TABLE`);
      if (definition.finalize !== undefined || definition.reuseWorkers === true) {
        throw new Error(`${definition.name}: a row transform cannot have finalize or reuseWorkers`);
      }
    } else if (tables.length !== 1) {
      throw new Error(`${definition.name}: a table-in-out function takes exactly one TABLE`);
    }
    this.argumentSchema = argumentsSchema(definition.arguments);
  }

  get name(): string {
    return this.definition.name;
  }

  /** Whether DuckDB runs a FINALIZE phase: for `finalize`, or just to pool the worker. */
  get hasFinalize(): boolean {
    return this.definition.finalize !== undefined || this.definition.reuseWorkers === true;
  }

  describe(schemaPath: readonly string[]): FunctionInfoInput {
    const { columns } = this.definition;
    const output =
      columns === undefined || typeof columns === "function" ? new Schema([]) : toSchema(columns);
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
    return {
      ...info,
      hasFinalize: this.hasFinalize,
      inputFromArgs: this.definition.inputFromArgs === true,
      maxWorkers: this.definition.maxWorkers ?? null,
    };
  }

  /** Positional constants (classic form only) and, for a row transform, input columns. */
  private get positionalSpecs(): readonly ArgumentSpec[] {
    return this.definition.arguments.filter((arg) => arg.named !== true && !isTableInput(arg.type));
  }

  matchScore(call: BindCall): number | null {
    const specs = this.positionalSpecs;
    // A row transform matches on its input columns; the classic form on its constants.
    const types =
      this.definition.inputFromArgs === true
        ? call.inputFields.map((field) => field.type)
        : call.positionalTypes;
    if (this.definition.inputFromArgs !== true && call.request.inputSchema === null) return null;
    const varargs = specs.at(-1)?.varargs === true ? specs.at(-1) : undefined;
    const fixed = varargs === undefined ? specs : specs.slice(0, -1);
    if (types.length < fixed.length || (varargs === undefined && types.length > fixed.length)) {
      return null;
    }
    let score = 0;
    for (let i = 0; i < types.length; i++) {
      const spec = i < fixed.length ? fixed[i]! : varargs!;
      if (!isConcrete(spec.type)) continue;
      score += typeScore(spec.type.arrowType(), types[i]!);
    }
    return score;
  }

  /** The call as bind sees it (no output schema, substream or execution yet). */
  bindCall(call: BindCall): TableInOutCall {
    const args: Record<string, unknown> = {};
    if (this.definition.inputFromArgs !== true) {
      this.positionalSpecs.forEach((spec, index) => {
        args[spec.name] =
          spec.varargs === true ? call.positional.slice(index) : (call.positional[index] ?? null);
      });
    }
    for (const spec of this.definition.arguments.filter((arg) => arg.named === true)) {
      const value = call.named.get(spec.name.toLowerCase());
      args[spec.name] = value === undefined ? (spec.default ?? null) : value;
    }
    return {
      functionName: this.name,
      args,
      inputSchema: new Schema([...call.inputFields]),
      settings: call.settings,
      secrets: call.secrets,
      attachId: call.attachId,
      transactionId: call.transactionId,
      transaction: call.transaction,
      storage: null,
      outputSchema: new Schema([]),
      substreamId: null,
      executionId: null,
      filters: null,
    };
  }

  outputSchema(call: TableInOutCall): Schema {
    this.definition.validate?.(call);
    const { columns } = this.definition;
    if (columns === undefined) return call.inputSchema;
    const decided = typeof columns === "function" ? columns(call) : columns;
    return decided instanceof Schema ? decided : toSchema(decided);
  }

  bind(call: BindCall): BindResultInput {
    const inOutCall = this.bindCall(call);
    return tableBindResult(
      call,
      () => this.definition.secretLookups?.(inOutCall) ?? [],
      () => this.outputSchema(inOutCall),
    );
  }

  cardinality(call: BindCall): TableFunctionCardinalityResultInput {
    return cardinalityResult(this.definition.cardinality?.(this.bindCall(call)));
  }

  open(
    call: BindCall,
    init: InitRequest,
    ctx: CallContext,
    storage?: SharedStorage,
  ): StreamCall | Promise<StreamCall> {
    const full = decodeSchema(init.outputSchema, "InitRequest.output_schema");
    const output = projectedSchema(this.definition, full, init.projectionIds);
    const phase = init.phase ?? "INPUT";
    const stream = {
      ...this.bindCall(call),
      outputSchema: output,
      storage: storage ?? null,
      substreamId: init.substreamId,
      executionId: init.executionId,
      filters: scanFilters(this.definition, init, full),
    };
    if (phase === "INPUT") {
      return new TableInOutExchange(
        this.definition,
        stream,
        ctx,
        this.definition.finalize !== undefined ? (storage ?? null) : null,
      );
    }
    if (phase === "FINALIZE") {
      if (!this.hasFinalize) {
        throw new VgiError(
          ErrorKind.ContractViolation,
          `table-in-out function ${this.name} has no finalize, but a FINALIZE phase was requested`,
        );
      }
      if (this.definition.finalize === undefined) {
        return TableInOutFinalizer.empty(output, init.executionId ?? new Uint8Array(16));
      }
      if (init.executionId === null) {
        throw new VgiError(
          ErrorKind.MalformedRequest,
          `FINALIZE of ${this.name} needs the execution id of its INPUT phase`,
        );
      }
      return TableInOutFinalizer.open(this.definition, stream, ctx, storage ?? null);
    }
    throw new VgiError(
      ErrorKind.MalformedRequest,
      `table-in-out function ${this.name} cannot serve the ${phase} phase`,
    );
  }
}

/** 2 for the declared type, 1 for the same type family, 0 for a type DuckDB will cast. */
function typeScore(declared: DataType, actual: DataType): number {
  if (sameType(declared, actual)) return 2;
  return declared.typeId === actual.typeId ? 1 : 0;
}

function toSchema(columns: TableColumns): Schema {
  return new Schema(
    Object.entries(columns).map(
      ([name, type]: [string, TypeLike]) =>
        new Field(name, type.arrowType(), true, new Map(type.metadata?.() ?? [])),
    ),
  );
}

/**
 * Define a table-in-out function. A pass-through needs no `process`:
 *
 * ```ts
 * tableInOutFunction({ name: "echo", arguments: [{ name: "data", type: TABLE }] });
 * ```
 */
export function tableInOutFunction<S = undefined>(
  definition: TableInOutDefinition<S>,
): TableInOutFunction<S> {
  return new TableInOutFunction(definition);
}
