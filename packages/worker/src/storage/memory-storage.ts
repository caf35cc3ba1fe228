/**
 * Shared storage held in this process's memory: correct only while one process serves
 * the whole execution (tests, `threads=1` without pooling). Real workers default to the
 * sqlite backend, which every process of a query can see.
 */
import {
  checkSequenceCount,
  executionKey,
  type LogEntry,
  type SharedStorage,
} from "./shared-storage.js";

export class MemoryStorage implements SharedStorage {
  private readonly logs = new Map<string, Map<string, LogEntry[]>>();
  /** The last value claimed of each counter. */
  private readonly sequences = new Map<string, bigint>();

  append(namespace: string, executionId: Uint8Array, data: Uint8Array): void {
    const byNamespace = this.logs.get(executionKey(executionId)) ?? new Map<string, LogEntry[]>();
    this.logs.set(executionKey(executionId), byNamespace);
    const log = byNamespace.get(namespace) ?? [];
    byNamespace.set(namespace, log);
    // Copy: the caller may reuse its buffer, and a stored entry must not change.
    log.push({ seq: log.length, data: data.slice() });
  }

  appendAt(namespace: string, executionId: Uint8Array, seq: number, data: Uint8Array): boolean {
    if (seq !== (this.logs.get(executionKey(executionId))?.get(namespace)?.length ?? 0)) {
      return false;
    }
    this.append(namespace, executionId, data);
    return true;
  }

  read(
    namespace: string,
    executionId: Uint8Array,
    fromSeq: number,
    limit?: number,
  ): readonly LogEntry[] {
    const log = this.logs.get(executionKey(executionId))?.get(namespace) ?? [];
    return log.slice(fromSeq, limit === undefined ? undefined : fromSeq + limit);
  }

  nextSequence(name: string, count: number): bigint {
    checkSequenceCount(count);
    const first = (this.sequences.get(name) ?? 0n) + 1n;
    this.sequences.set(name, first + BigInt(count) - 1n);
    return first;
  }

  clear(executionId: Uint8Array): void {
    this.logs.delete(executionKey(executionId));
  }
}
