/**
 * Writes Arrow IPC streams as byte chunks. arrow-js's `RecordBatchStreamWriter` does the
 * message assembly (including dictionaries and per-batch custom metadata); we give it a
 * sink that hands chunks back synchronously so a transport can flush one logical batch
 * with a single write, instead of going through arrow-js's async byte queue.
 */
import { AsyncByteQueue, RecordBatch, RecordBatchStreamWriter, type Schema } from "apache-arrow";

/** 0xFFFFFFFF continuation + zero metadata length (Arrow columnar spec, EOS). */
export const EOS_BYTES: Uint8Array = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

class CollectingSink extends AsyncByteQueue<Uint8Array> {
  chunks: Uint8Array[] = [];
  size = 0;

  override write(value: Uint8Array): void {
    this.chunks.push(value);
    this.size += value.byteLength;
  }

  drain(): Uint8Array {
    const { chunks, size } = this;
    this.chunks = [];
    this.size = 0;
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }
}

/**
 * One outgoing IPC stream. `start` emits the schema message, `write` one record batch
 * (and any dictionaries it needs), `end` the EOS marker. Each call returns the bytes it
 * produced; nothing is buffered between calls.
 */
export class StreamEncoder {
  private readonly sink = new CollectingSink();
  private readonly writer = new RecordBatchStreamWriter({ autoDestroy: false });
  private started = false;

  constructor(readonly schema: Schema) {}

  /** The schema message. Called implicitly by the first `write` or `end`. */
  start(): Uint8Array {
    if (this.started) throw new Error("IPC stream already started");
    this.writer.reset(this.sink, this.schema);
    this.started = true;
    return this.sink.drain();
  }

  write(batch: RecordBatch): Uint8Array {
    const head = this.started ? null : this.start();
    this.writer.write(batch);
    const bytes = this.sink.drain();
    return head === null ? bytes : concatBytes([head, bytes]);
  }

  end(): Uint8Array {
    const head = this.started ? null : this.start();
    return head === null ? EOS_BYTES : concatBytes([head, EOS_BYTES]);
  }
}

/** A complete stream (schema, batches, EOS) as one byte array. */
export function encodeStream(schema: Schema, batches: readonly RecordBatch[]): Uint8Array {
  const encoder = new StreamEncoder(schema);
  const parts = [encoder.start()];
  for (const batch of batches) parts.push(encoder.write(batch));
  parts.push(encoder.end());
  return concatBytes(parts);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const part of parts) size += part.byteLength;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
