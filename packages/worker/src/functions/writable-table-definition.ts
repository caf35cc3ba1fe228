/**
 * What a writable table's author declares (columns, keys, operations, `check`) and the
 * two things the worker derives from it: the table's schemas with the row id column
 * added, and the catalog table DuckDB sees. Kept apart from the functions that serve
 * the table so both the scan and the writes read one description.
 */
import { Field, Int64, Schema, type RecordBatch } from "apache-arrow";
import type { AnySqlType } from "@vgi-ts/protocol";
import type { TableDefinition, WriteOperation } from "@vgi-ts/catalog";

/** The row id column every writable table carries (DuckDB's UPDATE/DELETE handle). */
export const ROW_ID = "rowid";

export interface WritableTableDefinition {
  readonly name: string;
  readonly comment?: string;
  /** The user columns, in order (the row id column is added). */
  readonly columns: Readonly<Record<string, AnySqlType>>;
  readonly notNull?: readonly string[];
  readonly primaryKey?: readonly string[];
  /** The operations allowed; default all three. */
  readonly operations?: readonly WriteOperation[];
  /** The most each write returns (`"count"` refuses RETURNING); default `"rows"`. */
  readonly writeResult?: TableDefinition["writeResult"];
  /**
   * Sees every batch about to be written (insert: the new rows; update: the new
   * versions; delete: the row ids), with the row id column. Throw to refuse the write:
   * the statement fails, and in a transactional catalog nothing of it stays.
   */
  readonly check?: (operation: WriteOperation, rows: RecordBatch) => void;
  /** Serve INSERT with another function of the catalog instead of `<prefix>_insert`. */
  readonly insertFunction?: string;
}

export interface WritableTablesOptions {
  /** Function names: `<prefix>_scan`, `<prefix>_insert`, `<prefix>_update`, `<prefix>_delete`. */
  readonly prefix: string;
  readonly tables: readonly WritableTableDefinition[];
}

/** A declared table with the schemas the worker reads and writes it by. */
export interface WritableTableSpec {
  readonly definition: WritableTableDefinition;
  /** User columns then the row id. */
  readonly schema: Schema;
  /** User columns: what INSERT sends and RETURNING answers. */
  readonly userSchema: Schema;
}

export function writableTableSpec(definition: WritableTableDefinition): WritableTableSpec {
  const userSchema = new Schema(
    Object.entries(definition.columns).map(([name, type]) => type.field(name, true)),
  );
  const rowId = new Field(ROW_ID, new Int64(), true, new Map([["is_row_id", ""]]));
  return { definition, userSchema, schema: new Schema([...userSchema.fields, rowId]) };
}

/** The catalog table of a spec, served by the `<prefix>_*` functions. */
export function catalogTableDefinition(spec: WritableTableSpec, prefix: string): TableDefinition {
  const d = spec.definition;
  const ops = new Set(d.operations ?? ["insert", "update", "delete"]);
  const call = (fn: string) => ({ functionName: fn, positional: [d.name] });
  return {
    name: d.name,
    ...(d.comment === undefined ? {} : { comment: d.comment }),
    columns: spec.schema,
    rowId: ROW_ID,
    ...(d.notNull === undefined ? {} : { notNull: d.notNull }),
    ...(d.primaryKey === undefined ? {} : { primaryKey: [d.primaryKey] }),
    scan: call(`${prefix}_scan`),
    ...(ops.has("insert") ? { insert: call(d.insertFunction ?? `${prefix}_insert`) } : {}),
    ...(ops.has("update") ? { update: call(`${prefix}_update`) } : {}),
    ...(ops.has("delete") ? { delete: call(`${prefix}_delete`) } : {}),
    ...(d.writeResult === undefined ? {} : { writeResult: d.writeResult }),
  };
}
