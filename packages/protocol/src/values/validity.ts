/** Internal validity-bitmap helpers shared by the type families and `columns.ts`. */
import { Type, type Data } from "apache-arrow";
import { TypeMismatchError } from "../errors.js";

export interface PackedValidity {
  /** LSB-first bitmap, or undefined when nothing is null (Arrow allows omitting it). */
  readonly nullBitmap: Uint8Array | undefined;
  readonly nullCount: number;
}

/** Validity of row-wise values: `null` and `undefined` are null. */
export function packValidity(values: readonly unknown[]): PackedValidity {
  const n = values.length;
  let nullCount = 0;
  for (let i = 0; i < n; i++) if (values[i] == null) nullCount++;
  if (nullCount === 0) return { nullBitmap: undefined, nullCount };
  const nullBitmap = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (values[i] != null) nullBitmap[i >> 3]! |= 1 << (i & 7);
  return { nullBitmap, nullCount };
}

/** A per-row validity test for one chunk, honouring the chunk's slice offset. */
export function validityTest(data: Data): (index: number) => boolean {
  if (data.typeId === Type.Null) return () => false;
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return () => true;
  const offset = data.offset;
  return (i) => ((bitmap[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) === 1;
}

/** The error every builder throws for a JS value that does not fit the SQL type. */
export function badValue(sqlName: string, value: unknown, why?: string): TypeMismatchError {
  return new TypeMismatchError(
    `cannot encode ${describe(value)} as ${sqlName}${why === undefined ? "" : `: ${why}`}`,
  );
}

function describe(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Date)
    return `Date(${Number.isNaN(value.getTime()) ? "invalid" : value.toISOString()})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  if (value instanceof Uint8Array) return `bytes(${value.length})`;
  if (typeof value === "object" && value !== null) return value.constructor?.name ?? "object";
  return String(value);
}
