/**
 * The two streams of a table-in-out call. The INPUT exchange answers each input batch
 * with one output batch; the FINALIZE producer emits what `finalize` returned, one batch
 * per tick. Between them the INPUT stream's state waits in SharedStorage under the
 * execution id the INPUT phase handed out (the FINALIZE request carries it back).
 */
import { randomBytes } from "node:crypto";
import { Field, RecordBatch, Struct, type Schema } from "apache-arrow";
import {
  ErrorKind,
  GlobalInitResponseCodec,
  VgiError,
  cacheControlMetadata,
  type LogLevel,
} from "@vgi-ts/protocol";
import type { CallContext } from "../rpc/call-context.js";
import type { StreamCall } from "../rpc/method.js";
import type { SharedStorage } from "../storage/shared-storage.js";
import type { FunctionContext } from "./scalar-exchange.js";
import { freshArray } from "./output-arena.js";
import { jsonState } from "./state-codec.js";
import type { TableChunk } from "./table-call.js";
import type { TableInOutCall, TableInOutDefinition } from "./table-in-out-function.js";
import { OutputShaper, TableInOutOutput } from "./table-in-out-output.js";
import { selectRows } from "../filters/select-rows.js";
import type { PushdownFilters } from "../filters/pushdown-filters.js";

/**
 * Auto-applied filters on one output batch. The mask comes from `source` (the input of
 * a pass-through, or what `process` returned) when it is a batch of the same rows, so a
 * predicate on a column the query does not select still finds its column.
 */
function applyFilters(
  filters: PushdownFilters | null,
  batch: RecordBatch,
  source: unknown,
): { batch: RecordBatch; mask: Uint8Array | null } {
  if (filters === null || filters.isEmpty || batch.numRows === 0) return { batch, mask: null };
  const from = source instanceof RecordBatch && source.numRows === batch.numRows ? source : batch;
  const mask = filters.mask(from);
  return { batch: selectRows(batch, mask), mask };
}

/** Where stream states wait between the INPUT and FINALIZE phases. */
export const TABLE_IN_OUT_STATE_NAMESPACE = "vgi.table_in_out.state";
const PARENT_ROW_KEY = "vgi_rpc.parent_row#b64";

function functionContext(
  name: string,
  call: TableInOutCall,
  callContext: CallContext,
): FunctionContext {
  const type = new Struct(call.outputSchema.fields);
  return {
    functionName: name,
    settings: call.settings,
    secrets: call.secrets,
    resultType: type,
    resultField: new Field("result", type, true),
    log: (level: LogLevel, message: string, extra?: Record<string, unknown>) =>
      callContext.log(level, message, extra),
    allocate: freshArray,
  };
}

/** Errors from user code become `function_error`; typed VGI errors pass through. */
function asVgiError(error: unknown): VgiError {
  if (error instanceof VgiError) return error;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new VgiError(ErrorKind.FunctionError, text, { cause: error });
}

function initHeader(executionId: Uint8Array): RecordBatch {
  return GlobalInitResponseCodec.encode({ executionId, opaqueData: null, maxWorkers: 1n });
}

/** The INPUT phase: one output batch per input batch. */
export class TableInOutExchange<S> implements StreamCall {
  readonly header: RecordBatch;
  readonly outputSchema: Schema;
  private readonly state: S;
  private readonly call: TableInOutCall;
  private readonly context: FunctionContext;
  private readonly shaper: OutputShaper;
  private readonly executionId: Uint8Array;
  /** The definition's `vgi.cache.*` metadata, put on every output batch; null without. */
  private readonly cacheMetadata: Map<string, string> | null;

  constructor(
    private readonly definition: TableInOutDefinition<S>,
    call: TableInOutCall,
    callContext: CallContext,
    /** Where the state goes at the end of input; null when nothing finalizes it. */
    private readonly storage: SharedStorage | null,
  ) {
    this.executionId = call.executionId ?? randomBytes(16);
    this.call = { ...call, executionId: this.executionId };
    this.header = initHeader(this.executionId);
    this.outputSchema = call.outputSchema;
    this.context = functionContext(definition.name, this.call, callContext);
    this.shaper = new OutputShaper(definition.name, call.outputSchema);
    this.cacheMetadata =
      definition.cacheControl === undefined ? null : cacheControlMetadata(definition.cacheControl);
    try {
      this.state = (definition.start?.(this.call) ?? undefined) as S;
    } catch (error) {
      throw asVgiError(error);
    }
  }

  /** The filters the runtime applies for this function, if it asked for that. */
  private get autoFilters(): PushdownFilters | null {
    return this.definition.autoApplyFilters === true ? this.call.filters : null;
  }

  async turn(input: RecordBatch): Promise<RecordBatch> {
    const { process } = this.definition;
    if (process === undefined) {
      return this.withCacheControl(
        applyFilters(this.autoFilters, this.shaper.shape(input), input).batch,
      );
    }
    let result;
    try {
      result = await process(input, this.state, this.call, this.context);
    } catch (error) {
      throw asVgiError(error);
    }
    if (result instanceof TableInOutOutput) return this.withExtras(result);
    return this.withCacheControl(
      applyFilters(this.autoFilters, this.shaper.shape(result), result).batch,
    );
  }

  private withCacheControl(batch: RecordBatch): RecordBatch {
    return this.cacheMetadata === null
      ? batch
      : this.shaper.withMetadata(batch, this.cacheMetadata);
  }

  private withExtras(output: TableInOutOutput): RecordBatch {
    // The output's own cache control, if any, replaces the definition's as a whole.
    const own = output.metadata ?? new Map<string, string>();
    const ownCache = [...own.keys()].some((key) => key.startsWith("vgi.cache."));
    const metadata = new Map(ownCache ? [] : (this.cacheMetadata ?? []));
    for (const [key, value] of own) metadata.set(key, value);
    const shaped = this.shaper.shape(output.rows);
    const { batch, mask } = applyFilters(this.autoFilters, shaped, output.rows);
    if (output.parentRows !== null) {
      const all = output.parentRows;
      if (all.length !== shaped.numRows) {
        throw new VgiError(
          ErrorKind.ContractViolation,
          `table-in-out function ${this.definition.name} gave ${all.length} parent rows ` +
            `for ${shaped.numRows} output rows`,
        );
      }
      // Rows the filters dropped take their parent row with them.
      const rows = mask === null ? all : Array.from(all).filter((_, i) => mask[i] === 1);
      const packed = Int32Array.from(rows);
      metadata.set(
        PARENT_ROW_KEY,
        Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength).toString("base64"),
      );
    }
    return metadata.size === 0 ? batch : this.shaper.withMetadata(batch, metadata);
  }

  async cancel(): Promise<void> {
    await this.definition.onCancel?.(this.state, this.call);
  }

  /** End of input: leave the state where the FINALIZE phase will look for it. */
  async close(): Promise<void> {
    if (this.storage === null) return;
    const bytes = jsonState<S>().encode([0n], [this.state]);
    await this.storage.append(TABLE_IN_OUT_STATE_NAMESPACE, this.executionId, bytes);
  }
}

/** The FINALIZE phase: a producer stream over what `finalize` returned. */
export class TableInOutFinalizer implements StreamCall {
  readonly header: RecordBatch;
  private next = 0;

  private constructor(
    readonly outputSchema: Schema,
    executionId: Uint8Array,
    private readonly batches: readonly RecordBatch[],
  ) {
    this.header = initHeader(executionId);
  }

  static async open<S>(
    definition: TableInOutDefinition<S>,
    call: TableInOutCall,
    callContext: CallContext,
    storage: SharedStorage | null,
  ): Promise<TableInOutFinalizer> {
    const executionId = call.executionId!;
    const codec = jsonState<S>();
    const entries =
      storage === null ? [] : await storage.read(TABLE_IN_OUT_STATE_NAMESPACE, executionId, 0);
    const states = entries.map((entry) => codec.decode(entry.data).states[0]!);
    let chunks: readonly TableChunk[];
    try {
      chunks = await definition.finalize!(
        states,
        call,
        functionContext(definition.name, call, callContext),
      );
    } catch (error) {
      throw asVgiError(error);
    }
    const shaper = new OutputShaper(definition.name, call.outputSchema);
    const filters = definition.autoApplyFilters === true ? call.filters : null;
    // A zero-row batch ends the extension's finalize loop: leave empty chunks out.
    const batches = chunks
      .map((chunk) => applyFilters(filters, shaper.shape(chunk), chunk).batch)
      .filter((b) => b.numRows > 0);
    await storage?.clear(executionId);
    return new TableInOutFinalizer(call.outputSchema, executionId, batches);
  }

  /** The FINALIZE phase of a function that has nothing to finalize (`reuseWorkers`). */
  static empty(outputSchema: Schema, executionId: Uint8Array): TableInOutFinalizer {
    return new TableInOutFinalizer(outputSchema, executionId, []);
  }

  turn(): Promise<RecordBatch | null> {
    return Promise.resolve(this.batches[this.next++] ?? null);
  }
}
