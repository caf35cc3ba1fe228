import { describe, expect, test } from "vitest";
import { Field, Int32, Schema } from "apache-arrow";
import {
  ERROR_KIND_KEY,
  ErrorKind,
  LOG_EXTRA_KEY,
  LOG_LEVEL_KEY,
  LOG_MESSAGE_KEY,
  MalformedRequestError,
  REQUEST_ID_KEY,
  RemoteError,
  SERVER_ID_KEY,
  VgiError,
  classifyBatch,
  decodeStream,
  emptyBatch,
  encodeStream,
  errorBatch,
  logBatch,
  toVgiError,
  type LogLevel,
} from "../src/index.js";
import type { RecordBatch } from "apache-arrow";

const SCHEMA = new Schema([new Field("result", new Int32(), true)]);

/** Through real IPC bytes, as the peer would see it. */
function overTheWire(batch: RecordBatch): RecordBatch {
  const { batches } = decodeStream(encodeStream(batch.schema, [batch]));
  expect(batches).toHaveLength(1);
  return batches[0]!;
}

function classifyError(batch: RecordBatch): RemoteError {
  const classified = classifyBatch(overTheWire(batch));
  if (classified.kind !== "error")
    throw new Error(`expected an error batch, got ${classified.kind}`);
  return classified.error;
}

describe("log batches", () => {
  test.each<LogLevel>(["ERROR", "WARN", "INFO", "DEBUG", "TRACE"])(
    "%s record with JSON extra round-trips",
    (level) => {
      const extra = { rows: 3, nested: { ok: true, list: [1, "two", null] }, text: 'é ✓ "q"' };
      const batch = logBatch(
        SCHEMA,
        { level, message: `hello ${level}`, extra },
        { serverId: "s1" },
      );
      expect(batch.numRows).toBe(0);
      const wire = overTheWire(batch);
      expect(wire.metadata.get(SERVER_ID_KEY)).toBe("s1");
      expect(wire.schema.fields.map(String)).toEqual(SCHEMA.fields.map(String));
      expect(classifyBatch(wire)).toEqual({
        kind: "log",
        record: { level, message: `hello ${level}`, extra },
      });
    },
  );

  test("record without extra has no log_extra key", () => {
    const wire = overTheWire(logBatch(SCHEMA, { level: "INFO", message: "m" }));
    expect(wire.metadata.has(LOG_EXTRA_KEY)).toBe(false);
    expect(classifyBatch(wire)).toEqual({ kind: "log", record: { level: "INFO", message: "m" } });
  });

  test("unparseable log_extra is dropped, not thrown", () => {
    const batch = emptyBatch(
      SCHEMA,
      new Map([
        [LOG_LEVEL_KEY, "WARN"],
        [LOG_MESSAGE_KEY, "m"],
        [LOG_EXTRA_KEY, "{not json"],
      ]),
    );
    expect(classifyBatch(overTheWire(batch))).toEqual({
      kind: "log",
      record: { level: "WARN", message: "m" },
    });
  });

  test("data batches: rows, no metadata, or only half the log keys", () => {
    expect(classifyBatch(emptyBatch(SCHEMA)).kind).toBe("data");
    expect(classifyBatch(emptyBatch(SCHEMA, new Map([[LOG_LEVEL_KEY, "INFO"]]))).kind).toBe("data");
    const logKeys = new Map([
      [LOG_LEVEL_KEY, "INFO"],
      [LOG_MESSAGE_KEY, "m"],
    ]);
    // Log keys on a batch that has rows: it is data (only zero-row batches are logs).
    expect(classifyBatch(emptyBatch(new Schema([]), logKeys, 3)).kind).toBe("data");
    expect(classifyBatch(emptyBatch(new Schema([]), logKeys, 0)).kind).toBe("log");
  });
});

describe("error batches", () => {
  test("VgiError with kind and extra round-trips as RemoteError", () => {
    const error = new VgiError(ErrorKind.InvalidArgument, "bad argument x", {
      extra: { argument: "x", limits: [0, 10] },
    });
    const remote = classifyError(errorBatch(error, SCHEMA, { serverId: "srv", requestId: "r-9" }));
    expect(remote).toBeInstanceOf(RemoteError);
    expect(remote.kind).toBe("invalid_argument");
    expect(remote.message).toBe("bad argument x");
    expect(remote.errorType).toBe("VgiError");
    expect(remote.remoteTraceback).toContain("bad argument x");
    expect(remote.extra).toMatchObject({
      exception_type: "VgiError",
      exception_message: "bad argument x",
      error_kind: "invalid_argument",
      argument: "x",
      limits: [0, 10],
    });
  });

  test("metadata carries level, message, error_kind and identity", () => {
    const wire = overTheWire(
      errorBatch(new MalformedRequestError("nope"), SCHEMA, { serverId: "srv", requestId: "r-1" }),
    );
    expect(wire.numRows).toBe(0);
    expect(wire.metadata.get(LOG_LEVEL_KEY)).toBe("EXCEPTION");
    expect(wire.metadata.get(LOG_MESSAGE_KEY)).toBe("nope");
    expect(wire.metadata.get(ERROR_KIND_KEY)).toBe("malformed_request");
    expect(wire.metadata.get(SERVER_ID_KEY)).toBe("srv");
    expect(wire.metadata.get(REQUEST_ID_KEY)).toBe("r-1");
    const extra = JSON.parse(wire.metadata.get(LOG_EXTRA_KEY)!) as Record<string, unknown>;
    expect(extra.exception_type).toBe("MalformedRequestError");
    expect(extra.error_kind).toBe("malformed_request");
  });

  test("a wrapped user error reports the user's type and the user's stack", () => {
    function userFunctionThatThrows(): never {
      throw new RangeError("value out of range");
    }
    let wrapped: VgiError;
    try {
      userFunctionThatThrows();
    } catch (error) {
      wrapped = toVgiError(error, ErrorKind.FunctionError);
    }
    const remote = classifyError(errorBatch(wrapped!, SCHEMA));
    expect(remote.kind).toBe("function_error");
    expect(remote.errorType).toBe("RangeError");
    expect(remote.remoteTraceback).toContain("userFunctionThatThrows");
    expect(remote.remoteTraceback).toContain("RangeError: value out of range");
  });

  test("tracebacks are cut to bound the metadata", () => {
    const error = new VgiError(ErrorKind.Internal, "big");
    error.stack = "x".repeat(50_000);
    const remote = classifyError(errorBatch(error));
    expect(remote.remoteTraceback.length).toBeLessThan(16_100);
    expect(remote.remoteTraceback).toMatch(/traceback truncated>$/);
  });

  test("error on the empty schema (no data columns)", () => {
    const remote = classifyError(errorBatch(new VgiError("custom_kind", "open set")));
    expect(remote.kind).toBe("custom_kind");
  });

  test("kind falls back to log_extra.error_kind, then to 'unclassified'", () => {
    const base: [string, string][] = [
      [LOG_LEVEL_KEY, "EXCEPTION"],
      [LOG_MESSAGE_KEY, "boom"],
    ];
    const fromExtra = emptyBatch(
      SCHEMA,
      new Map([...base, [LOG_EXTRA_KEY, JSON.stringify({ error_kind: "not_found" })]]),
    );
    expect(classifyError(fromExtra).kind).toBe("not_found");
    const bare = classifyError(emptyBatch(SCHEMA, new Map(base)));
    expect(bare.kind).toBe("unclassified");
    expect(bare.errorType).toBe("EXCEPTION");
    expect(bare.remoteTraceback).toBe("");
  });

  test("toVgiError keeps VgiErrors and wraps everything else", () => {
    const original = new VgiError(ErrorKind.NotFound, "x");
    expect(toVgiError(original)).toBe(original);
    const wrapped = toVgiError(new Error("plain"));
    expect(wrapped.kind).toBe("internal_error");
    expect(wrapped.message).toBe("plain");
    expect(toVgiError("a string", ErrorKind.FunctionError).kind).toBe("function_error");
    expect(toVgiError(undefined).message).toBe("undefined");
  });
});
