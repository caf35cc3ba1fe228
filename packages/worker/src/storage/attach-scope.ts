/**
 * Attachment-private shared storage. A catalog declared `attachScoped` mints a random id
 * per ATTACH and carries it in the attach token, so every call of that attachment (in any
 * worker process) names it and no other attachment does. `call.attach.storage(key)` is
 * then a set of logs that outlive the query: state one statement leaves for the next
 * (`accumulate` keeps its collections there), cleared only on request.
 *
 * Each (attachment, key) maps to a storage execution id derived by hashing, so it reuses
 * the append-only log model and `clear` of `SharedStorage` unchanged. The sqlite storage
 * expires executions nobody appended to for its `maxAgeMs` (one hour by default): state
 * kept here is session state, not a database.
 */
import { createHash } from "node:crypto";
import { executionStorage, type ExecutionStorage } from "./execution-storage.js";
import type { SharedStorage } from "./shared-storage.js";

export interface AttachStorage extends ExecutionStorage {
  /** Drop every log stored under this key of the attachment. */
  clear(): Promise<void>;
}

export interface AttachScope {
  /** The id minted at ATTACH (a random UUID). */
  readonly id: string;
  /** The logs of `key` within this attachment (any string; hashed, never stored). */
  storage(key: string): AttachStorage;
}

export function attachScope(storage: SharedStorage, id: string): AttachScope {
  return {
    id,
    storage(key) {
      const scopeId = attachScopeId(id, key);
      return {
        ...executionStorage(storage, scopeId),
        clear: async () => {
          await storage.clear(scopeId);
        },
      };
    },
  };
}

/** 16 bytes naming (attachment, key); its own prefix keeps it apart from execution ids. */
export function attachScopeId(attachId: string, key: string): Uint8Array {
  const digest = createHash("sha256").update("vgi-ts.attach-scope\0").update(attachId);
  return new Uint8Array(digest.update("\0").update(key).digest().subarray(0, 16));
}
