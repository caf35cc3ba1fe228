import { DataType, Field, type Schema } from "apache-arrow";

/**
 * A string equal for two schemas exactly when they serialize to the same IPC schema
 * message: field names, order, nullability, metadata and every type parameter (also
 * the ones `String(type)` leaves out, such as a map's `keysSorted` or a dictionary's
 * id and ordering).
 */
export function schemaKey(schema: Schema): string {
  return `${schema.fields.map(fieldKey).join("\u0002")}\u0003${metadataKey(schema.metadata)}`;
}

function fieldKey(field: Field): string {
  return `${field.name}\u0001${field.nullable ? 1 : 0}\u0001${typeKey(field.type)}\u0001${metadataKey(field.metadata)}`;
}

function typeKey(type: DataType): string {
  // Own properties carry every parameter (unit, timezone, bitWidth, precision, children,
  // dictionary, indices, id, typeIds, ...); walking them generically cannot miss one.
  const parts: string[] = [];
  for (const [name, value] of Object.entries(type)) {
    parts.push(`${name}=${valueKey(value)}`);
  }
  return `(${parts.join(",")})`;
}

function valueKey(value: unknown): string {
  if (value instanceof DataType) return typeKey(value);
  if (value instanceof Field) return fieldKey(value);
  if (Array.isArray(value)) return `[${value.map(valueKey).join(";")}]`;
  if (ArrayBuffer.isView(value)) return `[${Array.from(value as Int32Array).join(";")}]`;
  return JSON.stringify(value) ?? "undefined";
}

function metadataKey(metadata: Map<string, string>): string {
  if (metadata.size === 0) return "";
  return [...metadata].map(([k, v]) => `${k}\u0001${v}`).join("\u0002");
}
