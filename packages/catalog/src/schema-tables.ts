/**
 * The tables of one schema: declared up front as a list, or reached through a
 * `TableSource`, for a schema too large or too remote to describe whole. DuckDB looks a
 * table up by name (`catalog_table_get`) when a schema announces more tables than its
 * `vgi_eager_load_threshold` (1,000 by default), and lists them all only when a query
 * needs every one (`duckdb_tables()`, `SHOW ALL TABLES`). A source therefore serves a
 * query that names one table of millions without describing the others.
 */
import { ErrorKind, VgiError } from "@vgi-ts/protocol";
import { defineTable, type CatalogTable, type TableDefinition } from "./catalog-table.js";
import { formatSchemaPath, type SchemaPath } from "./schema-path.js";

/**
 * Tables found on demand. Answers are kept for the life of the catalog (as a declared
 * table's description is): a source whose tables change declares `catalogVersion` on its
 * catalog, and each version gets fresh lookups.
 *
 * Catalog-wide capabilities cannot be derived from tables no one has looked up yet, so
 * a catalog with sourced tables declares them itself: `supportsTimeTravel` for tables
 * with `at`, `attachScoped` for writable ones. It is asked for column statistics.
 */
export interface TableSource {
  /** The table named `name` (matched case-insensitively), or undefined when there is none. */
  get(name: string): CatalogTable | TableDefinition | undefined;
  /** Every table, for queries that list the schema. */
  list(): Iterable<CatalogTable | TableDefinition>;
  /** About how many tables `list` yields; DuckDB decides from it whether to list or look up. */
  readonly estimatedCount: number;
}

type TableEntry = CatalogTable | TableDefinition;

function isCatalogTable(table: TableEntry): table is CatalogTable {
  return typeof (table as Partial<CatalogTable>).scanBranches === "function";
}

const asCatalogTable = (table: TableEntry): CatalogTable =>
  isCatalogTable(table) ? table : defineTable(table);

function isTableSource(tables: readonly TableEntry[] | TableSource): tables is TableSource {
  return typeof (tables as Partial<TableSource>).get === "function";
}

export class SchemaTables {
  /** Declared tables by lower-cased name (empty for a source). */
  private readonly declared = new Map<string, CatalogTable>();
  private readonly source: TableSource | null;
  /** A source's answers so far, by lower-cased name. */
  private readonly found = new Map<string, CatalogTable>();
  private listed: readonly CatalogTable[] | null = null;

  constructor(
    private readonly path: SchemaPath,
    tables: readonly TableEntry[] | TableSource = [],
  ) {
    if (isTableSource(tables)) {
      this.source = tables;
      return;
    }
    this.source = null;
    for (const table of tables.map(asCatalogTable)) {
      const key = table.name.toLowerCase();
      if (this.declared.has(key)) {
        throw new Error(`schema ${formatSchemaPath(path)} declares table ${table.name} twice`);
      }
      this.declared.set(key, table);
    }
  }

  find(name: string): CatalogTable | undefined {
    const key = name.toLowerCase();
    if (this.source === null) return this.declared.get(key);
    let table = this.found.get(key);
    if (table === undefined) {
      const answer = this.source.get(name);
      if (answer === undefined) return undefined;
      table = this.checked(asCatalogTable(answer), key);
      this.found.set(key, table);
    }
    return table;
  }

  /** Every table, in declaration (or listing) order. */
  all(): readonly CatalogTable[] {
    if (this.source === null) return [...this.declared.values()];
    this.listed ??= Array.from(this.source.list(), asCatalogTable);
    return this.listed;
  }

  /** What the schema announces to DuckDB as its table count. */
  get count(): number {
    return this.source === null ? this.declared.size : this.source.estimatedCount;
  }

  /** The declared tables: catalog-wide capabilities are derived from these alone. */
  get declaredTables(): Iterable<CatalogTable> {
    return this.declared.values();
  }

  get sourced(): boolean {
    return this.source !== null;
  }

  private checked(table: CatalogTable, key: string): CatalogTable {
    if (table.name.toLowerCase() !== key) {
      throw new VgiError(
        ErrorKind.ContractViolation,
        `the table source of schema ${formatSchemaPath(this.path)} answered ${table.name} ` +
          `when asked for ${key}`,
      );
    }
    return table;
  }
}
