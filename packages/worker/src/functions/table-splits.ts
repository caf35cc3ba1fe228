/**
 * Scan splits for table functions that declare `splits`: DuckDB asks the worker to plan
 * the scan (`table_function_plan`) into named, independently readable units, then opens
 * one `init` stream per split, in any worker process and in any order. The function
 * describes each split as plain data; the framework seals it into a token (see
 * `split-token.ts`) and, at init, opens the token again and hands the descriptor to
 * `start` as `call.splits`.
 */
import { randomBytes } from "node:crypto";
import {
  ErrorKind,
  VgiError,
  type BindRequest,
  type TableFunctionPlanResultInput,
} from "@vgi-ts/protocol";
import { SplitTokenKey } from "../storage/split-token-key.js";
import type { SharedStorage } from "../storage/shared-storage.js";
import { openSplit, sealSplit, splitFingerprint, type SplitTokenContext } from "./split-token.js";
import type { TableCall } from "./table-call.js";

/** How a table function divides a call's work into splits. */
export interface TableSplits {
  /**
   * The units of work of one call, each described by plain, JSON-shaped data (bigints
   * allowed): a row range, a file name, a partition key. Sees the call's arguments and,
   * like `start`, the scan's projection, filters and hints. Each split is read by its own
   * stream, whose `start` finds the descriptor in `call.splits`. Planning must not
   * depend on process memory: the splits are read by other processes.
   */
  readonly plan: (
    call: TableCall,
    hints: SplitPlanHints,
  ) => readonly PlannedSplit[] | Promise<readonly PlannedSplit[]>;
  /**
   * How long a planned split stays readable, in seconds (advertised as
   * `split_token_ttl_seconds`). Default 3600; null: tokens never expire. DuckDB refuses
   * to plan with a function whose lifetime is below `vgi_split_token_min_ttl_seconds`
   * (default 30).
   */
  readonly ttlSeconds?: number | null;
}

export interface PlannedSplit {
  /** The split's descriptor: what its stream needs to produce its rows. */
  readonly split: unknown;
  readonly estimatedRows?: number | bigint;
  /** `estimatedRows` is the split's exact row count. */
  readonly rowsExact?: boolean;
  readonly estimatedBytes?: number | bigint;
}

/** Sizing hints of the plan request (DuckDB's `vgi_target_split_bytes`, ...). */
export interface SplitPlanHints {
  readonly targetSplitBytes: bigint | null;
  readonly minSplits: bigint | null;
}

export const DEFAULT_SPLIT_TTL_SECONDS = 3600;

const keys = new WeakMap<SharedStorage, SplitTokenKey>();

/**
 * The sealing key of a worker's shared storage: one per storage, so every process
 * sharing it (the fixture worker's sqlite file) seals and opens with the same key.
 */
export function splitTokenKey(storage: SharedStorage): Promise<Uint8Array> {
  let key = keys.get(storage);
  if (key === undefined) {
    key = new SplitTokenKey(storage, process.env.VGI_WORKER_SPLIT_TOKEN_KEY);
    keys.set(storage, key);
  }
  return key.get();
}

/** What a token is bound to: the call (as bind describes it) and the projected columns. */
export function splitContext(
  functionName: string,
  bindCall: BindRequest,
  columns: readonly string[],
): SplitTokenContext {
  const transaction = bindCall.transactionOpaqueData;
  return {
    functionName,
    fingerprint: splitFingerprint({
      functionName: bindCall.functionName,
      schemaPath: bindCall.schemaPath,
      attach: bindCall.attachOpaqueData,
      arguments: bindCall.arguments,
      columns,
    }),
    transaction:
      transaction === null || transaction.byteLength === 0
        ? null
        : Buffer.from(transaction).toString("hex"),
  };
}

/** Seal the planned splits into the plan result DuckDB reads. */
export function planResult(
  planned: readonly PlannedSplit[],
  options: {
    readonly key: Uint8Array;
    readonly context: SplitTokenContext;
    readonly ttlSeconds: number | null;
    readonly maxWorkers: number;
  },
): TableFunctionPlanResultInput {
  const encoder = new TextEncoder();
  let totalRows: bigint | null = 0n;
  const splits = planned.map((entry) => {
    const token = sealSplit(options.key, entry.split, {
      ...options.context,
      ttlSeconds: options.ttlSeconds,
    });
    const rows = entry.estimatedRows === undefined ? null : BigInt(entry.estimatedRows);
    totalRows = rows === null || totalRows === null ? null : totalRows + rows;
    return {
      // A readable copy of the descriptor, for diagnostics; only `token` is redeemed.
      payload: encoder.encode(
        JSON.stringify(entry.split, (_, v: unknown) =>
          typeof v === "bigint" ? v.toString() : v,
        ) ?? "null",
      ),
      token,
      estimatedRows: rows,
      rowsExact: entry.rowsExact === true && rows !== null,
      estimatedBytes: entry.estimatedBytes === undefined ? null : BigInt(entry.estimatedBytes),
    };
  });
  return {
    splits,
    executionId: new Uint8Array(randomBytes(16)),
    maxWorkers: BigInt(Math.max(1, options.maxWorkers)),
    estimatedTotalSplits: BigInt(splits.length),
    estimatedTotalRows: totalRows,
    scope: "query",
  };
}

/** Open the tokens an init carries; any bad token fails the stream with its reason. */
export function redeemSplits(
  tokens: readonly Uint8Array[],
  key: Uint8Array,
  context: SplitTokenContext,
): unknown[] {
  return tokens.map((token) => openSplit(key, token, context));
}

export function checkTtl(functionName: string, ttl: number | null): void {
  if (ttl !== null && !(Number.isInteger(ttl) && ttl > 0)) {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `table function ${functionName}: splits.ttlSeconds must be a positive whole number or null`,
    );
  }
}
