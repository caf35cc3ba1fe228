/**
 * The aggregate lifecycle on the wire: `aggregate_bind` resolves the function and opens
 * an execution; update/combine/finalize/destructor name only the execution. Everything
 * a later call needs (the bind request, the state log) is in shared storage, so any
 * pooled process can serve any call; each process keeps a fold of the log it has read
 * so far and only reads what is new.
 */
import { randomBytes } from "node:crypto";
import { Field, RecordBatch, Schema, Struct, makeData, type Data } from "apache-arrow";
import {
  AggregateBindRequestCodec,
  ErrorKind,
  VgiError,
  decodeSchema,
  decodeSingleBatch,
  encodeBatch,
  encodeSchema,
  sqlTypeFromArrow,
  type AggregateBindRequest,
  type AggregateCombineRequest,
  type AggregateDestructorRequest,
  type AggregateFinalizeRequest,
  type AggregateUpdateRequest,
} from "@vgi-ts/protocol";
import type { CatalogRegistry } from "@vgi-ts/catalog";
import {
  AggregateFunction,
  groupIndex,
  type AggregateCall,
  type AggregateInput,
  type GroupIndex,
  type GroupStates,
} from "../functions/aggregate-function.js";
import { decodeBindCall } from "../functions/bind-call.js";
import { checkColumnArguments } from "../functions/scalar-function.js";
import { pickOverload } from "../functions/overload-score.js";
import { executionKey, type SharedStorage } from "../storage/shared-storage.js";

const BIND_NS = "aggregate.bind";
const LOG_NS = "aggregate.log";
const PARTIAL = 1;
const COMBINE = 2;
/** Entry header: a tag byte padded to 8 so payloads stay 8-byte aligned. */
const HEADER = 8;

interface Execution {
  readonly fn: AggregateFunction;
  readonly call: AggregateCall;
  readonly states: Map<bigint, unknown>;
  seq: number;
}

export class AggregateMethods {
  private readonly executions = new Map<string, Execution>();

  constructor(
    private readonly registry: CatalogRegistry,
    private readonly storage: SharedStorage,
  ) {}

  async bind(
    request: AggregateBindRequest,
  ): Promise<{ outputSchema: Uint8Array; executionId: Uint8Array }> {
    const { fn, call } = this.resolve(request);
    checkColumnArguments(fn.definition, call.inputFields);
    const field = fn.resultField(call);
    const executionId = new Uint8Array(randomBytes(16));
    await this.storage.append(BIND_NS, executionId, AggregateBindRequestCodec.toIpc(request));
    this.executions.set(executionKey(executionId), { fn, call, states: new Map(), seq: 0 });
    return { outputSchema: encodeSchema(new Schema([field])), executionId };
  }

  async update(request: AggregateUpdateRequest): Promise<Record<string, never>> {
    const execution = await this.execution(request.executionId);
    const { fn, call } = execution;
    const batch = decodeSingleBatch(request.inputBatch, "AggregateUpdateRequest.input_batch");
    const groupColumn = batch.getChildAt(0)!;
    const groupIds = int64Values(groupColumn.data[0]!);
    const columns = batch.schema.fields.slice(1).map((_, i) => batch.getChildAt(i + 1)!);
    const names = fn.definition.arguments.filter((arg) => arg.const !== true).map((a) => a.name);
    let groups: GroupIndex | undefined;
    const input: AggregateInput = {
      numRows: batch.numRows,
      groupIds,
      get groups() {
        return (groups ??= groupIndex(groupIds));
      },
      columns,
      column: (name) => {
        const index = names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
        const column = index < 0 ? undefined : columns[index];
        if (column === undefined) throw new Error(`${fn.name} has no column argument '${name}'`);
        return column;
      },
    };
    const touched = new Map<bigint, unknown>();
    const seen = new Map<bigint, unknown>();
    const states: GroupStates<unknown> = {
      get: (gid) => {
        if (touched.has(gid)) return touched.get(gid);
        if (!seen.has(gid)) seen.set(gid, fn.definition.initial(call));
        return seen.get(gid);
      },
      set: (gid, state) => void touched.set(gid, state),
    };
    fn.definition.update(states, input, call);
    if (touched.size > 0) {
      const payload = fn.codec.encode([...touched.keys()], [...touched.values()]);
      await this.storage.append(LOG_NS, request.executionId, entry(PARTIAL, payload));
    }
    return {};
  }

  async combine(request: AggregateCombineRequest): Promise<Record<string, never>> {
    const batch = decodeSingleBatch(request.mergeBatch, "AggregateCombineRequest.merge_batch");
    if (batch.numRows === 0) return {};
    const sources = int64Values(batch.getChild("source_group_id")!.data[0]!);
    const targets = int64Values(batch.getChild("target_group_id")!.data[0]!);
    const payload = new BigInt64Array(sources.length * 2);
    payload.set(sources, 0);
    payload.set(targets, sources.length);
    await this.storage.append(
      LOG_NS,
      request.executionId,
      entry(COMBINE, new Uint8Array(payload.buffer)),
    );
    return {};
  }

  async finalize(request: AggregateFinalizeRequest): Promise<{ resultBatch: Uint8Array }> {
    const execution = await this.execution(request.executionId);
    await this.fold(execution, request.executionId);
    const { fn, call, states } = execution;
    const ids = decodeSingleBatch(
      request.groupIdsBatch,
      "AggregateFinalizeRequest.group_ids_batch",
    );
    const groupIds = int64Values(ids.getChild("group_id")!.data[0]!);
    const values = new Array<unknown>(groupIds.length);
    for (let i = 0; i < groupIds.length; i++) {
      const state = states.has(groupIds[i]!) ? states.get(groupIds[i]!) : null;
      values[i] = fn.definition.finalize(state as never, call);
    }
    const field =
      decodeSchema(request.outputSchema, "AggregateFinalizeRequest.output_schema").fields[0] ??
      fn.resultField(call);
    const column = sqlTypeFromArrow(field.type, field.metadata).build(values);
    return { resultBatch: encodeBatch(singleColumnBatch(field, column)) };
  }

  async destructor(request: AggregateDestructorRequest): Promise<Record<string, never>> {
    this.executions.delete(executionKey(request.executionId));
    await this.storage.clear(request.executionId);
    return {};
  }

  private resolve(request: AggregateBindRequest): { fn: AggregateFunction; call: AggregateCall } {
    const { catalog } = this.registry.resolve(request.attachOpaqueData);
    const candidates = catalog
      .requireFunctions(request.schemaPath, request.functionName)
      .filter((fn): fn is AggregateFunction => fn instanceof AggregateFunction);
    const bindCall = decodeBindCall(request);
    // DuckDB has already chosen the overload, but an aggregate's bind carries the column
    // types before DuckDB's casts: a sole candidate is the one, whatever the types say.
    const fn =
      pickOverload(candidates, (candidate) => candidate.matchScore(bindCall)) ??
      (candidates.length === 1 ? candidates[0]! : null);
    if (fn === null) {
      const types = bindCall.inputFields.map((f) => String(f.type)).join(", ");
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `No aggregate overload of ${request.functionName} accepts columns (${types})`,
      );
    }
    return { fn, call: fn.aggregateCall(bindCall) };
  }

  /** This process's view of an execution, rebuilt from storage when another process bound it. */
  private async execution(executionId: Uint8Array): Promise<Execution> {
    const key = executionKey(executionId);
    const known = this.executions.get(key);
    if (known !== undefined) return known;
    const [bind] = await this.storage.read(BIND_NS, executionId, 0);
    if (bind === undefined) {
      throw new VgiError(
        ErrorKind.NotFound,
        `aggregate execution ${key} is unknown (expired, destroyed, or bound against other storage)`,
      );
    }
    const { fn, call } = this.resolve(AggregateBindRequestCodec.fromIpc(bind.data));
    const execution: Execution = { fn, call, states: new Map(), seq: 0 };
    this.executions.set(key, execution);
    return execution;
  }

  /** Apply the log entries this process has not folded yet, in order. */
  private async fold(execution: Execution, executionId: Uint8Array): Promise<void> {
    const { fn, call, states } = execution;
    const combine = (source: unknown, target: unknown): unknown =>
      fn.definition.combine(source as never, target as never, call);
    for (const { seq, data } of await this.storage.read(LOG_NS, executionId, execution.seq)) {
      const payload = data.subarray(HEADER);
      if (data[0] === PARTIAL) {
        const { groupIds, states: partials } = fn.codec.decode(payload);
        groupIds.forEach((gid, i) => {
          states.set(gid, states.has(gid) ? combine(partials[i], states.get(gid)) : partials[i]);
        });
      } else if (data[0] === COMBINE) {
        // A fresh, exact-size copy: storage may return a Buffer view into a shared pool
        // (Buffer#slice does not copy), and the pairs need 8-byte alignment.
        const pairs = new BigInt64Array(new Uint8Array(payload).buffer);
        const n = pairs.length / 2;
        for (let i = 0; i < n; i++) {
          const source = pairs[i]!;
          const target = pairs[n + i]!;
          if (!states.has(source) && !states.has(target)) continue;
          const from = states.has(source) ? states.get(source) : fn.definition.initial(call);
          const into = states.has(target) ? states.get(target) : fn.definition.initial(call);
          states.set(target, combine(from, into));
        }
      }
      execution.seq = seq + 1;
    }
  }
}

function entry(tag: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + payload.byteLength);
  out[0] = tag;
  out.set(payload, HEADER);
  return out;
}

/** arrow-js slices a primitive column's values buffer with the column: index from 0. */
function int64Values(data: Data): BigInt64Array {
  return (data.values as BigInt64Array).subarray(0, data.length);
}

function singleColumnBatch(field: Field, column: Data): RecordBatch {
  const schema = new Schema([field]);
  const struct = makeData({ type: new Struct([field]), length: column.length, children: [column] });
  return new RecordBatch(schema, struct);
}
