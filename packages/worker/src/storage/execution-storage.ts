/**
 * Shared storage bound to one execution, as function authors use it: named append-only
 * logs of opaque entries, plus helpers that store record batches as Arrow IPC. Every
 * worker process of the query sees the same logs (sqlite by default), so a sink call in
 * one process can append what a source stream in another process reads back.
 *
 * Namespaces starting with `vgi.` are the framework's own; authors pick any other name.
 */
import type { RecordBatch } from "apache-arrow";
import { ErrorKind, VgiError, decodeSingleBatch, encodeBatch } from "@vgi-ts/protocol";
import type { LogEntry, SharedStorage } from "./shared-storage.js";

export interface StoredBatch {
  readonly seq: number;
  readonly batch: RecordBatch;
}

export interface ExecutionStorage {
  readonly executionId: Uint8Array;
  /** Append one entry to the named log (atomic; safe from concurrent processes). */
  append(namespace: string, data: Uint8Array): Promise<void>;
  /** Entries with `seq >= fromSeq` (default 0), at most `limit` of them. */
  read(namespace: string, fromSeq?: number, limit?: number): Promise<readonly LogEntry[]>;
  /** Append a record batch (as a one-batch Arrow IPC stream). */
  appendBatch(namespace: string, batch: RecordBatch): Promise<void>;
  /** Record batches appended with `appendBatch`, from `fromSeq` (default 0). */
  readBatches(namespace: string, fromSeq?: number, limit?: number): Promise<StoredBatch[]>;
}

const FRAMEWORK_PREFIX = "vgi.";

export function executionStorage(
  storage: SharedStorage,
  executionId: Uint8Array,
): ExecutionStorage {
  const checked = (namespace: string): string => {
    if (namespace.startsWith(FRAMEWORK_PREFIX)) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `storage namespace '${namespace}' is reserved (names starting with '${FRAMEWORK_PREFIX}' belong to the framework)`,
      );
    }
    return namespace;
  };
  const read = async (namespace: string, fromSeq = 0, limit?: number) =>
    await storage.read(checked(namespace), executionId, fromSeq, limit);
  return {
    executionId,
    append: async (namespace, data) => {
      await storage.append(checked(namespace), executionId, data);
    },
    read,
    appendBatch: async (namespace, batch) => {
      await storage.append(checked(namespace), executionId, encodeBatch(batch));
    },
    readBatches: async (namespace, fromSeq = 0, limit) =>
      (await read(namespace, fromSeq, limit)).map(({ seq, data }) => ({
        seq,
        batch: decodeSingleBatch(data, `stored batch ${namespace}#${seq}`),
      })),
  };
}
