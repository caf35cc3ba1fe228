/**
 * Arrow IPC `Message` flatbuffers (format/Message.fbs) read and written by hand for the
 * per-batch hot path. A scalar exchange moves thousands of small record batches, and
 * arrow-js's generic flatbuffers Builder / reader cost more per batch than the data.
 *
 * Reading: `parseMessage` walks the Message table with every offset bounds-checked and
 * decodes RecordBatch headers itself; Schema and DictionaryBatch messages (once per
 * stream) go through arrow-js. Writing: `encodeRecordBatchMessage` lays out the
 * Message + RecordBatch tables front to back in one buffer with every scalar aligned
 * to its size relative to the flatbuffer start, as flatbuffers verifiers require.
 *
 * This file holds the reading side and the header types both sides share; the
 * bounds-checked flatbuffer access is `flat-reader.ts`, the writer
 * `record-batch-message.ts`.
 */
import { Message, MessageHeader, MetadataVersion } from "apache-arrow";
import { MalformedRequestError } from "../errors.js";
import { checkMessageBounds } from "./flatbuffer-bounds.js";
import { FlatReader, malformed } from "./flat-reader.js";

/** Writing lives next door; exported here with the reading side. */
export { encodeRecordBatchMessage } from "./record-batch-message.js";

export interface FieldNodeMeta {
  readonly length: number;
  readonly nullCount: number;
}

export interface BufferMeta {
  readonly offset: number;
  readonly length: number;
}

/** The parts of a RecordBatch (or DictionaryBatch data) header a loader needs. */
export interface RecordBatchMeta {
  readonly length: number;
  readonly nodes: FieldNodeMeta[];
  readonly buffers: BufferMeta[];
  /** A `compression` table is present (compressed bodies are not supported). */
  readonly compressed: boolean;
  readonly variadicBufferCounts: number[];
}

/**
 * One framed IPC message. `headerType`, `bodyLength` and `version` are read eagerly;
 * the RecordBatch header is decoded by hand on demand, anything else by arrow-js.
 */
export class IpcMessage {
  private arrowMessage: Message | null = null;

  private constructor(
    private readonly reader: FlatReader,
    readonly headerType: MessageHeader,
    readonly bodyLength: number,
    readonly version: MetadataVersion,
    private readonly headerPosition: number,
    private readonly metadataPosition: number,
  ) {}

  /** Parse the Message table of one metadata flatbuffer (the bytes after the prefix). */
  static parse(bytes: Uint8Array): IpcMessage {
    const reader = new FlatReader(bytes);
    const root = reader.table(0);
    const versionAt = reader.field(root, 0);
    const typeAt = reader.field(root, 1);
    const headerAt = reader.field(root, 2);
    const bodyAt = reader.field(root, 3);
    const metadataAt = reader.field(root, 4);
    const version = versionAt < 0 ? MetadataVersion.V1 : reader.i16(versionAt);
    const headerType = typeAt < 0 ? MessageHeader.NONE : reader.u8(typeAt);
    const bodyLength = bodyAt < 0 ? 0 : reader.u53(bodyAt);
    const header = headerAt < 0 ? -1 : reader.table(headerAt);
    return new IpcMessage(reader, headerType, bodyLength, version, header, metadataAt);
  }

  /** The message's custom metadata, a new map on every call (empty when there is none). */
  get metadata(): Map<string, string> {
    if (this.metadataPosition < 0) return new Map();
    const { reader } = this;
    const { start, length } = reader.vector(this.metadataPosition, 4);
    const out = new Map<string, string>();
    for (let i = 0; i < length; i++) {
      const entry = reader.table(start + 4 * i);
      const keyAt = reader.field(entry, 0);
      const valueAt = reader.field(entry, 1);
      if (keyAt < 0) continue;
      out.set(reader.string(keyAt), valueAt < 0 ? "" : reader.string(valueAt));
    }
    return out;
  }

  /** The RecordBatch header of a RecordBatch message. */
  recordBatch(): RecordBatchMeta {
    if (this.headerType !== MessageHeader.RecordBatch || this.headerPosition < 0) {
      malformed("not a record batch message");
    }
    return readRecordBatch(this.reader, this.headerPosition);
  }

  /** The same message decoded by arrow-js (Schema and DictionaryBatch messages). */
  arrow(): Message {
    if (this.arrowMessage === null) {
      // arrow-js trusts vector lengths; walk the tables it will read first.
      checkMessageBounds(this.reader.bytes);
      try {
        this.arrowMessage = Message.decode(this.reader.bytes);
      } catch (error) {
        throw new MalformedRequestError("Arrow IPC message metadata is not a valid flatbuffer", {
          cause: error,
        });
      }
    }
    return this.arrowMessage;
  }
}

function readRecordBatch(reader: FlatReader, table: number): RecordBatchMeta {
  const lengthAt = reader.field(table, 0);
  const nodesAt = reader.field(table, 1);
  const buffersAt = reader.field(table, 2);
  const compressionAt = reader.field(table, 3);
  const variadicAt = reader.field(table, 4);
  const nodes: FieldNodeMeta[] = [];
  if (nodesAt >= 0) {
    const { start, length } = reader.vector(nodesAt, 16);
    for (let i = 0, at = start; i < length; i++, at += 16) {
      nodes.push({ length: reader.u53(at), nullCount: reader.u53(at + 8) });
    }
  }
  const buffers: BufferMeta[] = [];
  if (buffersAt >= 0) {
    const { start, length } = reader.vector(buffersAt, 16);
    for (let i = 0, at = start; i < length; i++, at += 16) {
      buffers.push({ offset: reader.u53(at), length: reader.u53(at + 8) });
    }
  }
  const variadicBufferCounts: number[] = [];
  if (variadicAt >= 0) {
    const { start, length } = reader.vector(variadicAt, 8);
    for (let i = 0; i < length; i++) variadicBufferCounts.push(reader.u53(start + 8 * i));
  }
  return {
    length: lengthAt < 0 ? 0 : reader.u53(lengthAt),
    nodes,
    buffers,
    compressed: compressionAt >= 0,
    variadicBufferCounts,
  };
}
