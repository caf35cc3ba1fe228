/**
 * The init request of a table-buffering execution, kept in shared storage. The sink's
 * unary calls (`table_buffering_process`, `table_buffering_combine`) name only the
 * execution, and any pooled process may receive them: each rebuilds the call (function,
 * arguments, bound schema) from this record. Immutable once written, so a process may
 * keep what it decoded for the rest of the execution.
 */
import { ErrorKind, InitRequestCodec, VgiError, type InitRequest } from "@vgi-ts/protocol";
import { executionKey, type SharedStorage } from "../storage/shared-storage.js";

/** Framework namespace (authors cannot write `vgi.` namespaces). */
const INIT_NS = "vgi.buffering.init";

export async function persistInit(
  storage: SharedStorage,
  executionId: Uint8Array,
  init: InitRequest,
): Promise<void> {
  await storage.append(INIT_NS, executionId, InitRequestCodec.toIpc(init));
}

export async function loadInit(
  storage: SharedStorage,
  executionId: Uint8Array,
): Promise<InitRequest> {
  const [entry] = await storage.read(INIT_NS, executionId, 0, 1);
  if (entry === undefined) {
    throw new VgiError(
      ErrorKind.NotFound,
      `table-buffering execution ${executionKey(executionId)} is unknown ` +
        `(its init never ran against this storage, or its destructor already ran)`,
    );
  }
  return InitRequestCodec.fromIpc(entry.data);
}
