/**
 * `duckdb.spatial/intersects_extent@1`: DuckDB spatial's bounding-box test (`a && b`,
 * `st_intersects_extent(a, b)`), true when the boxes of two geometries share a point.
 * NULL when either side is NULL; false when either geometry is empty (no box), as
 * spatial answers. A GEOMETRY column is read on its value buffer (wkb-extent.ts); the
 * constant side's box is computed once per batch.
 */
import { DataType, type Data } from "apache-arrow";
import { filterFunctionKey, type FilterFunctionIdentity } from "@vgi-ts/protocol";
import { byteAccess, isValid } from "./column-kernels.js";
import { FALSE, NULL, TRUE, type Truth, constantTruth } from "./truth.js";
import {
  MalformedWkbError,
  WkbExtentReader,
  emptyExtent,
  extentsIntersect,
  type Extent,
} from "./wkb-extent.js";

export const INTERSECTS_EXTENT: FilterFunctionIdentity = {
  namespace: "duckdb.spatial",
  name: "intersects_extent",
  version: 1,
};
const INTERSECTS_EXTENT_KEY = filterFunctionKey(INTERSECTS_EXTENT);

/** Whether the worker's runtime can evaluate this namespaced filter function. */
export function isIntersectsExtent(identity: FilterFunctionIdentity): boolean {
  return filterFunctionKey(identity) === INTERSECTS_EXTENT_KEY;
}

/** One side of the test: a WKB column, a constant WKB value, or per-row values. */
export type GeometrySource =
  | { readonly kind: "column"; readonly data: Data }
  | { readonly kind: "constant"; readonly value: unknown }
  | { readonly kind: "rows"; readonly get: (index: number) => unknown };

/** Per row: NULL (2), empty (0) or a box (1) written into `out`. */
type ExtentAt = (index: number, out: Extent) => number;
const ABSENT = 2;
const EMPTY = 0;
const PRESENT = 1;

export function intersectsExtent(
  left: GeometrySource,
  right: GeometrySource,
  length: number,
): Truth {
  // Constant on the left: the test is symmetric.
  if (left.kind === "constant" && right.kind !== "constant") [left, right] = [right, left];
  if (right.kind === "constant") {
    const box = emptyExtent();
    const state = constantExtent(right.value, box);
    if (state === ABSENT) return constantTruth(length, NULL);
    if (left.kind === "column" && state === PRESENT)
      return columnAgainstBox(left.data, box, length);
    const rows = extentsOf(left);
    const out = constantTruth(length, FALSE);
    const scratch = emptyExtent();
    for (let i = 0; i < length; i++) {
      const at = rows(i, scratch);
      if (at === ABSENT) out[i] = NULL;
      else if (state === PRESENT && at === PRESENT && extentsIntersect(scratch, box)) out[i] = TRUE;
    }
    return out;
  }
  const a = extentsOf(left);
  const b = extentsOf(right);
  const boxA = emptyExtent();
  const boxB = emptyExtent();
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const sa = a(i, boxA);
    const sb = b(i, boxB);
    out[i] =
      sa === ABSENT || sb === ABSENT
        ? NULL
        : sa === PRESENT && sb === PRESENT && extentsIntersect(boxA, boxB)
          ? TRUE
          : FALSE;
  }
  return out;
}

/**
 * The hot case, a GEOMETRY column against one box, as one loop over the offsets and
 * value buffer: a little-endian 2D point (21 bytes, header 01 01000000) is tested from
 * its two doubles in place; any other geometry goes through the WKB reader.
 */
function columnAgainstBox(data: Data, box: Extent, length: number): Truth {
  const rows = columnRows(data);
  const out = new Uint8Array(length);
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  if (!(offsets instanceof Int32Array)) return fill(out, rows, box);
  const bytes = rows.bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { minX, minY, maxX, maxY } = box;
  const checkNulls = data.nullCount > 0;
  const scratch = emptyExtent();
  for (let i = 0; i < length; i++) {
    if (checkNulls && !isValid(data, i)) {
      out[i] = NULL;
      continue;
    }
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    if (
      end - start === 21 &&
      end <= bytes.length &&
      bytes[start] === 1 &&
      bytes[start + 1] === 1 &&
      bytes[start + 2] === 0 &&
      bytes[start + 3] === 0 &&
      bytes[start + 4] === 0
    ) {
      // NaN (POINT EMPTY) fails every comparison: FALSE, as spatial answers.
      const x = view.getFloat64(start + 5, true);
      const y = view.getFloat64(start + 13, true);
      out[i] = x >= minX && x <= maxX && y >= minY && y <= maxY ? TRUE : FALSE;
    } else {
      out[i] =
        rows.reader.read(start, end, scratch) && extentsIntersect(scratch, box) ? TRUE : FALSE;
    }
  }
  return out;
}

function fill(out: Truth, rows: ColumnRows, box: Extent): Truth {
  const scratch = emptyExtent();
  for (let i = 0; i < out.length; i++) {
    const at = rows.at(i, scratch);
    out[i] = at === ABSENT ? NULL : at === PRESENT && extentsIntersect(scratch, box) ? TRUE : FALSE;
  }
  return out;
}

interface ColumnRows {
  readonly bytes: Uint8Array;
  readonly reader: WkbExtentReader;
  readonly at: ExtentAt;
}

function columnRows(data: Data): ColumnRows {
  const type = data.type as DataType;
  if (!(DataType.isBinary(type) || DataType.isLargeBinary(type))) {
    throw new MalformedWkbError(`a GEOMETRY column must be Binary, got ${String(type)}`);
  }
  const rows = byteAccess(data);
  // An all-NULL column may come without a value buffer.
  const bytes = rows.bytes ?? new Uint8Array(0);
  const reader = new WkbExtentReader(bytes);
  const checkNulls = data.nullCount > 0;
  return {
    bytes,
    reader,
    at: (i, out) => {
      if (checkNulls && !isValid(data, i)) return ABSENT;
      return reader.read(rows.start(i), rows.end(i), out) ? PRESENT : EMPTY;
    },
  };
}

function wkbBytes(value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new MalformedWkbError(`expected WKB bytes, got ${typeof value}`);
  }
  return value;
}

function constantExtent(value: unknown, out: Extent): number {
  if (value === null || value === undefined) return ABSENT;
  const wkb = wkbBytes(value);
  return new WkbExtentReader(wkb).read(0, wkb.length, out) ? PRESENT : EMPTY;
}

function extentsOf(source: GeometrySource): ExtentAt {
  switch (source.kind) {
    case "constant": {
      const box = emptyExtent();
      const state = constantExtent(source.value, box);
      return (_i, out) => {
        Object.assign(out, box);
        return state;
      };
    }
    case "rows":
      return (i, out) => {
        const value = source.get(i);
        if (value === null || value === undefined) return ABSENT;
        const wkb = wkbBytes(value);
        return new WkbExtentReader(wkb).read(0, wkb.length, out) ? PRESENT : EMPTY;
      };
    case "column":
      return columnRows(source.data).at;
  }
}
