/**
 * Bounding boxes of WKB geometries, read straight from an Arrow value buffer: what the
 * spatial bounding-box filter (`duckdb.spatial/intersects_extent@1`, SQL `a && b` and
 * `st_intersects_extent(a, b)`) needs, without decoding a geometry into objects.
 *
 * Reads ISO WKB (types 1..7, +1000 Z, +2000 M, +3000 ZM) and the EWKB flag form
 * (0x80000000 Z, 0x40000000 M, 0x20000000 SRID), either byte order, nested to any
 * depth inside multi-geometries and collections. Only X and Y count for the box; Z and
 * M are skipped. An empty geometry (no vertices, or a point of NaN coordinates) has no
 * box. Anything else — a truncated buffer, an unknown type, a count larger than the
 * bytes left could hold, trailing bytes — is a `MalformedWkbError`.
 */
import { ErrorKind, VgiError } from "@vgi-ts/protocol";

export class MalformedWkbError extends VgiError {
  constructor(message: string) {
    super(ErrorKind.InvalidArgument, `malformed WKB geometry: ${message}`);
    this.name = "MalformedWkbError";
  }
}

/** A 2D box; reused by the reader between rows (copy the numbers to keep them). */
export interface Extent {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function emptyExtent(): Extent {
  return { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
}

/** Whether two boxes share at least one point (edges touching count). */
export function extentsIntersect(a: Extent, b: Extent): boolean {
  return a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY;
}

const Z_FLAG = 0x80000000;
const M_FLAG = 0x40000000;
const SRID_FLAG = 0x20000000;
/** Little-endian 2D point: 1 + 4 + 8 + 8 bytes. */
const POINT_XY_BYTES = 21;
/** Deeper than this is a hostile document, not a geometry. */
const MAX_NESTING = 64;

/** Reads boxes of WKB values laid out in one byte buffer (an Arrow Binary column's values). */
export class WkbExtentReader {
  private readonly view: DataView;
  private at = 0;
  private end = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * The box of the WKB at `bytes[start, end)` into `out`; false when the geometry is
   * empty (then `out` is left as an empty extent).
   */
  read(start: number, end: number, out: Extent): boolean {
    if (start < 0 || end > this.bytes.length || start > end) {
      throw new MalformedWkbError("value outside its buffer");
    }
    // The common case of a point column: no header walk.
    if (
      end - start === POINT_XY_BYTES &&
      this.bytes[start] === 1 &&
      this.view.getUint32(start + 1, true) === 1
    ) {
      const x = this.view.getFloat64(start + 5, true);
      const y = this.view.getFloat64(start + 13, true);
      if (Number.isNaN(x) && Number.isNaN(y)) return reset(out);
      out.minX = out.maxX = x;
      out.minY = out.maxY = y;
      return true;
    }
    reset(out);
    this.at = start;
    this.end = end;
    this.geometry(out, 0);
    if (this.at !== end) throw new MalformedWkbError(`${end - this.at} trailing bytes`);
    return out.minX <= out.maxX;
  }

  private need(length: number): void {
    if (this.at + length > this.end) throw new MalformedWkbError("truncated");
  }

  private uint32(little: boolean): number {
    this.need(4);
    const value = this.view.getUint32(this.at, little);
    this.at += 4;
    return value;
  }

  /** A count of elements each at least `minBytes` long: bounded by the bytes left. */
  private count(little: boolean, minBytes: number): number {
    const n = this.uint32(little);
    if (n * minBytes > this.end - this.at) {
      throw new MalformedWkbError(`${n} elements cannot fit in ${this.end - this.at} bytes`);
    }
    return n;
  }

  private vertices(out: Extent, n: number, dims: number, little: boolean): void {
    const stride = dims * 8;
    this.need(n * stride);
    for (let k = 0; k < n; k++) {
      const x = this.view.getFloat64(this.at, little);
      const y = this.view.getFloat64(this.at + 8, little);
      this.at += stride;
      if (Number.isNaN(x) && Number.isNaN(y)) continue; // POINT EMPTY
      if (x < out.minX) out.minX = x;
      if (x > out.maxX) out.maxX = x;
      if (y < out.minY) out.minY = y;
      if (y > out.maxY) out.maxY = y;
    }
  }

  private geometry(out: Extent, depth: number): void {
    if (depth > MAX_NESTING) throw new MalformedWkbError(`nested deeper than ${MAX_NESTING}`);
    this.need(5);
    const order = this.bytes[this.at]!;
    if (order > 1) throw new MalformedWkbError(`byte order ${order}`);
    const little = order === 1;
    this.at += 1;
    const code = this.uint32(little);
    let dims = 2 + (code & Z_FLAG ? 1 : 0) + (code & M_FLAG ? 1 : 0);
    let type = code & 0x0fffffff;
    if (type >= 1000 && type < 4000) {
      dims = type >= 3000 ? 4 : 3;
      type %= 1000;
    }
    if (code & SRID_FLAG) this.uint32(little);
    const vertexBytes = dims * 8;
    switch (type) {
      case 1:
        this.vertices(out, 1, dims, little);
        return;
      case 2:
        this.vertices(out, this.count(little, vertexBytes), dims, little);
        return;
      case 3: {
        const rings = this.count(little, 4);
        for (let r = 0; r < rings; r++) {
          this.vertices(out, this.count(little, vertexBytes), dims, little);
        }
        return;
      }
      case 4:
      case 5:
      case 6:
      case 7: {
        const parts = this.count(little, 5);
        for (let p = 0; p < parts; p++) this.geometry(out, depth + 1);
        return;
      }
      default:
        throw new MalformedWkbError(`unsupported geometry type ${code}`);
    }
  }
}

function reset(out: Extent): false {
  out.minX = out.minY = Infinity;
  out.maxX = out.maxY = -Infinity;
  return false;
}

/** The box of one WKB value, or null when it is empty. */
export function wkbExtent(wkb: Uint8Array): Extent | null {
  const out = emptyExtent();
  return new WkbExtentReader(wkb).read(0, wkb.length, out) ? out : null;
}
