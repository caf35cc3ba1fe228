/**
 * The split token envelope: a sealed split opens to the same descriptor for the same
 * call, and every way a token can be wrong (altered, foreign key, other call, other
 * transaction, expired, not a token at all) is refused with its own error kind.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { ErrorKind, VgiError } from "@vgi-ts/protocol";
import {
  MemoryStorage,
  openSplit,
  sealSplit,
  splitFingerprint,
  SplitTokenKey,
  type SplitTokenContext,
} from "@vgi-ts/worker";

const KEY = new Uint8Array(randomBytes(32));
const NOW = Date.UTC(2026, 0, 1);

const fingerprint = (args: string, columns: readonly string[] = ["n"]): string =>
  splitFingerprint({
    functionName: "split_range",
    schemaPath: ["main"],
    attach: new TextEncoder().encode("attach"),
    arguments: new TextEncoder().encode(args),
    columns,
  });

const CONTEXT: SplitTokenContext = {
  functionName: "split_range",
  fingerprint: fingerprint("10,3"),
  transaction: null,
};

function seal(split: unknown, ttlSeconds: number | null = 60, context = CONTEXT): Uint8Array {
  return sealSplit(KEY, split, { ...context, ttlSeconds, now: NOW });
}

function refusal(run: () => unknown): VgiError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VgiError);
    return error as VgiError;
  }
  throw new Error("expected the token to be refused");
}

describe("split tokens", () => {
  test("round trip: the descriptor comes back as planned, bigints included", () => {
    const split = { id: 2, start: 6, stop: 10, big: 2n ** 70n, files: ["a", "b"] };
    expect(openSplit(KEY, seal(split), CONTEXT, NOW + 59_000)).toEqual(split);
    expect(openSplit(KEY, seal(null, null), CONTEXT, NOW + 10 ** 12)).toBeNull();
  });

  test("any altered byte is refused as invalid", () => {
    const token = seal({ id: 0, start: 0, stop: 3 });
    for (let i = 0; i < token.byteLength; i++) {
      const altered = token.slice();
      altered[i] = altered[i]! ^ 0x01;
      const error = refusal(() => openSplit(KEY, altered, CONTEXT, NOW));
      expect(error.kind).toBe(ErrorKind.SplitTokenInvalid);
    }
  });

  test("a body rewritten with a forged tag is refused; so is a token of another key", () => {
    const token = Buffer.from(seal({ id: 0, start: 0, stop: 3 }));
    const forged = Buffer.from(token.toString("latin1").replace('"stop":3', '"stop":9'), "latin1");
    expect(forged.equals(token)).toBe(false);
    expect(refusal(() => openSplit(KEY, forged, CONTEXT, NOW)).kind).toBe(
      ErrorKind.SplitTokenInvalid,
    );
    const otherKey = new Uint8Array(randomBytes(32));
    const error = refusal(() => openSplit(otherKey, token, CONTEXT, NOW));
    expect(error.kind).toBe(ErrorKind.SplitTokenInvalid);
    expect(error.message).toMatch(/integrity check failed/);
  });

  test("garbage, truncated and empty tokens are refused as invalid", () => {
    const token = seal({ id: 1 });
    for (const bad of [new Uint8Array(0), token.subarray(0, 20), new Uint8Array(randomBytes(80))]) {
      expect(refusal(() => openSplit(KEY, bad, CONTEXT, NOW)).kind).toBe(
        ErrorKind.SplitTokenInvalid,
      );
    }
    const otherVersion = token.slice();
    otherVersion[4] = 9;
    expect(refusal(() => openSplit(KEY, otherVersion, CONTEXT, NOW)).message).toMatch(
      /unsupported envelope version 9/,
    );
  });

  test("a token of another call (arguments, columns, function) is a mismatch", () => {
    const token = seal({ id: 0 });
    const others: SplitTokenContext[] = [
      { ...CONTEXT, fingerprint: fingerprint("20,3") },
      { ...CONTEXT, fingerprint: fingerprint("10,3", ["n", "split_id"]) },
      {
        ...CONTEXT,
        fingerprint: splitFingerprint({
          functionName: "other",
          schemaPath: ["main"],
          attach: new TextEncoder().encode("attach"),
          arguments: new TextEncoder().encode("10,3"),
          columns: ["n"],
        }),
      },
    ];
    for (const other of others) {
      const error = refusal(() => openSplit(KEY, token, other, NOW));
      expect(error.kind).toBe(ErrorKind.SplitTokenMismatch);
      expect(error.message).toMatch(/planned for another call/);
    }
  });

  test("fingerprints are length-delimited: shifted field boundaries differ", () => {
    const a = splitFingerprint({
      functionName: "ab",
      schemaPath: null,
      attach: null,
      arguments: new TextEncoder().encode("c"),
      columns: [],
    });
    const b = splitFingerprint({
      functionName: "a",
      schemaPath: null,
      attach: null,
      arguments: new TextEncoder().encode("bc"),
      columns: [],
    });
    expect(a).not.toBe(b);
    // Function names are case-insensitive in SQL.
    expect(fingerprint("1")).toBe(
      splitFingerprint({
        functionName: "SPLIT_RANGE",
        schemaPath: ["main"],
        attach: new TextEncoder().encode("attach"),
        arguments: new TextEncoder().encode("1"),
        columns: ["n"],
      }),
    );
  });

  test("a token planned in another transaction (or none) is refused", () => {
    const inTxn = { ...CONTEXT, transaction: "aa01" };
    const token = seal({ id: 0 }, 60, inTxn);
    expect(openSplit(KEY, token, inTxn, NOW)).toEqual({ id: 0 });
    for (const transaction of ["aa02", null]) {
      const error = refusal(() => openSplit(KEY, token, { ...CONTEXT, transaction }, NOW));
      expect(error.kind).toBe(ErrorKind.SplitTokenTransaction);
    }
    const outside = seal({ id: 0 });
    expect(refusal(() => openSplit(KEY, outside, inTxn, NOW)).kind).toBe(
      ErrorKind.SplitTokenTransaction,
    );
  });

  test("expiry: readable up to the lifetime, refused after it", () => {
    const token = seal({ id: 0 }, 30);
    expect(openSplit(KEY, token, CONTEXT, NOW + 30_000)).toEqual({ id: 0 });
    const error = refusal(() => openSplit(KEY, token, CONTEXT, NOW + 32_500));
    expect(error.kind).toBe(ErrorKind.SplitTokenExpired);
    expect(error.message).toMatch(/expired 3 s ago \(lifetime 30 s/);
  });

  test("a descriptor that is not plain data is a contract violation at plan time", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const error = refusal(() => seal(circular));
    expect(error.kind).toBe(ErrorKind.ContractViolation);
  });
});

describe("split token key", () => {
  test("processes sharing storage agree on one key, even when racing to create it", async () => {
    const storage = new MemoryStorage();
    const [a, b] = await Promise.all([
      new SplitTokenKey(storage).get(),
      new SplitTokenKey(storage).get(),
    ]);
    expect(a.byteLength).toBe(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const later = await new SplitTokenKey(storage).get();
    expect(Buffer.from(later).equals(Buffer.from(a))).toBe(true);
    const elsewhere = await new SplitTokenKey(new MemoryStorage()).get();
    expect(Buffer.from(elsewhere).equals(Buffer.from(a))).toBe(false);
  });

  test("an explicit key wins over storage and is the same for every process", async () => {
    const a = await new SplitTokenKey(new MemoryStorage(), "replica secret").get();
    const b = await new SplitTokenKey(new MemoryStorage(), "replica secret").get();
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
