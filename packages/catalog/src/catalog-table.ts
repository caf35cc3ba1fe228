/**
 * Catalog tables: a name, Arrow columns, constraints and a scan (the table function
 * DuckDB binds to read the rows, or several branches whose union is the table).
 *
 * Column-level facts travel as Arrow field metadata, where the extension reads them:
 * `default` (SQL expression), `generated_expression`, `comment`, `is_row_id`.
 *
 * `defineTable` is the declarative form. A catalog with tables that change per call
 * (time travel, tables created at run time) implements `CatalogTable` itself.
 *
 * Writable tables name a write function per operation (INSERT/UPDATE/DELETE): a
 * table-in-out function DuckDB binds with the table's rows as input (see the worker's
 * `writableTables` for one backed by shared storage). `write_result_modes` tells DuckDB
 * the most each operation may return: the affected-row count, or the rows (RETURNING).
 */
import { DataType, Field, Schema } from "apache-arrow";
import {
  ErrorKind,
  ForeignKeyInfoCodec,
  VgiError,
  encodeColumnStatistics,
  encodeSchema,
  sqlTypeFromArrow,
  type AnySqlType,
  type ColumnStatistics,
  type ScanBranchesResultInput,
  type ScanFunctionResultInput,
  type TableInfoInput,
} from "@vgi-ts/protocol";
import {
  catalogTableBranch,
  isCatalogTableBranch,
  scanBranch,
  scanFunctionResult,
  type ScanCall,
  type TableBranch,
} from "./scan-call.js";
import { columnRecordSchema } from "./column-record-schema.js";
import { formatSchemaPath, type SchemaPath } from "./schema-path.js";

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

export type WriteOperation = "insert" | "update" | "delete";

/** The most a write returns: the affected-row count, or the rows themselves (RETURNING). */
export type WriteResultMode = "count" | "rows";

export const WRITE_OPERATIONS: readonly WriteOperation[] = ["insert", "update", "delete"];

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

const ROW_ID_KEY = "is_row_id";

export function columnsSchema(columns: TableColumns): Schema {
  return columns instanceof Schema ? columns : columnRecordSchema(columns);
}

class DeclaredTable implements CatalogTable {
  private decorated: Schema | null = null;
  private encodedColumns: Uint8Array | null = null;
  private encodedStatistics: Uint8Array | null | undefined;

  constructor(readonly definition: TableDefinition) {
    // Only the column names are checked now (a default, comment or statistic naming no
    // column fails at definition time). The Arrow schema, its IPC bytes and the encoded
    // statistics are built when first asked for, so a worker defining thousands of
    // tables starts fast and pays for a table when it is listed or read.
    checkColumnNames(definition);
  }

  /** The table's columns with the per-column facts as field metadata. */
  private get schema(): Schema {
    return (this.decorated ??= decorate(this.definition));
  }

  get name(): string {
    return this.definition.name;
  }

  get supportsTimeTravel(): boolean {
    return this.definition.at !== undefined;
  }

  get writable(): boolean {
    return WRITE_OPERATIONS.some((op) => this.definition[op] !== undefined);
  }

  writeFunction(operation: WriteOperation, context: TableContext): ScanFunctionResultInput | null {
    const call = this.definition[operation];
    return call === undefined ? null : scanFunctionResult(call, resolveSchema(context, call));
  }

  /**
   * A multi-branch table answers as of any clause: DuckDB refuses AT on multi-branch
   * tables itself, with its own message, once it has the branches.
   */
  private get ignoresAt(): boolean {
    return this.definition.branches !== undefined && this.definition.at === undefined;
  }

  /** The table as an AT clause sees it; no clause, the current table. */
  private version(context: TableContext, at: AtClause | null): DeclaredTable {
    if (at === null) return this;
    const resolve = this.definition.at;
    if (resolve === undefined) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `Table ${formatSchemaPath(context.schemaPath)}.${this.name} does not support time travel queries`,
      );
    }
    return new DeclaredTable({ ...resolve(at), name: this.name });
  }

  info(context: TableContext, at: AtClause | null): TableInfoInput {
    const table = this.version(context, this.ignoresAt ? null : at);
    const d = table.definition;
    const indexOf = (column: string): number => {
      const index = table.schema.fields.findIndex(
        (f) => f.name.toLowerCase() === column.toLowerCase(),
      );
      if (index < 0) throw new Error(`table ${this.name} has no column ${column}`);
      return index;
    };
    const groups = (list: readonly (readonly string[])[] | undefined): number[][] =>
      (list ?? []).map((group) => group.map(indexOf));
    const inline = d.inlineScan === true && d.scan !== undefined;
    const estimate = d.cardinality?.estimate;
    const max = d.cardinality?.max;
    return {
      comment: d.comment ?? null,
      tags: new Map(Object.entries(d.tags ?? {})),
      name: d.name,
      schemaPath: [...context.schemaPath],
      columns: (table.encodedColumns ??= encodeSchema(table.schema)),
      notNullConstraints: (d.notNull ?? []).map(indexOf),
      uniqueConstraints: groups(d.unique),
      checkConstraints: [...(d.check ?? [])],
      primaryKeyConstraints: groups(d.primaryKey),
      foreignKeyConstraints: (d.foreignKeys ?? []).map((fk) =>
        ForeignKeyInfoCodec.toIpc({
          fkColumns: [...fk.columns],
          pkColumns: [...fk.referencedColumns],
          referencedTable: fk.referencedTable,
          referencedSchemaPath:
            fk.referencedSchema === undefined
              ? [...context.schemaPath]
              : typeof fk.referencedSchema === "string"
                ? [fk.referencedSchema]
                : [...fk.referencedSchema],
        }),
      ),
      writeResultModes: writeResultModes(d),
      supportsColumnStatistics: table.columnStatistics() !== null,
      scanFunction: inline ? table.scanFunction(context, null) : null,
      insertFunction: null,
      updateFunction: null,
      deleteFunction: null,
      cardinalityEstimate: estimate === undefined ? null : BigInt(estimate),
      cardinalityMax: max === undefined ? null : BigInt(max),
      columnStatistics: table.columnStatistics(),
      bindResult: null,
      requiredFilters: (d.requiredFilters ?? []).map((group) => [...group]),
    };
  }

  scanFunction(context: TableContext, at: AtClause | null): ScanFunctionResultInput {
    const d = this.version(context, at).definition;
    const only = d.branches?.length === 1 ? d.branches[0] : undefined;
    const scan = d.scan ?? (only === undefined || isCatalogTableBranch(only) ? undefined : only);
    if (scan === undefined) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `Table ${formatSchemaPath(context.schemaPath)}.${this.name} is read through its branches, not one scan function`,
      );
    }
    return scanFunctionResult(scan, resolveSchema(context, scan));
  }

  scanBranches(context: TableContext, at: AtClause | null): ScanBranchesResultInput {
    const d = this.version(context, this.ignoresAt ? null : at).definition;
    const calls: readonly TableBranch[] = d.branches ?? (d.scan === undefined ? [] : [d.scan]);
    const extensions = new Set([
      ...(d.requiredExtensions ?? []),
      ...calls.flatMap((call) => call.requiredExtensions ?? []),
    ]);
    return {
      branches: calls.map((call) =>
        isCatalogTableBranch(call)
          ? catalogTableBranch(call)
          : scanBranch(call, resolveSchema(context, call)),
      ),
      requiredExtensions: [...extensions],
    };
  }

  columnStatistics(): Uint8Array | null {
    if (this.encodedStatistics === undefined) {
      const { statistics, statisticsCacheMaxAgeSeconds } = this.definition;
      this.encodedStatistics =
        statistics === undefined
          ? null
          : statistics instanceof Uint8Array
            ? statistics
            : encodeColumnStatistics(
                Object.entries(statistics).map(([column, stats]) => ({
                  ...stats,
                  column,
                  type: stats.type ?? this.statisticsType(column),
                })),
                statisticsCacheMaxAgeSeconds === undefined
                  ? {}
                  : { cacheMaxAgeSeconds: statisticsCacheMaxAgeSeconds },
              );
    }
    return this.encodedStatistics;
  }

  /** The type of a column's bounds: its own, or a dictionary's value type. */
  private statisticsType(column: string): AnySqlType {
    const field = this.schema.fields.find((f) => f.name.toLowerCase() === column.toLowerCase());
    if (field === undefined) {
      throw new Error(`table ${this.name}: statistics name unknown column ${column}`);
    }
    const type = DataType.isDictionary(field.type) ? field.type.dictionary : field.type;
    return sqlTypeFromArrow(type, field.metadata);
  }
}

/** Operation → most it returns, for the operations the table allows. */
function writeResultModes(d: TableDefinition): Map<string, string> {
  const modes = new Map<string, string>();
  for (const op of WRITE_OPERATIONS) {
    if (d[op] === undefined) continue;
    const declared = typeof d.writeResult === "string" ? d.writeResult : d.writeResult?.[op];
    modes.set(op, declared ?? "rows");
  }
  if (
    modes.size > 0 &&
    d.rowId === undefined &&
    (d.update !== undefined || d.delete !== undefined)
  ) {
    throw new Error(`table ${d.name}: UPDATE and DELETE need a row id column (rowId)`);
  }
  return modes;
}

function resolveSchema(context: TableContext, call: ScanCall): SchemaPath | null {
  if (call.schemaPath !== undefined) return call.schemaPath;
  return context.functionSchema(call.functionName, context.schemaPath);
}

/**
 * Every column a definition names (defaults, generated expressions, comments, row id,
 * statistics) exists; the same wording as `decorate` and `statisticsType` would throw.
 */
function checkColumnNames(definition: TableDefinition): void {
  const named: [column: string, problem: string][] = [];
  const facts = (record: Readonly<Record<string, string>> | undefined, key: string): void => {
    for (const column of Object.keys(record ?? {})) named.push([column, `${key} names`]);
  };
  facts(definition.defaults, "default");
  facts(definition.generated, "generated_expression");
  facts(definition.columnComments, "comment");
  if (definition.rowId !== undefined) named.push([definition.rowId, `${ROW_ID_KEY} names`]);
  const { statistics } = definition;
  if (statistics !== undefined && !(statistics instanceof Uint8Array)) {
    for (const column of Object.keys(statistics)) named.push([column, "statistics name"]);
  }
  if (named.length === 0) return;
  const columns = definition.columns;
  const names = new Set(
    (columns instanceof Schema ? columns.fields.map((f) => f.name) : Object.keys(columns)).map(
      (name) => name.toLowerCase(),
    ),
  );
  for (const [column, problem] of named) {
    if (!names.has(column.toLowerCase())) {
      throw new Error(`table ${definition.name}: ${problem} unknown column ${column}`);
    }
  }
}

/** The table's columns with the per-column facts as field metadata. */
function decorate(definition: TableDefinition): Schema {
  const schema = columnsSchema(definition.columns);
  const extra = new Map<string, Map<string, string>>();
  const put = (column: string, key: string, value: string): void => {
    const found = schema.fields.find((f) => f.name.toLowerCase() === column.toLowerCase());
    if (found === undefined) {
      throw new Error(`table ${definition.name}: ${key} names unknown column ${column}`);
    }
    const entries = extra.get(found.name) ?? new Map<string, string>();
    entries.set(key, value);
    extra.set(found.name, entries);
  };
  for (const [column, sqlText] of Object.entries(definition.defaults ?? {})) {
    put(column, "default", sqlText);
  }
  for (const [column, sqlText] of Object.entries(definition.generated ?? {})) {
    put(column, "generated_expression", sqlText);
  }
  for (const [column, comment] of Object.entries(definition.columnComments ?? {})) {
    put(column, "comment", comment);
  }
  if (definition.rowId !== undefined) put(definition.rowId, ROW_ID_KEY, "");
  if (extra.size === 0) return schema;
  return new Schema(
    schema.fields.map((f) => {
      const entries = extra.get(f.name);
      if (entries === undefined) return f;
      return new Field(f.name, f.type, f.nullable, new Map([...f.metadata, ...entries]));
    }),
    schema.metadata,
  );
}

export function defineTable(definition: TableDefinition): CatalogTable {
  return new DeclaredTable(definition);
}
