/**
 * Framework-reserved custom-metadata keys (vgi-rpc WIRE_PROTOCOL.md §3) and the
 * version constants VGI 2.0.0 pins.
 */

export const METHOD_KEY = "vgi_rpc.method";
export const REQUEST_VERSION_KEY = "vgi_rpc.request_version";
export const PROTOCOL_VERSION_KEY = "vgi_rpc.protocol_version";
/** Routing key: which hosted protocol a request addresses (`vgi.v2`). */
export const PROTOCOL_KEY = "vgi_rpc.protocol";
export const REQUEST_ID_KEY = "vgi_rpc.request_id";
export const CANCEL_KEY = "vgi_rpc.cancel";
export const TRACEPARENT_KEY = "traceparent";
export const TRACESTATE_KEY = "tracestate";

export const LOG_LEVEL_KEY = "vgi_rpc.log_level";
export const LOG_MESSAGE_KEY = "vgi_rpc.log_message";
export const LOG_EXTRA_KEY = "vgi_rpc.log_extra";
export const ERROR_KIND_KEY = "vgi_rpc.error_kind";
export const SERVER_ID_KEY = "vgi_rpc.server_id";

export const STREAM_STATE_KEY = "vgi_rpc.stream_state#b64";
export const CALL_STATE_KEY = "vgi_rpc.call_state#b64";
export const LOCATION_KEY = "vgi_rpc.location";
export const SHM_OFFSET_KEY = "vgi_rpc.shm_offset";

export const DESCRIBE_PROTOCOL_NAME_KEY = "vgi_rpc.protocol_name";
export const DESCRIBE_VERSION_KEY = "vgi_rpc.describe_version";
export const PROTOCOL_HASH_KEY = "vgi_rpc.protocol_hash";
export const TRANSPORT_KEY_PREFIX = "vgi_rpc.transport.";

/** Framing version; `"1"` throughout vgi-rpc's life (WIRE_PROTOCOL.md §13). */
export const REQUEST_VERSION = "1";
/** The VGI application protocol this implementation speaks. */
export const VGI_PROTOCOL_VERSION = "2.0.0";
/** Routing name of the VGI protocol; the major version is part of the name. */
export const VGI_PROTOCOL_NAME = "vgi.v2";

/** Synthetic methods that carry no routing key and skip the version check. */
export const DESCRIBE_METHOD = "__describe__";
export const TRANSPORT_OPTIONS_METHOD = "__transport_options__";

export type LogLevel = "EXCEPTION" | "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE";
