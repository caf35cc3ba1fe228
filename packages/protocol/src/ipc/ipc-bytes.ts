/**
 * Whole-stream helpers for IPC blobs that travel inside `binary` columns: nested
 * request/response structs, serialized schemas, argument batches
 * (WIRE_PROTOCOL.md §4 "Nested dataclass").
 */
import { RecordBatch, Schema, Struct, makeData, vectorFromArray } from "apache-arrow";
import { MalformedRequestError } from "../errors.js";
import { MessageFramer } from "./message-framer.js";
import { schemaKey } from "./schema-key.js";
import { StreamDecoder } from "./stream-decoder.js";
import { encodeStream } from "./stream-encoder.js";

export interface DecodedStream {
  readonly schema: Schema;
  readonly batches: RecordBatch[];
}

/** Decode one complete IPC stream held in memory. Trailing bytes are an error. */
export function decodeStream(bytes: Uint8Array, what = "IPC stream"): DecodedStream {
  const framer = new MessageFramer();
  const decoder = new StreamDecoder();
  framer.push(bytes);
  let schema: Schema | null = null;
  const batches: RecordBatch[] = [];
  for (;;) {
    const frame = framer.next();
    if (frame === null) {
      // A schema with no EOS is tolerated (Schema.serialize() output has no EOS).
      if (schema !== null && framer.bufferedBytes === 0) return { schema, batches };
      throw new MalformedRequestError(`${what} is truncated (${bytes.byteLength} bytes)`);
    }
    const event = decoder.decode(frame);
    if (event === null) continue;
    if (event.kind === "schema") schema = event.schema;
    else if (event.kind === "batch") batches.push(event.batch);
    else {
      if (framer.bufferedBytes !== 0) {
        throw new MalformedRequestError(`${what} has ${framer.bufferedBytes} bytes after its end`);
      }
      return { schema: schema!, batches };
    }
  }
}

/** The schema of a serialized schema or stream. */
export function decodeSchema(bytes: Uint8Array, what = "serialized schema"): Schema {
  return decodeStream(bytes, what).schema;
}

/**
 * Serialized schemas by structure. Catalog listings serialize an argument and an output
 * schema per function and a column schema per table, and most of them repeat (a 10,000
 * function catalog of one signature serializes two distinct schemas); building each
 * flatbuffer again was most of a listing's describe time. Bounded, cleared when full.
 */
const serializedSchemas = new Map<string, Uint8Array>();
const MAX_SERIALIZED_SCHEMAS = 4096;
/**
 * The same by Schema object: a Schema shared by many callers (the column schema of
 * thousands of tables declared alike) skips building its key again. Arrow-js schemas
 * are not modified after construction.
 */
const serializedBySchema = new WeakMap<Schema, Uint8Array>();

/**
 * Serialize a schema as a stream with no batches (schema message + EOS). The bytes may
 * be shared with other callers: do not modify them.
 */
export function encodeSchema(schema: Schema): Uint8Array {
  let bytes = serializedBySchema.get(schema);
  if (bytes !== undefined) return bytes;
  const key = schemaKey(schema);
  bytes = serializedSchemas.get(key);
  if (bytes === undefined) {
    bytes = encodeStream(schema, []);
    if (serializedSchemas.size >= MAX_SERIALIZED_SCHEMAS) serializedSchemas.clear();
    serializedSchemas.set(key, bytes);
  }
  serializedBySchema.set(schema, bytes);
  return bytes;
}

/** Serialize one batch as a complete stream. */
export function encodeBatch(batch: RecordBatch): Uint8Array {
  return encodeStream(batch.schema, [batch]);
}

/** Decode a stream that must contain exactly one batch. */
export function decodeSingleBatch(bytes: Uint8Array, what = "IPC batch"): RecordBatch {
  const { schema, batches } = decodeStream(bytes, what);
  if (batches.length !== 1) {
    if (batches.length === 0) return emptyBatch(schema);
    throw new MalformedRequestError(`${what} holds ${batches.length} batches, expected 1`);
  }
  return batches[0]!;
}

/** A batch with `length` rows and no columns on an empty schema, or 0 rows on `schema`. */
export function emptyBatch(
  schema: Schema = new Schema([]),
  metadata?: Map<string, string>,
  length = 0,
): RecordBatch {
  const children = schema.fields.map((field) => vectorFromArray([], field.type).data[0]!);
  const data = makeData({ type: new Struct(schema.fields), length, children, nullCount: 0 });
  return new RecordBatch(schema, data, metadata);
}
