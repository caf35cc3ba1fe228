/**
 * One aggregate execution as this process sees it: the function and call it was bound
 * with (resolved from the bind request, here or in another process), the states this
 * process holds unwritten, and the fold of the shared log read so far. Folding applies
 * the log's entries in order, which is DuckDB's own order (see `aggregate-methods.ts`).
 */
import { ErrorKind, VgiError, type AggregateBindRequest } from "@vgi-ts/protocol";
import type { CatalogRegistry } from "@vgi-ts/catalog";
import { AggregateFunction, type AggregateCall } from "../functions/aggregate-function.js";
import type { StateTable } from "../functions/state-table.js";
import { decodeBindCall, type BindRequestFields } from "../functions/bind-call.js";
import { pickOverload } from "../functions/overload-score.js";
import { executionKey, type LogEntry } from "../storage/shared-storage.js";
import {
  COMBINE,
  DESTROYED,
  HEADER,
  HOLDING,
  PARTIAL,
  WANTED,
  readWriter,
  type Writer,
} from "./aggregate-log.js";

export interface Execution {
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

export function newExecution(
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

/** The aggregate overload a request names, and its call. */
export function resolveAggregate(
  registry: CatalogRegistry,
  request: Pick<AggregateBindRequest, "attachOpaqueData" | "schemaPath"> & BindRequestFields,
): { fn: AggregateFunction; call: AggregateCall } {
  const { catalog } = registry.resolve(request.attachOpaqueData);
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

/** Fold log entries, read in order from `execution.seq`, into the execution. */
export function foldLogEntries(execution: Execution, entries: readonly LogEntry[]): void {
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
