/**
 * Storage opened on first use. Most calls (scalar functions, catalog listings) never
 * touch shared storage, and opening a sqlite file (loading a native addon, WAL set-up)
 * would otherwise sit on every worker's cold start.
 */
import type { LogEntry, SharedStorage } from "./shared-storage.js";

export function lazyStorage(open: () => SharedStorage): SharedStorage {
  let storage: SharedStorage | undefined;
  const get = (): SharedStorage => (storage ??= open());
  return {
    append: (namespace, executionId, data) => get().append(namespace, executionId, data),
    appendAt: (namespace, executionId, seq, data) =>
      get().appendAt(namespace, executionId, seq, data),
    read: (
      namespace,
      executionId,
      fromSeq,
      limit,
    ): readonly LogEntry[] | Promise<readonly LogEntry[]> =>
      get().read(namespace, executionId, fromSeq, limit),
    nextSequence: (name, count) => get().nextSequence(name, count),
    clear: (executionId) => get().clear(executionId),
    close: () => storage?.close?.(),
  };
}
