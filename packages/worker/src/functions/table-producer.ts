/**
 * The producer stream of a table function call: each tick asks the function for its next
 * chunk, which is checked against the bound (possibly projected) schema and assembled into
 * one record batch; `null` ends the stream.
 */
import { Field, RecordBatch, Struct, makeData, type Data, type Schema } from "apache-arrow";
import {
  ErrorKind,
  TypeMismatchError,
  VgiError,
  cacheControlMetadata,
  cacheValidatorsOf,
  sqlTypeFromArrow,
  type CacheValidators,
} from "@vgi-ts/protocol";
import type { CallContext } from "../rpc/call-context.js";
import type { StreamCall } from "../rpc/method.js";
import type { FunctionContext, ScalarResult } from "./scalar-exchange.js";
import { buildColumn, sameLogicalType } from "./result-column.js";
import { AnnotatedChunk } from "./table-chunk-metadata.js";
import { OutputArena } from "./output-arena.js";
import {
  PARTITION_VALUES_KEY,
  type PartitionBounds,
  type PartitionValues,
} from "./partition-values.js";
import type { FilterHolder, TableCall, TableChunk, TableOutput } from "./table-call.js";
import type { TableFunctionDefinition } from "./table-function-definition.js";

/** How a stream's filters reach its batches. */
export interface ProducerFiltering {
  /** The columns `produce` makes: the output plus columns only filters read. */
  readonly produced: Schema;
  readonly filters: FilterHolder;
  /** Apply `filters.current` to every produced batch. */
  readonly autoApply: boolean;
  /** Partition bounds for each batch (functions with partition columns). */
  readonly partitions?: PartitionValues;
}

/** The producer stream of one table function call. */
export class TableProducer<S> implements StreamCall {
  private readonly state: S;
  /** The function returned null, or the stream was cancelled: no onCancel any more. */
  private finished = false;
  private readonly context: FunctionContext;
  private produced = false;
  /** Output column memory, reused once the transport says a batch was written. */
  private readonly arena = new OutputArena();

  constructor(
    private readonly definition: TableFunctionDefinition<S>,
    private readonly call: TableCall,
    readonly outputSchema: Schema,
    callContext: CallContext,
    /** The object `call.cacheValidators` refers to, filled from tick metadata. */
    private readonly validators: { -readonly [K in keyof CacheValidators]: string | null },
    /** The `GlobalInitResponse` row (execution id, max workers). */
    readonly header: RecordBatch | null = null,
    private readonly filtering: ProducerFiltering = {
      produced: outputSchema,
      filters: { current: null },
      autoApply: false,
    },
  ) {
    this.state = definition.start(call);
    this.context = {
      functionName: definition.name,
      settings: call.settings,
      secrets: call.secrets,
      resultType: new Struct(outputSchema.fields),
      resultField: new Field("result", new Struct(outputSchema.fields), true),
      log: (level, message, extra) => callContext.log(level, message, extra),
      allocate: (type, length) => this.arena.allocate(type, length),
    };
  }

  async turn(tick: RecordBatch): Promise<RecordBatch | null> {
    // Conditional-request validators ride the first tick's metadata.
    if (tick.metadata.size > 0) Object.assign(this.validators, cacheValidatorsOf(tick.metadata));
    // Dynamic filters: a tick may carry a delta (Top-N bound) for the batches that follow.
    const { filters } = this.filtering;
    if (filters.current !== null && tick.metadata.size > 0) {
      filters.current = filters.current.withTickMetadata(tick.metadata);
    }
    let output: TableOutput | null;
    try {
      output = await this.definition.produce(this.state, this.call, this.context);
    } catch (error) {
      throw asFunctionError(error);
    }
    if (output === null) {
      this.finished = true;
      return null;
    }
    let metadata: Map<string, string> | null = null;
    let chunk: TableChunk;
    let bounds: PartitionBounds | null = null;
    if (output instanceof AnnotatedChunk) {
      ({ chunk, metadata } = output);
      bounds = output.partitionValues;
      // withPartitionValues alone says nothing about the cache: the definition's applies.
      if (bounds !== null && metadata.size === 0 && !this.produced) {
        metadata = this.firstBatchMetadata();
      }
    } else {
      chunk = output;
      if (!this.produced) metadata = this.firstBatchMetadata();
    }
    this.produced = true;
    this.filtering.partitions?.check(
      (column) =>
        chunk instanceof RecordBatch
          ? chunk.getChild(column) !== null
          : (chunk as Readonly<Record<string, unknown>>)[column] !== undefined,
      bounds,
    );
    const batch = chunk instanceof RecordBatch ? this.checkBatch(chunk) : this.assemble(chunk);
    return this.finish(batch, metadata, bounds);
  }

  /** Auto-applied filters, then the stream's own columns (filter-only ones dropped). */
  private finish(
    batch: RecordBatch,
    metadata: Map<string, string> | null,
    bounds: PartitionBounds | null = null,
  ): RecordBatch {
    const { filters, autoApply, partitions } = this.filtering;
    const filtered = autoApply && filters.current !== null ? filters.current.apply(batch) : batch;
    const partition = partitions?.encode(filtered, bounds) ?? null;
    if (partition !== null) {
      metadata = new Map(metadata ?? []);
      metadata.set(PARTITION_VALUES_KEY, partition);
    }
    const fields = this.outputSchema.fields;
    const children = fields.map((field) => filtered.getChild(field.name)!.data[0]!);
    const struct = makeData({ type: new Struct(fields), length: filtered.numRows, children });
    return new RecordBatch(this.outputSchema, struct, metadata ?? undefined);
  }

  /** The last turn's batch has been written: its `ctx.allocate` memory may be reused. */
  written(): void {
    this.arena.recycle();
  }

  /**
   * The client abandoned the stream (`vgi_rpc.cancel`, or its pipe closed mid-stream):
   * the function's `onCancel` runs once, and not after the function said it was done.
   */
  async cancel(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      await this.definition.onCancel?.(this.state, this.call);
    } catch (error) {
      throw asFunctionError(error);
    }
  }

  /** The definition's cache control, for the first batch (the client reads it there). */
  private firstBatchMetadata(): Map<string, string> | null {
    const { cacheControl } = this.definition;
    const control = typeof cacheControl === "function" ? cacheControl(this.call) : cacheControl;
    return control === undefined || control === null ? null : cacheControlMetadata(control);
  }

  /** Named columns to one batch of the bound schema, checking lengths and types. */
  private assemble(columns: Readonly<Record<string, ScalarResult>>): RecordBatch {
    const schema = this.filtering.produced;
    const fields = schema.fields;
    const children: Data[] = fields.map((field) => {
      const value = columns[field.name];
      if (value === undefined) {
        throw new VgiError(
          ErrorKind.ContractViolation,
          `table function ${this.definition.name} produced no column '${field.name}'`,
        );
      }
      const data =
        Array.isArray(value) && !ArrayBuffer.isView(value)
          ? sqlTypeFromArrow(field.type, field.metadata).build(value as unknown[])
          : buildColumn(value, field.type, this.definition.name);
      if (!sameLogicalType(data.type, field.type)) {
        throw new TypeMismatchError(
          `table function ${this.definition.name} produced ${String(data.type)} for column ` +
            `'${field.name}' but was bound to ${String(field.type)}`,
        );
      }
      return data;
    });
    const length = children[0]?.length ?? 0;
    children.forEach((child, index) => {
      if (child.length !== length) {
        throw new VgiError(
          ErrorKind.ContractViolation,
          `table function ${this.definition.name}: column '${fields[index]!.name}' has ` +
            `${child.length} rows, column '${fields[0]!.name}' has ${length}`,
        );
      }
    });
    const struct = makeData({ type: new Struct(fields), length, children });
    return new RecordBatch(schema, struct);
  }

  /** A produced record batch, narrowed to the stream's columns (by name) and type-checked. */
  private checkBatch(batch: RecordBatch): RecordBatch {
    const columns: Record<string, ScalarResult> = {};
    for (const field of this.filtering.produced.fields) {
      const child = batch.getChild(field.name);
      if (child !== null) columns[field.name] = child;
    }
    return this.assemble(columns);
  }
}

function asFunctionError(error: unknown): VgiError {
  if (error instanceof VgiError) return error;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new VgiError(ErrorKind.FunctionError, text, { cause: error });
}
