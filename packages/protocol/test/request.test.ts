import { describe, expect, test } from "vitest";
import {
  Field,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
} from "apache-arrow";
import {
  CANCEL_KEY,
  ErrorKind,
  METHOD_KEY,
  METHODS,
  PROTOCOL_VERSION_KEY,
  ProtocolVersionError,
  REQUEST_VERSION_KEY,
  VGI_PROTOCOL_VERSION,
  VgiError,
  checkProtocolVersion,
  decodeRequest,
  decodeStream,
  emptyBatch,
  isCancelBatch,
  parseSemVer,
} from "../src/index.js";
import { requestBytes, requestMetadata, withMetadata } from "./support.js";

const PARAMS_SCHEMA = new Schema([
  new Field("name", new Utf8(), false),
  new Field("n", new Int64(), true),
]);

function params(rows: number): RecordBatch {
  const children = [
    vectorFromArray(
      Array.from({ length: rows }, (_, i) => `row${i}`),
      new Utf8(),
    ).data[0]!,
    vectorFromArray(
      Array.from({ length: rows }, (_, i) => BigInt(i)),
      new Int64(),
    ).data[0]!,
  ];
  const data = makeData({ type: new Struct(PARAMS_SCHEMA.fields), length: rows, children });
  return new RecordBatch(PARAMS_SCHEMA, data);
}

/** Encode as a client would, decode as the server does, return the error kind. */
function kindOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VgiError);
    return (error as VgiError).kind;
  }
  throw new Error("expected a VgiError");
}

function decodeWire(bytes: Uint8Array): ReturnType<typeof decodeRequest> {
  const { batches } = decodeStream(bytes);
  expect(batches).toHaveLength(1);
  return decodeRequest(batches[0]!);
}

describe("decodeRequest", () => {
  test("a well-formed request survives the wire with all its routing metadata", () => {
    const bytes = requestBytes(params(1), "bind", {
      "vgi_rpc.request_id": "abc-123",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      tracestate: "vendor=1",
    });
    const request = decodeWire(bytes);
    expect(request.method).toBe("bind");
    expect(request.protocol).toBe("vgi.v2");
    expect(request.protocolVersion).toBe(VGI_PROTOCOL_VERSION);
    expect(request.requestId).toBe("abc-123");
    expect(request.traceparent).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    expect(request.tracestate).toBe("vendor=1");
    expect(request.params.numRows).toBe(1);
    expect(request.params.getChild("name")?.get(0)).toBe("row0");
  });

  test("a real method's params (catalog_attach) decode through the method table", () => {
    const spec = METHODS.catalog_attach;
    const batch = spec.params.encode({
      request: {
        name: "example",
        options: null,
        dataVersionSpec: null,
        implementationVersion: null,
        clientCapabilities: null,
      },
    });
    const request = decodeWire(requestBytes(batch, "catalog_attach"));
    expect(spec.params.decodeRow(request.params, 0).request.name).toBe("example");
  });

  test("missing vgi_rpc.method → malformed_request", () => {
    const batch = withMetadata(params(1), requestMetadata("x", { [METHOD_KEY]: undefined }));
    expect(kindOf(() => decodeRequest(batch))).toBe(ErrorKind.MalformedRequest);
  });

  test("empty vgi_rpc.method → malformed_request", () => {
    const batch = withMetadata(params(1), requestMetadata(""));
    expect(kindOf(() => decodeRequest(batch))).toBe(ErrorKind.MalformedRequest);
  });

  test("no metadata at all → request_version_mismatch (framing version is checked first)", () => {
    expect(kindOf(() => decodeRequest(params(1)))).toBe(ErrorKind.RequestVersionMismatch);
  });

  test("missing vgi_rpc.request_version → request_version_mismatch", () => {
    const batch = withMetadata(
      params(1),
      requestMetadata("bind", { [REQUEST_VERSION_KEY]: undefined }),
    );
    expect(kindOf(() => decodeRequest(batch))).toBe(ErrorKind.RequestVersionMismatch);
  });

  test.each(["2", "0", "", "1.0", " 1"])(
    "vgi_rpc.request_version %j → request_version_mismatch",
    (version) => {
      const batch = withMetadata(
        params(1),
        requestMetadata("bind", { [REQUEST_VERSION_KEY]: version }),
      );
      expect(kindOf(() => decodeRequest(batch))).toBe(ErrorKind.RequestVersionMismatch);
    },
  );

  test.each([0, 2, 5])("a %i-row params batch → malformed_request", (rows) => {
    const batch = withMetadata(params(rows), requestMetadata("bind"));
    expect(kindOf(() => decodeRequest(batch))).toBe(ErrorKind.MalformedRequest);
  });

  test("zero-field params: row count is not enforced (WIRE_PROTOCOL §5)", () => {
    const batch = emptyBatch(new Schema([]), requestMetadata("catalog_catalogs"));
    expect(decodeRequest(batch).method).toBe("catalog_catalogs");
  });

  test("decodeRequest does not check the protocol version (the router does)", () => {
    const batch = withMetadata(
      params(1),
      requestMetadata("bind", { [PROTOCOL_VERSION_KEY]: "9.9.9" }),
    );
    expect(decodeRequest(batch).protocolVersion).toBe("9.9.9");
  });

  test("isCancelBatch: zero rows with vgi_rpc.cancel", () => {
    expect(isCancelBatch(emptyBatch(PARAMS_SCHEMA, new Map([[CANCEL_KEY, ""]])))).toBe(true);
    expect(isCancelBatch(emptyBatch(PARAMS_SCHEMA))).toBe(false);
    expect(isCancelBatch(withMetadata(params(1), new Map([[CANCEL_KEY, ""]])))).toBe(false);
  });
});

describe("checkProtocolVersion", () => {
  test("same major.minor is accepted whatever the patch", () => {
    expect(() => checkProtocolVersion("2.0.0", "2.0.0")).not.toThrow();
    expect(() => checkProtocolVersion("2.0.17", "2.0.3")).not.toThrow();
  });

  test("missing version → protocol_version_mismatch naming the worker's version", () => {
    expect(kindOf(() => checkProtocolVersion(undefined, "2.0.0"))).toBe(
      ErrorKind.ProtocolVersionMismatch,
    );
    expect(() => checkProtocolVersion(undefined, "2.0.0")).toThrow(/2\.0\.0/);
  });

  test.each([
    ["1.9.0", /Upgrade the client/],
    ["2.1.0", /Upgrade the worker/],
    ["3.0.0", /Upgrade the worker/],
    ["1.0.0", /Upgrade the client/],
  ])("client %s vs worker 2.0.0 → protocol_version_mismatch (%s)", (client, advice) => {
    expect(() => checkProtocolVersion(client, "2.0.0")).toThrow(ProtocolVersionError);
    expect(() => checkProtocolVersion(client, "2.0.0")).toThrow(advice);
    expect(kindOf(() => checkProtocolVersion(client, "2.0.0"))).toBe(
      ErrorKind.ProtocolVersionMismatch,
    );
  });

  test.each(["2.0", "v2.0.0", "2.0.0-beta", "02.0.0", "", "2.0.0 ", "x"])(
    "non-canonical %j → protocol_version_mismatch",
    (client) => {
      expect(kindOf(() => checkProtocolVersion(client, "2.0.0"))).toBe(
        ErrorKind.ProtocolVersionMismatch,
      );
    },
  );

  test("parseSemVer", () => {
    expect(parseSemVer("2.0.0")).toEqual([2, 0, 0]);
    expect(parseSemVer("10.20.30")).toEqual([10, 20, 30]);
    expect(parseSemVer("1.2")).toBeNull();
    expect(parseSemVer("01.2.3")).toBeNull();
  });

  test("a non-canonical server version is a programming error, not a client error", () => {
    expect(() => checkProtocolVersion("2.0.0", "2.0")).toThrow(/not canonical semver/);
    expect(() => checkProtocolVersion("2.0.0", "2.0")).not.toThrow(VgiError);
  });
});
