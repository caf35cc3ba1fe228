/**
 * Writing the metadata of an Arrow IPC RecordBatch message (format/Message.fbs) by
 * hand, for the per-batch hot path: `encodeRecordBatchMessage` lays out the Message +
 * RecordBatch tables front to back in one buffer, every scalar aligned to its size
 * relative to the flatbuffer start as flatbuffers verifiers require, and reuses the
 * previous header when a batch has the same shape (reading is `flatbuffer-message.ts`).
 */
import { MessageHeader, MetadataVersion } from "apache-arrow";
import type { BufferMeta, FieldNodeMeta } from "./flatbuffer-message.js";
import { TWO_32 } from "./flat-reader.js";

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
