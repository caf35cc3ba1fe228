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
 *
 * The log's byte layout is in `aggregate-log.ts`, an execution and its fold in
 * `aggregate-execution.ts`, the request/response batches in `aggregate-batches.ts`.
 */
import { randomBytes } from "node:crypto";
import { Schema } from "apache-arrow";
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
import type { AggregateFunction, AggregateCall } from "../functions/aggregate-function.js";
import type { BindRequestFields } from "../functions/bind-call.js";
import { checkColumnArguments } from "../functions/scalar-function.js";
import { executionKey, type SharedStorage } from "../storage/shared-storage.js";
import { int64Column, singleColumnBatch, updateBatch } from "./aggregate-batches.js";
import {
  foldLogEntries,
  newExecution,
  resolveAggregate,
  type Execution,
} from "./aggregate-execution.js";
import {
  BIND_NS,
  COMBINE,
  DESTROYED,
  HOLDING,
  LOG_NS,
  PARTIAL,
  WANTED,
  logEntry,
  processGone,
} from "./aggregate-log.js";

/** A process writes the states it holds once it had no update of them for this long. */
export const FLUSH_IDLE_MS = 20;
/** How often a process holding states checks the log for a WANTED. */
const POLL_MS = 2;
/** How long finalize waits for a live process to write the states it holds. */
const HOLDER_WAIT_MS = 120_000;
/** Executions without held states that a process keeps folds of (least recently used go). */
const KEPT_EXECUTIONS = 16;

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
    return resolveAggregate(this.registry, request);
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
    foldLogEntries(execution, entries);
  }

  private entry(tag: number, payload?: Uint8Array): Uint8Array {
    return logEntry(this.token, tag, payload);
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const methods of holdingInstances) methods.writeAllNow();
  });
}
