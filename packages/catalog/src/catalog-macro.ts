/**
 * Macros: SQL DuckDB expands at the call site, scalar (an expression) or table (a
 * query). Parameter defaults travel as a typed one-row batch; parameter docs as
 * `vgi_doc` field metadata of the arguments schema, the channel functions use too.
 */
import { Field, Null, Schema } from "apache-arrow";
import { encodeSchema, type MacroInfoInput, type MacroType } from "@vgi-ts/protocol";
import { encodeConstantRow, type ScanArgument } from "./scan-call.js";
import type { SchemaPath } from "./schema-path.js";

export interface MacroDefinition {
  readonly name: string;
  readonly type: MacroType;
  readonly parameters: readonly string[];
  /** Defaults of trailing parameters (`lo := 0`), by parameter name. */
  readonly defaults?: Readonly<Record<string, ScanArgument>>;
  readonly parameterDocs?: Readonly<Record<string, string>>;
  /** Scalar macro: an expression over the parameters; table macro: a query. */
  readonly definition: string;
  readonly comment?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

const DOC_KEY = "vgi_doc";

export function macroInfo(macro: MacroDefinition, schemaPath: SchemaPath): MacroInfoInput {
  const defaults = Object.entries(macro.defaults ?? {});
  const known = new Set(macro.parameters.map((p) => p.toLowerCase()));
  for (const [name] of [...defaults, ...Object.entries(macro.parameterDocs ?? {})]) {
    if (!known.has(name.toLowerCase())) {
      throw new Error(`macro ${macro.name}: ${name} is not one of its parameters`);
    }
  }
  const encodedDefaults = defaults.length === 0 ? null : encodeConstantRow(defaults);
  const typeOf = new Map(encodedDefaults?.fields.map((f) => [f.name, f.type]) ?? []);
  const argumentsSchema = new Schema(
    macro.parameters.map((name) => {
      const doc = macro.parameterDocs?.[name];
      const metadata = new Map(doc === undefined || doc === "" ? [] : [[DOC_KEY, doc]]);
      return new Field(name, typeOf.get(name) ?? new Null(), true, metadata);
    }),
  );
  return {
    comment: macro.comment ?? null,
    tags: new Map(Object.entries(macro.tags ?? {})),
    name: macro.name,
    schemaPath: [...schemaPath],
    macroType: macro.type,
    parameters: [...macro.parameters],
    parameterDefaultValues: encodedDefaults?.bytes ?? null,
    definition: macro.definition,
    argumentsSchema: encodeSchema(argumentsSchema),
  };
}
