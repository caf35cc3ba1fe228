/**
 * DuckDB result cells → the strings DuckDB's sqllogictest compares against.
 *
 * The C++ runner (result_helper.cpp, SQLLogicTestConvertValue) renders a cell
 * as: NULL → "NULL", BOOLEAN → "1"/"0", anything else → `CAST(value AS
 * VARCHAR)` with "" shown as "(empty)" and NUL bytes as "\\0".
 */
import {
  DuckDBListVector,
  DuckDBStructVector,
  DuckDBTypeId,
  type DuckDBType,
  type DuckDBVector,
} from "@duckdb/node-api";
import {
  castToVarchar,
  DEFAULT_OPTIONS,
  escapeNested,
  isJson,
  isNestedType,
  structText,
  type RenderOptions,
} from "./cast-to-varchar.js";

export type { RenderOptions } from "./cast-to-varchar.js";

/**
 * CAST AS VARCHAR for row `row` of a result vector. STRUCT and LIST are walked
 * through their child vectors so unnamed structs (whose entries all share the
 * name "") keep every child; other types go through the materialised value.
 */
export function vectorItemToVarchar(
  vector: DuckDBVector,
  row: number,
  type: DuckDBType,
  options: RenderOptions = DEFAULT_OPTIONS,
): string | null {
  if (type.typeId === DuckDBTypeId.STRUCT && vector instanceof DuckDBStructVector) {
    if (!vector.isItemValid(row)) return null;
    const children = type.entryTypes.map((childType, i) => {
      const text = vectorItemToVarchar(vector.entryVectorAt(i), row, childType, options);
      if (text === null) return "NULL";
      return isNestedType(childType) ? text : escapeNested(text);
    });
    return structText(type.entryNames, children);
  }
  if (type.typeId === DuckDBTypeId.LIST && vector instanceof DuckDBListVector) {
    const child = vector.getItemVector(row);
    if (child === null) return null;
    const items: string[] = [];
    for (let i = 0; i < child.itemCount; i++) {
      const text = vectorItemToVarchar(child, i, type.valueType, options);
      const verbatim = isNestedType(type.valueType) || isJson(type.valueType);
      items.push(text === null ? "NULL" : verbatim ? text : escapeNested(text));
    }
    return `[${items.join(", ")}]`;
  }
  return castToVarchar(vector.getItem(row), type, options);
}

/** The sqllogictest rendering of a cell whose VARCHAR text (or NULL) is already known. */
export function sqllogicCell(text: string | null, type: DuckDBType): string {
  if (text === null) return "NULL";
  if (type.typeId === DuckDBTypeId.BOOLEAN) {
    // SQLLogicTestConvertValue renders top-level booleans as 1/0.
    return text === "true" ? "1" : "0";
  }
  if (text === "") return "(empty)";
  return text.includes("\0") ? text.replace(/\0/g, "\\0") : text;
}

/** Renders row `row` of a result vector the way DuckDB's sqllogictest does. */
export function renderVectorCell(
  vector: DuckDBVector,
  row: number,
  type: DuckDBType,
  options: RenderOptions = DEFAULT_OPTIONS,
): string {
  return sqllogicCell(vectorItemToVarchar(vector, row, type, options), type);
}

/** True if `type` (or any type nested in it) is TIMESTAMPTZ, whose text depends on the TimeZone. */
export function containsTimestampTz(type: DuckDBType): boolean {
  switch (type.typeId) {
    case DuckDBTypeId.TIMESTAMP_TZ:
      return true;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return containsTimestampTz(type.valueType);
    case DuckDBTypeId.MAP:
      return containsTimestampTz(type.keyType) || containsTimestampTz(type.valueType);
    case DuckDBTypeId.STRUCT:
      return type.entryTypes.some(containsTimestampTz);
    case DuckDBTypeId.UNION:
      return type.memberTypes.some(containsTimestampTz);
    default:
      return false;
  }
}
