/** Indexes: declared over a table's columns or expressions, listed for DuckDB's catalog. */
import type { IndexConstraintType, IndexInfoInput } from "@vgi-ts/protocol";
import type { SchemaPath } from "./schema-path.js";

export interface IndexDefinition {
  readonly name: string;
  readonly table: string;
  /** Column names or SQL expressions. */
  readonly expressions: readonly string[];
  readonly indexType?: string;
  readonly constraint?: IndexConstraintType;
  readonly options?: Readonly<Record<string, string>>;
  readonly comment?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export function indexInfo(index: IndexDefinition, schemaPath: SchemaPath): IndexInfoInput {
  if (index.expressions.length === 0) {
    throw new Error(`index ${index.name}: needs at least one expression`);
  }
  return {
    comment: index.comment ?? null,
    tags: new Map(Object.entries(index.tags ?? {})),
    name: index.name,
    schemaPath: [...schemaPath],
    tableName: index.table,
    indexType: index.indexType ?? "",
    constraintType: index.constraint ?? "NONE",
    expressions: [...index.expressions],
    options: new Map(Object.entries(index.options ?? {})),
  };
}
