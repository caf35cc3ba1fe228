import { DataType } from "apache-arrow";
import { VgiError } from "../errors.js";
import { FieldType } from "./field-type.js";
import { CodecIssue, describeValue } from "./issue.js";
import { binary } from "./scalar-types.js";

/** The part of a message codec that a nested field needs. */
export interface IpcCodec<T, TIn> {
  readonly name: string;
  toIpc(value: TIn): Uint8Array;
  toIpcMany(values: readonly TIn[]): Uint8Array[];
  fromIpc(bytes: Uint8Array): T;
}

/**
 * A message carried inside a `binary` column as a complete Arrow IPC stream (schema +
 * one 1-row batch + EOS) — how VGI nests request/response structs (WIRE_PROTOCOL §4).
 *
 * Decoding is eager and strict: the bytes are parsed with the inner codec, so a bad
 * nested payload fails at the outer decode with the path to it. Encoding takes either
 * a value or already-encoded IPC bytes; bytes pass through untouched, which lets a
 * catalog cache the encoding of objects it lists often. Pre-encoded bytes are trusted.
 */
export class NestedType<T, TIn> extends FieldType<T, TIn | Uint8Array> {
  readonly isNullable = false;

  constructor(readonly codec: IpcCodec<T, TIn>) {
    super();
  }
  describe(): string {
    return `binary(IPC ${this.codec.name})`;
  }
  arrowType(): DataType {
    return binary.arrowType();
  }
  accepts(type: DataType): boolean {
    return binary.accepts(type);
  }
  toArrow(value: unknown): unknown {
    if (value instanceof Uint8Array) return value;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new CodecIssue(
        `expected ${this.codec.name} or its IPC bytes, got ${describeValue(value)}`,
      );
    }
    return this.wrap(() => this.codec.toIpc(value as TIn));
  }
  /**
   * Encode a list of messages with one `toIpcMany` call (see row-streams.ts): a
   * 10,000-item listing is one columnar encode instead of 10,000. If it fails, redo
   * the items one by one so the error names the offending index.
   */
  override toArrowMany(values: readonly unknown[]): unknown[] {
    const out = new Array<unknown>(values.length);
    const pending: TIn[] = [];
    const slots: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) out[i] = null;
      else if (v instanceof Uint8Array) out[i] = v;
      else if (typeof v === "object" && !Array.isArray(v)) {
        pending.push(v as TIn);
        slots.push(i);
      } else return super.toArrowMany(values); // throws with the index
    }
    let encoded: Uint8Array[];
    try {
      encoded = this.codec.toIpcMany(pending);
    } catch (error) {
      if (error instanceof VgiError) return super.toArrowMany(values);
      throw error;
    }
    for (let k = 0; k < slots.length; k++) out[slots[k]!] = encoded[k];
    return out;
  }
  fromArrow(value: unknown): T {
    if (!(value instanceof Uint8Array))
      throw new CodecIssue(`expected bytes, got ${describeValue(value)}`);
    return this.wrap(() => this.codec.fromIpc(value));
  }
  /** Inner codecs throw public errors; re-raise as an issue so the outer path is added. */
  private wrap<R>(fn: () => R): R {
    try {
      return fn();
    } catch (error) {
      if (error instanceof VgiError) throw new CodecIssue(error.message);
      throw error;
    }
  }
}

export function nested<T, TIn>(codec: IpcCodec<T, TIn>): NestedType<T, TIn> {
  return new NestedType(codec);
}
