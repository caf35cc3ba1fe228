/**
 * Writes Arrow IPC streams. Record batch messages are assembled here directly: the
 * metadata flatbuffer is written by hand (`encodeRecordBatchMessage`) and the body is
 * the column buffers themselves, returned as a list of parts so a transport can hand
 * them to `writev` without concatenating. arrow-js's `VectorAssembler` decides which
 * buffers a column contributes, so every type it can write is supported.
 *
 * Streams whose schema holds dictionary-encoded fields go through arrow-js's
 * `RecordBatchStreamWriter`, which tracks which dictionaries were already sent.
 */
import { claimRoom } from "./spare-room.js";
import {
  AsyncByteQueue,
  Message,
  RecordBatchStreamWriter,
  Type,
  type Data,
  type RecordBatch,
  type Schema,
} from "apache-arrow";
import { compareSchemas, compareTypes } from "apache-arrow/visitor/typecomparator";
import { VectorAssembler } from "apache-arrow/visitor/vectorassembler";
import { EMPTY_BYTES, VARIABLE, flatLayout } from "./flat-layout.js";
import {
  encodeRecordBatchMessage,
  type BufferMeta,
  type FieldNodeMeta,
} from "./flatbuffer-message.js";

/** 0xFFFFFFFF continuation + zero metadata length (Arrow columnar spec, EOS). */
export const EOS_BYTES: Uint8Array = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/** Zeros for padding body buffers to 8 bytes; only ever read. */
const ZEROS = new Uint8Array(8);

class CollectingSink extends AsyncByteQueue<Uint8Array> {
  chunks: Uint8Array[] = [];

  override write(value: Uint8Array): void {
    this.chunks.push(value);
  }

  take(): Uint8Array[] {
    const { chunks } = this;
    this.chunks = [];
    return chunks;
  }
}

/** An encapsulated message (prefix + flatbuffer + padding) for non-batch messages. */
function encapsulate(message: Message): Uint8Array {
  const flatbuffer = Message.encode(message);
  const size = (flatbuffer.byteLength + 7) & ~7;
  const out = new Uint8Array(8 + size);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xffffffff, true);
  view.setInt32(4, size, true);
  out.set(flatbuffer, 8);
  return out;
}

const schemaMessages = new WeakMap<Schema, Uint8Array>();

/** The schema message, cached per Schema object (streams on one schema repeat it). */
export function encodeSchemaMessage(schema: Schema): Uint8Array {
  let bytes = schemaMessages.get(schema);
  if (bytes === undefined) {
    bytes = encapsulate(Message.from(schema));
    schemaMessages.set(schema, bytes);
  }
  return bytes;
}

function asBytes(view: ArrayBufferView): Uint8Array {
  return view instanceof Uint8Array
    ? view
    : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

interface Assembled {
  readonly nodes: FieldNodeMeta[];
  readonly bufferRegions: BufferMeta[];
  readonly buffers: ArrayBufferView[];
  readonly byteLength: number;
  readonly variadicBufferCounts: number[];
}

const NO_COUNTS: number[] = [];

/**
 * What VectorAssembler produces, for batches whose columns are all flat (see
 * flat-layout.ts) and unsliced; null otherwise. The buffers are the columns' own.
 */
function assembleFlat(columns: readonly Data[]): Assembled | null {
  const nodes: FieldNodeMeta[] = [];
  const bufferRegions: BufferMeta[] = [];
  const buffers: ArrayBufferView[] = [];
  let byteLength = 0;
  const add = (buffer: ArrayBufferView): void => {
    const size = buffer.byteLength;
    buffers.push(buffer);
    bufferRegions.push({ offset: byteLength, length: size });
    byteLength += (size + 7) & ~7;
  };
  for (const data of columns) {
    const layout = flatLayout(data.type);
    const { length, nullCount } = data;
    if (layout === 0 || data.offset !== 0) return null;
    const bitmapBytes = (length + 7) >> 3;
    nodes.push({ length, nullCount });
    if (nullCount > 0) {
      const bitmap = data.nullBitmap;
      if (bitmap === undefined || bitmap.byteLength < bitmapBytes) return null;
      add(bitmap.subarray(0, bitmapBytes));
    } else {
      add(EMPTY_BYTES);
    }
    const values = data.values as ArrayBufferView & {
      subarray(begin: number, end: number): ArrayBufferView;
    };
    if (layout === VARIABLE) {
      const offsets = data.valueOffsets as Int32Array;
      if (offsets.length < length + 1) return null;
      const begin = offsets[0]!;
      const end = offsets[length]!;
      add(begin === 0 ? offsets.subarray(0, length + 1) : offsets.map((o) => o - begin));
      add(values.subarray(begin, end));
    } else if (data.typeId === Type.Bool) {
      if (values.byteLength < bitmapBytes) return null;
      add(values.subarray(0, bitmapBytes));
    } else {
      add(values.subarray(0, length * data.stride));
    }
  }
  return { nodes, bufferRegions, buffers, byteLength, variadicBufferCounts: NO_COUNTS };
}

/** Append one record batch message (metadata, then padded body buffers) to `out`. */
export function encodeRecordBatchParts(batch: RecordBatch, out: Uint8Array[]): void {
  const assembled: Assembled = assembleFlat(batch.data.children) ?? VectorAssembler.assemble(batch);
  const { buffers } = assembled;
  out.push(
    encodeRecordBatchMessage(
      batch.numRows,
      assembled.nodes,
      assembled.bufferRegions,
      assembled.byteLength,
      batch.metadata,
      assembled.variadicBufferCounts,
    ),
  );
  for (let i = 0; i < buffers.length; i++) {
    const buffer = buffers[i]!;
    const size = buffer.byteLength;
    if (size === 0) continue;
    out.push(asBytes(buffer));
    // Both assemblers advance each region's offset by its size rounded up to 8.
    const padding = ((size + 7) & ~7) - size;
    if (padding > 0) out.push(ZEROS.subarray(0, padding));
  }
}

/**
 * One outgoing IPC stream. `start` emits the schema message, `write` one record batch
 * (and any dictionaries it needs), `end` the EOS marker. Each call returns the bytes it
 * produced; nothing is buffered between calls. The `*Parts` variants return the same
 * bytes as a list of buffers, for vectored writes.
 */
export class StreamEncoder {
  private started = false;
  /** arrow-js writer for dictionary-bearing schemas; null on the direct path. */
  private readonly writer: RecordBatchStreamWriter | null;
  private readonly sink: CollectingSink | null;

  constructor(readonly schema: Schema) {
    if (schema.dictionaries.size > 0) {
      this.writer = new RecordBatchStreamWriter({ autoDestroy: false });
      this.sink = new CollectingSink();
    } else {
      this.writer = null;
      this.sink = null;
    }
  }

  /** The schema message. Called implicitly by the first `write` or `end`. */
  start(): Uint8Array {
    return concatBytes(this.startParts());
  }

  startParts(): Uint8Array[] {
    if (this.started) throw new Error("IPC stream already started");
    this.started = true;
    if (this.writer !== null) {
      this.writer.reset(this.sink!, this.schema);
      return this.sink!.take();
    }
    return [encodeSchemaMessage(this.schema)];
  }

  write(batch: RecordBatch): Uint8Array {
    return concatBytes(this.writeParts(batch));
  }

  writeParts(batch: RecordBatch, out: Uint8Array[] = []): Uint8Array[] {
    if (batch.schema !== this.schema) checkWireCompatible(batch.schema, this.schema);
    if (this.writer !== null) {
      if (!this.started) {
        this.started = true;
        this.writer.reset(this.sink!, this.schema); // the schema message stays in the sink
      }
      this.writer.write(batch);
      out.push(...this.sink!.take());
      return out;
    }
    if (this.started) {
      encodeRecordBatchParts(batch, out);
      return out;
    }
    // Encode before starting: if the batch cannot be encoded, the schema message must
    // still go out with whatever the caller writes next (an error batch).
    const parts: Uint8Array[] = [];
    encodeRecordBatchParts(batch, parts);
    out.push(...this.startParts(), ...parts);
    return out;
  }

  end(): Uint8Array {
    return concatBytes(this.endParts());
  }

  endParts(out: Uint8Array[] = []): Uint8Array[] {
    if (!this.started) out.push(...this.startParts());
    else if (this.writer !== null) out.push(...this.sink!.take());
    out.push(EOS_BYTES);
    return out;
  }
}

/**
 * A batch whose schema is not the stream's own object must at least have the same column
 * types, or its body would be read as something else (names and nullability live only in
 * the schema message, so they may differ).
 */
function checkWireCompatible(batchSchema: Schema, streamSchema: Schema): void {
  const a = batchSchema.fields;
  const b = streamSchema.fields;
  if (compareSchemas(batchSchema, streamSchema)) return;
  if (a.length === b.length && a.every((field, i) => compareTypes(field.type, b[i]!.type))) return;
  throw new Error(
    `IPC stream encoder: a record batch with columns (${a.map(String).join(", ")}) ` +
      `does not fit the stream's schema (${b.map(String).join(", ")})`,
  );
}

/** A complete stream (schema, batches, EOS) as one byte array. */
export function encodeStream(schema: Schema, batches: readonly RecordBatch[]): Uint8Array {
  return concatBytes(encodeStreamParts(schema, batches));
}

/** A complete stream (schema, batches, EOS) as a list of buffers. */
export function encodeStreamParts(schema: Schema, batches: readonly RecordBatch[]): Uint8Array[] {
  const encoder = new StreamEncoder(schema);
  const parts = encoder.startParts();
  for (const batch of batches) encoder.writeParts(batch, parts);
  return encoder.endParts(parts);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let size = 0;
  let largest = 0;
  for (let i = 0; i < parts.length; i++) {
    size += parts[i]!.byteLength;
    if (parts[i]!.byteLength > parts[largest]!.byteLength) largest = i;
  }
  const inPlace = concatInRoom(parts, largest, size);
  if (inPlace !== null) return inPlace;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** Below this, a copy costs less than looking for room. */
const IN_PLACE_FROM = 1 << 20;

/**
 * The concatenation written around its largest part, when that part is the filled span
 * of a buffer that left room for the rest (a listing's items; see spare-room.ts).
 */
function concatInRoom(
  parts: readonly Uint8Array[],
  largest: number,
  size: number,
): Uint8Array | null {
  const span = parts[largest]!;
  if (span.byteLength < IN_PLACE_FROM) return null;
  let before = 0;
  for (let i = 0; i < largest; i++) before += parts[i]!.byteLength;
  const after = size - before - span.byteLength;
  if (!claimRoom(span, before, after)) return null;
  const out = new Uint8Array(span.buffer, span.byteOffset - before, size);
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i !== largest) out.set(parts[i]!, offset);
    offset += parts[i]!.byteLength;
  }
  return out;
}
