import type { DataType } from "apache-arrow";
import { prependPath } from "./issue.js";

/**
 * A field type descriptor: one object that knows a VGI field's Arrow type, how to turn
 * a JS value into what Arrow's builders accept, and how to read an Arrow value back.
 *
 * Two phantom type parameters, like zod's input/output split:
 * - `Out` is what decoding produces (e.g. `bigint` for int64),
 * - `In` is what encoding accepts (e.g. `bigint | number` for int64).
 *
 * Null handling lives in the containers (message, struct, list, map): descriptors only
 * ever see non-null values, and a container asks `isNullable` before passing a null on.
 */
export abstract class FieldType<Out, In = Out> {
  /** Phantom: the decoded TypeScript type. Never set at runtime. */
  declare readonly _out: Out;
  /** Phantom: the TypeScript type accepted by encode. Never set at runtime. */
  declare readonly _in: In;

  /** Whether null is a legal value (Arrow field `nullable`, TS `| null`). */
  abstract readonly isNullable: boolean;

  /** The wire type in words, for error messages (`list<utf8>`, `enum{ASC,DESC}`). */
  abstract describe(): string;

  /**
   * A fresh Arrow `DataType`. Fresh on every call because dictionary types carry an
   * IPC dictionary id, and two fields of one schema must never share one.
   */
  abstract arrowType(): DataType;

  /**
   * Whether an Arrow type that arrived on the wire can be read by this descriptor.
   * Lenient only between encodings of the same logical type (utf8 / large_utf8 /
   * utf8_view, any integer dictionary index, ...), never between logical types.
   */
  abstract accepts(type: DataType): boolean;

  /** Validate a non-null JS value; return the builder-ready value. Throws CodecIssue. */
  abstract toArrow(value: unknown): unknown;

  /**
   * `toArrow` over a list's items (nulls pass through as null). A hook so that nested
   * messages can encode a whole list in one go; see NestedType.
   */
  toArrowMany(values: readonly unknown[]): unknown[] {
    const out = new Array<unknown>(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) {
        out[i] = null;
        continue;
      }
      try {
        out[i] = this.toArrow(v);
      } catch (error) {
        prependPath(error, `[${i}]`);
      }
    }
    return out;
  }

  /** Turn a non-null value read from an Arrow vector into `Out`. Throws CodecIssue. */
  abstract fromArrow(value: unknown): Out;

  /** The same type with nulls allowed: Arrow `nullable = true`, TS `T | null`. */
  nullable(): NullableType<Out, In> {
    return new NullableType(this);
  }
}

/** Any descriptor, whatever its TS types. */
export type AnyFieldType = FieldType<unknown, unknown>;

/** The decoded TS type of a descriptor. */
export type InferField<T> = T extends FieldType<infer Out, unknown> ? Out : never;
/** The TS type a descriptor accepts on encode. */
export type InferFieldInput<T> = T extends FieldType<unknown, infer In> ? In : never;

/** Wraps a descriptor to allow null (and, on encode, an omitted/undefined value). */
export class NullableType<Out, In> extends FieldType<Out | null, In | null | undefined> {
  readonly isNullable = true;

  constructor(readonly inner: FieldType<Out, In>) {
    super();
  }

  describe(): string {
    return `${this.inner.describe()}?`;
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
  override nullable(): NullableType<Out, In> {
    return this;
  }
}

/** Function form of `t.nullable()`. */
export function nullable<Out, In>(type: FieldType<Out, In>): NullableType<Out, In> {
  return type.nullable();
}
