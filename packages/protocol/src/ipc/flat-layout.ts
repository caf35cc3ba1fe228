/**
 * The columns the IPC hot paths handle without arrow-js's visitors: types with no
 * children whose buffers are validity + values (fixed width, bit-packed booleans) or
 * validity + 32-bit offsets + values (Utf8, Binary). Everything else goes through
 * VectorLoader / VectorAssembler.
 */
import { Type, type DataType } from "apache-arrow";

/** Fixed-width values (or bit-packed booleans): validity, values. */
export const FIXED = 2;
/** Variable-width with Int32 offsets: validity, offsets, values. */
export const VARIABLE = 3;

/** Buffers per column for flat types; 0 for every other type. */
export function flatLayout(type: DataType): number {
  switch (type.typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Bool:
    case Type.Date:
    case Type.Time:
    case Type.Timestamp:
    case Type.Duration:
    case Type.Decimal:
    case Type.FixedSizeBinary:
    case Type.Interval:
      return FIXED;
    case Type.Utf8:
    case Type.Binary:
      return VARIABLE;
    default:
      return 0;
  }
}

/** A shared empty buffer (an absent validity bitmap). Never written to. */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);
