/**
 * The listing row of a declared table (`TableInfo`, what `catalog_schema_contents_tables` and
 * `catalog_table_get` answer): constraints as column indexes, foreign keys, write
 * result modes, cardinality, statistics, and the scan when it travels inline.
 */
import type { Schema } from "apache-arrow";
import {
  ForeignKeyInfoCodec,
  type ScanFunctionResultInput,
  type TableInfoInput,
} from "@vgi-ts/protocol";
import type { TableContext } from "./catalog-table.js";
import type { ForeignKeyDefinition, TableDefinition } from "./table-definition.js";
import { writeResultModes } from "./table-writes.js";

/** A table as one version sees it, with its lazily built parts. */
export interface ListedTable {
  readonly definition: TableDefinition;
  /** The columns with their per-column facts as field metadata. */
  readonly schema: Schema;
  encodedColumns(): Uint8Array;
  columnStatistics(): Uint8Array | null;
  scanFunction(context: TableContext, at: null): ScanFunctionResultInput;
}

export function tableInfo(table: ListedTable, context: TableContext): TableInfoInput {
  const d = table.definition;
  const indexOf = (column: string): number => {
    const index = table.schema.fields.findIndex(
      (f) => f.name.toLowerCase() === column.toLowerCase(),
    );
    if (index < 0) throw new Error(`table ${d.name} has no column ${column}`);
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
    columns: table.encodedColumns(),
    notNullConstraints: (d.notNull ?? []).map(indexOf),
    uniqueConstraints: groups(d.unique),
    checkConstraints: [...(d.check ?? [])],
    primaryKeyConstraints: groups(d.primaryKey),
    foreignKeyConstraints: (d.foreignKeys ?? []).map((fk) => foreignKeyInfo(fk, context)),
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

/** A foreign key as its IPC bytes; the referenced schema defaults to the table's own. */
function foreignKeyInfo(fk: ForeignKeyDefinition, context: TableContext): Uint8Array {
  return ForeignKeyInfoCodec.toIpc({
    fkColumns: [...fk.columns],
    pkColumns: [...fk.referencedColumns],
    referencedTable: fk.referencedTable,
    referencedSchemaPath:
      fk.referencedSchema === undefined
        ? [...context.schemaPath]
        : typeof fk.referencedSchema === "string"
          ? [fk.referencedSchema]
          : [...fk.referencedSchema],
  });
}
