/**
 * Fuzzing the request decoder: whatever bytes arrive, decoding a request either
 * succeeds or throws a VgiError carrying a kind — never another exception type, never
 * a hang. Deterministic: every case derives from a fixed seed, and a failure names the
 * seed and case so it can be replayed.
 */
import { describe, expect, test } from "vitest";
import {
  Field,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
} from "apache-arrow";
import {
  IpcReader,
  MalformedRequestError,
  METHOD_KEY,
  METHODS,
  PROTOCOL_KEY,
  PROTOCOL_VERSION_KEY,
  REQUEST_VERSION_KEY,
  VgiError,
  checkProtocolVersion,
  decodeRequest,
  decodeStream,
  encodeStream,
  getMethod,
  type MethodName,
} from "../src/index.js";
import { sampleMessage } from "../src/codec/test-samples.js";
import type { MessageCodec } from "../src/index.js";
import { Prng, requestBytes, requestMetadata, splitAt, withMetadata } from "./support.js";

type Outcome = { ok: true; method: string } | { ok: false; kind: string };

/** What a server does with one request stream's bytes, synchronously. */
function decodeAll(bytes: Uint8Array): Outcome {
  const { batches } = decodeStream(bytes, "request");
  if (batches.length !== 1) throw new MalformedRequestError(`${batches.length} batches`);
  return finish(batches[0]!);
}

/** The same through the pull reader, fed in the given chunks. */
async function decodeChunked(chunks: readonly Uint8Array[]): Promise<Outcome> {
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) yield chunk;
  }
  const reader = new IpcReader(source());
  const stream = await reader.readStream();
  if (stream === null) return { ok: true, method: "<end of input>" };
  if (stream.batches.length !== 1) throw new MalformedRequestError("batch count");
  return finish(stream.batches[0]!);
}

function finish(batch: RecordBatch): Outcome {
  const request = decodeRequest(batch);
  const spec = getMethod(request.method);
  if (spec !== undefined) {
    checkProtocolVersion(request.protocolVersion, "2.0.0");
    spec.params.decodeRow(request.params, 0);
  }
  return { ok: true, method: request.method };
}

function classify(run: () => Outcome): Outcome {
  try {
    return run();
  } catch (error) {
    return typed(error);
  }
}

async function classifyAsync(run: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await run();
  } catch (error) {
    return typed(error);
  }
}

function typed(error: unknown): Outcome {
  if (!(error instanceof VgiError)) {
    throw new Error(`decoder threw a non-VgiError: ${String(error)}`, { cause: error });
  }
  expect(typeof error.kind).toBe("string");
  expect(error.kind.length).toBeGreaterThan(0);
  return { ok: false, kind: error.kind };
}

/** Valid requests for a spread of methods, with sample params. */
const METHOD_SAMPLE: MethodName[] = [
  "bind",
  "init",
  "catalog_catalogs",
  "catalog_attach",
  "catalog_schemas",
  "catalog_schema_contents_functions",
  "aggregate_update",
  "catalog_table_get",
  "table_function_plan",
];

const VALID = METHOD_SAMPLE.flatMap((name) =>
  [0, 1, 2].map((variant) => {
    const codec = METHODS[name].params as MessageCodec<unknown, unknown>;
    return { name, bytes: requestBytes(codec.encode(sampleMessage(codec, variant)), name) };
  }),
);

const RUNS = Number(process.env.VGI_FUZZ_RUNS ?? 1);
const SEED = Number(process.env.VGI_FUZZ_SEED ?? 0x5eed);

describe("request decoder fuzz", () => {
  test("valid requests decode (sanity: the fuzz inputs start from good bytes)", () => {
    for (const { name, bytes } of VALID)
      expect(decodeAll(bytes)).toEqual({ ok: true, method: name });
  });

  test("random bytes → VgiError or nothing", async () => {
    const rng = new Prng(SEED);
    const kinds = new Map<string, number>();
    for (let i = 0; i < 1500 * RUNS; i++) {
      const length = rng.int(4) === 0 ? rng.int(8) : rng.int(600);
      let bytes = rng.bytes(length);
      // Half the cases start like an IPC message so they get past the first check.
      if (rng.int(2) === 0 && length >= 8) {
        bytes.set([0xff, 0xff, 0xff, 0xff], 0);
        new DataView(bytes.buffer).setInt32(4, rng.int(length), true);
      }
      if (rng.int(3) === 0)
        bytes = Uint8Array.from([...VALID[0]!.bytes.subarray(0, rng.int(200)), ...bytes]);
      // Both paths must end in a result or a typed error (classify checks).
      const outcome = classify(() => decodeAll(bytes));
      await classifyAsync(() => decodeChunked(splitAt(bytes, [rng.int(bytes.length + 1)])));
      if (!outcome.ok) kinds.set(outcome.kind, (kinds.get(outcome.kind) ?? 0) + 1);
    }
    expect(kinds.get("malformed_request") ?? 0).toBeGreaterThan(1000 * RUNS);
  });

  test("truncated valid requests → malformed_request", async () => {
    const rng = new Prng(SEED + 1);
    for (let i = 0; i < 600 * RUNS; i++) {
      const { name, bytes } = rng.pick(VALID);
      // Every fourth case cuts exactly the 8-byte EOS marker off.
      const cut = i % 4 === 0 ? bytes.length - 8 : rng.int(bytes.length);
      const truncated = bytes.subarray(0, cut);
      const outcome = classify(() => decodeAll(truncated));
      // decodeStream (for blobs held whole in memory) tolerates a stream with no EOS;
      // the pipe reader must not: without EOS the request has not ended.
      const whole = cut === bytes.length - 8;
      expect(outcome, `cut at ${cut}`).toEqual(
        whole ? { ok: true, method: name } : { ok: false, kind: "malformed_request" },
      );
      if (cut > 0) {
        const chunked = await classifyAsync(() =>
          decodeChunked(splitAt(truncated, [rng.int(cut + 1)])),
        );
        expect(chunked, `chunked cut at ${cut}`).toEqual({ ok: false, kind: "malformed_request" });
      }
    }
  });

  test("valid requests with flipped bytes → decoded or a VgiError", () => {
    const rng = new Prng(SEED + 2);
    let failures = 0;
    for (let i = 0; i < 1500 * RUNS; i++) {
      const { bytes } = rng.pick(VALID);
      const mutated = Uint8Array.from(bytes);
      for (let k = 1 + rng.int(6); k > 0; k--) {
        const at = rng.int(mutated.length);
        mutated[at] = rng.int(3) === 0 ? 0xff : rng.int(256);
      }
      if (!classify(() => decodeAll(mutated)).ok) failures++;
    }
    expect(failures).toBeGreaterThan(0);
  });

  test("valid IPC with random, missing or garbage metadata → the right kind", () => {
    const rng = new Prng(SEED + 3);
    const codec = METHODS.catalog_schemas.params as MessageCodec<unknown, unknown>;
    const params = codec.encode(sampleMessage(codec, 0));
    const keys = [REQUEST_VERSION_KEY, METHOD_KEY, PROTOCOL_KEY, PROTOCOL_VERSION_KEY];
    for (let i = 0; i < 800 * RUNS; i++) {
      const overrides: Record<string, string | undefined> = {};
      for (const key of keys) {
        const roll = rng.int(4);
        if (roll === 0) overrides[key] = undefined;
        else if (roll === 1) overrides[key] = rng.text();
      }
      // Extra unknown keys must be ignored.
      if (rng.int(2) === 0) overrides[`x.${rng.text(5)}`] = rng.text(30);
      const metadata = requestMetadata("catalog_schemas", overrides);
      const batch = withMetadata(params, metadata);
      const outcome = classify(() => decodeAll(encodeStream(batch.schema, [batch])));
      const version = metadata.get(REQUEST_VERSION_KEY);
      const method = metadata.get(METHOD_KEY);
      const expected: Outcome =
        version !== "1"
          ? { ok: false, kind: "request_version_mismatch" }
          : method === undefined || method === ""
            ? { ok: false, kind: "malformed_request" }
            : getMethod(method) === undefined
              ? { ok: true, method }
              : !/^2\.0\.\d+$/.test(metadata.get(PROTOCOL_VERSION_KEY) ?? "")
                ? { ok: false, kind: "protocol_version_mismatch" }
                : { ok: true, method };
      expect(outcome, JSON.stringify(Object.fromEntries(metadata))).toEqual(expected);
    }
  });

  test("params of the wrong schema for the named method → malformed_request", () => {
    const rng = new Prng(SEED + 4);
    const names = METHOD_SAMPLE.filter((name) => METHODS[name].params.schema.fields.length > 0);
    let checked = 0;
    for (let i = 0; i < 400 * RUNS; i++) {
      const target = rng.pick(names);
      const source = rng.pick(VALID);
      const { batches } = decodeStream(source.bytes);
      const params = batches[0]!;
      const wrong = rng.int(3) === 0 ? randomParams(rng) : params;
      const bytes = requestBytes(wrong, target);
      const outcome = classify(() => decodeAll(bytes));
      const expectedSchema = METHODS[target].params.schema;
      if (sameSchema(wrong.schema, expectedSchema)) continue;
      checked++;
      // Extra fields are ignored (forward compatibility); a missing required field or
      // a field of another type is malformed.
      const expected: Outcome = compatible(wrong.schema, expectedSchema)
        ? { ok: true, method: target }
        : { ok: false, kind: "malformed_request" };
      expect(outcome, `${source.name} params sent to ${target}`).toEqual(expected);
    }
    expect(checked).toBeGreaterThan(200 * RUNS);
  });
});

function compatible(sent: Schema, target: Schema): boolean {
  return target.fields.every((field) => {
    const match = sent.fields.find((f) => f.name === field.name);
    return match === undefined ? field.nullable : String(match.type) === String(field.type);
  });
}

function sameSchema(a: Schema, b: Schema): boolean {
  return a.fields.map(String).join() === b.fields.map(String).join();
}

/** A one-row batch of 1..4 random columns named like real params or not. */
function randomParams(rng: Prng): RecordBatch {
  const names = ["request", "attach_opaque_data", "path", "x", rng.text(6) || "y"];
  const count = 1 + rng.int(4);
  const fields: Field[] = [];
  const children = [];
  for (let i = 0; i < count; i++) {
    const name = `${rng.pick(names)}${fields.some((f) => f.name.startsWith(names[0]!)) ? i : ""}`;
    if (fields.some((f) => f.name === name)) continue;
    if (rng.int(2) === 0) {
      fields.push(new Field(name, new Utf8(), true));
      children.push(vectorFromArray([rng.text()], new Utf8()).data[0]!);
    } else {
      fields.push(new Field(name, new Int32(), true));
      children.push(vectorFromArray([rng.int(1000)], new Int32()).data[0]!);
    }
  }
  const schema = new Schema(fields);
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length: 1, children }));
}
