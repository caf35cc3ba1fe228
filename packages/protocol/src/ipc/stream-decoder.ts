/**
 * Turns frames into Arrow objects for one IPC stream at a time: a Schema message
 * starts a stream, DictionaryBatch messages update its dictionaries, RecordBatch
 * messages become `RecordBatch`es carrying the message's custom metadata (where
 * vgi-rpc puts every per-batch key), and EOS ends it.
 */
import {
  MessageHeader,
  RecordBatch,
  Schema,
  Struct,
  Vector,
  makeData,
  type Message,
} from "apache-arrow";
import { VectorLoader } from "apache-arrow/visitor/vectorloader";
import type { Data, DataType } from "apache-arrow";
import { MalformedRequestError } from "../errors.js";
import type { Frame } from "./message-framer.js";

export type StreamEvent =
  | { readonly kind: "schema"; readonly schema: Schema }
  | { readonly kind: "batch"; readonly batch: RecordBatch }
  | { readonly kind: "eos" };

interface RecordBatchHeader {
  length: number | bigint;
  nodes: unknown[];
  buffers: unknown[];
  compression: unknown;
  variadicBufferCounts?: unknown;
}

export class StreamDecoder {
  private schema: Schema | null = null;
  private dictionaries = new Map<number, Vector>();

  get currentSchema(): Schema | null {
    return this.schema;
  }

  /** Decode one frame; dictionary batches are absorbed and yield `null`. */
  decode(frame: Frame): StreamEvent | null {
    if (frame.kind === "eos") {
      if (this.schema === null)
        throw new MalformedRequestError("Arrow IPC stream ended before its schema");
      this.schema = null;
      this.dictionaries = new Map();
      return { kind: "eos" };
    }
    const { message, body } = frame;
    try {
      switch (message.headerType) {
        case MessageHeader.Schema: {
          if (this.schema !== null) {
            throw new MalformedRequestError("Arrow IPC schema message arrived inside a stream");
          }
          this.schema = message.header() as Schema;
          return { kind: "schema", schema: this.schema };
        }
        case MessageHeader.DictionaryBatch:
          this.loadDictionary(message, body);
          return null;
        case MessageHeader.RecordBatch:
          return { kind: "batch", batch: this.loadRecordBatch(message, body) };
        default:
          throw new MalformedRequestError(
            `Unsupported Arrow IPC message type ${message.headerType}`,
          );
      }
    } catch (error) {
      if (error instanceof MalformedRequestError) throw error;
      throw new MalformedRequestError(
        `Arrow IPC message could not be decoded: ${describe(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  private requireSchema(): Schema {
    if (this.schema === null) {
      throw new MalformedRequestError("Arrow IPC batch arrived before its schema message");
    }
    return this.schema;
  }

  private loadRecordBatch(message: Message, body: Uint8Array): RecordBatch {
    const schema = this.requireSchema();
    const header = message.header() as unknown as RecordBatchHeader;
    if (header.compression != null) {
      throw new MalformedRequestError(
        "Compressed Arrow IPC bodies are not supported on this transport",
      );
    }
    const length = Number(header.length);
    const children = this.loadVectors(
      header,
      body,
      schema.fields.map((f) => f.type),
    );
    const data = makeData({ type: new Struct(schema.fields), length, children, nullCount: 0 });
    return new RecordBatch(schema, data, message.metadata);
  }

  private loadDictionary(message: Message, body: Uint8Array): void {
    const schema = this.requireSchema();
    const header = message.header() as unknown as {
      id: number;
      isDelta: boolean;
      data: RecordBatchHeader;
    };
    const type = schema.dictionaries.get(header.id);
    if (type === undefined) {
      throw new MalformedRequestError(`Arrow IPC dictionary batch for unknown id ${header.id}`);
    }
    const data = this.loadVectors(header.data, body, [type]);
    const previous = this.dictionaries.get(header.id);
    const vector = new Vector(data);
    this.dictionaries.set(
      header.id,
      (header.isDelta && previous !== undefined ? previous.concat(vector) : vector).memoize(),
    );
  }

  private loadVectors(header: RecordBatchHeader, body: Uint8Array, types: DataType[]): Data[] {
    const schema = this.requireSchema();
    // VectorLoader slices buffers with subarray, which silently clamps: a region past
    // the body would decode as short columns (undefined values) instead of failing.
    for (const region of header.buffers as { offset: number; length: number }[]) {
      if (
        region.offset < 0 ||
        region.length < 0 ||
        region.offset + region.length > body.byteLength
      ) {
        throw new MalformedRequestError(
          `Arrow IPC buffer [${region.offset}, +${region.length}) lies outside the ${body.byteLength}-byte body`,
        );
      }
    }
    const loader = new VectorLoader(
      body,
      header.nodes as never,
      header.buffers as never,
      this.dictionaries,
      schema.metadataVersion,
      header.variadicBufferCounts as never,
    );
    const children = loader.visitMany(types) as Data[];
    for (const child of children) validateLength(child, Number(header.length));
    return children;
  }
}

/** VectorLoader trusts the buffer table; make sure a hostile one cannot mislabel lengths. */
function validateLength(data: Data, length: number): void {
  if (data.length !== length) {
    throw new MalformedRequestError(
      `Arrow IPC column has ${data.length} rows, the batch declares ${length}`,
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
