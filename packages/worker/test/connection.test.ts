/**
 * The worker connection in process: each kind of bad request gets an error response of
 * the right kind, and the connection keeps serving the next request.
 */
import { afterEach, describe, expect, test } from "vitest";
import {
  Field,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
} from "apache-arrow";
import {
  CatalogAttachParamsCodec,
  CatalogCatalogsResultCodec,
  CatalogSchemasParamsCodec,
  ErrorKind,
  METHOD_KEY,
  PROTOCOL_KEY,
  PROTOCOL_VERSION_KEY,
  REQUEST_VERSION_KEY,
  classifyBatch,
  emptyBatch,
  encodeStream,
} from "@vgi-ts/protocol";
import { startConnection, type Harness } from "./harness.js";
import {
  EMPTY_PARAMS,
  attachParams,
  bigintBatch,
  requestBytes,
  requestMetadata,
  scalarBindRequest,
  unwrapResult,
  withTimeout,
} from "./support.js";

let harness: Harness;
afterEach(async () => {
  harness.close();
  await withTimeout(harness.served, 5_000, "the connection to stop");
});

/** A call that must succeed: catalog_catalogs lists the test catalog. */
async function expectServing(h: Harness): Promise<void> {
  const response = await h.client.call(requestBytes(EMPTY_PARAMS, "catalog_catalogs"));
  expect(response.error).toBeUndefined();
  const { result } = unwrapResult(response, CatalogCatalogsResultCodec);
  expect(result.items.map((item) => item.name)).toEqual(["example"]);
}

async function expectErrorKind(bytes: Uint8Array, kind: string, message?: RegExp): Promise<void> {
  const response = await harness.client.call(bytes);
  expect(response.error, "expected an error response").toBeDefined();
  expect(response.error!.kind).toBe(kind);
  if (message !== undefined) expect(response.error!.message).toMatch(message);
  // Every error response is a complete stream with only the error batch in it.
  expect(response.data).toHaveLength(0);
  await expectServing(harness);
}

function oneRow(fields: [string, Int32 | Utf8 | Int64, unknown][]): RecordBatch {
  const schema = new Schema(fields.map(([name, type]) => new Field(name, type, true)));
  return new RecordBatch(
    schema,
    makeData({
      type: new Struct(schema.fields),
      length: 1,
      children: fields.map(
        ([, type, value]) => vectorFromArray([value] as unknown[], type).data[0]!,
      ),
    }),
  );
}

describe("bad requests get typed error responses and the connection keeps serving", () => {
  test("unknown method → method_not_implemented", async () => {
    harness = startConnection();
    await expectErrorKind(
      requestBytes(EMPTY_PARAMS, "no_such_method"),
      ErrorKind.MethodNotImplemented,
      /no method 'no_such_method'/,
    );
  });

  test("missing vgi_rpc.method → malformed_request", async () => {
    harness = startConnection();
    await expectErrorKind(
      requestBytes(EMPTY_PARAMS, "x", { [METHOD_KEY]: undefined }),
      ErrorKind.MalformedRequest,
    );
  });

  test("wrong request version → request_version_mismatch", async () => {
    harness = startConnection();
    await expectErrorKind(
      requestBytes(EMPTY_PARAMS, "catalog_catalogs", { [REQUEST_VERSION_KEY]: "2" }),
      ErrorKind.RequestVersionMismatch,
    );
  });

  test.each([
    ["1.9.0", /Upgrade the client/],
    ["2.1.0", /Upgrade the worker/],
    ["3.0.0", /Upgrade the worker/],
    ["garbage", /not canonical/],
  ])("protocol version %s → protocol_version_mismatch", async (version, advice) => {
    harness = startConnection();
    await expectErrorKind(
      requestBytes(EMPTY_PARAMS, "catalog_catalogs", { [PROTOCOL_VERSION_KEY]: version }),
      ErrorKind.ProtocolVersionMismatch,
      advice,
    );
  });

  test("missing protocol version → protocol_version_mismatch", async () => {
    harness = startConnection();
    await expectErrorKind(
      requestBytes(EMPTY_PARAMS, "catalog_catalogs", { [PROTOCOL_VERSION_KEY]: undefined }),
      ErrorKind.ProtocolVersionMismatch,
    );
  });

  test("missing routing key → protocol_not_specified", async () => {
    harness = startConnection();
    await expectErrorKind(
      requestBytes(EMPTY_PARAMS, "catalog_catalogs", { [PROTOCOL_KEY]: undefined }),
      ErrorKind.ProtocolNotSpecified,
      /hosts: \[vgi\.v2\]/,
    );
  });

  test("unknown routing key → protocol_not_supported", async () => {
    harness = startConnection();
    await expectErrorKind(
      requestBytes(EMPTY_PARAMS, "catalog_catalogs", { [PROTOCOL_KEY]: "vgi.v9" }),
      ErrorKind.ProtocolNotSupported,
    );
  });

  test("request stream with two batches → malformed_request", async () => {
    harness = startConnection();
    const params = attachParams("example");
    const batch = new RecordBatch(params.schema, params.data, requestMetadata("catalog_attach"));
    await expectErrorKind(
      encodeStream(batch.schema, [batch, batch]),
      ErrorKind.MalformedRequest,
      /2 batches/,
    );
  });

  test("request stream with no batch → malformed_request", async () => {
    harness = startConnection();
    await expectErrorKind(
      encodeStream(new Schema([]), []),
      ErrorKind.MalformedRequest,
      /0 batches/,
    );
  });

  test("params batch with two rows → malformed_request", async () => {
    harness = startConnection();
    const request = {
      name: "example",
      options: null,
      dataVersionSpec: null,
      implementationVersion: null,
      clientCapabilities: null,
    };
    const two = CatalogAttachParamsCodec.encode([{ request }, { request }]);
    expect(two.numRows).toBe(2);
    await expectErrorKind(
      requestBytes(two, "catalog_attach"),
      ErrorKind.MalformedRequest,
      /2 rows/,
    );
  });

  test("params of the wrong schema → malformed_request naming the field", async () => {
    harness = startConnection();
    await expectErrorKind(
      requestBytes(oneRow([["request", new Int32(), 5]]), "catalog_attach"),
      ErrorKind.MalformedRequest,
      /request/,
    );
    await expectErrorKind(
      requestBytes(oneRow([["unrelated", new Utf8(), "x"]]), "catalog_schemas"),
      ErrorKind.MalformedRequest,
      /attach_opaque_data/,
    );
  });

  test("nested request bytes that are not IPC → malformed_request", async () => {
    harness = startConnection();
    await expectErrorKind(
      requestBytes(oneRow([["request", new Utf8(), "not ipc"]]), "catalog_attach"),
      ErrorKind.MalformedRequest,
    );
  });

  test("catalog calls with a forged attach token → malformed_request", async () => {
    harness = startConnection();
    const params = CatalogSchemasParamsCodec.encode({
      attachOpaqueData: new TextEncoder().encode("forged"),
      transactionOpaqueData: null,
    });
    await expectErrorKind(requestBytes(params, "catalog_schemas"), ErrorKind.MalformedRequest);
  });

  test("attach of an unknown catalog → not_found", async () => {
    harness = startConnection();
    await expectErrorKind(requestBytes(attachParams("nope"), "catalog_attach"), ErrorKind.NotFound);
  });

  test("bind of an unknown function → not_found; of a wrong signature → invalid_argument", async () => {
    harness = startConnection();
    const token = await harness.client.attach("example");
    const unknown = await harness.client.bind(scalarBindRequest("nope", token, [new Int64()]));
    expect(unknown.error?.kind).toBe(ErrorKind.NotFound);
    const wrong = await harness.client.bind(scalarBindRequest("doubled", token, [new Utf8()]));
    expect(wrong.error?.kind).toBe(ErrorKind.InvalidArgument);
    await expectServing(harness);
  });

  test("a parameterless method accepts a zero-row params batch (WIRE_PROTOCOL §5)", async () => {
    harness = startConnection();
    const response = await harness.client.call(
      requestBytes(emptyBatch(new Schema([])), "catalog_catalogs"),
    );
    expect(response.error).toBeUndefined();
  });

  test("__describe__ is answered without routing metadata", async () => {
    harness = startConnection();
    const response = await harness.client.call(
      requestBytes(EMPTY_PARAMS, "__describe__", {
        [PROTOCOL_KEY]: undefined,
        [PROTOCOL_VERSION_KEY]: undefined,
      }),
    );
    expect(response.error).toBeUndefined();
    const names = response.data[0]!.getChild("name")!.toArray() as string[];
    expect(names).toContain("bind");
    expect(names).toContain("catalog_attach");
  });

  test("framing garbage: an error response, then the connection stops cleanly", async () => {
    harness = startConnection();
    await expectServing(harness);
    harness.client.write(
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x10, 0, 0, 0, ...new Uint8Array(16).fill(0xab)]),
    );
    const response = await harness.client.response();
    expect(response?.error?.kind).toBe(ErrorKind.MalformedRequest);
    // The worker stops reading a byte stream it can no longer frame, and says so by
    // closing its output: no hang.
    await withTimeout(harness.served, 5_000, "the connection to stop");
    expect(await harness.client.response()).toBeNull();
  });
});

describe("scalar exchange over the connection", () => {
  test("a good call: one output batch per input batch, values doubled", async () => {
    harness = startConnection();
    const token = await harness.client.attach("example");
    const { outputs, error } = await harness.client.scalarCall(
      scalarBindRequest("doubled", token, [new Int64()]),
      [bigintBatch([1n, null, -4n]), bigintBatch([2n ** 40n])],
    );
    expect(error).toBeUndefined();
    expect(outputs.map((b) => b.getChild("result")!.toArray())).toEqual(
      [[2n, null, -8n].map((v) => v ?? 0n), [2n ** 41n]].map((values) =>
        BigInt64Array.from(values),
      ),
    );
    expect(outputs[0]!.getChild("result")!.get(1)).toBeNull();
  });

  test.each([
    ["explode", ErrorKind.FunctionError, /RangeError: explode: 1 is out of range/],
    ["wrong_row_count", ErrorKind.ContractViolation, /returned 4 rows for a batch of 3/],
    ["wrong_type", ErrorKind.TypeMismatch, /returned Utf8 but was bound to return Int64/],
    ["wrong_decimal_scale", ErrorKind.TypeMismatch, /Decimal/],
  ])("%s → %s, and the next call succeeds", async (name, kind, message) => {
    harness = startConnection();
    const token = await harness.client.attach("example");
    const failed = await harness.client.scalarCall(scalarBindRequest(name, token, [new Int64()]), [
      bigintBatch([1n, 2n, 3n]),
    ]);
    expect(failed.error?.kind).toBe(kind);
    expect(failed.error?.message).toMatch(message);
    const good = await harness.client.scalarCall(
      scalarBindRequest("doubled", token, [new Int64()]),
      [bigintBatch([21n])],
    );
    expect(good.error).toBeUndefined();
    expect(good.outputs[0]!.getChild("result")!.get(0)).toBe(42n);
    expect(harness.errors.map((e) => e.kind)).toEqual([kind]);
  });

  test("function errors carry the user's traceback", async () => {
    harness = startConnection();
    const token = await harness.client.attach("example");
    const { error } = await harness.client.scalarCall(
      scalarBindRequest("explode", token, [new Int64()]),
      [bigintBatch([7n])],
    );
    expect(error?.errorType).toBe("RangeError");
    expect(error?.remoteTraceback).toContain("explode: 7 is out of range");
    expect(error?.remoteTraceback).toMatch(/harness\.ts/);
  });

  test("an error batch on the output stream classifies as error (not data)", () => {
    // Sanity of the client itself: a data batch with rows is never an error.
    expect(classifyBatch(bigintBatch([1n])).kind).toBe("data");
  });
});
