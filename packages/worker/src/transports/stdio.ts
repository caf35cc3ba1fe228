/**
 * The subprocess transport: DuckDB spawns the worker through `sh -c` and speaks Arrow
 * IPC on its stdin/stdout; stderr is free for diagnostics (the extension drains it and
 * attaches it to errors). This adapter only moves bytes.
 *
 * Input is read straight from fd 0 into large slabs (no stream machinery, no buffer per
 * read): asynchronously through libuv's thread pool while the worker is idle, and with
 * a blocking read while an exchange waits for its next input batch — in lockstep that
 * batch is on its way, and a blocking read costs a fraction of an event-loop turn. If
 * fd 0 turns out to be non-blocking (EAGAIN), input falls back to `process.stdin`.
 * Output: one synchronous vectored write per logical batch, straight from the Arrow
 * buffers, on a blocking description of the stdout pipe (`blockingPipeFd`).
 *
 * While an exchange is blocked reading, timers and other event-loop work of user code
 * wait for the next input batch (or for stdin to close). `VGI_STDIO_BLOCKING_READS=0`
 * turns blocking reads off.
 *
 * `VGI_STDIO_RECYCLE_INPUT=1` (opt-in) reuses the memory of input slabs that held only
 * exchange input batches, once everything in them has been answered. That changes a
 * contract: a column of an exchange's input batch is then valid until the end of the
 * turn only (its buffers are detached — empty — when the slab is reused), so functions
 * must copy what they keep. It saves a fresh allocation per batch and keeps the worker's
 * RSS well below what garbage collection of those buffers otherwise lets it reach.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  read,
  readSync,
  writeSync,
  writevSync,
} from "node:fs";
import { IpcReader, type ChunkSource } from "@vgi-ts/protocol";
import { PipeConnection, type ConnectionHooks } from "../rpc/pipe-connection.js";
import type { Router } from "../rpc/router.js";

export interface StdioOptions extends ConnectionHooks {
  readonly serverId: string;
  /** Blocking reads between the batches of an exchange (default: on, unless
   * `VGI_STDIO_BLOCKING_READS=0`). */
  readonly blockingReads?: boolean;
  /** Reuse input slab memory between exchange batches (default: off, unless
   * `VGI_STDIO_RECYCLE_INPUT=1`); see the module comment for the contract. */
  readonly recycleInput?: boolean;
}

/** Serve stdin/stdout until stdin closes. */
export async function serveStdio(router: Router, options: StdioOptions): Promise<void> {
  // stdout carries protocol bytes only: anything user code prints goes to stderr.
  console.log = console.error;
  console.info = console.error;
  const blocking = options.blockingReads ?? process.env.VGI_STDIO_BLOCKING_READS !== "0";
  const recycle = options.recycleInput ?? process.env.VGI_STDIO_RECYCLE_INPUT === "1";
  const reader = new IpcReader(new FdSource(0, blocking, recycle));
  const out = blockingPipeFd(1);
  const write = (parts: readonly Uint8Array[]): void => writeParts(parts, out);
  const connection = new PipeConnection(router, reader, write, options.serverId, options);
  try {
    await connection.serve();
  } finally {
    if (out !== 1) closeSync(out);
  }
}

/** Reads land in slabs this large; a new slab starts when less than MIN_READ is left. */
const SLAB_BYTES = 1024 * 1024;
const MIN_READ = 64 * 1024;

/**
 * Reads a file descriptor into slabs. Decoded batches view the bytes in place, and user
 * code may keep them, so a slab is not reused (unless recycling is on). Consecutive
 * reads are contiguous in a slab, so the framer can join a message split across reads
 * without copying.
 */
export class FdSource implements ChunkSource {
  private slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  private used = 0;
  private pending = false;
  private fallback: StreamSource | null = null;
  /**
   * Recycling: whether the current slab holds only bytes read by `readBlocking` (exchange
   * input batches). Anything read otherwise (requests, whose decoded parameters a call
   * may keep for its whole life) makes the slab ineligible.
   */
  private exchangeOnly = true;

  constructor(
    private readonly fd: number,
    private readonly blocking: boolean,
    private readonly recycle = false,
  ) {}

  private room(): number {
    if (this.slab.byteLength - this.used < MIN_READ) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.used = 0;
      this.exchangeOnly = true;
    }
    return this.slab.byteLength - this.used;
  }

  /**
   * Start the exhausted slab over when every byte read into it has been consumed and it
   * held exchange input only: its memory moves to a new ArrayBuffer (no copy) and every
   * old view of it is detached, so a column kept past its turn reads as empty rather
   * than as another batch's data.
   */
  private recycleSlab(midMessage: boolean): void {
    // Mid-message, the reader holds views of this slab: the message's bytes so far, or
    // its decoded metadata (even when no byte of the body has arrived yet).
    if (!this.recycle || !this.exchangeOnly || midMessage) return;
    if (this.slab.byteLength - this.used >= MIN_READ) return;
    const memory = structuredClone(this.slab.buffer, { transfer: [this.slab.buffer] });
    this.slab = Buffer.from(memory);
    this.used = 0;
  }

  private take(bytes: number): Uint8Array | null {
    if (bytes === 0) return null;
    const chunk = this.slab.subarray(this.used, this.used + bytes);
    this.used += bytes;
    return chunk;
  }

  readBlocking(midMessage: boolean): Uint8Array | null | undefined {
    if (!this.blocking || this.pending || this.fallback !== null) return undefined;
    this.recycleSlab(midMessage);
    const room = this.room();
    for (;;) {
      try {
        return this.take(readSync(this.fd, this.slab, this.used, room, null));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EINTR") continue;
        if (code === "EAGAIN") {
          this.fallback = new StreamSource();
          return undefined;
        }
        if (code === "EOF") return null;
        throw error;
      }
    }
  }

  read(): Promise<Uint8Array | null> {
    if (this.fallback !== null) return this.fallback.read();
    const room = this.room();
    this.exchangeOnly = false;
    this.pending = true;
    return new Promise((resolve, reject) => {
      read(this.fd, this.slab, this.used, room, null, (error, bytes) => {
        this.pending = false;
        if (error === null) resolve(this.take(bytes));
        else if (error.code === "EAGAIN" || error.code === "EINTR") {
          if (error.code === "EAGAIN") this.fallback = new StreamSource();
          this.read().then(resolve, reject);
        } else if (error.code === "EOF") resolve(null);
        else reject(error);
      });
    });
  }
}

/** `process.stdin` as a chunk source, for a non-blocking fd 0. */
class StreamSource {
  private readonly chunks: Uint8Array[] = [];
  private ended = false;
  private failure: unknown = undefined;
  private wake: (() => void) | null = null;

  constructor() {
    const stdin = process.stdin;
    const notify = (): void => {
      const wake = this.wake;
      this.wake = null;
      wake?.();
    };
    stdin.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      if (this.chunks.length > 64) stdin.pause();
      notify();
    });
    stdin.on("end", () => {
      this.ended = true;
      notify();
    });
    stdin.on("error", (error) => {
      this.failure = error;
      this.ended = true;
      notify();
    });
  }

  async read(): Promise<Uint8Array | null> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        if (this.chunks.length === 0) process.stdin.resume();
        return chunk;
      }
      if (this.ended) {
        if (this.failure !== undefined) throw this.failure;
        return null;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }
}

/**
 * A blocking file descriptor for the pipe at `fd`, or `fd` itself when it is not a pipe.
 *
 * Node leaves stdout non-blocking when it is a pipe, so a write into a full pipe fails
 * with EAGAIN and has to poll; a sleep of even one millisecond per full pipe (64 KiB)
 * caps the output near 64 MB/s, and a listing or a scan sends hundreds of megabytes.
 * O_NONBLOCK belongs to the open file description, so opening the pipe again through
 * /proc gives a description of the same pipe on which write(2) sleeps in the kernel
 * until DuckDB has read, and wakes the moment it has.
 */
export function blockingPipeFd(fd: number): number {
  try {
    if (!fstatSync(fd).isFIFO()) return fd;
    return openSync(`/proc/self/fd/${fd}`, constants.O_WRONLY);
  } catch {
    return fd; // no /proc (not Linux) or not reopenable: poll on EAGAIN instead
  }
}

/** Past this many parts, writev is split (IOV_MAX is 1024 on Linux). */
const MAX_PARTS_PER_WRITE = 512;

/**
 * Synchronous, complete writes: one logical batch per call and no interleaving with
 * anything else. A write can be partial, and on a non-blocking fd a full pipe throws
 * EAGAIN: continue from where it stopped once the reader has caught up.
 */
export function writeParts(parts: readonly Uint8Array[], fd = 1): void {
  let index = 0;
  let skip = 0; // bytes of parts[index] already written
  while (index < parts.length) {
    if (parts[index]!.byteLength === skip) {
      index++;
      skip = 0;
      continue;
    }
    let written: number;
    try {
      if (index === parts.length - 1 || skip !== 0) {
        const part = parts[index]!;
        written = writeSync(fd, part, skip, part.byteLength - skip);
      } else {
        written = writevSync(fd, parts.slice(index, index + MAX_PARTS_PER_WRITE) as Uint8Array[]);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EINTR") continue;
      if (code !== "EAGAIN") throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      continue;
    }
    // Advance over what was written, possibly several parts and part of one more.
    written += skip;
    while (index < parts.length && written >= parts[index]!.byteLength) {
      written -= parts[index]!.byteLength;
      index++;
    }
    skip = written;
  }
}
