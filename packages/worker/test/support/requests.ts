/**
 * Request builders: the routing metadata of a well-formed VGI request (with keys to
 * override or drop, for malformed-request tests), request streams, and the params of
 * attach and scalar bind calls with their input batches.
 */
import {
  Field,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  makeData,
  vectorFromArray,
  type Data,
  type DataType,
} from "apache-arrow";
import {
  CatalogAttachParamsCodec,
  METHOD_KEY,
  PROTOCOL_KEY,
  PROTOCOL_VERSION_KEY,
  REQUEST_ID_KEY,
  REQUEST_VERSION,
  REQUEST_VERSION_KEY,
  VGI_PROTOCOL_NAME,
  VGI_PROTOCOL_VERSION,
  emptyBatch,
  encodeSchema,
  encodeStream,
  type BindRequestInput,
} from "@vgi-ts/protocol";

/** Routing metadata of a well-formed VGI request; override or drop (`undefined`) keys. */
export function requestMetadata(
  method: string,
  overrides: Record<string, string | undefined> = {},
): Map<string, string> {
  const entries: Record<string, string | undefined> = {
    [REQUEST_VERSION_KEY]: REQUEST_VERSION,
    [METHOD_KEY]: method,
    [PROTOCOL_KEY]: VGI_PROTOCOL_NAME,
    [PROTOCOL_VERSION_KEY]: VGI_PROTOCOL_VERSION,
    [REQUEST_ID_KEY]: `req-${method}`,
    ...overrides,
  };
  const metadata = new Map<string, string>();
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined) metadata.set(key, value);
  }
  return metadata;
}

export function requestBytes(
  params: RecordBatch,
  method: string,
  overrides: Record<string, string | undefined> = {},
): Uint8Array {
  const batch = new RecordBatch(params.schema, params.data, requestMetadata(method, overrides));
  return encodeStream(batch.schema, [batch]);
}

/** Params of a method without parameters: one row, no columns. */
export const EMPTY_PARAMS = emptyBatch(new Schema([]), undefined, 1);

export function attachParams(catalog: string): RecordBatch {
  return CatalogAttachParamsCodec.encode({
    request: {
      name: catalog,
      options: null,
      dataVersionSpec: null,
      implementationVersion: null,
      clientCapabilities: null,
    },
  });
}

/**
 * The `arguments` of a bind request: one row, an `args` struct holding each constant
 * argument (a one-value column) under its name, as an IPC stream.
 */
export function argumentsStream(
  args: readonly (readonly [name: string, data: Data])[],
): Uint8Array {
  const struct = new Struct(args.map(([name, data]) => new Field(name, data.type, true)));
  const schema = new Schema([new Field("args", struct, true)]);
  const batch = new RecordBatch(
    schema,
    makeData({
      type: new Struct(schema.fields),
      length: 1,
      children: [makeData({ type: struct, length: 1, children: args.map(([, data]) => data) })],
    }),
  );
  return encodeStream(schema, [batch]);
}

/** A bind request for a scalar call whose arguments are all columns of `types`. */
export function scalarBindRequest(
  functionName: string,
  attachOpaqueData: Uint8Array,
  types: readonly DataType[],
): BindRequestInput {
  return {
    functionName,
    // No constant arguments: an `args` struct with no fields, one row.
    arguments: argumentsStream([]),
    functionType: "SCALAR",
    inputSchema: encodeSchema(
      new Schema(types.map((type, i) => new Field(`col_${i}`, type, true))),
    ),
    settings: null,
    secrets: null,
    attachOpaqueData,
    transactionOpaqueData: null,
    resolvedSecretsProvided: false,
    schemaPath: ["main"],
    argumentNames: null,
  };
}

/** One BIGINT input column `col_0` as a batch. */
export function bigintBatch(values: readonly (bigint | null)[]): RecordBatch {
  const schema = new Schema([new Field("col_0", new Int64(), true)]);
  return new RecordBatch(
    schema,
    makeData({
      type: new Struct(schema.fields),
      length: values.length,
      children: [vectorFromArray([...values], new Int64()).data[0]!],
    }),
  );
}
