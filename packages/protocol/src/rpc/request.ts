/**
 * A decoded vgi-rpc request: the single-row parameter batch plus the metadata that
 * routes it (WIRE_PROTOCOL.md §5, §13). Validation order follows the spec: framing
 * version, method, then (for non-synthetic methods) routing key and protocol version,
 * all before parameters are looked at.
 */
import type { RecordBatch } from "apache-arrow";
import { ErrorKind, MalformedRequestError, VgiError } from "../errors.js";
import {
  CANCEL_KEY,
  METHOD_KEY,
  PROTOCOL_KEY,
  PROTOCOL_VERSION_KEY,
  REQUEST_ID_KEY,
  REQUEST_VERSION,
  REQUEST_VERSION_KEY,
  TRACEPARENT_KEY,
  TRACESTATE_KEY,
} from "../metadata-keys.js";

export interface RpcRequest {
  readonly method: string;
  /** `vgi_rpc.protocol` routing key; absent on synthetic methods. */
  readonly protocol: string | undefined;
  readonly protocolVersion: string | undefined;
  readonly requestId: string | undefined;
  readonly traceparent: string | undefined;
  readonly tracestate: string | undefined;
  readonly params: RecordBatch;
  readonly metadata: ReadonlyMap<string, string>;
}

/** Read the routing metadata of a request batch, checking the framing version. */
export function decodeRequest(batch: RecordBatch): RpcRequest {
  const metadata: ReadonlyMap<string, string> = batch.metadata ?? new Map<string, string>();
  const requestVersion = metadata.get(REQUEST_VERSION_KEY);
  if (requestVersion !== REQUEST_VERSION) {
    throw new VgiError(
      ErrorKind.RequestVersionMismatch,
      requestVersion === undefined
        ? `Request batch has no ${REQUEST_VERSION_KEY} metadata (expected "${REQUEST_VERSION}")`
        : `Unsupported ${REQUEST_VERSION_KEY} "${requestVersion}" (this worker speaks "${REQUEST_VERSION}")`,
    );
  }
  const method = metadata.get(METHOD_KEY);
  if (method === undefined || method === "") {
    throw new MalformedRequestError(`Request batch has no ${METHOD_KEY} metadata`);
  }
  if (batch.schema.fields.length > 0 && batch.numRows !== 1) {
    throw new MalformedRequestError(
      `Request for ${method} has ${batch.numRows} rows; a request batch carries exactly one row`,
    );
  }
  return {
    method,
    protocol: metadata.get(PROTOCOL_KEY),
    protocolVersion: metadata.get(PROTOCOL_VERSION_KEY),
    requestId: metadata.get(REQUEST_ID_KEY),
    traceparent: metadata.get(TRACEPARENT_KEY),
    tracestate: metadata.get(TRACESTATE_KEY),
    params: batch,
    metadata,
  };
}

/** A stream input batch that asks the server to stop (WIRE_PROTOCOL.md §9). */
export function isCancelBatch(batch: RecordBatch): boolean {
  return batch.numRows === 0 && (batch.metadata?.has(CANCEL_KEY) ?? false);
}
