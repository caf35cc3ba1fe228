/**
 * CAST(value AS VARCHAR) computed client-side from @duckdb/node-api values,
 * reproducing DuckDB 1.5.5's casts: scalar formats (format-*.ts) and the
 * quoting rules for children of nested types from list_casts.cpp,
 * struct_cast.cpp, map_cast.cpp, array_casts.cpp and union_casts.cpp.
 */
import {
  DuckDBArrayValue,
  DuckDBBitValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBGeometryValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimeNSValue,
  DuckDBTimeTZValue,
  DuckDBTimeValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  DuckDBUnionValue,
  DuckDBVariantValue,
  type DuckDBType,
  type DuckDBValue,
} from "@duckdb/node-api";
import { formatBlob, formatGeometry } from "./format-binary.js";
import { formatDecimal, formatDouble, formatFloat } from "./format-number.js";
import {
  formatDate,
  formatInterval,
  formatTime,
  formatTimeNs,
  formatTimeTz,
  formatTimestamp,
  formatTimestampMs,
  formatTimestampNs,
  formatTimestampS,
  formatTimestampTz,
} from "./format-temporal.js";

export interface RenderOptions {
  /** The session TimeZone, used for TIMESTAMPTZ → VARCHAR (ICU prints local time + offset). */
  timeZone: string;
}

export const DEFAULT_OPTIONS: RenderOptions = { timeZone: "UTC" };

/** Characters that force quoting of a scalar inside a nested value (NestedToVarcharCast::LOOKUP_TABLE). */
const SPECIAL = new Set(['"', "'", "(", ")", ",", ":", "=", "[", "]", "{", "}"]);
const SPACE = new Set([" ", "\t", "\n", "\v", "\f", "\r"]);

/** True for types whose physical representation is STRUCT, LIST or ARRAY (LogicalType::IsNested). */
export function isNestedType(type: DuckDBType): boolean {
  switch (type.typeId) {
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.UNION:
    case DuckDBTypeId.VARIANT:
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.ARRAY:
      return true;
    default:
      return false;
  }
}

/**
 * Quotes a scalar's text for use inside a nested value, exactly like
 * VectorCastHelpers::WriteEscapedString: struct keys are always quoted; other
 * strings only when empty, padded with whitespace, "null", or containing a
 * separator character. Quoting escapes ' and \ with a backslash.
 */
export function escapeNested(text: string, isStructKey = false): string {
  let needsQuotes = isStructKey || text.length === 0;
  if (!needsQuotes) {
    needsQuotes =
      SPACE.has(text[0] ?? "") ||
      (text.length >= 2 && SPACE.has(text[text.length - 1] ?? "")) ||
      text.toLowerCase() === "null" ||
      [...text].some((ch) => SPECIAL.has(ch));
  }
  if (!needsQuotes) return text;
  return `'${text.replace(/[\\']/g, (ch) => `\\${ch}`)}'`;
}

/** A nested child's text: scalars are escaped, nested values are embedded as-is, NULL is bare. */
function childText(
  value: DuckDBValue,
  type: DuckDBType,
  options: RenderOptions,
  escape: boolean,
): string {
  const text = castToVarchar(value, type, options);
  if (text === null) return "NULL";
  return escape && !isNestedType(type) ? escapeNested(text) : text;
}

/**
 * The json extension registers its own JSON[] → VARCHAR cast that embeds the
 * JSON texts verbatim, so list children of type JSON are never quoted.
 */
export function isJson(type: DuckDBType): boolean {
  return type.typeId === DuckDBTypeId.VARCHAR && type.alias === "JSON";
}

function isUnnamedStruct(names: readonly string[]): boolean {
  return names.length > 0 && names.every((name) => name === "");
}

export function structText(names: readonly string[], values: string[]): string {
  if (isUnnamedStruct(names)) return `(${values.join(", ")})`;
  return `{${values.map((v, i) => `${escapeNested(names[i] ?? "", true)}: ${v}`).join(", ")}}`;
}

function bigintOf(value: DuckDBValue): bigint {
  return typeof value === "bigint" ? value : BigInt(value as number);
}

/**
 * CAST(value AS VARCHAR) for one value of `type`; `null` for SQL NULL.
 * Works on the materialised DuckDBValue objects of @duckdb/node-api.
 */
export function castToVarchar(
  value: DuckDBValue,
  type: DuckDBType,
  options: RenderOptions = DEFAULT_OPTIONS,
): string | null {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return value ? "true" : "false";
    case DuckDBTypeId.FLOAT:
      return formatFloat(value as number);
    case DuckDBTypeId.DOUBLE:
      return formatDouble(value as number);
    case DuckDBTypeId.DECIMAL:
      return value instanceof DuckDBDecimalValue
        ? formatDecimal(value.value, value.scale)
        : String(value);
    case DuckDBTypeId.BLOB:
      return value instanceof DuckDBBlobValue ? formatBlob(value.bytes) : String(value);
    case DuckDBTypeId.GEOMETRY:
      return value instanceof DuckDBGeometryValue ? formatGeometry(value.bytes) : String(value);
    case DuckDBTypeId.BIT:
      return value instanceof DuckDBBitValue ? value.toString() : String(value);
    case DuckDBTypeId.DATE:
      return value instanceof DuckDBDateValue ? formatDate(value.days) : String(value);
    case DuckDBTypeId.TIME:
      return value instanceof DuckDBTimeValue ? formatTime(value.micros) : String(value);
    case DuckDBTypeId.TIME_NS:
      return value instanceof DuckDBTimeNSValue ? formatTimeNs(value.nanos) : String(value);
    case DuckDBTypeId.TIME_TZ:
      return value instanceof DuckDBTimeTZValue
        ? formatTimeTz(value.micros, value.offset)
        : String(value);
    case DuckDBTypeId.TIMESTAMP:
      return value instanceof DuckDBTimestampValue ? formatTimestamp(value.micros) : String(value);
    case DuckDBTypeId.TIMESTAMP_NS:
      return value instanceof DuckDBTimestampNanosecondsValue
        ? formatTimestampNs(value.nanos)
        : String(value);
    case DuckDBTypeId.TIMESTAMP_MS:
      return value instanceof DuckDBTimestampMillisecondsValue
        ? formatTimestampMs(value.millis)
        : String(value);
    case DuckDBTypeId.TIMESTAMP_S:
      return value instanceof DuckDBTimestampSecondsValue
        ? formatTimestampS(value.seconds)
        : String(value);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return value instanceof DuckDBTimestampTZValue
        ? formatTimestampTz(value.micros, options.timeZone)
        : String(value);
    case DuckDBTypeId.INTERVAL:
      return value instanceof DuckDBIntervalValue
        ? formatInterval(value.months, value.days, value.micros)
        : String(value);
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return bigintOf(value).toString();
    case DuckDBTypeId.LIST:
      if (!(value instanceof DuckDBListValue)) return String(value);
      return `[${value.items
        .map((item) => childText(item, type.valueType, options, !isJson(type.valueType)))
        .join(", ")}]`;
    case DuckDBTypeId.ARRAY:
      // ArrayToVarcharCast joins the child strings without quoting them (unlike LIST).
      if (!(value instanceof DuckDBArrayValue)) return String(value);
      return `[${value.items.map((item) => childText(item, type.valueType, options, false)).join(", ")}]`;
    case DuckDBTypeId.MAP:
      if (!(value instanceof DuckDBMapValue)) return String(value);
      return `{${value.entries
        .map(
          ({ key, value: v }) =>
            `${childText(key, type.keyType, options, true)}=${childText(v, type.valueType, options, true)}`,
        )
        .join(", ")}}`;
    case DuckDBTypeId.STRUCT: {
      if (!(value instanceof DuckDBStructValue)) return String(value);
      const children = type.entryNames.map((name, i) =>
        childText(value.entries[name] ?? null, type.entryTypes[i] as DuckDBType, options, true),
      );
      return structText(type.entryNames, children);
    }
    case DuckDBTypeId.UNION: {
      // UnionToVarcharCast: the active member's own text, without the tag or quoting.
      if (!(value instanceof DuckDBUnionValue)) return String(value);
      const memberIndex = type.tagMemberIndexes[value.tag];
      const memberType = memberIndex === undefined ? undefined : type.memberTypes[memberIndex];
      if (memberType === undefined) return String(value.value);
      return castToVarchar(value.value, memberType, options) ?? "NULL";
    }
    case DuckDBTypeId.VARIANT: {
      // A VARIANT prints as its inner value cast with the inner value's own type.
      if (!(value instanceof DuckDBVariantValue)) return String(value);
      if (value.type === undefined) return value.value === null ? null : String(value.value);
      return castToVarchar(value.value, value.type, options);
    }
    default:
      return typeof value === "string" ? value : String(value);
  }
}
