/**
 * The per-execution log of the aggregate lifecycle in shared storage (see
 * `aggregate-methods.ts` for what each entry means and why): entry tags, the entry
 * header naming its writer, and how a reader tells whether a writer that still holds
 * states has died. Only the byte layout lives here; the protocol around it does not.
 */
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { executionKey } from "../storage/shared-storage.js";

/** Namespace of the bind request each execution was opened with. */
export const BIND_NS = "aggregate.bind";
/** Namespace of the execution logs. */
export const LOG_NS = "aggregate.log";

export const PARTIAL = 1;
export const COMBINE = 2;
export const HOLDING = 3;
export const DESTROYED = 4;
export const WANTED = 5;
/**
 * Entry header, 32 bytes so payloads stay 8-byte aligned: tag byte; at 8 the writer's
 * token (8 random bytes per AggregateMethods); at 16 its pid (u32); at 24 a hash of its
 * host name (a pid means something only on the same machine).
 */
export const HEADER = 32;

/** The process (and AggregateMethods instance) that wrote an entry. */
export interface Writer {
  readonly token: string;
  readonly pid: number;
  readonly host: string;
}

const HOST = createHash("sha256").update(hostname()).digest().subarray(0, 8);

/** A log entry with tag `tag`, written by this process under `token`. */
export function logEntry(
  token: Uint8Array,
  tag: number,
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = new Uint8Array(HEADER + payload.byteLength);
  out[0] = tag;
  out.set(token, 8);
  new DataView(out.buffer).setUint32(16, process.pid, true);
  out.set(HOST, 24);
  out.set(payload, HEADER);
  return out;
}

export function readWriter(data: Uint8Array): Writer {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return {
    token: executionKey(data.subarray(8, 16)),
    pid: view.getUint32(16, true),
    host: executionKey(data.subarray(24, 32)),
  };
}

/** Whether a holder is known to be dead: same machine, and no process with its pid. */
export function processGone(holder: Writer): boolean {
  if (holder.host !== executionKey(HOST)) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
