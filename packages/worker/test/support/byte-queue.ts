/**
 * An in-memory pipe for in-process connections: a byte queue one side pushes to and the
 * other iterates, and a writer that feeds it in the shapes the transport contract allows.
 */
import { concatBytes } from "@vgi-ts/protocol";

/** An unbounded async queue of chunks: one side pushes, the other iterates. */
export class ByteQueue implements AsyncIterator<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private waiter: ((result: IteratorResult<Uint8Array>) => void) | null = null;
  private ended = false;

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error("push after end");
    if (this.waiter !== null) {
      const wake = this.waiter;
      this.waiter = null;
      wake({ done: false, value: chunk });
    } else this.chunks.push(chunk);
  }

  end(): void {
    this.ended = true;
    if (this.waiter !== null) {
      const wake = this.waiter;
      this.waiter = null;
      wake({ done: true, value: undefined });
    }
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.chunks.shift();
    if (chunk !== undefined) return Promise.resolve({ done: false, value: chunk });
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

/**
 * Write side of a connection, whichever shape the transport contract takes: one byte
 * array per logical message, or its parts.
 */
export function queueWriter(queue: ByteQueue): (data: Uint8Array | readonly Uint8Array[]) => void {
  return (data) => {
    // Copy: the parts may alias live Arrow buffers (the contract says write them now).
    queue.push(data instanceof Uint8Array ? data.slice() : concatBytes(data));
  };
}
