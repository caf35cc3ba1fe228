/**
 * The options of a custom COPY format (`COPY ... (FORMAT 'alias.fmt', delimiter '|')`).
 * The extension checks option names and casts each value to the declared type before it
 * asks the worker (unknown option → DuckDB binder error); whether an option is required,
 * which choices it admits and its range are the worker's to enforce, at bind, before a
 * row moves. Options travel as named arguments (`named_<option>`), so the function kinds
 * decode them like any named table-function option.
 */
import type { Schema } from "apache-arrow";
import { ErrorKind, VgiError } from "@vgi-ts/protocol";
import { argumentsSchema, type ArgumentSpec, type TypeLike } from "./argument-spec.js";

export interface CopyOption {
  readonly name: string;
  readonly type: TypeLike;
  /** Shown by `vgi_copy_formats()` as `option_description`. */
  readonly doc?: string;
  /** Value when the statement leaves the option out. An option without one is required. */
  readonly default?: unknown;
  /** The only values the option admits (checked at bind). */
  readonly choices?: readonly string[];
  /** Interval notation, e.g. `[0, 3]` or `[0, +inf)` (checked at bind). */
  readonly range?: string;
}

/** The options as the named arguments of the format's handler function. */
export function optionArguments(options: readonly CopyOption[]): ArgumentSpec[] {
  return options.map((option) => ({
    name: option.name,
    type: option.type,
    named: true,
    ...(option.doc === undefined ? {} : { doc: option.doc }),
    ...(option.default === undefined ? {} : { default: option.default }),
    ...(option.choices === undefined ? {} : { choices: option.choices }),
    ...(option.range === undefined ? {} : { range: option.range }),
  }));
}

/** `CopyFromFormatInfo.options`: one field per option, docs in `vgi_doc`. */
export function optionsSchema(options: readonly CopyOption[]): Schema {
  return argumentsSchema(optionArguments(options));
}

/**
 * The option values a call passed, defaults filled in; throws `invalid_argument` naming
 * the option when a required one is missing or a value is not among its choices. A bare
 * flag (`(FORMAT x, header)`) arrives as a NULL BOOLEAN and means true for an optional
 * BOOLEAN option, as in DuckDB's own formats.
 */
export function resolveOptions(
  format: string,
  options: readonly CopyOption[],
  args: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const option of options) {
    let value = args[option.name] ?? null;
    // Absent options already hold their default here, so a NULL is a bare flag.
    if (value === null && option.type.sqlName === "BOOLEAN" && option.default !== undefined) {
      value = true;
    }
    if (value === null) {
      if (option.default === undefined) {
        throw new VgiError(
          ErrorKind.InvalidArgument,
          `COPY (FORMAT ${format}): option '${option.name}' is required`,
        );
      }
      value = option.default;
    }
    if (option.choices !== undefined && !option.choices.includes(String(value))) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `COPY (FORMAT ${format}): option '${option.name}' must be one of ` +
          `${option.choices.map((c) => `'${c}'`).join(", ")} (got '${String(value)}')`,
      );
    }
    values[option.name] = value;
  }
  return values;
}
