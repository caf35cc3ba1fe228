/**
 * The window and streaming OVER paths on the wire (see `functions/window-aggregate.ts`).
 * Like the grouped calls, any of them may reach any pooled process, so:
 *
 * - `aggregate_window_init` stores its request (the whole partition, Arrow IPC) in
 *   shared storage under `aggregate.window.<partition>`; `aggregate_window(_batch)`
 *   answers from this process's decoded copy, or loads it. The destructor drops the
 *   copy; the stored partition goes with the execution (aggregate destructor, or the
 *   storage's expiry sweep when DuckDB sends none).
 * - `aggregate_streaming_open` stores its request, each `aggregate_streaming_chunk`
 *   appends the session state after it (JSON), so the next chunk resumes from the
 *   newest state wherever it lands; `aggregate_streaming_close` clears the session.
 */
import { randomBytes } from "node:crypto";
import { Field, RecordBatch, Schema, Struct, makeData, type Data } from "apache-arrow";
import {
  AggregateStreamingOpenRequestCodec,
  AggregateWindowInitRequestCodec,
  ErrorKind,
  VgiError,
  decodeSchema,
  decodeSingleBatch,
  encodeBatch,
  sqlTypeFromArrow,
  type AggregateStreamingChunkRequest,
  type AggregateStreamingCloseRequest,
  type AggregateStreamingOpenRequest,
  type AggregateWindowBatchRequest,
  type AggregateWindowDestructorRequest,
  type AggregateWindowInitRequest,
  type AggregateWindowRequest,
} from "@vgi-ts/protocol";
import type { AggregateCall, AggregateFunction } from "../functions/aggregate-function.js";
import { jsonState } from "../functions/state-codec.js";
import type { Frame, WindowHooks, WindowPartition } from "../functions/window-aggregate.js";
import { executionKey, type SharedStorage } from "../storage/shared-storage.js";
import type { AggregateMethods } from "./aggregate-methods.js";

const WINDOW_NS = "aggregate.window.";
const STREAMING_NS = "aggregate.streaming";
/** Decoded partitions / sessions a process keeps (least recently used go first). */
const KEPT = 64;

interface CachedPartition {
  readonly fn: AggregateFunction;
  readonly call: AggregateCall;
  readonly hooks: WindowHooks<AggregateCall>;
  readonly partition: WindowPartition;
  readonly field: Field;
}

interface Session {
  readonly fn: AggregateFunction;
  readonly call: AggregateCall;
  readonly request: AggregateStreamingOpenRequest;
  state: unknown;
  /** Next log position to read. */
  seq: number;
}

const stateCodec = jsonState<unknown>();

export class AggregateWindowMethods {
  private readonly partitions = new Map<string, CachedPartition>();
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly aggregates: AggregateMethods,
    private readonly storage: SharedStorage,
  ) {}

  async windowInit(request: AggregateWindowInitRequest): Promise<Record<string, never>> {
    const cached = await this.loadPartition(request);
    const namespace = WINDOW_NS + String(request.partitionId);
    await this.storage.append(
      namespace,
      request.executionId,
      AggregateWindowInitRequestCodec.toIpc(request),
    );
    remember(this.partitions, partitionKey(request.executionId, request.partitionId), cached);
    return {};
  }

  async window(request: AggregateWindowRequest): Promise<{ resultBatch: Uint8Array }> {
    const cached = await this.partition(request.executionId, request.partitionId);
    const frames = pairFrames(
      request.frameStarts,
      request.frameEnds,
      0,
      request.frameStarts.length,
    );
    const column = buildResult(cached, rowsOf(cached, [frames]), 1);
    return { resultBatch: encodeBatch(singleColumnBatch(cached.field, column)) };
  }

  async windowBatch(request: AggregateWindowBatchRequest): Promise<{ resultBatch: Uint8Array }> {
    const cached = await this.partition(request.executionId, request.partitionId);
    const count = Number(request.count);
    if (request.framesPerRow.length !== count) {
      throw new VgiError(
        ErrorKind.MalformedRequest,
        `aggregate_window_batch: count ${count} but ${request.framesPerRow.length} frame counts`,
      );
    }
    const perRow: Frame[][] = [];
    let offset = 0;
    for (const n of request.framesPerRow) {
      perRow.push(pairFrames(request.frameStarts, request.frameEnds, offset, Number(n)));
      offset += Number(n);
    }
    const column = buildResult(cached, rowsOf(cached, perRow), count);
    return { resultBatch: encodeBatch(singleColumnBatch(cached.field, column)) };
  }

  windowDestructor(request: AggregateWindowDestructorRequest): Record<string, never> {
    this.partitions.delete(partitionKey(request.executionId, request.partitionId));
    return {};
  }

  async streamingOpen(
    request: AggregateStreamingOpenRequest,
  ): Promise<{ executionId: Uint8Array }> {
    const session = this.openSession(request);
    const executionId = new Uint8Array(randomBytes(16));
    await this.storage.append(
      STREAMING_NS,
      executionId,
      AggregateStreamingOpenRequestCodec.toIpc(request),
    );
    await this.storage.append(STREAMING_NS, executionId, stateCodec.encode([0n], [session.state]));
    session.seq = 2;
    remember(this.sessions, executionKey(executionId), session);
    return { executionId };
  }

  async streamingChunk(
    request: AggregateStreamingChunkRequest,
  ): Promise<{ resultBatch: Uint8Array }> {
    const session = await this.session(request.executionId);
    const hooks = session.fn.definition.streaming!;
    const chunk = decodeSingleBatch(
      request.inputBatch,
      "AggregateStreamingChunkRequest.input_batch",
    );
    const layout = {
      partitionKeys: Number(session.request.partitionKeyCount),
      orderKeys: Number(session.request.orderKeyCount),
    };
    const values = hooks.chunk(chunk, session.state, layout, session.call);
    const field = outputField(session.request.outputSchema, session.fn, session.call);
    const column = toData(values, field);
    if (column.length !== chunk.numRows) {
      throw new VgiError(
        ErrorKind.ContractViolation,
        `${session.fn.name}: streaming chunk gave ${column.length} values for ${chunk.numRows} rows`,
      );
    }
    // The next chunk may land in another process: it resumes from this state.
    await this.storage.append(
      STREAMING_NS,
      request.executionId,
      stateCodec.encode([0n], [session.state]),
    );
    session.seq++;
    return { resultBatch: encodeBatch(singleColumnBatch(field, column)) };
  }

  async streamingClose(request: AggregateStreamingCloseRequest): Promise<Record<string, never>> {
    const key = executionKey(request.executionId);
    let session: Session | undefined;
    try {
      session = await this.session(request.executionId);
    } catch {
      session = undefined; // never opened, or already closed: nothing to release
    }
    this.sessions.delete(key);
    if (session !== undefined)
      session.fn.definition.streaming?.close?.(session.state, session.call);
    await this.storage.clear(request.executionId);
    return {};
  }

  private async loadPartition(request: AggregateWindowInitRequest): Promise<CachedPartition> {
    const { fn, call } = await this.aggregates.bound(request.executionId);
    const hooks = fn.definition.window;
    if (hooks === undefined) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `aggregate ${fn.name} does not offer the window path`,
      );
    }
    const inputs = decodeSingleBatch(
      request.partitionBatch,
      "AggregateWindowInitRequest.partition_batch",
    );
    const rowCount = Number(request.rowCount);
    const mask = request.filterMask;
    const partition: WindowPartition = {
      inputs,
      rowCount,
      selected: (i) => i < mask.length * 8 && ((mask[i >> 3]! >> (i & 7)) & 1) === 1,
      allValid: Array.from(request.allValid, (b) => b !== 0),
    };
    const field = outputField(request.outputSchema, fn, call);
    return { fn, call, hooks, partition, field };
  }

  private async partition(executionId: Uint8Array, partitionId: bigint): Promise<CachedPartition> {
    const key = partitionKey(executionId, partitionId);
    const known = this.partitions.get(key);
    if (known !== undefined) return known;
    const [entry] = await this.storage.read(WINDOW_NS + String(partitionId), executionId, 0);
    if (entry === undefined) {
      throw new VgiError(
        ErrorKind.NotFound,
        `aggregate window partition ${partitionId} of ${executionKey(executionId)} is unknown ` +
          `(window_init never ran, or the execution was destroyed)`,
      );
    }
    const request = AggregateWindowInitRequestCodec.fromIpc(new Uint8Array(entry.data));
    const cached = await this.loadPartition(request);
    return remember(this.partitions, key, cached);
  }

  private openSession(request: AggregateStreamingOpenRequest): Session {
    const { fn, call } = this.aggregates.resolve({ ...request, argumentNames: null });
    const hooks = fn.definition.streaming;
    if (hooks === undefined) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `aggregate ${fn.name} does not offer the streaming path`,
      );
    }
    return { fn, call, request, state: hooks.open(call), seq: 0 };
  }

  /** The session with its newest state, from this process's copy plus newer log entries. */
  private async session(executionId: Uint8Array): Promise<Session> {
    const key = executionKey(executionId);
    let session = this.sessions.get(key);
    const entries = await this.storage.read(STREAMING_NS, executionId, session?.seq ?? 0);
    for (const { seq, data } of entries) {
      if (seq === 0) {
        const request = AggregateStreamingOpenRequestCodec.fromIpc(new Uint8Array(data));
        session = this.openSession(request);
      } else if (session !== undefined) {
        session.state = stateCodec.decode(data).states[0];
      }
      if (session !== undefined) session.seq = seq + 1;
    }
    if (session === undefined) {
      throw new VgiError(
        ErrorKind.NotFound,
        `streaming aggregate session ${key} is unknown (never opened, or already closed)`,
      );
    }
    return remember(this.sessions, key, session);
  }
}

function partitionKey(executionId: Uint8Array, partitionId: bigint): string {
  return `${executionKey(executionId)}:${partitionId}`;
}

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  map.delete(key);
  map.set(key, value);
  while (map.size > KEPT) map.delete(map.keys().next().value!);
  return value;
}

function pairFrames(
  starts: readonly bigint[],
  ends: readonly bigint[],
  from: number,
  count: number,
): Frame[] {
  if (from + count > starts.length || starts.length !== ends.length) {
    throw new VgiError(ErrorKind.MalformedRequest, "window frame starts and ends do not pair up");
  }
  const frames: Frame[] = [];
  for (let i = from; i < from + count; i++) frames.push([Number(starts[i]!), Number(ends[i]!)]);
  return frames;
}

function rowsOf(cached: CachedPartition, frames: readonly (readonly Frame[])[]): unknown {
  const { hooks, partition, call, fn } = cached;
  if (hooks.rows !== undefined) return hooks.rows(frames, partition, call);
  if (hooks.row === undefined) {
    throw new VgiError(ErrorKind.Internal, `aggregate ${fn.name}: window needs row or rows`);
  }
  return frames.map((f) => hooks.row!(f, partition, call));
}

function buildResult(cached: CachedPartition, values: unknown, count: number): Data {
  const column = toData(values as readonly unknown[] | Data, cached.field);
  if (column.length !== count) {
    throw new VgiError(
      ErrorKind.ContractViolation,
      `aggregate ${cached.fn.name}: window gave ${column.length} values for ${count} rows`,
    );
  }
  return column;
}

function toData(values: readonly unknown[] | Data, field: Field): Data {
  return Array.isArray(values)
    ? sqlTypeFromArrow(field.type, field.metadata).build(values)
    : (values as Data);
}

function outputField(schema: Uint8Array, fn: AggregateFunction, call: AggregateCall): Field {
  const field = decodeSchema(schema, "aggregate output_schema").fields[0];
  return field ?? fn.resultField(call);
}

function singleColumnBatch(field: Field, column: Data): RecordBatch {
  const schema = new Schema([field]);
  const struct = makeData({ type: new Struct([field]), length: column.length, children: [column] });
  return new RecordBatch(schema, struct);
}
