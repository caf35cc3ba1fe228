/**
 * Test support (not exported from the package): build a valid value for any codec by
 * walking its descriptors, so every message can be round-tripped without writing 150
 * fixtures by hand. `variant` changes the choices: which nullable fields are null,
 * list lengths (0, 1 or 2), enum members, scalar values.
 */
import { EnumType, ListType, MapType } from "./composite-types.js";
import { NullableType, type AnyFieldType } from "./field-type.js";
import type { MessageCodec } from "./message.js";
import { NestedType } from "./nested-type.js";
import { NamedType, StructType, type CompiledField } from "./shape.js";

export function sampleMessage<T, TIn>(codec: MessageCodec<T, TIn>, variant = 0): TIn {
  return sampleFields(codec.fields, variant) as TIn;
}

function sampleFields(fields: readonly CompiledField[], variant: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  fields.forEach((f, i) => {
    out[f.key] = sampleValue(f.type, variant + i);
  });
  return out;
}

export function sampleValue(type: AnyFieldType, variant: number, depth = 0): unknown {
  if (type instanceof NullableType)
    return variant % 2 === 1 ? null : sampleValue(type.inner, variant >> 1, depth);
  if (type instanceof NamedType) return sampleValue(type.inner, variant, depth);
  if (type instanceof EnumType) return type.members[variant % type.members.length];
  if (type instanceof ListType) {
    const length = depth > 2 ? 0 : variant % 3;
    return Array.from({ length }, (_, i) => sampleValue(type.item, variant + i + 1, depth + 1));
  }
  if (type instanceof MapType) {
    const length = variant % 3;
    return Object.fromEntries(
      Array.from({ length }, (_, i) => [
        `key-${i}`,
        sampleValue(type.value, variant + i, depth + 1),
      ]),
    );
  }
  if (type instanceof StructType) return sampleFields(type.fields, variant);
  if (type instanceof NestedType) {
    return sampleFields((type.codec as MessageCodec<unknown, unknown>).fields, variant);
  }
  switch (type.describe()) {
    case "utf8":
      return `text-${variant} ✓ é 𝄞`;
    case "binary":
    case "large_binary":
      return Uint8Array.from({ length: variant % 5 }, (_, i) => (i * 37 + variant) & 0xff);
    case "bool":
      return variant % 2 === 0;
    case "int16":
      return variant % 2 === 0 ? -32768 : 32767;
    case "int32":
      return variant % 2 === 0 ? -2147483648 : 123456;
    case "int64":
      return variant % 2 === 0 ? -(2n ** 63n) : 2n ** 53n + 1n;
    case "uint64":
      return variant % 2 === 0 ? 2n ** 64n - 1n : 7n;
    case "float64":
      return variant % 2 === 0 ? -0.5 : 1e300;
    default:
      if (type.describe().startsWith("timestamp")) return new Date(1_700_000_000_123 + variant);
      throw new Error(`no sample for ${type.describe()}`);
  }
}
