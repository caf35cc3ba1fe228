/**
 * The `write_options` named argument DuckDB passes to every write function: a one-row
 * IPC batch with `result_mode` (`rows` for RETURNING: answer with the written rows;
 * `count`: answer with the affected-row count; older clients sent a `return_chunks`
 * boolean instead), `on_conflict` (`throw` or `nothing`) and `on_conflict_columns`.
 */
import { Field, Int64, Schema } from "apache-arrow";
import { ErrorKind, VgiError, decodeSingleBatch } from "@vgi-ts/protocol";

export type OnConflict = "throw" | "nothing";

export interface WriteOptions {
  readonly returnRows: boolean;
  readonly onConflict: OnConflict;
  readonly conflictColumns: readonly string[];
}

const DEFAULTS: WriteOptions = { returnRows: false, onConflict: "throw", conflictColumns: [] };

/** The count answer: exactly `count: int64 not null`, as the extension checks. */
export const COUNT_SCHEMA = new Schema([new Field("count", new Int64(), false)]);

export function decodeWriteOptions(value: unknown): WriteOptions {
  if (value === null || value === undefined) return DEFAULTS;
  if (!(value instanceof Uint8Array)) {
    throw new VgiError(ErrorKind.InvalidArgument, "write_options must be a BLOB (an IPC batch)");
  }
  const batch = decodeSingleBatch(value, "write_options");
  if (batch.numRows === 0) return DEFAULTS;
  const read = (name: string): unknown => batch.getChild(name)?.get(0) ?? null;
  const onConflict = read("on_conflict") ?? "throw";
  if (onConflict !== "throw" && onConflict !== "nothing") {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `write_options.on_conflict '${String(onConflict)}' is not supported (throw, nothing)`,
    );
  }
  const columns = read("on_conflict_columns") as { toArray(): unknown[] } | null;
  const mode = read("result_mode");
  if (mode !== null && mode !== "rows" && mode !== "count" && mode !== "none") {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `write_options.result_mode '${String(mode)}' is not supported (rows, count, none)`,
    );
  }
  return {
    returnRows: mode === null ? read("return_chunks") === true : mode === "rows",
    onConflict,
    conflictColumns: columns === null ? [] : (columns.toArray() as string[]),
  };
}
