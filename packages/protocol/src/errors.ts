/**
 * One error family for the whole stack. Every error that crosses the wire carries a
 * `kind`, written as `vgi_rpc.error_kind` on the EXCEPTION batch so callers branch on a
 * token, not on message text (WIRE_PROTOCOL.md §8 "Error kinds"; the set is open).
 */

/** Well-known error kinds. Open set: unknown kinds from peers are kept as strings. */
export const ErrorKind = {
  /** No handler for the requested method. */
  MethodNotImplemented: "method_not_implemented",
  /** The client's `vgi_rpc.protocol_version` is incompatible with ours. */
  ProtocolVersionMismatch: "protocol_version_mismatch",
  /** The request carried no `vgi_rpc.protocol` routing key. */
  ProtocolNotSpecified: "protocol_not_specified",
  /** The request named a protocol this worker does not host. */
  ProtocolNotSupported: "protocol_not_supported",
  /** `vgi_rpc.request_version` missing or not `"1"`. */
  RequestVersionMismatch: "request_version_mismatch",
  /** The request bytes are not a well-formed vgi-rpc request. */
  MalformedRequest: "malformed_request",
  /** A value did not have the Arrow type the contract requires. */
  TypeMismatch: "type_mismatch",
  /** A function broke its result contract (row count, column count). */
  ContractViolation: "contract_violation",
  /** Bad arguments to a function (wrong count, null constant, out of range). */
  InvalidArgument: "invalid_argument",
  /** A catalog object that was asked for does not exist. */
  NotFound: "not_found",
  /** User code threw. */
  FunctionError: "function_error",
  /** A write would break a table's constraint (NOT NULL, PRIMARY KEY, UNIQUE). */
  ConstraintViolation: "constraint_violation",
  /** The catalog refuses changes (DDL on a read-only catalog). */
  ReadOnly: "read_only",
  /** A scan split token that is not one this worker sealed, or was altered. */
  SplitTokenInvalid: "split_token_invalid",
  /** A scan split token past its lifetime (`split_token_ttl_seconds`): re-plan the scan. */
  SplitTokenExpired: "split_token_expired",
  /** A scan split token planned for another call (function, arguments, projection). */
  SplitTokenMismatch: "split_token_mismatch",
  /** A scan split token planned in another transaction than the one redeeming it. */
  SplitTokenTransaction: "split_token_transaction_mismatch",
  /** Anything else that went wrong inside the worker. */
  Internal: "internal_error",
} as const;

export type KnownErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];
export type ErrorKindValue = KnownErrorKind | (string & {});

export interface VgiErrorOptions {
  cause?: unknown;
  /** Structured detail that travels in `vgi_rpc.log_extra`. */
  extra?: Record<string, unknown>;
}

export class VgiError extends Error {
  readonly kind: ErrorKindValue;
  readonly extra: Record<string, unknown> | undefined;

  constructor(kind: ErrorKindValue, message: string, options: VgiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "VgiError";
    this.kind = kind;
    this.extra = options.extra;
  }
}

export class ProtocolVersionError extends VgiError {
  constructor(message: string) {
    super(ErrorKind.ProtocolVersionMismatch, message);
    this.name = "ProtocolVersionError";
  }
}

export class MalformedRequestError extends VgiError {
  constructor(message: string, options?: VgiErrorOptions) {
    super(ErrorKind.MalformedRequest, message, options);
    this.name = "MalformedRequestError";
  }
}

export class TypeMismatchError extends VgiError {
  constructor(message: string, options?: VgiErrorOptions) {
    super(ErrorKind.TypeMismatch, message, options);
    this.name = "TypeMismatchError";
  }
}

export class MethodNotImplementedError extends VgiError {
  constructor(message: string) {
    super(ErrorKind.MethodNotImplemented, message);
    this.name = "MethodNotImplementedError";
  }
}

/** An error reported by a remote peer, decoded from an EXCEPTION batch. */
export class RemoteError extends VgiError {
  readonly errorType: string;
  readonly remoteTraceback: string;

  constructor(
    kind: ErrorKindValue,
    message: string,
    errorType: string,
    remoteTraceback: string,
    extra?: Record<string, unknown>,
  ) {
    super(kind, message, extra === undefined ? {} : { extra });
    this.name = "RemoteError";
    this.errorType = errorType;
    this.remoteTraceback = remoteTraceback;
  }
}

/** Wrap anything thrown into a VgiError, keeping VgiErrors as they are. */
export function toVgiError(error: unknown, kind: ErrorKindValue = ErrorKind.Internal): VgiError {
  if (error instanceof VgiError) return error;
  if (error instanceof Error) return new VgiError(kind, error.message, { cause: error });
  return new VgiError(kind, String(error));
}
