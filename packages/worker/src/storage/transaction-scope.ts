/**
 * Transaction-private shared storage. In a catalog declared `supportsTransactions`,
 * DuckDB opens every transaction on the attachment with `catalog_transaction_begin`
 * (the worker mints a random id), sends that id with each bind and init of the
 * transaction, and ends it with commit or rollback. `call.transaction.storage` is a set
 * of logs and values under that id: what one statement of a transaction leaves for the
 * next (a value resolved once and reused until COMMIT), seen by every worker process.
 *
 * The framework drops it all at commit and at rollback (whichever worker process gets
 * that call), so nothing outlives the transaction; the sqlite storage's expiry covers a
 * transaction that never ended (a killed DuckDB). Outside an explicit `BEGIN` each
 * statement is its own transaction, so its storage is empty at the start of every
 * statement. Catalogs without transactions get `call.transaction === null`.
 *
 * Writable tables stage their uncommitted rows under the same id (namespace
 * `vgi.tables.tx`); authors' namespaces cannot start with `vgi.`, so the two never mix.
 */
import { executionStorage, type ExecutionStorage } from "./execution-storage.js";
import type { SharedStorage } from "./shared-storage.js";

export interface TransactionStorage extends ExecutionStorage {
  /** The value last `set` under `key` in this transaction, or null. */
  get(key: string): Promise<Uint8Array | null>;
  /** Store `value` under `key` until the transaction ends (a later `set` replaces it). */
  set(key: string, value: Uint8Array): Promise<void>;
}

export interface TransactionScope {
  /** The id the worker minted at `catalog_transaction_begin`. */
  readonly id: Uint8Array;
  readonly storage: TransactionStorage;
}

/** Values live in one log per key; the newest entry is the current value. */
const VALUE_NAMESPACE = "vgi.tx.value:";

export function transactionScope(storage: SharedStorage, id: Uint8Array): TransactionScope {
  return {
    id,
    storage: {
      ...executionStorage(storage, id),
      get: async (key) => {
        const entries = await storage.read(VALUE_NAMESPACE + key, id, 0);
        return entries.at(-1)?.data ?? null;
      },
      set: async (key, value) => {
        await storage.append(VALUE_NAMESPACE + key, id, value);
      },
    },
  };
}
