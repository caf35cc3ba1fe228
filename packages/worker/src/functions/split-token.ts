/**
 * Scan split tokens: the framework's envelope around one split a table function planned.
 * `table_function_plan` seals every split the function describes into a token; DuckDB
 * hands tokens back in `init` (`split_tokens`), possibly to another worker process or,
 * over HTTP, another replica. So the token carries everything needed to read its split
 * (no process memory is consulted) and is authenticated, so the worker only ever reads a
 * split it planned itself, for the same call, within the declared lifetime.
 *
 * Layout: `MAGIC (4) || version (1) || HMAC-SHA256 tag (32) || body (UTF-8 JSON)`. The tag
 * covers magic, version and body. The body is not secret (it is the function's own split
 * descriptor, e.g. a row range or a file name); it is integrity-protected, not encrypted.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ErrorKind, VgiError } from "@vgi-ts/protocol";

const MAGIC = Buffer.from("vgsp", "ascii");
const VERSION = 1;
const TAG_BYTES = 32;
const HEADER_BYTES = MAGIC.length + 1 + TAG_BYTES;
const BIGINT_TAG = "\u0000n:";

/** What a token is checked against when it is redeemed. */
export interface SplitTokenContext {
  /** The function, for messages. */
  readonly functionName: string;
  /** `splitFingerprint` of the call redeeming the token. */
  readonly fingerprint: string;
  /** The transaction of the redeeming call (hex), or null outside transactions. */
  readonly transaction: string | null;
}

export interface SealOptions extends SplitTokenContext {
  /** Lifetime in seconds from `now`; null: never expires. */
  readonly ttlSeconds: number | null;
  /** Milliseconds since the epoch (tests pass a fixed clock). */
  readonly now?: number;
}

interface SplitBody {
  readonly fn: string;
  readonly fp: string;
  readonly txn: string | null;
  /** Expiry, milliseconds since the epoch; null: never. */
  readonly exp: number | null;
  readonly ttl: number | null;
  readonly split: unknown;
}

/**
 * What identifies "the same call" for a token: function, schema path, attachment and
 * argument values (the bind request's bytes), and the projected columns. A token planned
 * for `f(10)` is refused by an init of `f(20)`, as is one planned for another column set
 * (a split descriptor may name the columns it reads).
 */
export function splitFingerprint(parts: {
  readonly functionName: string;
  readonly schemaPath: readonly string[] | null;
  readonly attach: Uint8Array | null;
  readonly arguments: Uint8Array;
  readonly columns: readonly string[];
}): string {
  const hash = createHash("sha256");
  const field = (bytes: Uint8Array | string): void => {
    const data = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
    // Length-prefixed, so no two different inputs concatenate to the same stream.
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.byteLength);
    hash.update(length).update(data);
  };
  field(parts.functionName.toLowerCase());
  field(JSON.stringify(parts.schemaPath ?? []));
  field(parts.attach ?? new Uint8Array(0));
  field(parts.arguments);
  field(JSON.stringify(parts.columns));
  return hash.digest("hex");
}

/** Seal one split descriptor (plain, JSON-shaped data; bigints allowed). */
export function sealSplit(key: Uint8Array, split: unknown, options: SealOptions): Uint8Array {
  const now = options.now ?? Date.now();
  const body: SplitBody = {
    fn: options.functionName,
    fp: options.fingerprint,
    txn: options.transaction,
    exp: options.ttlSeconds === null ? null : now + options.ttlSeconds * 1000,
    ttl: options.ttlSeconds,
    split,
  };
  let text: string;
  try {
    text = JSON.stringify(body, (_, v: unknown) =>
      typeof v === "bigint" ? BIGINT_TAG + v.toString() : v,
    );
  } catch (error) {
    throw new VgiError(
      ErrorKind.ContractViolation,
      `${options.functionName}: a planned split is not serializable (plain data only): ${String(error)}`,
      { cause: error },
    );
  }
  const bodyBytes = Buffer.from(text, "utf8");
  const head = Buffer.concat([MAGIC, Buffer.of(VERSION)]);
  const tag = createHmac("sha256", key).update(head).update(bodyBytes).digest();
  return new Uint8Array(Buffer.concat([head, tag, bodyBytes]));
}

/**
 * Open a token and return its split descriptor, or throw a `VgiError` saying why it
 * cannot be read: `split_token_invalid` (not ours, altered, sealed under another key),
 * `split_token_mismatch` (planned for another call), `split_token_transaction_mismatch`,
 * `split_token_expired`.
 */
export function openSplit(
  key: Uint8Array,
  token: Uint8Array,
  context: SplitTokenContext,
  now: number = Date.now(),
): unknown {
  const bytes = Buffer.from(token.buffer, token.byteOffset, token.byteLength);
  const invalid = (why: string): VgiError =>
    new VgiError(
      ErrorKind.SplitTokenInvalid,
      `${context.functionName}: split token rejected: ${why}; re-plan the scan`,
    );
  if (bytes.byteLength < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw invalid("not a split token issued by this worker");
  }
  const version = bytes[MAGIC.length];
  if (version !== VERSION) throw invalid(`unsupported envelope version ${String(version)}`);
  const head = bytes.subarray(0, MAGIC.length + 1);
  const tag = bytes.subarray(MAGIC.length + 1, HEADER_BYTES);
  const bodyBytes = bytes.subarray(HEADER_BYTES);
  const expected = createHmac("sha256", key).update(head).update(bodyBytes).digest();
  if (!timingSafeEqual(tag, expected)) {
    throw invalid("integrity check failed (altered, or sealed under another key)");
  }
  let body: SplitBody;
  try {
    body = JSON.parse(bodyBytes.toString("utf8"), (_, v: unknown) =>
      typeof v === "string" && v.startsWith(BIGINT_TAG) ? BigInt(v.slice(BIGINT_TAG.length)) : v,
    ) as SplitBody;
  } catch {
    throw invalid("unreadable body");
  }
  if (body.fp !== context.fingerprint) {
    throw new VgiError(
      ErrorKind.SplitTokenMismatch,
      `${context.functionName}: split token was planned for another call (${body.fn} with ` +
        `other arguments or columns) and cannot be read by this one; re-plan the scan`,
    );
  }
  if (body.txn !== context.transaction) {
    throw new VgiError(
      ErrorKind.SplitTokenTransaction,
      `${context.functionName}: split token was planned in another transaction than the one ` +
        `reading it; re-plan the scan in this transaction`,
    );
  }
  if (body.exp !== null && now > body.exp) {
    const ago = Math.ceil((now - body.exp) / 1000);
    throw new VgiError(
      ErrorKind.SplitTokenExpired,
      `${context.functionName}: split token expired ${ago} s ago (lifetime ` +
        `${String(body.ttl)} s, split_token_ttl_seconds); re-plan the scan`,
    );
  }
  return body.split;
}
