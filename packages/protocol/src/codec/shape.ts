import { DataType, Field, Struct } from "apache-arrow";
import {
  FieldType,
  NullableType,
  type AnyFieldType,
  type InferField,
  type InferFieldInput,
} from "./field-type.js";
import { CodecIssue, describeValue, prependPath } from "./issue.js";

/**
 * A shape maps camelCase TS keys to descriptors; the wire name of each field is the
 * snake_case of its key unless the descriptor was wrapped in `named()`. Key order is
 * the wire field order (JS preserves insertion order for non-numeric keys).
 */
export type Shape = Readonly<Record<string, AnyFieldType>>;

/** Flatten intersections so editor tooltips show one plain object type. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** Decoded form: every key present; nullable fields are `T | null`. */
export type ShapeOutput<S extends Shape> = Simplify<{ -readonly [K in keyof S]: InferField<S[K]> }>;

type OptionalKeys<S extends Shape> = {
  [K in keyof S]: undefined extends InferFieldInput<S[K]> ? K : never;
}[keyof S];

/** Encode-side form: nullable fields may be omitted (treated as null). */
export type ShapeInput<S extends Shape> = Simplify<
  { -readonly [K in Exclude<keyof S, OptionalKeys<S>>]: InferFieldInput<S[K]> } & {
    -readonly [K in OptionalKeys<S>]?: InferFieldInput<S[K]>;
  }
>;

/** Gives a field an explicit wire name, for the rare name snake_case cannot produce. */
export class NamedType<Out, In> extends FieldType<Out, In> {
  constructor(
    readonly wireName: string,
    readonly inner: FieldType<Out, In>,
  ) {
    super();
  }
  get isNullable(): boolean {
    return this.inner.isNullable;
  }
  describe(): string {
    return this.inner.describe();
  }
  arrowType(): DataType {
    return this.inner.arrowType();
  }
  accepts(type: DataType): boolean {
    return this.inner.accepts(type);
  }
  toArrow(value: unknown): unknown {
    return this.inner.toArrow(value);
  }
  override toArrowMany(values: readonly unknown[]): unknown[] {
    return this.inner.toArrowMany(values);
  }
  fromArrow(value: unknown): Out {
    return this.inner.fromArrow(value);
  }
}

export function named<Out, In>(wireName: string, type: FieldType<Out, In>): NamedType<Out, In> {
  return new NamedType(wireName, type);
}

/** `attachOpaqueData` -> `attach_opaque_data`. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function explicitName(type: AnyFieldType): string | undefined {
  if (type instanceof NamedType) return type.wireName;
  if (type instanceof NullableType && type.inner instanceof NamedType) return type.inner.wireName;
  return undefined;
}

export interface CompiledField {
  /** camelCase TS key. */
  readonly key: string;
  /** snake_case wire name. */
  readonly wireName: string;
  readonly type: AnyFieldType;
}

export function compileShape(shape: Shape): CompiledField[] {
  const fields = Object.entries(shape).map(([key, type]) => ({
    key,
    wireName: explicitName(type) ?? snakeCase(key),
    type,
  }));
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.wireName)) throw new Error(`duplicate wire field name ${f.wireName}`);
    seen.add(f.wireName);
  }
  return fields;
}

/** Arrow fields in declared order; nullability straight from the descriptors. */
export function arrowFields(fields: readonly CompiledField[]): Field[] {
  return fields.map((f) => new Field(f.wireName, f.type.arrowType(), f.type.isNullable));
}

/**
 * Check that incoming Arrow fields can be read as `fields`, matching by name. Returns
 * a description of the first problem, or undefined. Missing nullable fields are fine
 * (read as null); extra incoming fields are ignored, so a peer may add fields.
 */
export function checkFields(
  fields: readonly CompiledField[],
  incoming: readonly Field[],
): { wireName: string; problem: string } | undefined {
  for (const f of fields) {
    const actual = incoming.find((x) => x.name === f.wireName);
    if (actual === undefined) {
      if (f.type.isNullable) continue;
      return {
        wireName: f.wireName,
        problem: `required field is missing: expected ${f.type.describe()}`,
      };
    }
    if (!f.type.accepts(actual.type)) {
      return {
        wireName: f.wireName,
        problem: `wrong type: expected ${f.type.describe()}, got ${String(actual.type)}`,
      };
    }
  }
  return undefined;
}

/** Validate one JS object against `fields`; return it keyed by wire name for builders. */
export function recordToArrow(
  fields: readonly CompiledField[],
  value: unknown,
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CodecIssue(`expected an object, got ${describeValue(value)}`);
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = source[f.key];
    if (v === null || v === undefined) {
      if (!f.type.isNullable) {
        const issue = new CodecIssue(
          `expected non-null ${f.type.describe()}, got ${describeValue(v)}`,
        );
        issue.path.push(f.wireName);
        throw issue;
      }
      out[f.wireName] = null;
      continue;
    }
    try {
      out[f.wireName] = f.type.toArrow(v);
    } catch (error) {
      prependPath(error, f.wireName);
    }
  }
  return out;
}

/** Read one value that came out of an Arrow vector (or null) as field `f`. */
export function fieldFromArrow(f: CompiledField, v: unknown): unknown {
  if (v === null || v === undefined) {
    if (f.type.isNullable) return null;
    const issue = new CodecIssue(`expected non-null ${f.type.describe()}, got null`);
    issue.path.push(f.wireName);
    throw issue;
  }
  try {
    return f.type.fromArrow(v);
  } catch (error) {
    return prependPath(error, f.wireName);
  }
}

/** `struct({...})`: an Arrow struct whose TS form is an object with camelCase keys. */
export class StructType<S extends Shape> extends FieldType<ShapeOutput<S>, ShapeInput<S>> {
  readonly isNullable = false;
  readonly fields: readonly CompiledField[];

  constructor(shape: S) {
    super();
    this.fields = compileShape(shape);
  }
  describe(): string {
    return `struct<${this.fields.map((f) => `${f.wireName}: ${f.type.describe()}`).join(", ")}>`;
  }
  arrowType(): DataType {
    return new Struct(arrowFields(this.fields));
  }
  accepts(type: DataType): boolean {
    return DataType.isStruct(type) && checkFields(this.fields, type.children) === undefined;
  }
  toArrow(value: unknown): unknown {
    return recordToArrow(this.fields, value);
  }
  fromArrow(value: unknown): ShapeOutput<S> {
    if (typeof value !== "object" || value === null) {
      throw new CodecIssue(`expected a struct value, got ${describeValue(value)}`);
    }
    // Arrow's StructRow exposes children as properties named after the wire fields.
    const row = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const f of this.fields) out[f.key] = fieldFromArrow(f, row[f.wireName]);
    return out as ShapeOutput<S>;
  }
}

export function struct<S extends Shape>(shape: S): StructType<S> {
  return new StructType(shape);
}
