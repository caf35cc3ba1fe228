/**
 * Dense slots for aggregate group ids. The extension numbers groups with a counter from
 * 0, so almost every id is a small non-negative integer: those are looked up in a plain
 * Int32Array directory (id → slot), read through an Int32Array view of the id column —
 * no BigInt and no hashing per row. Ids beyond the directory (negative, or above
 * `DIRECT_LIMIT`) take a Map.
 */

/** Ids below this go through the directory (4 bytes each, grown on demand). */
const DIRECT_LIMIT = 1 << 24;

export class GroupSlots {
  private directory: Int32Array = new Int32Array(0);
  private readonly large = new Map<bigint, number>();
  private idsBySlot: BigInt64Array = new BigInt64Array(64);
  private count = 0;

  /** Number of groups that have a slot. */
  get size(): number {
    return this.count;
  }

  /** The group id of each slot, `0..size-1` (a view: valid until the next `assign`). */
  get ids(): BigInt64Array {
    return this.idsBySlot.subarray(0, this.count);
  }

  /** The slot of each row's group, giving unseen groups the next free slots. */
  assign(groupIds: BigInt64Array): Int32Array {
    const n = groupIds.length;
    const words = new Int32Array(groupIds.buffer, groupIds.byteOffset, n * 2);
    const out = new Int32Array(n);
    let directory = this.directory;
    for (let i = 0; i < n; i++) {
      const lo = words[2 * i]!;
      const hi = words[2 * i + 1]!;
      if (hi === 0 && lo >= 0 && lo < DIRECT_LIMIT) {
        if (lo >= directory.length) directory = this.grow(lo);
        let slot = directory[lo]! - 1;
        if (slot < 0) {
          slot = this.add(BigInt(lo));
          directory[lo] = slot + 1;
        }
        out[i] = slot;
      } else {
        const id = groupIds[i]!;
        let slot = this.large.get(id);
        if (slot === undefined) {
          slot = this.add(id);
          this.large.set(id, slot);
        }
        out[i] = slot;
      }
    }
    return out;
  }

  /** The slot of one group, or -1 when it has none. */
  slotOf(id: bigint): number {
    if (id >= 0n && id < BigInt(DIRECT_LIMIT)) {
      const index = Number(id);
      return index < this.directory.length ? this.directory[index]! - 1 : -1;
    }
    return this.large.get(id) ?? -1;
  }

  /** The slot of each id, or -1 for ids without one (nothing is added). */
  lookup(groupIds: BigInt64Array): Int32Array {
    const out = new Int32Array(groupIds.length);
    for (let i = 0; i < groupIds.length; i++) out[i] = this.slotOf(groupIds[i]!);
    return out;
  }

  private add(id: bigint): number {
    if (this.count === this.idsBySlot.length) {
      const grown = new BigInt64Array(this.idsBySlot.length * 2);
      grown.set(this.idsBySlot);
      this.idsBySlot = grown;
    }
    this.idsBySlot[this.count] = id;
    return this.count++;
  }

  /** Directory entries hold slot + 1, so a fresh (zeroed) entry means "no slot". */
  private grow(index: number): Int32Array {
    let length = Math.max(1024, this.directory.length);
    while (length <= index) length *= 2;
    const grown = new Int32Array(Math.min(length, DIRECT_LIMIT));
    grown.set(this.directory);
    this.directory = grown;
    return grown;
  }
}
