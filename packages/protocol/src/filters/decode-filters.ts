/**
 * Decoding `vgi.filters.v2`: the `pushdown_filters` bytes of an init request (a
 * snapshot) and the base64 `vgi_pushdown_filters` tick metadata (a delta), each an Arrow
 * IPC stream of one row: `filter_spec` (the JSON document) plus `value_N` / `type_N`
 * payload columns that literals, literal IN sets and casts refer to by number.
 * External IN sets refer to the init request's `join_keys` batches by position.
 *
 * Everything is checked before use: strict JSON, known node kinds with exactly their
 * properties, column references against the bind output schema, payload references,
 * and size limits (document bytes, nesting depth, node count, predicates, IN-set size).
 * Any violation is a `FilterDecodeError` (kind `malformed_request`); nothing else
 * escapes, whatever the bytes. This file is the entry point; the layers live in
 * filter-payload.ts (IPC + strict JSON + limits), evaluation-context.ts,
 * filter-document.ts (snapshots and deltas) and parse-*.ts (one family of node kinds each).
 */
import { VgiError } from "../errors.js";
import {
  DEFAULT_FILTER_LIMITS,
  type DecodeFiltersOptions,
  type FilterLimits,
} from "./decode-options.js";
import { FilterDecodeError } from "./filter-errors.js";
import { FilterDocument } from "./filter-document.js";
import type { FilterState } from "./filter-tree.js";

export { DEFAULT_FILTER_LIMITS, type DecodeFiltersOptions, type FilterLimits };

/** Decode the init request's `pushdown_filters` (a snapshot document). */
export function decodeFilterSnapshot(
  bytes: Uint8Array,
  options: DecodeFiltersOptions,
): FilterState {
  return guard(() => new FilterDocument(bytes, options).snapshot());
}

/** Apply one delta document (IPC bytes) to `prior`; `prior` is left untouched. */
export function applyFilterDelta(
  prior: FilterState,
  bytes: Uint8Array,
  options: DecodeFiltersOptions,
): FilterState {
  return guard(() => new FilterDocument(bytes, options).delta(prior));
}

/** The IPC bytes of the base64 `vgi_pushdown_filters` tick metadata value. */
export function decodeDynamicFilterMetadata(
  encoded: string,
  limits: Partial<FilterLimits> = {},
): Uint8Array {
  const max = limits.maxDeltaBase64Bytes ?? DEFAULT_FILTER_LIMITS.maxDeltaBase64Bytes;
  if (encoded.length > max) {
    throw new FilterDecodeError(`dynamic filter metadata exceeds ${max} bytes`);
  }
  if (encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) {
    throw new FilterDecodeError("dynamic filter metadata is not base64");
  }
  const binary = atob(encoded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Run `decode`; anything but a VgiError it throws becomes a FilterDecodeError. */
function guard<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof VgiError) {
      if (error instanceof FilterDecodeError) throw error;
      throw new FilterDecodeError(error.message, { cause: error });
    }
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new FilterDecodeError("document nesting exhausted the stack", { cause: error });
    }
    const text = error instanceof Error ? error.message : String(error);
    throw new FilterDecodeError(`undecodable payload (${text})`, { cause: error });
  }
}
