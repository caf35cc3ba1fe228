/**
 * Declared function arguments and their wire form: `FunctionInfo.arguments` is an Arrow
 * schema with one field per argument, in declaration order, whose field metadata marks
 * constants (`vgi_const`), varargs (`vgi_varargs`), ANY-typed slots (`vgi_type=any`,
 * Arrow `null`), the streamed table of a table-in-out function (`vgi_type=table`, Arrow
 * `null`), named table-function options (`vgi_arg=named`) and docs (`vgi_doc`).
 * (vgi-python docs/argument-serialization.md; Query-farm/vgi vgi_protocol_constants.hpp.)
 */
import { Field, Null, Schema, type DataType } from "apache-arrow";

/** Anything that knows its Arrow type and SQL spelling (the SQL type layer's descriptors). */
export interface TypeLike {
  readonly sqlName: string;
  arrowType(): DataType;
  /** Field metadata that travels with the type (Arrow extension names). */
  metadata?(): ReadonlyMap<string, string>;
}

export interface TypeBound {
  readonly name: string;
  /** What the bound admits, in words, for error messages. */
  readonly description?: string;
  test(type: DataType): boolean;
}

/** The ANY marker: the caller's type is used, decided per call site. */
export const ANY = { kind: "any" } as const;
export type AnyType = typeof ANY;

/**
 * The TABLE marker: the argument is a subquery whose rows stream into a table-in-out
 * function (`f((SELECT ...))`). It never arrives as a value: DuckDB leaves it out of
 * `BindRequest.arguments` and sends its rows through the exchange instead.
 */
export const TABLE = { kind: "table" } as const;
export type TableInputType = typeof TABLE;

export interface ArgumentSpec {
  readonly name: string;
  readonly type: TypeLike | AnyType | TableInputType;
  /** Must be a constant at the call site; arrives in `BindRequest.arguments`, not as a column. */
  readonly const?: boolean;
  /** The last argument may repeat: every extra value arrives as another column. */
  readonly varargs?: boolean;
  /** Named option (`name := value`) rather than positional; table functions only. */
  readonly named?: boolean;
  readonly doc?: string;
  /** Value of a named option the call leaves out; advertised as `vgi_default` (JSON). */
  readonly default?: unknown;
  /**
   * For ANY-typed arguments: a predicate the call's actual type must satisfy, checked
   * at bind (a clear `type_mismatch` error names the bound). Its `name` appears in the
   * error message.
   */
  readonly typeBound?: TypeBound;
  /** Discovery-only metadata DuckDB shows in `vgi_function_arguments()`. */
  readonly range?: string;
  readonly choices?: readonly string[];
  readonly pattern?: string;
}

/** `ANY` or the SQL type layer's `sql.any`: both mean "whatever the call site passes". */
export function isAny(type: TypeLike | AnyType | TableInputType): type is AnyType {
  return (type as AnyType).kind === "any" || (type as { id?: string }).id === "ANY";
}

export function isTableInput(type: TypeLike | AnyType | TableInputType): type is TableInputType {
  return (type as TableInputType).kind === "table";
}

/** A declared type that is neither ANY nor TABLE: a concrete SQL type. */
export function isConcrete(type: TypeLike | AnyType | TableInputType): type is TypeLike {
  return !isAny(type) && !isTableInput(type);
}

export function argumentField(spec: ArgumentSpec): Field {
  const metadata = new Map<string, string>();
  if (spec.const === true) metadata.set("vgi_const", "true");
  if (spec.varargs === true) metadata.set("vgi_varargs", "true");
  if (spec.named === true) metadata.set("vgi_arg", "named");
  if (isAny(spec.type)) metadata.set("vgi_type", "any");
  if (isTableInput(spec.type)) metadata.set("vgi_type", "table");
  if (spec.doc !== undefined) metadata.set("vgi_doc", spec.doc);
  if (spec.default !== undefined) metadata.set("vgi_default", jsonScalar(spec.default));
  if (spec.range !== undefined) metadata.set("vgi_range", spec.range);
  if (spec.choices !== undefined) metadata.set("vgi_choices", JSON.stringify(spec.choices));
  if (spec.pattern !== undefined) metadata.set("vgi_pattern", spec.pattern);
  // Extension metadata (e.g. `arrow.json`) must travel with the declared Arrow type.
  if (isConcrete(spec.type)) for (const [k, v] of spec.type.metadata?.() ?? []) metadata.set(k, v);
  const type = isConcrete(spec.type) ? spec.type.arrowType() : new Null();
  return new Field(spec.name, type, true, metadata);
}

/** Positional arguments first in declaration order, then named ones (alphabetical). */
export function argumentsSchema(specs: readonly ArgumentSpec[]): Schema {
  validateArguments(specs);
  const positional = specs.filter((spec) => spec.named !== true);
  const named = specs
    .filter((spec) => spec.named === true)
    .sort((a, b) => a.name.localeCompare(b.name));
  return new Schema([...positional, ...named].map(argumentField));
}

/**
 * Rejects argument lists no schema can describe (a name twice, varargs not last, ...).
 * Functions check this when defined and build `argumentsSchema` only when first listed,
 * so a worker defining thousands of functions starts fast.
 */
export function validateArguments(specs: readonly ArgumentSpec[]): void {
  const seen = new Set<string>();
  // Named options are not positional: they may follow a varargs argument.
  const positional = specs.filter((spec) => spec.named !== true);
  specs.forEach((spec) => {
    const key = spec.name.toLowerCase();
    if (seen.has(key)) throw new Error(`argument '${spec.name}' is declared twice`);
    seen.add(key);
    if (spec.varargs === true && spec !== positional.at(-1)) {
      throw new Error(`only the last argument may be varargs ('${spec.name}' is not last)`);
    }
    if (spec.varargs === true && spec.const === true) {
      throw new Error(`varargs argument '${spec.name}' cannot also be constant`);
    }
  });
}

function jsonScalar(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
}
