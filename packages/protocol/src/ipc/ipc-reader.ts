/**
 * Reader of consecutive IPC streams from a byte source (a pipe, a socket, an HTTP body).
 * Reads only as far as the caller asks, which the lockstep stream protocol needs: the
 * next input batch may not exist until we have answered this one.
 *
 * Three ways to feed it: an async iterator of chunks (read on demand); a `ChunkSource`
 * (read on demand, optionally with blocking reads); or push (the transport calls `push`
 * from its 'data' handler and `end` at EOF). A batch that is already buffered is
 * available synchronously through `pollBatch`, and with a source that can block,
 * `pollBatch(true)` waits for the next one without going through the event loop, so a
 * lockstep exchange costs no promise and no event-loop turn per batch.
 */
import type { RecordBatch, Schema } from "apache-arrow";
import { MalformedRequestError } from "../errors.js";
import { MessageFramer } from "./message-framer.js";
import { StreamDecoder, type StreamEvent } from "./stream-decoder.js";

/** Lets a push-mode reader stop and restart its source when too much is buffered. */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/** A byte source read on demand. */
export interface ChunkSource {
  /** The next chunk once one arrives; `null` at the end of input. */
  read(): Promise<Uint8Array | null>;
  /**
   * Block the thread until the next chunk arrives (`null` at the end of input), or
   * return `undefined` when this source cannot block (then `read` is used). Only called
   * from `pollBatch(true)`, never while a `read` is pending. `midMessage`: the reader
   * still holds part of a message (undecoded bytes, or decoded metadata awaiting its
   * body), as views of chunks returned earlier; when false, every chunk returned so far
   * is consumed.
   */
  readBlocking?(midMessage: boolean): Uint8Array | null | undefined;
}

function isChunkSource(source: object): source is ChunkSource {
  return typeof (source as ChunkSource).read === "function";
}

/** Buffered input past which a push source is paused until the reader catches up. */
const PAUSE_ABOVE_BYTES = 64 * 1024 * 1024;

export class IpcReader {
  private readonly framer = new MessageFramer();
  private readonly decoder = new StreamDecoder();
  private sourceDone = false;
  private sourceError: unknown = undefined;
  /** Push mode: wakes a reader waiting for bytes. */
  private wake: (() => void) | null = null;
  private paused = false;

  private readonly iterator: AsyncIterator<Uint8Array> | null = null;
  private readonly chunks: ChunkSource | null = null;

  /**
   * @param source chunks are read from it on demand. Omit it (null) for push mode.
   * @param flow push mode: called to pause and resume the source on large backlogs.
   */
  constructor(
    source: AsyncIterator<Uint8Array> | ChunkSource | null = null,
    private readonly flow: FlowControl | null = null,
  ) {
    if (source !== null) {
      if (isChunkSource(source)) this.chunks = source;
      else this.iterator = source;
    }
  }

  /** Push mode: bytes arrived. */
  push(chunk: Uint8Array): void {
    this.framer.push(chunk);
    if (this.flow !== null && !this.paused && this.framer.bufferedBytes > PAUSE_ABOVE_BYTES) {
      this.paused = true;
      this.flow.pause();
    }
    this.notify();
  }

  /** Push mode: the source ended (cleanly, or with `error`). */
  end(error?: unknown): void {
    this.sourceDone = true;
    if (error !== undefined) this.sourceError = error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    if (wake !== null) {
      this.wake = null;
      wake();
    }
  }

  /**
   * The next event if the buffered bytes hold one: an event, `null` when the source
   * ended cleanly between streams, `undefined` when more bytes are needed.
   */
  private pollEvent(): StreamEvent | null | undefined {
    for (;;) {
      const frame = this.framer.next();
      if (frame !== null) {
        const event = this.decoder.decode(frame);
        if (event !== null) return event;
        continue;
      }
      if (!this.sourceDone) return undefined;
      if (this.framer.bufferedBytes === 0 && this.decoder.currentSchema === null) {
        if (this.sourceError !== undefined) throw this.sourceError;
        return null;
      }
      throw new MalformedRequestError("Input ended in the middle of an Arrow IPC stream", {
        cause: this.sourceError,
      });
    }
  }

  /** Next event, or `null` when the source ends cleanly between streams. */
  private async nextEvent(): Promise<StreamEvent | null> {
    for (;;) {
      const event = this.pollEvent();
      if (event !== undefined) return event;
      await this.more();
    }
  }

  private async more(): Promise<void> {
    if (this.chunks !== null) {
      this.accept(await this.chunks.read());
      return;
    }
    if (this.iterator !== null) {
      const chunk = await this.iterator.next();
      if (chunk.done === true) this.sourceDone = true;
      else this.framer.push(chunk.value);
      return;
    }
    if (this.paused) {
      this.paused = false;
      this.flow!.resume();
    }
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  /** Start of the next stream; `null` at clean end of input. */
  async readSchema(): Promise<Schema | null> {
    return schemaOf(await this.nextEvent());
  }

  /** Next batch of the current stream; `null` at its EOS. */
  async readBatch(): Promise<RecordBatch | null> {
    return batchOf(await this.nextEvent());
  }

  private accept(chunk: Uint8Array | null): void {
    if (chunk === null) this.sourceDone = true;
    else this.framer.push(chunk);
  }

  /**
   * The next batch of the current stream if its bytes are already buffered: the batch,
   * `null` at the stream's EOS, or `undefined` when more bytes are needed (then call
   * `readBatch`). With `block`, a source that supports blocking reads is read until the
   * batch is complete. Throws what `readBatch` would.
   */
  pollBatch(block = false): RecordBatch | null | undefined {
    for (;;) {
      const event = this.pollEvent();
      if (event !== undefined) return batchOf(event);
      const chunk = block ? this.chunks?.readBlocking?.(this.framer.midMessage) : undefined;
      if (chunk === undefined) return undefined;
      this.accept(chunk);
    }
  }

  /** A whole stream: schema plus all batches up to EOS; `null` at clean end of input. */
  async readStream(): Promise<{ schema: Schema; batches: RecordBatch[] } | null> {
    const schema = await this.readSchema();
    if (schema === null) return null;
    const batches: RecordBatch[] = [];
    for (;;) {
      let batch = this.pollBatch();
      if (batch === undefined) batch = await this.readBatch();
      if (batch === null) return { schema, batches };
      batches.push(batch);
    }
  }
}

function schemaOf(event: StreamEvent | null): Schema | null {
  if (event === null) return null;
  if (event.kind !== "schema")
    throw new MalformedRequestError("Expected an Arrow IPC schema message");
  return event.schema;
}

function batchOf(event: StreamEvent | null): RecordBatch | null {
  if (event === null)
    throw new MalformedRequestError("Input ended before the Arrow IPC stream's EOS");
  if (event.kind === "schema")
    throw new MalformedRequestError("Unexpected Arrow IPC schema message");
  return event.kind === "batch" ? event.batch : null;
}
