/**
 * The table change log's entry format: frames of [u32 header length][header JSON]
 * [u32 IPC length][IPC stream], self-delimiting, so a commit concatenates the staged
 * entries of a transaction into one.
 */
import type { RecordBatch } from "apache-arrow";
import { decodeSingleBatch, encodeBatch } from "@vgi-ts/protocol";

export type TableChange =
  /** Whole rows, including the row id column: new rows, or new versions of rows. */
  | { readonly kind: "put"; readonly table: string; readonly rows: RecordBatch }
  /** A batch whose row id column names the rows to remove. */
  | { readonly kind: "delete"; readonly table: string; readonly rows: RecordBatch };

const KINDS = new Set(["put", "delete"]);

export function encodeChanges(changes: readonly TableChange[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const change of changes) {
    const header = new TextEncoder().encode(JSON.stringify({ k: change.kind, t: change.table }));
    const ipc = encodeBatch(change.rows);
    parts.push(u32(header.byteLength), header, u32(ipc.byteLength), ipc);
  }
  return concat(parts);
}

/** The changes of one entry; with `table`, only that table's (others are not decoded). */
export function decodeChanges(bytes: Uint8Array, table?: string): TableChange[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: TableChange[] = [];
  let at = 0;
  const take = (): Uint8Array => {
    if (at + 4 > bytes.byteLength) throw new Error("table change log entry is truncated");
    const length = view.getUint32(at, true);
    at += 4;
    if (at + length > bytes.byteLength) throw new Error("table change log entry is truncated");
    const part = bytes.subarray(at, at + length);
    at += length;
    return part;
  };
  while (at < bytes.byteLength) {
    const header = JSON.parse(new TextDecoder().decode(take())) as { k: string; t: string };
    if (!KINDS.has(header.k)) throw new Error(`unknown table change kind '${header.k}'`);
    const ipc = take();
    if (table !== undefined && header.t !== table) continue;
    const rows = decodeSingleBatch(ipc, "table change");
    out.push({ kind: header.k as TableChange["kind"], table: header.t, rows });
  }
  return out;
}

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
