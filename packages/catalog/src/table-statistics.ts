/**
 * A declared table's column statistics as the IPC bytes the table description carries
 * (DuckDB's optimizer folds filters outside [min, max] to an empty result, and no scan
 * has to ask for them). Encoded once, when first asked for.
 */
import { DataType, type Schema } from "apache-arrow";
import { encodeColumnStatistics, sqlTypeFromArrow, type AnySqlType } from "@vgi-ts/protocol";
import type { TableDefinition } from "./table-definition.js";

/**
 * The encoded statistics, or null when the table declares none. `schema` is asked for
 * only when a column's statistics leave out their type (it may build the schema).
 */
export function encodeTableStatistics(
  definition: TableDefinition,
  schema: () => Schema,
): Uint8Array | null {
  const { statistics, statisticsCacheMaxAgeSeconds } = definition;
  return statistics === undefined
    ? null
    : statistics instanceof Uint8Array
      ? statistics
      : encodeColumnStatistics(
          Object.entries(statistics).map(([column, stats]) => ({
            ...stats,
            column,
            type: stats.type ?? statisticsType(definition.name, schema(), column),
          })),
          statisticsCacheMaxAgeSeconds === undefined
            ? {}
            : { cacheMaxAgeSeconds: statisticsCacheMaxAgeSeconds },
        );
}

/** The type of a column's bounds: its own, or a dictionary's value type. */
function statisticsType(table: string, schema: Schema, column: string): AnySqlType {
  const field = schema.fields.find((f) => f.name.toLowerCase() === column.toLowerCase());
  if (field === undefined) {
    throw new Error(`table ${table}: statistics name unknown column ${column}`);
  }
  const type = DataType.isDictionary(field.type) ? field.type.dictionary : field.type;
  return sqlTypeFromArrow(type, field.metadata);
}
