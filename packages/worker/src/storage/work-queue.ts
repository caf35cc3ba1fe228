/**
 * A work queue shared by the worker processes of one execution, built on the append-only
 * logs of `SharedStorage`: the primary pushes every item once (at init), and any stream
 * of the execution pops the next unclaimed one. DuckDB opens one stream per thread of a
 * partitioned scan and may send each to a different process, so the queue cannot live
 * in memory.
 *
 * Popping needs no read-modify-write: a stream appends a claim (a random token) to the
 * claims log, and the log's seq numbers, dense and in commit order across processes,
 * number the claims. The k-th claim takes item k; a claim past the last item means the
 * queue is empty. Each pop is one append and one read of the entries since this
 * stream's previous claim.
 */
import { randomBytes } from "node:crypto";
import { ErrorKind, VgiError } from "@vgi-ts/protocol";
import type { SharedStorage } from "./shared-storage.js";

const ITEMS = "vgi.queue.items";
const CLAIMS = "vgi.queue.claims";

/** Items as one log entry: u32 count, then u32 length + bytes per item (little endian). */
export function packItems(items: readonly Uint8Array[]): Uint8Array {
  const size = 4 + items.reduce((total, item) => total + 4 + item.byteLength, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, items.length, true);
  let at = 4;
  for (const item of items) {
    view.setUint32(at, item.byteLength, true);
    out.set(item, at + 4);
    at += 4 + item.byteLength;
  }
  return out;
}

export function unpackItems(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (): never => {
    throw new VgiError(ErrorKind.Internal, "work queue items are truncated");
  };
  if (bytes.byteLength < 4) fail();
  const count = view.getUint32(0, true);
  const items: Uint8Array[] = [];
  let at = 4;
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.byteLength) fail();
    const length = view.getUint32(at, true);
    if (at + 4 + length > bytes.byteLength) fail();
    items.push(bytes.slice(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return items;
}

export class WorkQueue {
  private items: Uint8Array[] | null = null;
  /** Claims before this seq were read already and were not ours. */
  private claimsSeen = 0;

  constructor(
    private readonly storage: SharedStorage,
    private readonly executionId: Uint8Array,
  ) {}

  /** Publish the execution's items (once, by the primary's init; may be empty). */
  async push(items: readonly Uint8Array[]): Promise<void> {
    if ((await this.storage.read(ITEMS, this.executionId, 0)).length > 0) {
      throw new VgiError(ErrorKind.Internal, "work queue items were already pushed");
    }
    await this.storage.append(ITEMS, this.executionId, packItems(items));
    this.items = items.map((item) => item.slice());
  }

  /** The next unclaimed item, or null once every item is taken. */
  async pop(): Promise<Uint8Array | null> {
    const items = await this.loadItems();
    if (this.claimsSeen >= items.length) return null;
    const token = randomBytes(12);
    await this.storage.append(CLAIMS, this.executionId, token);
    for (const entry of await this.storage.read(CLAIMS, this.executionId, this.claimsSeen)) {
      this.claimsSeen = entry.seq + 1;
      if (sameBytes(entry.data, token)) return entry.seq < items.length ? items[entry.seq]! : null;
    }
    throw new VgiError(ErrorKind.Internal, "work queue claim vanished from shared storage");
  }

  private async loadItems(): Promise<Uint8Array[]> {
    if (this.items !== null) return this.items;
    const entries = await this.storage.read(ITEMS, this.executionId, 0);
    if (entries.length === 0) {
      throw new VgiError(
        ErrorKind.Internal,
        "work queue is empty: the primary stream's init pushed no items " +
          "(do all worker processes share one storage? see VGI_WORKER_SHARED_STORAGE)",
      );
    }
    this.items = unpackItems(entries[0]!.data);
    return this.items;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
