/**
 * What a catalog declares besides its objects: ATTACH options, DuckDB settings and secret
 * types. The extension learns them from `catalog_catalogs` (options, before ATTACH) and
 * from the attach result (settings, secret types), then casts what the user writes to the
 * declared types, registers `SET name = ...` and `CREATE SECRET (TYPE name, ...)`, and
 * sends the values back with the calls that need them.
 *
 * Wire form (no 2.0 message schema covers these; facts from the reference worker): each
 * descriptor is one single-row IPC batch. Options and settings: `name`, `description`,
 * `type` (a serialized schema with one field `value`), `default_value` (a one-row batch
 * of that schema, or null) and, for ATTACH options only, `required`. Secret types:
 * `name`, `description`, `parameters_schema` (a serialized schema; a field with metadata
 * `redact: "true"` is hidden by `duckdb_secrets()`).
 */
import { Binary, Bool, Field, Schema, Utf8 } from "apache-arrow";
import {
  ErrorKind,
  VgiError,
  decodeSingleBatch,
  encodeBatch,
  encodeSchema,
  makeRecordBatch,
  sql,
  sqlTypeFromArrow,
  type AnySqlType,
} from "@vgi-ts/protocol";

/** One typed value a user supplies by name: an ATTACH option or a setting. */
export interface OptionDefinition {
  readonly name: string;
  readonly type: AnySqlType;
  readonly description?: string;
  /** The value used when the user gives none; `undefined` or null: no default. */
  readonly default?: unknown;
}

export interface AttachOptionDefinition extends OptionDefinition {
  /** ATTACH fails unless the user supplies it (an option with a default never is). */
  readonly required?: boolean;
  /** A credential: never written to logs (`redactAttachOptions`). */
  readonly secret?: boolean;
}

export type SettingDefinition = OptionDefinition;

export interface SecretParameter {
  readonly name: string;
  readonly type: AnySqlType;
  /** Hidden in `duckdb_secrets()` and logs (passwords, keys). */
  readonly redact?: boolean;
}

export interface SecretTypeDefinition {
  readonly name: string;
  readonly description?: string;
  readonly parameters: readonly SecretParameter[];
}

const SPEC_FIELDS = [
  new Field("name", new Utf8(), false),
  new Field("description", new Utf8(), false),
  new Field("type", new Binary(), false),
  new Field("default_value", new Binary(), true),
];
const SETTING_SCHEMA = new Schema(SPEC_FIELDS);
// `required` is appended last and nullable: a reader that predates it ignores it.
const ATTACH_OPTION_SCHEMA = new Schema([...SPEC_FIELDS, new Field("required", new Bool(), true)]);
const SECRET_TYPE_SCHEMA = new Schema([
  new Field("name", new Utf8(), false),
  new Field("description", new Utf8(), false),
  new Field("parameters_schema", new Binary(), false),
]);

function hasDefault(option: OptionDefinition): boolean {
  return option.default !== undefined && option.default !== null;
}

function valueSchema(option: OptionDefinition): Schema {
  return new Schema([option.type.field("value", true)]);
}

function specColumns(option: OptionDefinition): ReturnType<AnySqlType["build"]>[] {
  const schema = valueSchema(option);
  const defaultValue = hasDefault(option)
    ? encodeBatch(makeRecordBatch(schema, 1, [option.type.build([option.default])]))
    : null;
  return [
    sql.varchar.build([option.name]),
    sql.varchar.build([option.description ?? ""]),
    sql.blob.build([encodeSchema(schema)]),
    sql.blob.build([defaultValue]),
  ];
}

export function encodeSettingSpec(setting: SettingDefinition): Uint8Array {
  return encodeBatch(makeRecordBatch(SETTING_SCHEMA, 1, specColumns(setting)));
}

export function encodeAttachOptionSpec(option: AttachOptionDefinition): Uint8Array {
  if (option.required === true && hasDefault(option)) {
    throw new Error(
      `ATTACH option ${option.name} is required but has a default; an option with a ` +
        "default never needs the caller, drop one of the two",
    );
  }
  return encodeBatch(
    makeRecordBatch(ATTACH_OPTION_SCHEMA, 1, [
      ...specColumns(option),
      sql.boolean.build([option.required === true]),
    ]),
  );
}

export function encodeSecretTypeSpec(secretType: SecretTypeDefinition): Uint8Array {
  const parameters = new Schema(
    secretType.parameters.map((parameter) => {
      const field = parameter.type.field(parameter.name, true);
      if (parameter.redact !== true) return field;
      return new Field(
        field.name,
        field.type,
        true,
        new Map([...field.metadata, ["redact", "true"]]),
      );
    }),
  );
  return encodeBatch(
    makeRecordBatch(SECRET_TYPE_SCHEMA, 1, [
      sql.varchar.build([secretType.name]),
      sql.varchar.build([secretType.description ?? ""]),
      sql.blob.build([encodeSchema(parameters)]),
    ]),
  );
}

/**
 * Reads the options the extension sends with `catalog_attach` (a one-row batch, one
 * column per option the user wrote, already cast to the declared type) into values
 * keyed by lower-cased name.
 */
export function decodeAttachOptions(bytes: Uint8Array | null): Map<string, unknown> {
  const values = new Map<string, unknown>();
  if (bytes === null || bytes.byteLength === 0) return values;
  const batch = decodeSingleBatch(bytes, "CatalogAttachRequest.options");
  if (batch.numRows === 0) return values;
  batch.schema.fields.forEach((field, index) => {
    const column = batch.getChildAt(index)!;
    values.set(
      field.name.toLowerCase(),
      sqlTypeFromArrow(field.type, field.metadata).read(column, 0),
    );
  });
  return values;
}

/**
 * The values a catalog's functions see: declared options in declaration order, the
 * user's value or the default (null when neither). Fails like the reference when a
 * required option is missing.
 */
export function resolveAttachOptions(
  catalogName: string,
  declared: readonly AttachOptionDefinition[],
  supplied: ReadonlyMap<string, unknown>,
): Map<string, unknown> {
  const missing = declared.filter(
    (option) => option.required === true && !supplied.has(option.name.toLowerCase()),
  );
  if (missing.length > 0) {
    const names = missing.map((option) => `'${option.name}'`).join(", ");
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `Catalog '${catalogName}' cannot be attached without the required ` +
        `option${missing.length > 1 ? "s" : ""} ${names}.`,
    );
  }
  const values = new Map<string, unknown>();
  for (const option of declared) {
    const key = option.name.toLowerCase();
    values.set(option.name, supplied.has(key) ? supplied.get(key) : (option.default ?? null));
  }
  return values;
}

/** Option values fit for a log line: options declared `secret` show as `***`. */
export function redactAttachOptions(
  declared: readonly AttachOptionDefinition[],
  values: ReadonlyMap<string, unknown>,
): Record<string, string> {
  const secret = new Set(
    declared.filter((o) => o.secret === true).map((o) => o.name.toLowerCase()),
  );
  const out: Record<string, string> = {};
  for (const [name, value] of values) {
    out[name] = secret.has(name.toLowerCase())
      ? "***"
      : JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
  return out;
}
