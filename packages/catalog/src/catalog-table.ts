/**
 * Catalog tables: a name, Arrow columns, constraints and a scan (the table function
 * DuckDB binds to read the rows, or several branches whose union is the table).
 *
 * `CatalogTable` is what the catalog methods ask of a table. `defineTable` is the
 * declarative form (`declared-table.ts`); a catalog with tables that change per call
 * (time travel, tables created at run time) implements `CatalogTable` itself.
 *
 * Writable tables name a write function per operation (INSERT/UPDATE/DELETE): a
 * table-in-out function DuckDB binds with the table's rows as input (see the worker's
 * `writableTables` for one backed by shared storage), see `table-writes.ts`.
 *
 * This module also re-exports the table names that live in their own modules, so
 * importers of `./catalog-table.js` keep finding them here.
 */
import type {
  ScanBranchesResultInput,
  ScanFunctionResultInput,
  TableInfoInput,
} from "@vgi-ts/protocol";
import type { SchemaPath } from "./schema-path.js";
import type { WriteOperation } from "./table-writes.js";

export { defineTable } from "./declared-table.js";
export { columnsSchema } from "./table-columns.js";
export type {
  ForeignKeyDefinition,
  TableColumnStatistics,
  TableColumns,
  TableDefinition,
} from "./table-definition.js";
export { WRITE_OPERATIONS, type WriteOperation, type WriteResultMode } from "./table-writes.js";

/** `AT (unit => value)`: the point in time a query reads (VERSION, TIMESTAMP, ...). */
export interface AtClause {
  readonly unit: string;
  readonly value: string;
}

/** Where a table lives and how its scan function's schema is found. */
export interface TableContext {
  readonly schemaPath: SchemaPath;
  /** The schema a function of this catalog lives in, or null (a DuckDB function). */
  functionSchema(name: string, preferred: SchemaPath): SchemaPath | null;
}

/** The lower-level table interface: what the catalog methods ask of a table. */
export interface CatalogTable {
  readonly name: string;
  readonly supportsTimeTravel: boolean;
  /** Whether any write operation is declared (the catalog then isolates attachments). */
  readonly writable?: boolean;
  info(context: TableContext, at: AtClause | null): TableInfoInput;
  scanFunction(context: TableContext, at: AtClause | null): ScanFunctionResultInput;
  scanBranches(context: TableContext, at: AtClause | null): ScanBranchesResultInput;
  /** IPC-encoded column statistics, or null when the table declares none. */
  columnStatistics(): Uint8Array | null;
  /** The function that performs `operation` on this table; null when it is not allowed. */
  writeFunction?(operation: WriteOperation, context: TableContext): ScanFunctionResultInput | null;
}
