/**
 * A record batch header to copy and patch instead of encoding it again.
 *
 * Why: a listing writes 10,000 one-row batches of one message type. Their headers have
 * the same shape (same number of field nodes and buffers, no metadata), so they differ
 * only in the numbers: the body length, each node's length and null count, each
 * buffer's offset and length. Encoding each header anew allocated 2 KB per row (20 MB
 * of garbage for a 10k-table listing). A template is one header from
 * `encodeRecordBatchMessage`; the positions of those numbers are read out of its
 * flatbuffer (so they follow whatever layout the encoder chose), and each row's header
 * is the template copied straight into the output with the numbers written over.
 */
import type { BufferMeta, FieldNodeMeta } from "./flatbuffer-message.js";

/** Encapsulation prefix: continuation marker + metadata length. */
const PREFIX = 8;

export class RecordBatchTemplate {
  private constructor(
    /** The template header (prefix + flatbuffer + padding); never modified. */
    readonly bytes: Uint8Array,
    private readonly bodyLengthAt: number,
    private readonly nodesAt: number,
    private readonly buffersAt: number,
    readonly nodeCount: number,
    readonly bufferCount: number,
  ) {}

  /**
   * The template of `header` (a RecordBatch message of `nodeCount` nodes and
   * `bufferCount` buffers), or null when its flatbuffer is not laid out as expected
   * (the caller then encodes every header itself).
   */
  static from(
    header: Uint8Array,
    nodeCount: number,
    bufferCount: number,
  ): RecordBatchTemplate | null {
    const fb = new FlatTables(header.subarray(PREFIX));
    const message = fb.root();
    const bodyLength = message === null ? null : fb.fieldPosition(message, 3);
    const headerTable = message === null ? null : fb.table(message, 2);
    const nodes = headerTable === null ? null : fb.vector(headerTable, 1);
    const buffers = headerTable === null ? null : fb.vector(headerTable, 2);
    if (
      bodyLength === null ||
      nodes === null ||
      buffers === null ||
      nodes.count !== nodeCount ||
      buffers.count !== bufferCount
    ) {
      return null;
    }
    return new RecordBatchTemplate(
      header,
      PREFIX + bodyLength,
      PREFIX + nodes.at,
      PREFIX + buffers.at,
      nodeCount,
      bufferCount,
    );
  }

  /**
   * Writes the header of a batch with these numbers at `at` of `out` (`view` covers
   * `out`'s whole buffer). Lengths and offsets are below 2^32 (bodies of one row).
   */
  writeTo(
    out: Uint8Array,
    view: DataView,
    at: number,
    nodes: readonly FieldNodeMeta[],
    buffers: readonly BufferMeta[],
    bodyLength: number,
  ): void {
    out.set(this.bytes, at);
    const base = out.byteOffset + at;
    setUint64(view, base + this.bodyLengthAt, bodyLength);
    for (let i = 0; i < this.nodeCount; i++) {
      const node = nodes[i]!;
      setUint64(view, base + this.nodesAt + 16 * i, node.length);
      setUint64(view, base + this.nodesAt + 16 * i + 8, node.nullCount);
    }
    for (let i = 0; i < this.bufferCount; i++) {
      const buffer = buffers[i]!;
      setUint64(view, base + this.buffersAt + 16 * i, buffer.offset);
      setUint64(view, base + this.buffersAt + 16 * i + 8, buffer.length);
    }
  }
}

function setUint64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value >>> 0, true);
  view.setUint32(at + 4, Math.floor(value / 4294967296), true);
}

/** Just enough flatbuffer reading to find fields of our own, already valid, header. */
class FlatTables {
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private inside(position: number, size: number): boolean {
    return position >= 0 && position + size <= this.bytes.byteLength;
  }

  root(): number | null {
    return this.inside(0, 4) ? this.view.getUint32(0, true) : null;
  }

  /** Where field `index` of the table at `table` is stored, or null when absent. */
  fieldPosition(table: number, index: number): number | null {
    if (!this.inside(table, 4)) return null;
    const vtable = table - this.view.getInt32(table, true);
    if (!this.inside(vtable, 4)) return null;
    const vtableSize = this.view.getUint16(vtable, true);
    const slot = 4 + 2 * index;
    if (slot + 2 > vtableSize || !this.inside(vtable + slot, 2)) return null;
    const offset = this.view.getUint16(vtable + slot, true);
    return offset === 0 ? null : table + offset;
  }

  /** The table field `index` points to. */
  table(table: number, index: number): number | null {
    const at = this.fieldPosition(table, index);
    if (at === null || !this.inside(at, 4)) return null;
    return at + this.view.getUint32(at, true);
  }

  /** A vector of 16-byte structs: where its first element is and how many there are. */
  vector(table: number, index: number): { at: number; count: number } | null {
    const start = this.table(table, index);
    if (start === null || !this.inside(start, 4)) return null;
    const count = this.view.getUint32(start, true);
    return this.inside(start + 4, 16 * count) ? { at: start + 4, count } : null;
  }
}
