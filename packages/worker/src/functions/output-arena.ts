/**
 * Memory for output columns that the framework takes back once a batch has been written.
 *
 * A producer that makes a fresh multi-megabyte typed array per batch pays for it twice:
 * the kernel faults in and zeroes new pages on first touch, and the old arrays live
 * off-heap until a garbage collection notices them, so the process's RSS climbs by tens
 * of megabytes during a long scan. `ctx.allocate` hands out zeroed arrays like `new
 * BigInt64Array(n)`; when the transport reports that a turn's output has been written
 * (`StreamCall.written`: its bytes are in the pipe or copied), the memory of that turn
 * goes back to a free list and the next turn's `allocate` of the same size reuses it.
 *
 * A driver that never reports writes (an in-process test keeping every batch) simply
 * gets fresh arrays every time, so no batch it holds is ever overwritten. Only the last
 * turn's memory is kept: the pool never holds more than one turn's output.
 */

/** A typed array constructor (`Int32Array`, `BigInt64Array`, `Float64Array`, ...). */
export interface TypedArrayType<T extends ArrayBufferView> {
  new (length: number): T;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** `allocate` where nothing is recycled: a fresh zeroed array. */
export function freshArray<T extends ArrayBufferView>(type: TypedArrayType<T>, length: number): T {
  return new type(length);
}

export class OutputArena {
  /** Buffers free for reuse, by byte length. */
  private free = new Map<number, ArrayBuffer[]>();
  /** Buffers handed out since the last `recycle`. */
  private lent: ArrayBuffer[] = [];

  /** A zeroed array of `length` elements, valid until its batch has been written. */
  allocate<T extends ArrayBufferView>(type: TypedArrayType<T>, length: number): T {
    const bytes = length * type.BYTES_PER_ELEMENT;
    const buffer = this.free.get(bytes)?.pop();
    if (buffer === undefined) {
      const array = new type(length);
      this.lent.push(array.buffer as ArrayBuffer);
      return array;
    }
    new Uint8Array(buffer).fill(0);
    this.lent.push(buffer);
    return new type(buffer, 0, length);
  }

  /**
   * Everything lent since the last call has been written: it becomes the free list
   * (memory left over from earlier turns is dropped, so the pool stays one turn deep).
   */
  recycle(): void {
    const free = new Map<number, ArrayBuffer[]>();
    for (const buffer of this.lent) {
      const list = free.get(buffer.byteLength);
      if (list === undefined) free.set(buffer.byteLength, [buffer]);
      else list.push(buffer);
    }
    this.free = free;
    this.lent = [];
  }
}
