/**
 * Bounds-checked reads of one flatbuffer (a framed IPC message's metadata): scalars,
 * tables through their vtables, vectors and strings. Every offset is checked against
 * the buffer before it is followed, so a corrupt message is a `malformed_request`
 * instead of a read out of range. Used by `flatbuffer-message.ts`.
 */
import { MalformedRequestError } from "../errors.js";

/** 2^32: the high word of a 64-bit value as a JS number. */
export const TWO_32 = 4294967296;
const utf8 = new TextDecoder("utf-8", { fatal: false });

export function malformed(what: string): never {
  throw new MalformedRequestError(`Arrow IPC message metadata is not a valid flatbuffer: ${what}`);
}

/** Bounds-checked flatbuffer table access over one metadata buffer. */
export class FlatReader {
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
