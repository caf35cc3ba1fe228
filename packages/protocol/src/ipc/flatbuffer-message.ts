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
 */
import { Message, MessageHeader, MetadataVersion } from "apache-arrow";
import { MalformedRequestError } from "../errors.js";
import { checkMessageBounds } from "./flatbuffer-bounds.js";

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

const TWO_32 = 4294967296;
const utf8 = new TextDecoder("utf-8", { fatal: false });

function malformed(what: string): never {
  throw new MalformedRequestError(`Arrow IPC message metadata is not a valid flatbuffer: ${what}`);
}

/** Bounds-checked flatbuffer table access over one metadata buffer. */
class FlatReader {
  readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  check(position: number, size: number): void {
    if (position < 0 || position + size > this.bytes.byteLength) malformed("offset out of range");
  }

  u8(position: number): number {
    this.check(position, 1);
    return this.view.getUint8(position);
  }

  i16(position: number): number {
    this.check(position, 2);
    return this.view.getInt16(position, true);
  }

  u32(position: number): number {
    this.check(position, 4);
    return this.view.getUint32(position, true);
  }

  /** A non-negative int64 that fits a JS number exactly. */
  u53(position: number): number {
    this.check(position, 8);
    const low = this.view.getUint32(position, true);
    const high = this.view.getInt32(position + 4, true);
    if (high < 0 || high >= 0x200000) malformed("64-bit value out of range");
    return high * TWO_32 + low;
  }

  /** Follow a uoffset stored at `position`. */
  deref(position: number): number {
    const target = position + this.u32(position);
    this.check(target, 4);
    return target;
  }

  /** Position of field `index`'s slot in the table at `table`, or -1 when absent. */
  field(table: number, index: number): number {
    const vtable = table - this.view.getInt32(table, true);
    this.check(vtable, 4);
    const vtableSize = this.view.getUint16(vtable, true);
    const tableSize = this.view.getUint16(vtable + 2, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0) malformed("bad vtable");
    this.check(vtable, vtableSize);
    this.check(table, tableSize);
    const slot = 4 + 2 * index;
    if (slot + 2 > vtableSize) return -1;
    const offset = this.view.getUint16(vtable + slot, true);
    if (offset === 0) return -1;
    if (offset + 1 > tableSize) malformed("field outside its table");
    return table + offset;
  }

  table(position: number): number {
    const table = this.deref(position);
    this.check(table, 4);
    return table;
  }

  /** Start of a vector's elements and its length, element size checked. */
  vector(position: number, elementSize: number): { start: number; length: number } {
    const at = this.deref(position);
    const length = this.view.getUint32(at, true);
    this.check(at + 4, length * elementSize);
    return { start: at + 4, length };
  }

  string(position: number): string {
    const { start, length } = this.vector(position, 1);
    return utf8.decode(this.bytes.subarray(start, start + length));
  }
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

// ---------------------------------------------------------------------------------------
// Writing

const textEncoder = new TextEncoder();

const align = (n: number, to: number): number => (n + to - 1) & ~(to - 1);
/**
 * Next position >= n that is 4 mod 8: where a table starting with its 4-byte soffset
 * must sit for the 8-byte scalar after it to be aligned, and where a vector's u32 length
 * must sit for its 8-byte elements to be.
 */
const at4mod8 = (n: number): number => (n % 8 <= 4 ? n - (n % 8) + 4 : n - (n % 8) + 12);

function setU64(view: DataView, position: number, value: number): void {
  view.setUint32(position, value % TWO_32, true);
  view.setUint32(position + 4, (value / TWO_32) >>> 0, true);
}

function setOffset(view: DataView, position: number, target: number): void {
  view.setUint32(position, target - position, true);
}

/** The last header encoded without metadata: batches of one shape repeat it exactly. */
let lastHeader: {
  length: number;
  bodyLength: number;
  nodes: number[];
  buffers: number[];
  bytes: Uint8Array;
} | null = null;

function sameAsLast(
  length: number,
  nodes: readonly FieldNodeMeta[],
  buffers: readonly BufferMeta[],
  bodyLength: number,
): Uint8Array | null {
  const last = lastHeader;
  if (
    last === null ||
    last.length !== length ||
    last.bodyLength !== bodyLength ||
    last.nodes.length !== 2 * nodes.length ||
    last.buffers.length !== 2 * buffers.length
  ) {
    return null;
  }
  for (let i = 0; i < nodes.length; i++) {
    if (last.nodes[2 * i] !== nodes[i]!.length || last.nodes[2 * i + 1] !== nodes[i]!.nullCount)
      return null;
  }
  for (let i = 0; i < buffers.length; i++) {
    if (
      last.buffers[2 * i] !== buffers[i]!.offset ||
      last.buffers[2 * i + 1] !== buffers[i]!.length
    )
      return null;
  }
  return last.bytes;
}

/**
 * The encapsulated metadata of one RecordBatch message: continuation marker, padded
 * length, flatbuffer, padding to 8 bytes. The body follows it on the wire. The returned
 * bytes must not be modified: identical headers may be shared between calls.
 */
export function encodeRecordBatchMessage(
  length: number,
  nodes: readonly FieldNodeMeta[],
  buffers: readonly BufferMeta[],
  bodyLength: number,
  metadata?: ReadonlyMap<string, string> | null,
  variadicBufferCounts?: readonly number[] | null,
): Uint8Array {
  const variadic = variadicBufferCounts != null && variadicBufferCounts.length > 0;
  const plain = (metadata == null || metadata.size === 0) && !variadic;
  if (plain) {
    const cached = sameAsLast(length, nodes, buffers, bodyLength);
    if (cached !== null) return cached;
  }
  const entries = plain
    ? null
    : metadata != null && metadata.size > 0
      ? [...metadata].map(([k, v]) => [textEncoder.encode(k), textEncoder.encode(v)] as const)
      : null;

  // Layout, positions relative to the flatbuffer start (8 bytes into the output):
  //   0  root uoffset -> Message table
  //   4  Message vtable (14 bytes: 5 fields)
  //  20  Message table: soffset, bodyLength@+4, header@+12, custom_metadata@+16,
  //      version@+20, header_type@+22 (24 bytes)
  //  44  RecordBatch vtable (10 or 14 bytes)
  //  60  RecordBatch table: soffset, length@+4, nodes@+12, buffers@+16[, variadic@+20]
  //      then the nodes, buffers and variadic vectors, then the custom metadata.
  // Offsets all point forward; vtables precede their tables (positive soffset).
  const batchTableSize = variadic ? 24 : 20;
  const nodesAt = at4mod8(60 + batchTableSize);
  const buffersAt = at4mod8(nodesAt + 4 + 16 * nodes.length);
  let end = buffersAt + 4 + 16 * buffers.length;
  let variadicAt = -1;
  if (variadic) {
    variadicAt = at4mod8(end);
    end = variadicAt + 4 + 8 * variadicBufferCounts.length;
  }
  let metadataAt = -1;
  let stringsAt = -1;
  if (entries !== null) {
    metadataAt = align(end, 4);
    // The offsets vector, then per entry a KeyValue vtable (8 bytes: 2 fields) and
    // table (soffset, key, value: 12 bytes), then the strings.
    stringsAt = metadataAt + 4 + 4 * entries.length + 20 * entries.length;
    end = stringsAt;
    for (const [key, value] of entries) {
      end = align(end + 4 + key.byteLength + 1, 4);
      end = align(end + 4 + value.byteLength + 1, 4);
    }
  }
  const flatSize = align(end, 8);
  const out = new Uint8Array(8 + flatSize);
  const view = new DataView(out.buffer, 8, flatSize);
  out[0] = out[1] = out[2] = out[3] = 0xff; // continuation marker
  new DataView(out.buffer, 4, 4).setInt32(0, flatSize, true);

  setOffset(view, 0, 20); // root -> Message table
  // Message vtable @4
  view.setUint16(4, 14, true);
  view.setUint16(6, 24, true);
  view.setUint16(8, 20, true); // version
  view.setUint16(10, 22, true); // header_type
  view.setUint16(12, 12, true); // header
  view.setUint16(14, 4, true); // bodyLength
  view.setUint16(16, entries === null ? 0 : 16, true); // custom_metadata
  // Message table @20
  view.setInt32(20, 16, true);
  setU64(view, 24, bodyLength);
  setOffset(view, 32, 60);
  if (entries !== null) setOffset(view, 36, metadataAt);
  view.setInt16(40, MetadataVersion.V5, true);
  view.setUint8(42, MessageHeader.RecordBatch);
  // RecordBatch vtable @44
  view.setUint16(44, variadic ? 14 : 10, true);
  view.setUint16(46, batchTableSize, true);
  view.setUint16(48, 4, true); // length
  view.setUint16(50, 12, true); // nodes
  view.setUint16(52, 16, true); // buffers
  if (variadic) {
    view.setUint16(54, 0, true); // compression: absent
    view.setUint16(56, 20, true); // variadicBufferCounts
  }
  // RecordBatch table @60
  view.setInt32(60, 16, true);
  setU64(view, 64, length);
  setOffset(view, 72, nodesAt);
  setOffset(view, 76, buffersAt);
  if (variadic) setOffset(view, 80, variadicAt);
  // Vectors of structs: FieldNode { length, null_count }, Buffer { offset, length }.
  view.setUint32(nodesAt, nodes.length, true);
  for (let i = 0, p = nodesAt + 4; i < nodes.length; i++, p += 16) {
    setU64(view, p, nodes[i]!.length);
    setU64(view, p + 8, nodes[i]!.nullCount);
  }
  view.setUint32(buffersAt, buffers.length, true);
  for (let i = 0, p = buffersAt + 4; i < buffers.length; i++, p += 16) {
    setU64(view, p, buffers[i]!.offset);
    setU64(view, p + 8, buffers[i]!.length);
  }
  if (variadic) {
    view.setUint32(variadicAt, variadicBufferCounts.length, true);
    for (let i = 0; i < variadicBufferCounts.length; i++) {
      setU64(view, variadicAt + 4 + 8 * i, variadicBufferCounts[i]!);
    }
  }
  if (entries !== null) {
    view.setUint32(metadataAt, entries.length, true);
    let string = stringsAt;
    const writeString = (bytes: Uint8Array): number => {
      const at = string;
      view.setUint32(at, bytes.byteLength, true);
      out.set(bytes, 8 + at + 4); // NUL terminator: already zero
      string = align(at + 4 + bytes.byteLength + 1, 4);
      return at;
    };
    for (let i = 0; i < entries.length; i++) {
      const vtable = metadataAt + 4 + 4 * entries.length + 20 * i;
      const table = vtable + 8;
      setOffset(view, metadataAt + 4 + 4 * i, table);
      view.setUint16(vtable, 8, true);
      view.setUint16(vtable + 2, 12, true);
      view.setUint16(vtable + 4, 4, true); // key
      view.setUint16(vtable + 6, 8, true); // value
      view.setInt32(table, 8, true);
      const [key, value] = entries[i]!;
      setOffset(view, table + 4, writeString(key));
      setOffset(view, table + 8, writeString(value));
    }
  }
  if (plain) {
    lastHeader = {
      length,
      bodyLength,
      nodes: nodes.flatMap((node) => [node.length, node.nullCount]),
      buffers: buffers.flatMap((buffer) => [buffer.offset, buffer.length]),
      bytes: out,
    };
  }
  return out;
}
