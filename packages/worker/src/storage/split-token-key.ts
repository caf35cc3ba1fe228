/**
 * The key split tokens are sealed with. Every process that may redeem a token must hold
 * the same key: a token planned in one worker process is read by whichever process
 * DuckDB sends the split's init to.
 *
 * An explicit key (`VGI_WORKER_SPLIT_TOKEN_KEY`, any string; HTTP replicas share it
 * through configuration) wins. Otherwise the key lives in shared storage: the first
 * process to need one appends a random key to a fixed log, and every process uses the
 * log's first entry, so two processes racing to create it still agree.
 */
import { createHash, randomBytes } from "node:crypto";
import type { SharedStorage } from "./shared-storage.js";

const NAMESPACE = "vgi-ts.split-token-key";
/** The log is not an execution's; a fixed all-zero id keeps it apart from real ones. */
const KEY_LOG_ID = new Uint8Array(16);

export class SplitTokenKey {
  private key: Promise<Uint8Array> | null;

  constructor(
    private readonly storage: SharedStorage,
    explicit?: string,
  ) {
    this.key =
      explicit === undefined || explicit === ""
        ? null
        : Promise.resolve(new Uint8Array(createHash("sha256").update(explicit, "utf8").digest()));
  }

  get(): Promise<Uint8Array> {
    this.key ??= this.fromStorage().catch((error: unknown) => {
      this.key = null; // a storage hiccup must not poison every later call
      throw error;
    });
    return this.key;
  }

  private async fromStorage(): Promise<Uint8Array> {
    let entries = await this.storage.read(NAMESPACE, KEY_LOG_ID, 0, 1);
    if (entries.length === 0) {
      await this.storage.append(NAMESPACE, KEY_LOG_ID, new Uint8Array(randomBytes(32)));
      entries = await this.storage.read(NAMESPACE, KEY_LOG_ID, 0, 1);
    }
    const first = entries[0];
    if (first === undefined) throw new Error("split token key: shared storage lost its entry");
    return first.data;
  }
}
