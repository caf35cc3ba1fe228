/**
 * Turns frames into Arrow objects for one IPC stream at a time: a Schema message
 * starts a stream, DictionaryBatch messages update its dictionaries, RecordBatch
 * messages become `RecordBatch`es carrying the message's custom metadata (where
 * vgi-rpc puts every per-batch key), and EOS ends it.
 */
import {
  Data as DataClass,
  MessageHeader,
  Schema,
  Type,
  Vector,
  type RecordBatch,
} from "apache-arrow";
import { VectorLoader } from "apache-arrow/visitor/vectorloader";
import type { Data, DataType } from "apache-arrow";
import { MalformedRequestError } from "../errors.js";
import type { BufferMeta, FieldNodeMeta, IpcMessage } from "./flatbuffer-message.js";
import { EMPTY_BYTES, VARIABLE, flatLayout } from "./flat-layout.js";
import type { Frame } from "./message-framer.js";
import { makeRecordBatch } from "./record-batch.js";

export type StreamEvent =
  | { readonly kind: "schema"; readonly schema: Schema }
  | { readonly kind: "batch"; readonly batch: RecordBatch }
  | { readonly kind: "eos" };

interface RecordBatchHeader {
  readonly length: number | bigint;
  readonly nodes: readonly FieldNodeMeta[];
  readonly buffers: readonly BufferMeta[];
  readonly variadicBufferCounts?: readonly number[] | null;
}

export class StreamDecoder {
  private schema: Schema | null = null;
  private types: DataType[] = [];
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
      this.types = [];
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
          const schema = message.arrow().header() as Schema;
          this.schema = schema;
          this.types = schema.fields.map((field) => field.type);
          return { kind: "schema", schema };
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

  private loadRecordBatch(message: IpcMessage, body: Uint8Array): RecordBatch {
    const schema = this.requireSchema();
    const header = message.recordBatch();
    if (header.compressed) {
      throw new MalformedRequestError(
        "Compressed Arrow IPC bodies are not supported on this transport",
      );
    }
    const children = this.loadVectors(header, body, this.types);
    return makeRecordBatch(schema, header.length, children, message.metadata);
  }

  private loadDictionary(message: IpcMessage, body: Uint8Array): void {
    this.requireSchema();
    const header = message.arrow().header() as unknown as {
      id: number;
      isDelta: boolean;
      data: RecordBatchHeader & { compression: unknown };
    };
    if (header.data.compression != null) {
      throw new MalformedRequestError(
        "Compressed Arrow IPC bodies are not supported on this transport",
      );
    }
    const type = this.schema!.dictionaries.get(header.id);
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
    const flat = loadFlatColumns(header, body, types);
    if (flat !== null) return flat;
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

type ArrayCtor = new (
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
) => ArrayBufferView;

/**
 * The common case without arrow-js's visitor machinery: every column a fixed-width or
 * variable-width binary/string type with no children (what scalar functions exchange).
 * Returns null for anything else, which then goes through VectorLoader. The buffers
 * are viewed in place, exactly as VectorLoader + makeData would.
 */
function loadFlatColumns(
  header: RecordBatchHeader,
  body: Uint8Array,
  types: readonly DataType[],
): Data[] | null {
  const { nodes, buffers } = header;
  const length = Number(header.length);
  const out: Data[] = [];
  let node = 0;
  let buffer = 0;
  for (const type of types) {
    const layout = flatLayout(type);
    if (layout === 0 || node >= nodes.length || buffer + layout > buffers.length) return null;
    const { length: rows, nullCount } = nodes[node++]!;
    if (rows !== length) {
      throw new MalformedRequestError(
        `Arrow IPC column has ${rows} rows, the batch declares ${length}`,
      );
    }
    const validity = buffers[buffer++]!;
    const nullBitmap =
      nullCount > 0
        ? body.subarray(validity.offset, validity.offset + validity.length)
        : EMPTY_BYTES;
    let valueOffsets: ArrayBufferView | undefined;
    if (layout === VARIABLE) {
      const region = buffers[buffer++]!;
      valueOffsets = view(
        (type as unknown as { OffsetArrayType: ArrayCtor }).OffsetArrayType,
        body,
        region,
      );
    }
    const values = view(
      (type as unknown as { ArrayType: ArrayCtor }).ArrayType,
      body,
      buffers[buffer++]!,
    );
    const data = new DataClass(type, 0, rows, nullCount, [valueOffsets, values, nullBitmap]);
    checkFlatColumn(data as Data, layout);
    out.push(data as Data);
  }
  return node === nodes.length && buffer === buffers.length ? out : null;
}

/** The buffers are long enough for the rows they claim (arrow-js would read past them). */
function checkFlatColumn(data: Data, layout: number): void {
  const rows = data.length;
  const short = (what: string): never => {
    throw new MalformedRequestError(`Arrow IPC column of ${rows} rows has a short ${what} buffer`);
  };
  if (data.nullCount > 0 && data.nullBitmap!.byteLength * 8 < rows) short("validity");
  const values = data.values as ArrayLike<unknown> & ArrayBufferView;
  if (layout === VARIABLE) {
    const offsets = data.valueOffsets as unknown as ArrayLike<number | bigint>;
    if (offsets.length < rows + 1) short("offsets");
    if (rows > 0) {
      const first = Number(offsets[0]);
      const last = Number(offsets[rows]);
      if (first < 0 || last < first || last > values.byteLength) short("data");
    }
  } else if (data.typeId === Type.Bool) {
    if (values.byteLength * 8 < rows) short("values");
  } else if (values.length < rows * data.stride) {
    short("values");
  }
}

function view(Ctor: ArrayCtor, body: Uint8Array, region: BufferMeta): ArrayBufferView {
  const bytesPer = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  return new Ctor(body.buffer, body.byteOffset + region.offset, region.length / bytesPer);
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
