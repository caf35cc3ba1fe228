/** Views: a name and the SQL DuckDB expands in place of the view. */
import type { ViewInfoInput } from "@vgi-ts/protocol";
import type { SchemaPath } from "./schema-path.js";

export interface ViewDefinition {
  readonly name: string;
  /** A SELECT statement; names in it resolve in the attached catalog's default schema. */
  readonly definition: string;
  readonly comment?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Comments of the view's output columns, matched by name. */
  readonly columnComments?: Readonly<Record<string, string>>;
}

export function viewInfo(view: ViewDefinition, schemaPath: SchemaPath): ViewInfoInput {
  return {
    comment: view.comment ?? null,
    tags: new Map(Object.entries(view.tags ?? {})),
    name: view.name,
    schemaPath: [...schemaPath],
    definition: view.definition,
    columnComments: new Map(Object.entries(view.columnComments ?? {})),
  };
}
