/**
 * Writes a declared table allows: the operations DuckDB may route to a table's write
 * functions, and what each may return (`write_result_modes` in the table description,
 * so DuckDB refuses RETURNING on a count-only operation before anything is sent).
 */
import type { TableDefinition } from "./table-definition.js";

export type WriteOperation = "insert" | "update" | "delete";

/** The most a write returns: the affected-row count, or the rows themselves (RETURNING). */
export type WriteResultMode = "count" | "rows";

export const WRITE_OPERATIONS: readonly WriteOperation[] = ["insert", "update", "delete"];

/** Operation → most it returns, for the operations the table allows. */
export function writeResultModes(d: TableDefinition): Map<string, string> {
  const modes = new Map<string, string>();
  for (const op of WRITE_OPERATIONS) {
    if (d[op] === undefined) continue;
    const declared = typeof d.writeResult === "string" ? d.writeResult : d.writeResult?.[op];
    modes.set(op, declared ?? "rows");
  }
  if (
    modes.size > 0 &&
    d.rowId === undefined &&
    (d.update !== undefined || d.delete !== undefined)
  ) {
    throw new Error(`table ${d.name}: UPDATE and DELETE need a row id column (rowId)`);
  }
  return modes;
}
