import { DataType, type Data } from "apache-arrow";
import {
  encodeRecordBatchMessage,
  type BufferMeta,
  type FieldNodeMeta,
} from "../ipc/flatbuffer-message.js";
import { RecordBatchTemplate } from "../ipc/record-batch-template.js";

/**
 * Writes IPC record batch messages of single rows of columns built by `buildData`,
 * straight out of the full columns' buffers into one reused scratch body.
 *
 * Why not slice + arrow-js's writer: for a listing of 10,000 catalog objects the writer's
 * visitors ran once per row over every nested child of a wide message type (FunctionInfo
 * has dozens), allocating views and metadata objects for each — milliseconds per row.
 * Here the column tree is compiled once; a row costs a walk over it, copies of just that
 * row's bytes, rebased offsets and re-packed bitmaps, and no allocation: `prepare` +
 * `writeTo` put the header (a patched copy of the first row's, see
 * record-batch-template.ts) and the body straight into the caller's output.
 *
 * Covers the types the codec DSL builds (ints, floats, temporal types, bool, utf8/binary,
 * list, map, struct, dictionary indices); anything else throws `UnsupportedRowType` from
 * the constructor, so the caller can fall back to the general writer.
 */
export class UnsupportedRowType extends Error {}

const FIXED = 0;
const BOOL = 1;
const BINARY = 2;
const LIST = 3;
const STRUCT = 4;
type PlanKind = typeof FIXED | typeof BOOL | typeof BINARY | typeof LIST | typeof STRUCT;

/**
 * One column (or child column) of the compiled tree. Every kind is the same class with
 * the same fields, so the per-row walk reads them through one object shape (five
 * literal shapes made `visit`'s property loads megamorphic), and the Data getters it
 * needs (offset, validity) are read once here instead of once per row.
 */
class Plan {
  constructor(
    readonly kind: PlanKind,
    /** Row 0's index in the buffers (Data.offset). */
    readonly offset: number,
    /** The validity bitmap when some value is null; null when all are valid. */
    readonly validity: Uint8Array | null,
    /** Fixed: the values' bytes; bool: the value bits; binary: the value bytes. */
    readonly bytes: Uint8Array,
    /** Fixed: bytes per value. */
    readonly width: number,
    /** Binary, list: the value offsets. */
    readonly offsets: Int32Array,
    /** List: the one child; struct: the fields. */
    readonly children: readonly Plan[],
  ) {}
}

const NO_BYTES = new Uint8Array(0);
const NO_OFFSETS = new Int32Array(0);
const NO_CHILDREN: readonly Plan[] = [];

interface MutableNode {
  length: number;
  nullCount: number;
}

interface MutableBuffer {
  offset: number;
  length: number;
}

export class RowBatchWriter {
  private readonly plans: Plan[];
  private readonly nodes: MutableNode[] = [];
  private readonly buffers: MutableBuffer[] = [];
  private nodeCount = 0;
  private bufferCount = 0;
  private body = new Uint8Array(4096);
  private view = new DataView(this.body.buffer);
  private at = 0;
  /** The header template; undefined until the first row, null when none fits. */
  private template: RecordBatchTemplate | null | undefined;
  /** The prepared row's own header when no template fits. */
  private header: Uint8Array | null = null;

  constructor(columns: readonly Data[]) {
    this.plans = columns.map(compile);
  }

  /**
   * Row `row`'s message: the header (shared bytes, do not modify) and its padded body
   * (a view of the scratch buffer, valid until the next call).
   */
  write(row: number): { header: Uint8Array; body: Uint8Array } {
    this.layOut(row);
    return { header: this.encodeHeader(), body: this.body.subarray(0, this.at) };
  }

  /** Lays out row `row`'s message for `writeTo`; returns its size in bytes. */
  prepare(row: number): number {
    this.layOut(row);
    const template = this.currentTemplate();
    this.header = template === null ? this.encodeHeader() : null;
    return (template?.bytes.length ?? this.header!.length) + this.at;
  }

  /**
   * Writes the prepared message (header, then body) at `at` of `out`, which must have
   * room for the size `prepare` returned; `view` is a DataView of `out`'s whole buffer.
   */
  writeTo(out: Uint8Array, view: DataView, at: number): void {
    let bodyAt: number;
    if (this.header === null) {
      const template = this.template!;
      template.writeTo(out, view, at, this.nodes, this.buffers, this.at);
      bodyAt = at + template.bytes.length;
    } else {
      out.set(this.header, at);
      bodyAt = at + this.header.length;
    }
    out.set(this.body.subarray(0, this.at), bodyAt);
  }

  private layOut(row: number): void {
    this.nodeCount = 0;
    this.bufferCount = 0;
    this.at = 0;
    for (const plan of this.plans) this.visit(plan, row, 1);
  }

  private encodeHeader(): Uint8Array {
    const nodes = this.nodes.slice(0, this.nodeCount) as readonly FieldNodeMeta[];
    const buffers = this.buffers.slice(0, this.bufferCount) as readonly BufferMeta[];
    return encodeRecordBatchMessage(1, nodes, buffers, this.at);
  }

  /**
   * The header template for the laid-out row's shape (made from the first row; every
   * row of one column tree has the same nodes and buffers), or null to encode headers.
   */
  private currentTemplate(): RecordBatchTemplate | null {
    if (this.template === undefined) {
      this.template = RecordBatchTemplate.from(
        this.encodeHeader(),
        this.nodeCount,
        this.bufferCount,
      );
    }
    const template = this.template;
    return template !== null &&
      template.nodeCount === this.nodeCount &&
      template.bufferCount === this.bufferCount
      ? template
      : null;
  }

  private visit(plan: Plan, start: number, length: number): void {
    const from = plan.offset + start;
    this.pushNode(length, this.writeValidity(plan.validity, from, length));
    switch (plan.kind) {
      case FIXED:
        this.pushBytes(plan.bytes, from * plan.width, (from + length) * plan.width);
        return;
      case BOOL:
        this.pushBits(plan.bytes, from, length);
        return;
      case BINARY: {
        const { offsets } = plan;
        this.pushOffsets(offsets, from, length);
        this.pushBytes(plan.bytes, offsets[from]!, offsets[from + length]!);
        return;
      }
      case LIST: {
        const { offsets } = plan;
        this.pushOffsets(offsets, from, length);
        this.visit(plan.children[0]!, offsets[from]!, offsets[from + length]! - offsets[from]!);
        return;
      }
      case STRUCT: {
        const { children } = plan;
        for (let c = 0; c < children.length; c++) this.visit(children[c]!, from, length);
        return;
      }
    }
  }

  private pushNode(length: number, nullCount: number): void {
    const node = (this.nodes[this.nodeCount++] ??= { length: 0, nullCount: 0 });
    node.length = length;
    node.nullCount = nullCount;
  }

  /** Starts a buffer at the (8-aligned) end of the body, with room for `size` bytes. */
  private openBuffer(size: number): number {
    const begin = this.at;
    const end = begin + ((size + 7) & ~7);
    if (end > this.body.length) this.grow(end);
    const buffer = (this.buffers[this.bufferCount++] ??= { offset: 0, length: 0 });
    buffer.offset = begin;
    buffer.length = size;
    this.at = end;
    return begin;
  }

  private grow(needed: number): void {
    let size = this.body.length * 2;
    while (size < needed) size *= 2;
    const body = new Uint8Array(size);
    body.set(this.body.subarray(0, this.at));
    this.body = body;
    this.view = new DataView(body.buffer);
  }

  private pushBytes(source: Uint8Array, begin: number, end: number): void {
    const at = this.openBuffer(end - begin);
    const body = this.body;
    if (end - begin <= 32) {
      for (let i = begin; i < end; i++) body[at + i - begin] = source[i]!;
    } else {
      body.set(source.subarray(begin, end), at);
    }
    this.clearPadding(at + end - begin);
  }

  private pushOffsets(offsets: Int32Array, from: number, length: number): void {
    const at = this.openBuffer(4 * (length + 1));
    const first = offsets[from]!;
    for (let i = 0; i <= length; i++)
      this.view.setInt32(at + 4 * i, offsets[from + i]! - first, true);
    this.clearPadding(at + 4 * (length + 1));
  }

  private pushBits(bits: Uint8Array, from: number, length: number): number {
    const size = (length + 7) >> 3;
    const at = this.openBuffer(size);
    const body = this.body;
    body.fill(0, at, at + size);
    let set = 0;
    for (let i = 0; i < length; i++) {
      const j = from + i;
      if ((bits[j >> 3]! >> (j & 7)) & 1) {
        body[at + (i >> 3)]! |= 1 << (i & 7);
        set++;
      }
    }
    this.clearPadding(at + size);
    return set;
  }

  /** The window's validity bitmap (none when every value is valid); its null count. */
  private writeValidity(bitmap: Uint8Array | null, from: number, length: number): number {
    if (bitmap === null) {
      this.openBuffer(0);
      return 0;
    }
    const at = this.at;
    const valid = this.pushBits(bitmap, from, length);
    if (valid === length) {
      // All valid after all: drop the bitmap, as arrow-js does.
      this.at = at;
      this.bufferCount--;
      this.openBuffer(0);
      return 0;
    }
    return length - valid;
  }

  /** Zeroes the padding after a buffer's last byte (the scratch body is reused). */
  private clearPadding(end: number): void {
    // At most 7 bytes: a loop beats a fill() call (thousands of buffers per listing).
    const body = this.body;
    for (let i = end; i < this.at; i++) body[i] = 0;
  }
}

function compile(data: Data): Plan {
  const { type } = data;
  const bitmap = data.nullBitmap;
  const validity =
    data.nullCount === 0 || bitmap === undefined || bitmap.length === 0 ? null : bitmap;
  const plan = (
    kind: PlanKind,
    bytes: Uint8Array,
    width: number,
    offsets: Int32Array,
    children: readonly Plan[],
  ): Plan => new Plan(kind, data.offset, validity, bytes, width, offsets, children);
  if (DataType.isDictionary(type) || isOneValuePerRow(type)) {
    const values = data.values as unknown as ArrayBufferView & { BYTES_PER_ELEMENT: number };
    return plan(FIXED, bytesOf(values), values.BYTES_PER_ELEMENT, NO_OFFSETS, NO_CHILDREN);
  }
  if (DataType.isBool(type)) {
    return plan(BOOL, data.values as Uint8Array, 0, NO_OFFSETS, NO_CHILDREN);
  }
  if (DataType.isUtf8(type) || DataType.isBinary(type)) {
    const offsets = data.valueOffsets as Int32Array;
    return plan(BINARY, data.values as Uint8Array, 0, offsets, NO_CHILDREN);
  }
  if (DataType.isList(type) || DataType.isMap(type)) {
    const offsets = data.valueOffsets as Int32Array;
    return plan(LIST, NO_BYTES, 0, offsets, [compile(data.children[0]!)]);
  }
  if (DataType.isStruct(type)) {
    return plan(STRUCT, NO_BYTES, 0, NO_OFFSETS, data.children.map(compile));
  }
  throw new UnsupportedRowType(`row batches of ${String(type)} columns`);
}

/** Types whose `values` typed array holds exactly one element per row. */
function isOneValuePerRow(type: DataType): boolean {
  return (
    DataType.isInt(type) ||
    DataType.isFloat(type) ||
    DataType.isTimestamp(type) ||
    DataType.isDate(type) ||
    DataType.isTime(type) ||
    DataType.isDuration(type)
  );
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
