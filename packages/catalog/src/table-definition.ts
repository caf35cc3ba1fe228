/**
 * `TableDefinition`: the declarative form of a catalog table (what `defineTable`
 * takes). Column-level facts (defaults, generated expressions, comments, the row id)
 * become Arrow field metadata, see `table-columns.ts`; statistics are encoded by
 * `table-statistics.ts`.
 */
import type { Schema } from "apache-arrow";
import type { AnySqlType, ColumnStatistics } from "@vgi-ts/protocol";
import type { AtClause } from "./catalog-table.js";
import type { ScanCall, TableBranch } from "./scan-call.js";
import type { SchemaPath } from "./schema-path.js";
import type { WriteOperation, WriteResultMode } from "./table-writes.js";

export interface ForeignKeyDefinition {
  readonly columns: readonly string[];
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
  /** Defaults to the schema of the table declaring the key. */
  readonly referencedSchema?: string | SchemaPath;
}

export type TableColumns = Schema | Readonly<Record<string, AnySqlType>>;

/**
 * Statistics of one column of a declared table. `min`/`max` are values of the column's
 * type unless `type` says otherwise (a dictionary column's bounds are its values).
 */
export type TableColumnStatistics = Omit<ColumnStatistics, "column" | "type"> & {
  readonly type?: AnySqlType;
};

export interface TableDefinition {
  readonly name: string;
  readonly comment?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly columns: TableColumns;
  /** The function that produces the rows (`branches` instead for a multi-branch table). */
  readonly scan?: ScanCall;
  /**
   * Send the scan inside the table description, so DuckDB skips the
   * `catalog_table_scan_function_get` round trip.
   */
  readonly inlineScan?: boolean;
  /**
   * Arms of a multi-branch table: DuckDB scans each and unions the rows. An arm is a
   * function call or a table of another attached catalog (a companion's table).
   */
  readonly branches?: readonly TableBranch[];
  readonly requiredExtensions?: readonly string[];
  readonly notNull?: readonly string[];
  readonly unique?: readonly (readonly string[])[];
  readonly primaryKey?: readonly (readonly string[])[];
  readonly check?: readonly string[];
  readonly foreignKeys?: readonly ForeignKeyDefinition[];
  /** Column defaults as SQL expressions (`"0"`, `"'unknown'"`, `"current_date"`). */
  readonly defaults?: Readonly<Record<string, string>>;
  /** Generated (virtual) columns: SQL expressions over the other columns. */
  readonly generated?: Readonly<Record<string, string>>;
  readonly columnComments?: Readonly<Record<string, string>>;
  /** The column DuckDB uses as the row id (UPDATE/DELETE, late materialization). */
  readonly rowId?: string;
  readonly cardinality?: { readonly estimate?: bigint | number; readonly max?: bigint | number };
  /** AND of OR-groups of column paths: a query must filter on one path of every group. */
  readonly requiredFilters?: readonly (readonly string[])[];
  /**
   * Column statistics DuckDB's optimizer may use (filters outside [min, max] fold to an
   * empty result), by column name; or already IPC-encoded statistics. They travel
   * inside the table description, so no scan asks for them.
   */
  readonly statistics?: Uint8Array | Readonly<Record<string, TableColumnStatistics>>;
  /** How long DuckDB may keep the statistics (seconds); absent: for the catalog's life. */
  readonly statisticsCacheMaxAgeSeconds?: number;
  /**
   * Time travel: the table as of an `AT (...)` clause (columns, constraints and scan
   * may all differ per version). Throw a `VgiError` for a point the table never had.
   */
  readonly at?: (at: AtClause) => TableDefinition;
  /** Write functions (table-in-out, the rows to write as input); left out: not allowed. */
  readonly insert?: ScanCall;
  readonly update?: ScanCall;
  readonly delete?: ScanCall;
  /**
   * The most each write returns (default `"rows"`: RETURNING allowed). `"count"` makes
   * DuckDB refuse RETURNING on that operation before anything is sent.
   */
  readonly writeResult?: WriteResultMode | Partial<Record<WriteOperation, WriteResultMode>>;
}
