/**
 * A declared table's columns as an Arrow schema. Column-level facts travel as Arrow
 * field metadata, where the extension reads them: `default` (SQL expression),
 * `generated_expression`, `comment`, `is_row_id`. The names are checked when the table
 * is defined; the decorated schema is built only when first asked for (see
 * `declared-table.ts`).
 */
import { Field, Schema } from "apache-arrow";
import { columnRecordSchema } from "./column-record-schema.js";
import type { TableColumns, TableDefinition } from "./table-definition.js";

const ROW_ID_KEY = "is_row_id";

export function columnsSchema(columns: TableColumns): Schema {
  return columns instanceof Schema ? columns : columnRecordSchema(columns);
}

/**
 * Every column a definition names (defaults, generated expressions, comments, row id,
 * statistics) exists; the same wording as `decorateColumns` and the statistics encoder
 * would throw.
 */
export function checkColumnNames(definition: TableDefinition): void {
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
export function decorateColumns(definition: TableDefinition): Schema {
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
