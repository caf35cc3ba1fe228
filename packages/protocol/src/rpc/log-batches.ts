/**
 * Log and error batches: zero-row batches on the stream's schema whose custom metadata
 * carries `vgi_rpc.log_level` / `log_message` / `log_extra` / `error_kind`
 * (WIRE_PROTOCOL.md §7, §8).
 */
import { Schema, type RecordBatch } from "apache-arrow";
import { RemoteError, type VgiError } from "../errors.js";
import { emptyBatch } from "../ipc/ipc-bytes.js";
import {
  ERROR_KIND_KEY,
  LOG_EXTRA_KEY,
  LOG_LEVEL_KEY,
  LOG_MESSAGE_KEY,
  REQUEST_ID_KEY,
  SERVER_ID_KEY,
  type LogLevel,
} from "../metadata-keys.js";

/** Tracebacks past this are cut, as the reference does, to bound batch metadata. */
const MAX_TRACEBACK_CHARS = 16_000;

export interface LogRecord {
  readonly level: LogLevel;
  readonly message: string;
  readonly extra?: Record<string, unknown>;
}

export interface BatchIdentity {
  readonly serverId?: string;
  readonly requestId?: string;
}

export function logBatch(
  schema: Schema,
  record: LogRecord,
  identity: BatchIdentity = {},
): RecordBatch {
  const metadata = new Map<string, string>([
    [LOG_LEVEL_KEY, record.level],
    [LOG_MESSAGE_KEY, record.message],
  ]);
  if (record.extra !== undefined) metadata.set(LOG_EXTRA_KEY, JSON.stringify(record.extra));
  stampIdentity(metadata, identity);
  return emptyBatch(schema, metadata);
}

/** The EXCEPTION batch for an error, with the kind hoisted to `vgi_rpc.error_kind`. */
export function errorBatch(
  error: VgiError,
  schema: Schema = new Schema([]),
  identity: BatchIdentity = {},
): RecordBatch {
  // The user's frames are on the original error, not on the VgiError wrapping it.
  const origin = error.cause instanceof Error ? error.cause : error;
  const traceback = truncate(origin.stack ?? `${origin.name}: ${origin.message}`);
  const extra: Record<string, unknown> = {
    exception_type: errorTypeName(error),
    exception_message: error.message,
    traceback,
    error_kind: error.kind,
    ...error.extra,
  };
  const metadata = new Map<string, string>([
    [LOG_LEVEL_KEY, "EXCEPTION"],
    [LOG_MESSAGE_KEY, error.message],
    [LOG_EXTRA_KEY, JSON.stringify(extra)],
    [ERROR_KIND_KEY, error.kind],
  ]);
  stampIdentity(metadata, identity);
  return emptyBatch(schema, metadata);
}

export type BatchClass =
  | { readonly kind: "data" }
  | { readonly kind: "log"; readonly record: LogRecord }
  | { readonly kind: "error"; readonly error: RemoteError };

/** Classify a received batch (WIRE_PROTOCOL.md §7). Pointer batches are not handled here. */
export function classifyBatch(batch: RecordBatch): BatchClass {
  const metadata = batch.metadata;
  if (batch.numRows > 0 || metadata === undefined) return { kind: "data" };
  const level = metadata.get(LOG_LEVEL_KEY);
  const message = metadata.get(LOG_MESSAGE_KEY);
  if (level === undefined || message === undefined) return { kind: "data" };
  const extra = parseExtra(metadata.get(LOG_EXTRA_KEY));
  if (level === "EXCEPTION") {
    const kind = metadata.get(ERROR_KIND_KEY) ?? stringField(extra, "error_kind") ?? "unclassified";
    const type = stringField(extra, "exception_type") ?? "EXCEPTION";
    const traceback = stringField(extra, "traceback") ?? "";
    return { kind: "error", error: new RemoteError(kind, message, type, traceback, extra) };
  }
  return {
    kind: "log",
    record: { level: level as LogLevel, message, ...(extra === undefined ? {} : { extra }) },
  };
}

function stampIdentity(metadata: Map<string, string>, identity: BatchIdentity): void {
  if (identity.serverId !== undefined) metadata.set(SERVER_ID_KEY, identity.serverId);
  if (identity.requestId !== undefined) metadata.set(REQUEST_ID_KEY, identity.requestId);
}

function errorTypeName(error: VgiError): string {
  const cause = error.cause;
  return cause instanceof Error && error.name === "VgiError" ? cause.name : error.name;
}

function truncate(text: string): string {
  return text.length <= MAX_TRACEBACK_CHARS
    ? text
    : `${text.slice(0, MAX_TRACEBACK_CHARS)}\n… <traceback truncated>`;
}

function parseExtra(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === "string" ? value : undefined;
}
