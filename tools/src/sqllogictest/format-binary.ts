/**
 * BLOB and GEOMETRY → VARCHAR formatting as DuckDB 1.5.5 does it
 * (blob.cpp Blob::ToString, geometry.cpp ToStringRecursive).
 */
import { formatDouble } from "./format-number.js";

const HEX = "0123456789ABCDEF";

/** BLOB → VARCHAR: printable ASCII as-is, everything else (and \ ' ") as \xHH. */
export function formatBlob(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) {
    const regular = byte >= 32 && byte <= 126 && byte !== 0x5c && byte !== 0x27 && byte !== 0x22;
    out += regular ? String.fromCharCode(byte) : `\\x${HEX[byte >> 4]}${HEX[byte & 0x0f]}`;
  }
  return out;
}

/** WKT coordinates drop a trailing ".0" (10.0 → 10) but never touch scientific notation. */
function formatCoordinate(value: number): string {
  const text = formatDouble(value);
  if (/[eE]/.test(text) || !text.endsWith("0")) return text;
  const trimmed = text.slice(0, -1);
  return trimmed.endsWith(".") ? trimmed.slice(0, -1) : trimmed;
}

class WkbReader {
  private offset = 0;
  private readonly view: DataView;
  constructor(bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(): number {
    return this.view.getUint8(this.offset++);
  }
  u32(): number {
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }
  f64(): number {
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }
}

interface Header {
  type: number;
  hasZ: boolean;
  hasM: boolean;
}

function readHeader(reader: WkbReader): Header {
  const byteOrder = reader.u8();
  if (byteOrder !== 1) throw new Error(`Unsupported byte order ${byteOrder} in WKB`);
  const meta = reader.u32() & 0xffff;
  const flag = Math.floor(meta / 1000);
  return { type: meta % 1000, hasZ: (flag & 1) !== 0, hasM: (flag & 2) !== 0 };
}

function readVertex(reader: WkbReader, dims: number): number[] {
  const vertex: number[] = [];
  for (let d = 0; d < dims; d++) vertex.push(reader.f64());
  return vertex;
}

function vertexText(vertex: number[]): string {
  return vertex.map(formatCoordinate).join(" ");
}

function vertexList(reader: WkbReader, dims: number): string {
  const count = reader.u32();
  if (count === 0) return "EMPTY";
  const verts: string[] = [];
  for (let i = 0; i < count; i++) verts.push(vertexText(readVertex(reader, dims)));
  return `(${verts.join(", ")})`;
}

function ringList(reader: WkbReader, dims: number): string {
  const rings = reader.u32();
  if (rings === 0) return "EMPTY";
  const parts: string[] = [];
  for (let i = 0; i < rings; i++) parts.push(vertexList(reader, dims));
  return `(${parts.join(", ")})`;
}

const NAMES: Record<number, string> = {
  1: "POINT",
  2: "LINESTRING",
  3: "POLYGON",
  4: "MULTIPOINT",
  5: "MULTILINESTRING",
  6: "MULTIPOLYGON",
  7: "GEOMETRYCOLLECTION",
};

function geometryText(reader: WkbReader): string {
  const { type, hasZ, hasM } = readHeader(reader);
  const name = NAMES[type];
  if (name === undefined) throw new Error(`Unsupported geometry type ${type} in WKB`);
  const dims = 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0);
  const prefix = name + (hasZ ? (hasM ? " ZM " : " Z ") : hasM ? " M " : " ");
  const parts = (count: number, each: () => string): string => {
    if (count === 0) return "EMPTY";
    const items: string[] = [];
    for (let i = 0; i < count; i++) items.push(each());
    return `(${items.join(", ")})`;
  };
  switch (type) {
    case 1: {
      const vertex = readVertex(reader, dims);
      return prefix + (vertex.every(Number.isNaN) ? "EMPTY" : `(${vertexText(vertex)})`);
    }
    case 2:
      return prefix + vertexList(reader, dims);
    case 3:
      return prefix + ringList(reader, dims);
    case 4:
      // Points inside a MULTIPOINT are written without their own parentheses.
      return (
        prefix +
        parts(reader.u32(), () => {
          readHeader(reader);
          const vertex = readVertex(reader, dims);
          return vertex.every(Number.isNaN) ? "EMPTY" : vertexText(vertex);
        })
      );
    case 5:
      return (
        prefix +
        parts(reader.u32(), () => {
          readHeader(reader);
          return vertexList(reader, dims);
        })
      );
    case 6:
      return (
        prefix +
        parts(reader.u32(), () => {
          readHeader(reader);
          return ringList(reader, dims);
        })
      );
    default:
      return prefix + parts(reader.u32(), () => geometryText(reader));
  }
}

/** GEOMETRY (little-endian WKB) → WKT text as DuckDB's core GEOMETRY cast prints it. */
export function formatGeometry(wkb: Uint8Array): string {
  return geometryText(new WkbReader(wkb));
}
