/**
 * Result-cache control: the `vgi.cache.*` custom-metadata vocabulary a worker puts on a
 * result batch to let the client (the DuckDB extension) keep and reuse the result, and
 * the validators the client sends back when it asks whether a stale copy is still good.
 *
 * The vocabulary follows HTTP caching (RFC 9111): a freshness lifetime (`ttl` or
 * `expires`), a reuse scope, validators (ETag, Last-Modified) for conditional
 * revalidation, and stale-serving grace windows. A result is cacheable only when it
 * carries a freshness key and no `no_store`. Booleans travel as `"1"` and are left out
 * when false; durations are whole seconds; timestamps are RFC 3339 UTC text.
 */
import { ErrorKind, VgiError } from "./errors.js";

// Response side (worker → client), read by the extension off a result batch.
export const CACHE_TTL_KEY = "vgi.cache.ttl";
export const CACHE_EXPIRES_KEY = "vgi.cache.expires";
export const CACHE_NO_STORE_KEY = "vgi.cache.no_store";
export const CACHE_SCOPE_KEY = "vgi.cache.scope";
export const CACHE_ETAG_KEY = "vgi.cache.etag";
export const CACHE_LAST_MODIFIED_KEY = "vgi.cache.last_modified";
export const CACHE_REVALIDATABLE_KEY = "vgi.cache.revalidatable";
export const CACHE_STALE_WHILE_REVALIDATE_KEY = "vgi.cache.stale_while_revalidate";
export const CACHE_STALE_IF_ERROR_KEY = "vgi.cache.stale_if_error";
export const CACHE_NOT_MODIFIED_KEY = "vgi.cache.not_modified";
export const CACHE_PARTITION_SCOPE_KEY = "vgi.cache.partition_scope";
export const CACHE_PER_VALUE_KEY = "vgi.cache.per_value";
// Request side (client → worker): on the first tick of a producer, on the input batch
// of an exchange.
export const CACHE_IF_NONE_MATCH_KEY = "vgi.cache.if_none_match";
export const CACHE_IF_MODIFIED_SINCE_KEY = "vgi.cache.if_modified_since";

/**
 * Where a cached result may be reused: `catalog` (the default) across transactions of
 * the same attached catalog and caller identity; `transaction` only inside the
 * transaction that produced it.
 */
export type CacheScope = "catalog" | "transaction";

/** The extension clamps any lifetime to ten years; larger values are refused here. */
export const CACHE_MAX_TTL_SECONDS = 315_360_000;

export interface CacheControl {
  /** Freshness lifetime in whole seconds from receipt; wins over `expires`. */
  readonly ttl?: number;
  /** Absolute freshness deadline (a `Date`, or RFC 3339 UTC text). */
  readonly expires?: Date | string;
  /** Reuse scope; `catalog` when left out (always written, so the client never guesses). */
  readonly scope?: CacheScope;
  /** Never store this result, whatever else is advertised. */
  readonly noStore?: boolean;
  /** Strong validator, an opaque quoted string such as `"v1"`. */
  readonly etag?: string;
  /** Weaker validator (a `Date`, or RFC 3339 UTC text); used when there is no ETag. */
  readonly lastModified?: Date | string;
  /**
   * The worker can confirm freshness cheaply: when the copy is stale the client asks
   * with `if_none_match`/`if_modified_since` instead of simply calling again.
   */
  readonly revalidatable?: boolean;
  /** Seconds a stale copy may be served while it is revalidated in the background. */
  readonly staleWhileRevalidate?: number;
  /** Seconds a stale copy may be served when revalidation fails. */
  readonly staleIfError?: number;
  /**
   * The answer to a conditional request: "your stored copy is still good". Sent on a
   * zero-row batch, with fresh lifetime and validators.
   */
  readonly notModified?: boolean;
  /**
   * Also cache the result split by partition value (single-value-partitioned table
   * functions), so a later `=`/`IN` scan on the partition columns reuses entries.
   */
  readonly partitionScope?: boolean;
  /**
   * Also memoize each distinct input value's output (scalars, table-in-out maps called
   * through LATERAL). Each served value costs a probe, a decode and an assembly, so this
   * only pays for expensive calls (inference, geocoding, rate-limited fetches); for cheap
   * arithmetic it is far slower than calling the worker.
   */
  readonly perValue?: boolean;
}

/** The validators of a conditional request: the client's stored copy, to be confirmed. */
export interface CacheValidators {
  readonly ifNoneMatch: string | null;
  readonly ifModifiedSince: string | null;
}

export const NO_CACHE_VALIDATORS: CacheValidators = { ifNoneMatch: null, ifModifiedSince: null };

/**
 * The `vgi.cache.*` batch metadata for `control`, in the key order the reference writes.
 * Throws `InvalidArgument` for a negative or fractional duration, a lifetime beyond
 * `CACHE_MAX_TTL_SECONDS`, an unknown scope or an unreadable timestamp: a typo here would
 * otherwise silently make a result uncacheable (or cached for the wrong time).
 */
export function cacheControlMetadata(control: CacheControl): Map<string, string> {
  const out = new Map<string, string>();
  const scope = control.scope ?? "catalog";
  if (scope !== "catalog" && scope !== "transaction") {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `cache control scope must be 'catalog' or 'transaction', got '${String(scope)}'`,
    );
  }
  if (control.ttl !== undefined) out.set(CACHE_TTL_KEY, seconds("ttl", control.ttl, true));
  if (control.expires !== undefined) {
    out.set(CACHE_EXPIRES_KEY, timestamp("expires", control.expires));
  }
  if (control.noStore === true) out.set(CACHE_NO_STORE_KEY, "1");
  out.set(CACHE_SCOPE_KEY, scope);
  if (control.etag !== undefined) out.set(CACHE_ETAG_KEY, control.etag);
  if (control.lastModified !== undefined) {
    out.set(CACHE_LAST_MODIFIED_KEY, timestamp("lastModified", control.lastModified));
  }
  if (control.revalidatable === true) out.set(CACHE_REVALIDATABLE_KEY, "1");
  if (control.staleWhileRevalidate !== undefined) {
    out.set(
      CACHE_STALE_WHILE_REVALIDATE_KEY,
      seconds("staleWhileRevalidate", control.staleWhileRevalidate, false),
    );
  }
  if (control.staleIfError !== undefined) {
    out.set(CACHE_STALE_IF_ERROR_KEY, seconds("staleIfError", control.staleIfError, false));
  }
  if (control.notModified === true) out.set(CACHE_NOT_MODIFIED_KEY, "1");
  if (control.partitionScope === true) out.set(CACHE_PARTITION_SCOPE_KEY, "1");
  if (control.perValue === true) out.set(CACHE_PER_VALUE_KEY, "1");
  return out;
}

/**
 * Read `vgi.cache.*` keys back into a `CacheControl` (null when none is present), the
 * way the client interprets them: only `"1"` sets a flag, durations are integers, any
 * scope but `transaction` means catalog scope.
 */
export function parseCacheControl(metadata: ReadonlyMap<string, string>): CacheControl | null {
  let present = false;
  const get = (key: string): string | undefined => {
    const value = metadata.get(key);
    if (value !== undefined) present = true;
    return value;
  };
  const flag = (key: string): boolean | undefined => {
    const value = get(key);
    return value === undefined ? undefined : value === "1";
  };
  const int = (key: string): number | undefined => {
    const value = get(key);
    if (value === undefined) return undefined;
    const n = Number(value);
    return Number.isInteger(n) ? n : undefined;
  };
  const scope = get(CACHE_SCOPE_KEY);
  const control: Record<string, unknown> = {
    ttl: int(CACHE_TTL_KEY),
    expires: get(CACHE_EXPIRES_KEY),
    scope:
      scope === undefined || scope === ""
        ? undefined
        : scope === "transaction"
          ? "transaction"
          : "catalog",
    noStore: flag(CACHE_NO_STORE_KEY),
    etag: get(CACHE_ETAG_KEY),
    lastModified: get(CACHE_LAST_MODIFIED_KEY),
    revalidatable: flag(CACHE_REVALIDATABLE_KEY),
    staleWhileRevalidate: int(CACHE_STALE_WHILE_REVALIDATE_KEY),
    staleIfError: int(CACHE_STALE_IF_ERROR_KEY),
    notModified: flag(CACHE_NOT_MODIFIED_KEY),
    partitionScope: flag(CACHE_PARTITION_SCOPE_KEY),
    perValue: flag(CACHE_PER_VALUE_KEY),
  };
  if (!present) return null;
  for (const key of Object.keys(control)) if (control[key] === undefined) delete control[key];
  return control as CacheControl;
}

/** Whether the client will store a result advertised with `control`. */
export function isCacheable(control: CacheControl | null): boolean {
  return (
    control !== null &&
    control.noStore !== true &&
    (control.ttl !== undefined || control.expires !== undefined)
  );
}

/** The validators of a conditional request, from a tick's or input batch's metadata. */
export function cacheValidatorsOf(metadata: ReadonlyMap<string, string>): CacheValidators {
  const ifNoneMatch = metadata.get(CACHE_IF_NONE_MATCH_KEY) ?? null;
  const ifModifiedSince = metadata.get(CACHE_IF_MODIFIED_SINCE_KEY) ?? null;
  return ifNoneMatch === null && ifModifiedSince === null
    ? NO_CACHE_VALIDATORS
    : { ifNoneMatch, ifModifiedSince };
}

function seconds(name: string, value: number, capped: boolean): string {
  if (!Number.isInteger(value) || value < 0) {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `cache control ${name} must be a whole number of seconds >= 0, got ${value}`,
    );
  }
  if (capped && value > CACHE_MAX_TTL_SECONDS) {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `cache control ${name} must be at most ${CACHE_MAX_TTL_SECONDS} seconds (ten years), got ${value}`,
    );
  }
  return String(value);
}

/** RFC 3339 UTC, second precision (`2026-01-02T03:04:05Z`). */
function timestamp(name: string, value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `cache control ${name} must be a date or RFC 3339 timestamp, got '${String(value)}'`,
    );
  }
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
