/**
 * The aggregate lifecycle on the wire: `aggregate_bind` resolves the function and opens
 * an execution; update/combine/finalize/destructor name only the execution, and DuckDB
 * sends each to whichever pooled process is idle. So everything a later call needs is
 * in shared storage: the bind request, and a log per execution of
 *
 * - HOLDING (process p): p answered updates whose states it has not written yet;
 * - PARTIAL (process p, states): p wrote every state it held (one Arrow IPC partial);
 * - COMBINE (pairs): a combine call's source → target group pairs;
 * - WANTED: a combine or finalize waits for the holders to write;
 * - DESTROYED: DuckDB destroyed every state created so far; readers start afresh.
 *
 * An update folds its batch into states held in this process's memory (columnar typed
 * arrays for numeric aggregates) and answers at once; only the first update after a
 * write appends a HOLDING entry. That makes storage traffic O(processes × combine
 * phases), not O(update calls).
 *
 * Readers fold the log in order (PARTIAL: merge the states in; COMBINE: merge source
 * groups into targets), which is DuckDB's own order as long as every update a combine
 * depends on is written before the COMBINE entry. So a combine (and a finalize) first
 * writes this process's held states, then, if other processes hold some, appends WANTED
 * and waits: a holder checks the log every `POLL_MS` and writes at once when it sees a
 * WANTED (and after `FLUSH_IDLE_MS` without updates in any case). A holder that died
 * instead (it is gone from this machine) is an error, never a silently partial result.
 * The order matters: DuckDB's window operator keeps updating a running state between
 * the combines that copy it.
 */
import { randomBytes, createHash } from "node:crypto";
import { hostname } from "node:os";
import { Field, RecordBatch, Schema, Struct, makeData, type Data } from "apache-arrow";
import {
  AggregateBindRequestCodec,
  ErrorKind,
  VgiError,
  decodeSchema,
  decodeSingleBatch,
  encodeBatch,
  encodeSchema,
  type AggregateBindRequest,
  type AggregateCombineRequest,
  type AggregateDestructorRequest,
  type AggregateFinalizeRequest,
  type AggregateUpdateRequest,
} from "@vgi-ts/protocol";
import type { CatalogRegistry } from "@vgi-ts/catalog";
import { AggregateFunction, type AggregateCall } from "../functions/aggregate-function.js";
import type { StateTable, UpdateBatch } from "../functions/state-table.js";
import { decodeBindCall, type BindRequestFields } from "../functions/bind-call.js";
import { checkColumnArguments } from "../functions/scalar-function.js";
import { pickOverload } from "../functions/overload-score.js";
import { executionKey, type SharedStorage } from "../storage/shared-storage.js";

const BIND_NS = "aggregate.bind";
const LOG_NS = "aggregate.log";
const PARTIAL = 1;
const COMBINE = 2;
const HOLDING = 3;
const DESTROYED = 4;
const WANTED = 5;
/**
 * Entry header, 32 bytes so payloads stay 8-byte aligned: tag byte; at 8 the writer's
 * token (8 random bytes per AggregateMethods); at 16 its pid (u32); at 24 a hash of its
 * host name (a pid means something only on the same machine).
 */
const HEADER = 32;

/** A process writes the states it holds once it had no update of them for this long. */
export const FLUSH_IDLE_MS = 20;
/** How often a process holding states checks the log for a WANTED. */
const POLL_MS = 2;
/** How long finalize waits for a live process to write the states it holds. */
const HOLDER_WAIT_MS = 120_000;
/** Executions without held states that a process keeps folds of (least recently used go). */
const KEPT_EXECUTIONS = 16;

interface Writer {
  readonly token: string;
  readonly pid: number;
  readonly host: string;
}

interface Execution {
  readonly key: string;
  readonly executionId: Uint8Array;
  readonly fn: AggregateFunction;
  readonly call: AggregateCall;
  /** States of updates this process answered but has not written yet. */
  held: StateTable | null;
  lastUpdate: number;
  /** A write of held states under way (later calls of the execution wait for it). */
  writing: Promise<void> | null;
  /** The log read so far (since the last DESTROYED), folded in order. */
  fold: StateTable;
  /** A WANTED was read since this process last wrote its held states. */
  wanted: boolean;
  /** Other processes whose latest entry is a HOLDING, by token. */
  readonly holders: Map<string, Writer>;
  /** Next log position to read. */
  seq: number;
}

const HOST = createHash("sha256").update(hostname()).digest().subarray(0, 8);

/** AggregateMethods holding unwritten states: written synchronously if the process exits. */
const holdingInstances = new Set<AggregateMethods>();
let exitHookInstalled = false;

export class AggregateMethods {
  private readonly executions = new Map<string, Execution>();
  private readonly token = new Uint8Array(randomBytes(8));
  private timer: NodeJS.Timeout | null = null;

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
    this.remember(newExecution(executionId, fn, call));
    return { outputSchema: encodeSchema(new Schema([field])), executionId };
  }

  async update(request: AggregateUpdateRequest): Promise<Record<string, never>> {
    const execution = await this.execution(request.executionId);
    if (execution.writing !== null) await execution.writing;
    const batch = decodeSingleBatch(request.inputBatch, "AggregateUpdateRequest.input_batch");
    const update = updateBatch(batch, execution.fn);
    if (execution.held === null) {
      // Announce before answering: a finalize elsewhere must know to wait for these states.
      await this.storage.append(LOG_NS, execution.executionId, this.entry(HOLDING));
      execution.held = execution.fn.newTable(execution.call);
      execution.wanted = false;
      holdingInstances.add(this);
      installExitHook();
    }
    execution.held.update(update);
    execution.lastUpdate = performance.now();
    this.scheduleWrite();
    return {};
  }

  async combine(request: AggregateCombineRequest): Promise<Record<string, never>> {
    const batch = decodeSingleBatch(request.mergeBatch, "AggregateCombineRequest.merge_batch");
    if (batch.numRows === 0) return {};
    const sources = int64Column(batch, "source_group_id");
    const targets = int64Column(batch, "target_group_id");
    // Every update of the source groups must precede this entry in the log.
    const execution = await this.execution(request.executionId);
    await this.write(execution);
    await this.catchUp(execution);
    const payload = new BigInt64Array(sources.length * 2);
    payload.set(sources, 0);
    payload.set(targets, sources.length);
    await this.storage.append(
      LOG_NS,
      request.executionId,
      this.entry(COMBINE, new Uint8Array(payload.buffer)),
    );
    return {};
  }

  async finalize(request: AggregateFinalizeRequest): Promise<{ resultBatch: Uint8Array }> {
    const execution = await this.execution(request.executionId);
    await this.write(execution);
    await this.catchUp(execution);
    const ids = decodeSingleBatch(
      request.groupIdsBatch,
      "AggregateFinalizeRequest.group_ids_batch",
    );
    const groupIds = int64Column(ids, "group_id");
    const field =
      decodeSchema(request.outputSchema, "AggregateFinalizeRequest.output_schema").fields[0] ??
      execution.fn.resultField(execution.call);
    const column = execution.fold.finalize(groupIds, field);
    return { resultBatch: encodeBatch(singleColumnBatch(field, column)) };
  }

  /**
   * DuckDB destroys states in waves when a window operator falls back to
   * update/combine/finalize (segment trees): the extension sends the destructor once
   * every state created so far is gone, and may create (fresh) states afterwards. So the
   * log is not cleared — later calls still need the bind — but marked: readers drop
   * what they folded. The storage's expiry sweep reclaims the entries.
   */
  async destructor(request: AggregateDestructorRequest): Promise<Record<string, never>> {
    const key = executionKey(request.executionId);
    const execution = this.executions.get(key);
    if (execution !== undefined) execution.held = null; // those states are gone
    this.executions.delete(key);
    await this.storage.append(LOG_NS, request.executionId, this.entry(DESTROYED));
    return {};
  }

  /** Write every held state now. */
  async writeAll(): Promise<void> {
    for (const execution of [...this.executions.values()]) await this.write(execution);
  }

  /** Write every held state now, synchronously where storage allows (process exit). */
  writeAllNow(): void {
    for (const execution of this.executions.values()) {
      const held = execution.held;
      if (held === null) continue;
      execution.held = null;
      try {
        void this.storage.append(LOG_NS, execution.executionId, this.entry(PARTIAL, held.encode()));
      } catch {
        // Exiting anyway: a finalize waiting for these states reports the loss.
      }
    }
    holdingInstances.delete(this);
  }

  /** The function and call an execution was bound with (read from storage if need be). */
  async bound(executionId: Uint8Array): Promise<{ fn: AggregateFunction; call: AggregateCall }> {
    return this.execution(executionId);
  }

  /** The aggregate overload a request names, and its call. */
  resolve(
    request: Pick<AggregateBindRequest, "attachOpaqueData" | "schemaPath"> & BindRequestFields,
  ): { fn: AggregateFunction; call: AggregateCall } {
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
    if (known !== undefined) {
      // Most recently used last, for eviction.
      this.executions.delete(key);
      this.executions.set(key, known);
      return known;
    }
    const [bind] = await this.storage.read(BIND_NS, executionId, 0);
    if (bind === undefined) {
      throw new VgiError(
        ErrorKind.NotFound,
        `aggregate execution ${key} is unknown (expired, destroyed, or bound against other storage)`,
      );
    }
    const { fn, call } = this.resolve(AggregateBindRequestCodec.fromIpc(bind.data));
    return this.remember(newExecution(executionId, fn, call));
  }

  private remember(execution: Execution): Execution {
    this.executions.set(execution.key, execution);
    if (this.executions.size > KEPT_EXECUTIONS) {
      for (const [key, old] of this.executions) {
        if (this.executions.size <= KEPT_EXECUTIONS) break;
        if (old.held === null && old.writing === null && old !== execution) {
          this.executions.delete(key);
        }
      }
    }
    return execution;
  }

  /** Write the execution's held states as one PARTIAL (no-op when it holds none). */
  private async write(execution: Execution): Promise<void> {
    while (execution.writing !== null) await execution.writing;
    const held = execution.held;
    if (held === null) return;
    execution.held = null;
    execution.wanted = false;
    const written = Promise.resolve(
      this.storage.append(LOG_NS, execution.executionId, this.entry(PARTIAL, held.encode())),
    );
    execution.writing = written.finally(() => (execution.writing = null));
    try {
      await written;
    } finally {
      if (![...this.executions.values()].some((e) => e.held !== null)) {
        holdingInstances.delete(this);
      }
    }
  }

  /**
   * While this process holds states: every POLL_MS, write those a combine or finalize
   * elsewhere waits for (a WANTED in the log), or that had no update for FLUSH_IDLE_MS.
   */
  private scheduleWrite(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pollHeld();
    }, POLL_MS);
  }

  private async pollHeld(): Promise<void> {
    let holding = false;
    for (const execution of [...this.executions.values()]) {
      if (execution.held === null) continue;
      try {
        if (performance.now() - execution.lastUpdate < FLUSH_IDLE_MS) {
          await this.readLog(execution);
          if (!execution.wanted) {
            holding = true;
            continue;
          }
        }
        await this.write(execution);
      } catch (error) {
        // Nobody to answer: a combine or finalize waiting for these states reports it.
        process.stderr.write(
          `[vgi-ts] writing aggregate states of ${execution.key} failed: ${String(error)}\n`,
        );
      }
    }
    if (holding) this.scheduleWrite();
  }

  /** Read the log up to its end, until no other process holds unwritten states. */
  private async catchUp(execution: Execution): Promise<void> {
    const deadline = performance.now() + HOLDER_WAIT_MS;
    let asked = false;
    for (let pause = 1; ; pause = Math.min(pause + 1, 5)) {
      await this.readLog(execution);
      if (execution.holders.size === 0) return;
      if (!asked) {
        await this.storage.append(LOG_NS, execution.executionId, this.entry(WANTED));
        asked = true;
      }
      for (const holder of execution.holders.values()) {
        if (processGone(holder)) {
          throw new VgiError(
            ErrorKind.Internal,
            `aggregate ${execution.fn.name}: worker process ${holder.pid} exited holding ` +
              `states it never wrote; the result would be incomplete`,
          );
        }
      }
      if (performance.now() > deadline) {
        const pids = [...execution.holders.values()].map((h) => h.pid).join(", ");
        throw new VgiError(
          ErrorKind.Internal,
          `aggregate ${execution.fn.name}: worker process(es) ${pids} did not write their ` +
            `states within ${HOLDER_WAIT_MS / 1000} s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  private async readLog(execution: Execution): Promise<void> {
    const entries = await this.storage.read(LOG_NS, execution.executionId, execution.seq);
    for (const { seq, data } of entries) {
      const writer = readWriter(data);
      const payload = data.subarray(HEADER);
      if (data[0] === HOLDING) {
        execution.holders.set(writer.token, writer);
      } else if (data[0] === PARTIAL) {
        execution.holders.delete(writer.token);
        execution.fold.absorb(payload);
      } else if (data[0] === DESTROYED) {
        execution.fold = execution.fn.newTable(execution.call);
        execution.holders.clear();
      } else if (data[0] === WANTED) {
        execution.wanted = true;
      } else if (data[0] === COMBINE) {
        // A fresh, exact-size copy: storage may return a Buffer view into a shared pool
        // (Buffer#slice does not copy), and the pairs need 8-byte alignment.
        const pairs = new BigInt64Array(new Uint8Array(payload).buffer);
        const n = pairs.length / 2;
        execution.fold.combine(pairs.subarray(0, n), pairs.subarray(n));
      }
      execution.seq = seq + 1;
    }
  }

  private entry(tag: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
    const out = new Uint8Array(HEADER + payload.byteLength);
    out[0] = tag;
    out.set(this.token, 8);
    new DataView(out.buffer).setUint32(16, process.pid, true);
    out.set(HOST, 24);
    out.set(payload, HEADER);
    return out;
  }
}

function newExecution(
  executionId: Uint8Array,
  fn: AggregateFunction,
  call: AggregateCall,
): Execution {
  return {
    key: executionKey(executionId),
    executionId,
    fn,
    call,
    held: null,
    lastUpdate: 0,
    writing: null,
    fold: fn.newTable(call),
    wanted: false,
    holders: new Map(),
    seq: 0,
  };
}

function readWriter(data: Uint8Array): Writer {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return {
    token: executionKey(data.subarray(8, 16)),
    pid: view.getUint32(16, true),
    host: executionKey(data.subarray(24, 32)),
  };
}

/** Whether a holder is known to be dead: same machine, and no process with its pid. */
function processGone(holder: Writer): boolean {
  if (holder.host !== executionKey(HOST)) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const methods of holdingInstances) methods.writeAllNow();
  });
}

function updateBatch(batch: RecordBatch, fn: AggregateFunction): UpdateBatch {
  const groupIds = int64Column(batch, batch.schema.fields[0]!.name);
  const columns = batch.schema.fields.slice(1).map((_, i) => batch.getChildAt(i + 1)!);
  const names = fn.definition.arguments.filter((arg) => arg.const !== true).map((a) => a.name);
  return {
    numRows: batch.numRows,
    groupIds,
    columns,
    column: (name) => {
      const index = names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
      const column = index < 0 ? undefined : columns[index];
      if (column === undefined) throw new Error(`${fn.name} has no column argument '${name}'`);
      return column;
    },
  };
}

/** An int64 column's values; arrow-js slices a primitive values buffer with the column. */
function int64Column(batch: RecordBatch, name: string): BigInt64Array {
  const data = batch.getChild(name)?.data[0];
  if (data === undefined) {
    throw new VgiError(ErrorKind.MalformedRequest, `aggregate batch has no column '${name}'`);
  }
  if (!(data.values instanceof BigInt64Array)) {
    throw new VgiError(ErrorKind.TypeMismatch, `aggregate column '${name}' must be int64`);
  }
  return data.values.subarray(0, data.length);
}

function singleColumnBatch(field: Field, column: Data): RecordBatch {
  const schema = new Schema([field]);
  const struct = makeData({ type: new Struct([field]), length: column.length, children: [column] });
  return new RecordBatch(schema, struct);
}
