/**
 * Storage shared by every worker process serving one query. DuckDB pools workers and
 * sends any call of an execution (an aggregate's updates, a partitioned scan's splits) to
 * any idle process, so state that outlives a call lives here, keyed by execution id.
 *
 * The model is an append-only log per (namespace, execution): writers append opaque
 * entries (typically Arrow IPC of a partial state), readers fold the entries they have
 * not seen yet. One append per call keeps storage traffic O(calls), not O(groups) or
 * O(rows), and needs no read-modify-write races between processes.
 *
 * Implementations: `MemoryStorage` (one process; tests, or a worker DuckDB never pools),
 * `@vgi-ts/storage-sqlite` (the default for real workers), `@vgi-ts/storage-azure`.
 * Methods may return promises: remote backends are asynchronous.
 */
export interface LogEntry {
  /** Position in the log, increasing from 0 in append order. */
  readonly seq: number;
  readonly data: Uint8Array;
}

export interface SharedStorage {
  /** Append one entry to the log of `(namespace, executionId)`. */
  append(namespace: string, executionId: Uint8Array, data: Uint8Array): void | Promise<void>;
  /**
   * Append at position `seq` only if that is the log's next position, that is, nothing
   * was appended since the caller read the log up to `seq`; true when appended. One
   * atomic step across processes: a writer that checked the log's contents before
   * writing (a primary key not yet taken) learns whether another writer got in first.
   */
  appendAt(
    namespace: string,
    executionId: Uint8Array,
    seq: number,
    data: Uint8Array,
  ): boolean | Promise<boolean>;
  /**
   * Entries with `seq >= fromSeq`, in order; at most `limit` of them when given (a
   * reader paging through a long log, one batch per stream tick, reads each entry once).
   */
  read(
    namespace: string,
    executionId: Uint8Array,
    fromSeq: number,
    limit?: number,
  ): readonly LogEntry[] | Promise<readonly LogEntry[]>;
  /**
   * Claim `count` (>= 1) consecutive values of the named counter, atomically across every
   * process sharing the storage; returns the first. A counter starts at 1 and never goes
   * back: it is not dropped by `clear` nor by expiry, so values stay unique for as long
   * as the storage itself (writable tables number their rows with one).
   */
  nextSequence(name: string, count: number): bigint | Promise<bigint>;
  /** Drop everything stored for an execution (all namespaces). */
  clear(executionId: Uint8Array): void | Promise<void>;
  /** Release connections and file handles. */
  close?(): void | Promise<void>;
}

/** Hex form of an execution id, for map keys and log messages. */
/** The check every `nextSequence` makes on its count. */
export function checkSequenceCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(`a sequence claim needs a whole count >= 1, got ${count}`);
  }
}

export function executionKey(executionId: Uint8Array): string {
  return Buffer.from(executionId.buffer, executionId.byteOffset, executionId.byteLength).toString(
    "hex",
  );
}
