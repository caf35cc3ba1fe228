/**
 * Pull-based reader of consecutive IPC streams from any chunk source (a pipe, a socket,
 * an HTTP body). Reads only as far as the caller asks, which the lockstep stream
 * protocol needs: the next input batch may not exist until we have answered this one.
 */
import type { RecordBatch, Schema } from "apache-arrow";
import { MalformedRequestError } from "../errors.js";
import { MessageFramer } from "./message-framer.js";
import { StreamDecoder, type StreamEvent } from "./stream-decoder.js";

export class IpcReader {
  private readonly framer = new MessageFramer();
  private readonly decoder = new StreamDecoder();
  private sourceDone = false;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  /** Next event, or `null` when the source ends cleanly between streams. */
  private async nextEvent(): Promise<StreamEvent | null> {
    for (;;) {
      const frame = this.framer.next();
      if (frame !== null) {
        const event = this.decoder.decode(frame);
        if (event !== null) return event;
        continue;
      }
      if (this.sourceDone) {
        if (this.framer.bufferedBytes === 0 && this.decoder.currentSchema === null) return null;
        throw new MalformedRequestError("Input ended in the middle of an Arrow IPC stream");
      }
      const chunk = await this.source.next();
      if (chunk.done === true) this.sourceDone = true;
      else this.framer.push(chunk.value);
    }
  }

  /** Start of the next stream; `null` at clean end of input. */
  async readSchema(): Promise<Schema | null> {
    const event = await this.nextEvent();
    if (event === null) return null;
    if (event.kind !== "schema")
      throw new MalformedRequestError("Expected an Arrow IPC schema message");
    return event.schema;
  }

  /** Next batch of the current stream; `null` at its EOS. */
  async readBatch(): Promise<RecordBatch | null> {
    const event = await this.nextEvent();
    if (event === null)
      throw new MalformedRequestError("Input ended before the Arrow IPC stream's EOS");
    if (event.kind === "schema")
      throw new MalformedRequestError("Unexpected Arrow IPC schema message");
    return event.kind === "batch" ? event.batch : null;
  }

  /** A whole stream: schema plus all batches up to EOS; `null` at clean end of input. */
  async readStream(): Promise<{ schema: Schema; batches: RecordBatch[] } | null> {
    const schema = await this.readSchema();
    if (schema === null) return null;
    const batches: RecordBatch[] = [];
    for (let batch = await this.readBatch(); batch !== null; batch = await this.readBatch()) {
      batches.push(batch);
    }
    return { schema, batches };
  }
}
