/**
 * Fuzzing the worker connection in process: valid calls interleaved with malformed
 * requests (garbage metadata, wrong params, corrupt nested requests, failing functions).
 * Every request gets exactly one response; every malformed one an error of the
 * expected kind; and the valid call after it still succeeds. Seeded and deterministic.
 */
import { expect, test } from "vitest";
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
  BindParamsCodec,
  CatalogCatalogsResultCodec,
  CatalogSchemasParamsCodec,
  ErrorKind,
  METHOD_KEY,
  PROTOCOL_KEY,
  PROTOCOL_VERSION_KEY,
  REQUEST_VERSION_KEY,
  encodeStream,
  getMethod,
} from "@vgi-ts/protocol";
import { startConnection } from "./harness.js";
import {
  EMPTY_PARAMS,
  Prng,
  bigintBatch,
  requestBytes,
  requestMetadata,
  scalarBindRequest,
  unwrapResult,
  withTimeout,
  type Response,
} from "./support.js";

const SEED = Number(process.env.VGI_FUZZ_SEED ?? 0xc0ffee);
const STEPS = 600 * Number(process.env.VGI_FUZZ_RUNS ?? 1);

function randomText(rng: Prng): string {
  const pool = ["", "1", "2.0.0", "2.0.7", "2.1.0", "vgi.v2", "bind", "x", "é✓", "1.0", "\u0000"];
  if (rng.int(3) === 0) return rng.pick(pool);
  const alphabet = "abc.019_-vgi ";
  return Array.from({ length: rng.int(9) }, () => alphabet[rng.int(alphabet.length)]).join("");
}

/** What the worker must answer for a request whose metadata was garbled (or null if OK). */
function expectedKind(metadata: Map<string, string>): string | null {
  if (metadata.get(REQUEST_VERSION_KEY) !== "1") return ErrorKind.RequestVersionMismatch;
  const method = metadata.get(METHOD_KEY);
  if (method === undefined || method === "") return ErrorKind.MalformedRequest;
  if (method === "__describe__" || method === "__transport_options__") return null;
  const protocol = metadata.get(PROTOCOL_KEY);
  if (protocol === undefined) return ErrorKind.ProtocolNotSpecified;
  if (protocol !== "vgi.v2") return ErrorKind.ProtocolNotSupported;
  if (!/^2\.0\.(0|[1-9]\d*)$/.test(metadata.get(PROTOCOL_VERSION_KEY) ?? "")) {
    return ErrorKind.ProtocolVersionMismatch;
  }
  if (method !== "catalog_catalogs") {
    return getMethod(method) === undefined ||
      !["catalog_attach", "catalog_schemas", "bind", "init"].includes(method)
      ? // Not hosted (method_not_implemented), or hosted with other params.
        null
      : ErrorKind.MalformedRequest;
  }
  return null;
}

function oneRow(rng: Prng): RecordBatch {
  const fields: Field[] = [];
  const children = [];
  const names = ["request", "attach_opaque_data", "path", "x"];
  for (let i = 1 + rng.int(3); i > 0; i--) {
    const name = `${rng.pick(names)}${fields.length}`;
    const asText = rng.int(2) === 0;
    fields.push(new Field(name, asText ? new Utf8() : new Int32(), true));
    children.push(
      asText
        ? vectorFromArray([randomText(rng)], new Utf8()).data[0]!
        : vectorFromArray([rng.int(100)], new Int32()).data[0]!,
    );
  }
  const schema = new Schema(fields);
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length: 1, children }));
}

test("valid calls keep succeeding between malformed requests", { timeout: 60_000 }, async () => {
  const rng = new Prng(SEED);
  const harness = startConnection();
  const { client } = harness;
  const token = await client.attach("example");
  const bindDoubled = scalarBindRequest("doubled", token, [new Int64()]);
  const counts = new Map<string, number>();
  const count = (what: string): void => {
    counts.set(what, (counts.get(what) ?? 0) + 1);
  };
  const expectError = (response: Response, kind: string | string[], what: string): void => {
    const kinds = Array.isArray(kind) ? kind : [kind];
    expect(response.error?.kind, what).toBeDefined();
    expect(kinds, `${what}: ${response.error?.message}`).toContain(response.error!.kind);
    count(`error:${response.error!.kind}`);
  };

  for (let step = 0; step < STEPS; step++) {
    const what = `step ${step} (seed ${SEED})`;
    switch (rng.int(9)) {
      case 0: {
        // Garbled routing metadata on a parameterless call.
        const overrides: Record<string, string | undefined> = {};
        for (const key of [REQUEST_VERSION_KEY, METHOD_KEY, PROTOCOL_KEY, PROTOCOL_VERSION_KEY]) {
          const roll = rng.int(5);
          if (roll === 0) overrides[key] = undefined;
          else if (roll === 1) overrides[key] = randomText(rng);
        }
        const metadata = requestMetadata("catalog_catalogs", overrides);
        const response = await client.call(
          requestBytes(EMPTY_PARAMS, "catalog_catalogs", overrides),
        );
        const kind = expectedKind(metadata);
        const method = metadata.get(METHOD_KEY)!;
        if (kind !== null) expectError(response, kind, `${what} ${JSON.stringify([...metadata])}`);
        else if (method === "catalog_catalogs" || method.startsWith("__")) {
          expect(response.error, what).toBeUndefined();
          count("ok:garbled-but-valid");
        } else {
          // Another method name: not hosted, or hosted and fed the wrong params.
          expectError(response, [ErrorKind.MethodNotImplemented, ErrorKind.MalformedRequest], what);
        }
        break;
      }
      case 1: {
        // Random params for a hosted method.
        const method = rng.pick(["catalog_attach", "catalog_schemas", "bind", "init"]);
        expectError(
          await client.call(requestBytes(oneRow(rng), method)),
          ErrorKind.MalformedRequest,
          what,
        );
        break;
      }
      case 2: {
        // Not exactly one batch in the request stream.
        const batch = new RecordBatch(
          EMPTY_PARAMS.schema,
          EMPTY_PARAMS.data,
          requestMetadata("catalog_catalogs"),
        );
        const batches = rng.int(2) === 0 ? [] : [batch, batch, batch].slice(0, 2 + rng.int(2));
        expectError(
          await client.call(encodeStream(batch.schema, batches)),
          ErrorKind.MalformedRequest,
          what,
        );
        break;
      }
      case 3: {
        // A bind request whose nested IPC blob has flipped bytes: any answer but a hang.
        const params = BindParamsCodec.encode({ request: bindDoubled });
        const nested = Uint8Array.from(params.getChild("request")!.get(0) as Uint8Array);
        for (let k = 1 + rng.int(4); k > 0; k--) nested[rng.int(nested.length)] = rng.int(256);
        const schema = new Schema([new Field("request", params.schema.fields[0]!.type, false)]);
        const corrupt = new RecordBatch(
          schema,
          makeData({
            type: new Struct(schema.fields),
            length: 1,
            children: [vectorFromArray([nested], params.schema.fields[0]!.type).data[0]!],
          }),
        );
        const response = await client.call(requestBytes(corrupt, "bind"));
        count(response.error === undefined ? "ok:corrupt-bind" : `error:${response.error.kind}`);
        break;
      }
      case 4: {
        // A function that fails, in one of the ways functions fail.
        const [name, kind] = rng.pick([
          ["explode", ErrorKind.FunctionError],
          ["wrong_row_count", ErrorKind.ContractViolation],
          ["wrong_type", ErrorKind.TypeMismatch],
          ["wrong_decimal_scale", ErrorKind.TypeMismatch],
        ] as const);
        const batches = Array.from({ length: 1 + rng.int(3) }, () => bigintBatch([1n, 2n]));
        const { error } = await client.scalarCall(
          scalarBindRequest(name, token, [new Int64()]),
          batches,
        );
        expect(error?.kind, `${what} ${name}`).toBe(kind);
        count(`error:${kind}`);
        break;
      }
      case 5: {
        // Catalog calls with a forged token.
        const params = CatalogSchemasParamsCodec.encode({
          attachOpaqueData: Uint8Array.from(token, (b) => (rng.int(4) === 0 ? rng.int(256) : b)),
          transactionOpaqueData: null,
        });
        const response = await client.call(requestBytes(params, "catalog_schemas"));
        if (response.error !== undefined) {
          expectError(response, [ErrorKind.MalformedRequest, ErrorKind.NotFound], what);
        } else count("ok:token-survived");
        break;
      }
      default: {
        // The valid calls: listing, and a scalar exchange with values checked.
        if (rng.int(2) === 0) {
          const response = await client.call(requestBytes(EMPTY_PARAMS, "catalog_catalogs"));
          expect(response.error, what).toBeUndefined();
          const { result } = unwrapResult(response, CatalogCatalogsResultCodec);
          expect(result.items.length, what).toBe(1);
        } else {
          const values = Array.from({ length: 1 + rng.int(50) }, () =>
            rng.int(10) === 0 ? null : BigInt(rng.int(1_000_000) - 500_000),
          );
          const { outputs, error } = await client.scalarCall(bindDoubled, [bigintBatch(values)]);
          expect(error, what).toBeUndefined();
          const got = Array.from({ length: values.length }, (_, i) =>
            outputs[0]!.getChild("result")!.get(i),
          );
          expect(got, what).toEqual(values.map((v) => (v === null ? null : v * 2n)));
        }
        count("ok:valid");
      }
    }
  }
  // The connection is still healthy and stops cleanly when the client goes away.
  const last = await client.call(requestBytes(EMPTY_PARAMS, "catalog_catalogs"));
  expect(last.error).toBeUndefined();
  harness.close();
  await withTimeout(harness.served, 5_000, "the connection to stop");
  // The fuzz exercised each error kind it aims at.
  for (const kind of [
    "malformed_request",
    "request_version_mismatch",
    "protocol_version_mismatch",
    "protocol_not_specified",
    "protocol_not_supported",
    "function_error",
    "contract_violation",
    "type_mismatch",
  ]) {
    expect(counts.get(`error:${kind}`) ?? 0, `${kind} count`).toBeGreaterThan(0);
  }
  expect(counts.get("ok:valid") ?? 0).toBeGreaterThan(STEPS / 4);
});
