/**
 * `defineTable`: a `CatalogTable` from a `TableDefinition`. It answers as of an AT
 * clause through the definition's `at` (time travel), and builds the decorated schema,
 * its IPC bytes and the encoded statistics only when first asked for, so a worker
 * defining thousands of tables starts fast and pays for a table when it is listed or
 * read.
 */
import type { Schema } from "apache-arrow";
import {
  ErrorKind,
  VgiError,
  encodeSchema,
  type ScanBranchesResultInput,
  type ScanFunctionResultInput,
  type TableInfoInput,
} from "@vgi-ts/protocol";
import type { AtClause, CatalogTable, TableContext } from "./catalog-table.js";
import {
  catalogTableBranch,
  isCatalogTableBranch,
  scanBranch,
  scanFunctionResult,
  type ScanCall,
  type TableBranch,
} from "./scan-call.js";
import { formatSchemaPath, type SchemaPath } from "./schema-path.js";
import { checkColumnNames, decorateColumns } from "./table-columns.js";
import type { TableDefinition } from "./table-definition.js";
import { tableInfo, type ListedTable } from "./table-info.js";
import { encodeTableStatistics } from "./table-statistics.js";
import { WRITE_OPERATIONS, type WriteOperation } from "./table-writes.js";

class DeclaredTable implements CatalogTable, ListedTable {
  private decorated: Schema | null = null;
  private columnsBytes: Uint8Array | null = null;
  private encodedStatistics: Uint8Array | null | undefined;

  constructor(readonly definition: TableDefinition) {
    // Only the column names are checked now (a default, comment or statistic naming no
    // column fails at definition time); the rest waits until first asked for.
    checkColumnNames(definition);
  }

  /** The table's columns with the per-column facts as field metadata. */
  get schema(): Schema {
    return (this.decorated ??= decorateColumns(this.definition));
  }

  encodedColumns(): Uint8Array {
    return (this.columnsBytes ??= encodeSchema(this.schema));
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
    return tableInfo(this.version(context, this.ignoresAt ? null : at), context);
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
      this.encodedStatistics = encodeTableStatistics(this.definition, () => this.schema);
    }
    return this.encodedStatistics;
  }
}

function resolveSchema(context: TableContext, call: ScanCall): SchemaPath | null {
  if (call.schemaPath !== undefined) return call.schemaPath;
  return context.functionSchema(call.functionName, context.schemaPath);
}

export function defineTable(definition: TableDefinition): CatalogTable {
  return new DeclaredTable(definition);
}
