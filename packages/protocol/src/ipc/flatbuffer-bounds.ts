/**
 * Bounds check of an Arrow IPC `Message` flatbuffer before arrow-js decodes it.
 * arrow-js trusts every vector length it reads: a corrupt length (one flipped byte) in
 * a record batch's `nodes` or a schema's `fields` makes it loop billions of times and
 * exhausts the heap. We walk the same tables first and check that every vector the
 * decoder will iterate lies inside the metadata bytes, so a bad message is a
 * `malformed_request` and the work done stays proportional to the bytes received.
 * (Format: Arrow `Message.fbs` / `Schema.fbs`; vtable slots 4, 6, 8, ... per field.)
 */
import { MalformedRequestError } from "../errors.js";

const HEADER_SCHEMA = 1;
const HEADER_DICTIONARY_BATCH = 2;
const HEADER_RECORD_BATCH = 3;
/** Deeper type nesting than this is not something DuckDB produces. */
const MAX_FIELD_DEPTH = 64;

class Bounds {
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(position: number, size: number): void {
    if (position < 0 || position + size > this.bytes.byteLength) {
      throw new MalformedRequestError(
        "Arrow IPC message metadata is corrupt (a flatbuffer offset points outside it)",
      );
    }
  }

  u32(position: number): number {
    this.need(position, 4);
    return this.view.getUint32(position, true);
  }

  /** Absolute position of a field of the table at `table`, or 0 when absent. */
  field(table: number, slot: number): number {
    this.need(table, 4);
    const vtable = table - this.view.getInt32(table, true);
    this.need(vtable, 4);
    const vtableSize = this.view.getUint16(vtable, true);
    if (slot >= vtableSize) return 0;
    this.need(vtable + slot, 2);
    const offset = this.view.getUint16(vtable + slot, true);
    return offset === 0 ? 0 : table + offset;
  }

  /** The table a reference field points at, or 0 when absent. */
  table(table: number, slot: number): number {
    const at = this.field(table, slot);
    return at === 0 ? 0 : at + this.u32(at);
  }

  u8(table: number, slot: number): number {
    const at = this.field(table, slot);
    if (at === 0) return 0;
    this.need(at, 1);
    return this.view.getUint8(at);
  }

  /** Element count of a vector field whose elements are `size` bytes; checks it fits. */
  vector(table: number, slot: number, size: number): { start: number; length: number } {
    const at = this.field(table, slot);
    if (at === 0) return { start: 0, length: 0 };
    const vector = at + this.u32(at);
    const length = this.u32(vector);
    this.need(vector + 4, length * size);
    return { start: vector + 4, length };
  }

  /** Each table of a vector-of-tables field. */
  tables(table: number, slot: number, visit: (table: number) => void): void {
    const { start, length } = this.vector(table, slot, 4);
    for (let i = 0; i < length; i++) {
      const at = start + 4 * i;
      visit(at + this.u32(at));
    }
  }

  string(table: number, slot: number): void {
    this.vector(table, slot, 1);
  }
}

export function checkMessageBounds(metadata: Uint8Array): void {
  const b = new Bounds(metadata);
  const message = b.u32(0);
  keyValues(b, message, 12);
  const header = b.table(message, 8);
  if (header === 0) return;
  switch (b.u8(message, 6)) {
    case HEADER_SCHEMA:
      b.tables(header, 6, (field) => checkField(b, field, 0));
      keyValues(b, header, 8);
      b.vector(header, 10, 8);
      return;
    case HEADER_RECORD_BATCH:
      checkRecordBatch(b, header);
      return;
    case HEADER_DICTIONARY_BATCH: {
      const data = b.table(header, 6);
      if (data !== 0) checkRecordBatch(b, data);
      return;
    }
  }
}

function checkRecordBatch(b: Bounds, batch: number): void {
  b.vector(batch, 6, 16); // nodes: struct FieldNode { length, null_count }
  b.vector(batch, 8, 16); // buffers: struct Buffer { offset, length }
  b.vector(batch, 12, 8); // variadicBufferCounts: [long]
}

function checkField(b: Bounds, field: number, depth: number): void {
  if (depth > MAX_FIELD_DEPTH) {
    throw new MalformedRequestError(`Arrow IPC schema nests fields deeper than ${MAX_FIELD_DEPTH}`);
  }
  b.string(field, 4);
  b.tables(field, 14, (child) => checkField(b, child, depth + 1));
  keyValues(b, field, 16);
}

function keyValues(b: Bounds, table: number, slot: number): void {
  b.tables(table, slot, (entry) => {
    b.string(entry, 4);
    b.string(entry, 6);
  });
}
