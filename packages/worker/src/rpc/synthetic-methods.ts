/**
 * Built-in methods every vgi-rpc server answers: `__describe__` introspection
 * (WIRE_PROTOCOL.md §14, describe_version 4) and `__transport_options__` capability
 * negotiation (§15). Neither is routed nor version-gated.
 */
import { createHash } from "node:crypto";
import {
  Binary,
  Bool,
  Field,
  RecordBatch,
  Schema,
  Utf8,
  Struct,
  makeData,
  vectorFromArray,
} from "apache-arrow";
import {
  DESCRIBE_PROTOCOL_NAME_KEY,
  DESCRIBE_VERSION_KEY,
  PROTOCOL_HASH_KEY,
  PROTOCOL_VERSION_KEY,
  REQUEST_VERSION,
  REQUEST_VERSION_KEY,
  SERVER_ID_KEY,
  TRANSPORT_KEY_PREFIX,
  emptyBatch,
  encodeSchema,
} from "@vgi-ts/protocol";
import type { HostedProtocol } from "./method.js";

const DESCRIBE_SCHEMA = new Schema([
  new Field("name", new Utf8(), false),
  new Field("method_type", new Utf8(), false),
  new Field("has_return", new Bool(), false),
  new Field("params_schema_ipc", new Binary(), false),
  new Field("result_schema_ipc", new Binary(), false),
  new Field("has_header", new Bool(), false),
  new Field("header_schema_ipc", new Binary(), true),
  new Field("is_exchange", new Bool(), true),
]);

export function describeBatch(protocol: HostedProtocol, serverId: string): RecordBatch {
  const names = [...protocol.methods.keys()].sort();
  const methods = names.map((name) => protocol.methods.get(name)!);
  const empty = encodeSchema(new Schema([]));
  const columns = {
    name: vectorFromArray(names, new Utf8()),
    method_type: vectorFromArray(
      methods.map((m) => m.kind),
      new Utf8(),
    ),
    has_return: vectorFromArray(
      methods.map((m) => m.kind === "unary" && m.resultSchema.fields.length > 0),
      new Bool(),
    ),
    params_schema_ipc: vectorFromArray(
      methods.map((m) => encodeSchema(m.paramsSchema)),
      new Binary(),
    ),
    result_schema_ipc: vectorFromArray(
      methods.map((m) => (m.kind === "unary" ? encodeSchema(m.resultSchema) : empty)),
      new Binary(),
    ),
    has_header: vectorFromArray(
      methods.map((m) => m.kind === "stream" && m.headerSchema !== null),
      new Bool(),
    ),
    header_schema_ipc: vectorFromArray(
      methods.map((m) =>
        m.kind === "stream" && m.headerSchema !== null ? encodeSchema(m.headerSchema) : null,
      ),
      new Binary(),
    ),
    is_exchange: vectorFromArray(
      methods.map((m) => (m.kind === "stream" ? true : null)),
      new Bool(),
    ),
  };
  const children = Object.values(columns).map((vector) => vector.data[0]!);
  const data = makeData({
    type: new Struct(DESCRIBE_SCHEMA.fields),
    length: names.length,
    children,
  });
  const hash = createHash("sha256");
  for (const name of names) hash.update(name).update("\0");
  const metadata = new Map<string, string>([
    [DESCRIBE_PROTOCOL_NAME_KEY, protocol.name],
    [REQUEST_VERSION_KEY, REQUEST_VERSION],
    [DESCRIBE_VERSION_KEY, "4"],
    [PROTOCOL_HASH_KEY, hash.digest("hex")],
    [PROTOCOL_VERSION_KEY, protocol.version],
    [SERVER_ID_KEY, serverId],
  ]);
  return new RecordBatch(DESCRIBE_SCHEMA, data, metadata);
}

/** No shared-memory side channel yet: we answer `shm=false`, so clients stay inline. */
export function transportOptionsBatch(serverId: string): RecordBatch {
  return emptyBatch(
    new Schema([]),
    new Map([
      [`${TRANSPORT_KEY_PREFIX}shm`, "false"],
      [SERVER_ID_KEY, serverId],
      [REQUEST_VERSION_KEY, REQUEST_VERSION],
    ]),
  );
}

export { DESCRIBE_SCHEMA };
