/**
 * Checked reads of a parsed `vgi.filters.v2` JSON document: each helper narrows one
 * `unknown` to the shape the encoding requires, or throws a `FilterDecodeError` naming
 * where in the document it looked. Node kinds must carry exactly their properties, so
 * `exactKeys` refuses both missing and unknown ones.
 */
import { FilterDecodeError } from "./filter-errors.js";

export type JsonObject = Record<string, unknown>;

export function object(value: unknown, where: string): JsonObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new FilterDecodeError(`${where} must be a JSON object`);
  }
  return value as JsonObject;
}

export function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new FilterDecodeError(`${where} must be a JSON array`);
  return value;
}

export function string(value: unknown, where: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new FilterDecodeError(`${where} must be a non-empty string`);
  }
  return value;
}

export function boolean(value: unknown, where: string): boolean {
  if (typeof value !== "boolean") throw new FilterDecodeError(`${where} must be true or false`);
  return value;
}

export function uint(value: unknown, where: string, min = 0): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new FilterDecodeError(`${where} must be an integer >= ${min}`);
  }
  return value;
}

export function exactKeys(
  value: JsonObject,
  required: readonly string[],
  where: string,
  optional: readonly string[] = [],
): void {
  for (const key of required) {
    if (!(key in value)) throw new FilterDecodeError(`${where} is missing '${key}'`);
  }
  for (const key of Object.keys(value)) {
    if (!required.includes(key) && !optional.includes(key)) {
      throw new FilterDecodeError(`${where} has unknown property '${key}'`);
    }
  }
}

const encoder = new TextEncoder();

/** UTF-8 length of `text`, for the byte limits the encoding states. */
export function utf8Bytes(text: string): number {
  // Every UTF-16 unit is 1 to 3 UTF-8 bytes: only measure when it matters.
  return text.length * 3 <= 128 ? text.length : encoder.encode(text).byteLength;
}
