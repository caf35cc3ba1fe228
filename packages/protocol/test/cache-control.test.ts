import { describe, expect, it } from "vitest";
import {
  CACHE_MAX_TTL_SECONDS,
  ErrorKind,
  VgiError,
  cacheControlMetadata,
  cacheValidatorsOf,
  isCacheable,
  parseCacheControl,
  type CacheControl,
} from "../src/index.js";

function entries(control: CacheControl): [string, string][] {
  return [...cacheControlMetadata(control)];
}

function invalid(control: CacheControl): VgiError {
  try {
    cacheControlMetadata(control);
  } catch (error) {
    if (error instanceof VgiError) return error;
    throw error;
  }
  throw new Error("expected an InvalidArgument error");
}

describe("cacheControlMetadata", () => {
  it("writes a ttl and always the scope", () => {
    expect(entries({ ttl: 300 })).toEqual([
      ["vgi.cache.ttl", "300"],
      ["vgi.cache.scope", "catalog"],
    ]);
  });

  it("writes only the scope for an empty control (present but not cacheable)", () => {
    expect(entries({})).toEqual([["vgi.cache.scope", "catalog"]]);
    expect(isCacheable(parseCacheControl(cacheControlMetadata({})))).toBe(false);
  });

  it("writes every field in the reference order, booleans as '1'", () => {
    const all = entries({
      ttl: 0,
      expires: new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 678)),
      noStore: true,
      scope: "transaction",
      etag: '"v1"',
      lastModified: "2026-01-01T00:00:00+01:00",
      revalidatable: true,
      staleWhileRevalidate: 30,
      staleIfError: 60,
      notModified: true,
      partitionScope: true,
      perValue: true,
    });
    expect(all).toEqual([
      ["vgi.cache.ttl", "0"],
      ["vgi.cache.expires", "2030-01-02T03:04:05Z"],
      ["vgi.cache.no_store", "1"],
      ["vgi.cache.scope", "transaction"],
      ["vgi.cache.etag", '"v1"'],
      ["vgi.cache.last_modified", "2025-12-31T23:00:00Z"],
      ["vgi.cache.revalidatable", "1"],
      ["vgi.cache.stale_while_revalidate", "30"],
      ["vgi.cache.stale_if_error", "60"],
      ["vgi.cache.not_modified", "1"],
      ["vgi.cache.partition_scope", "1"],
      ["vgi.cache.per_value", "1"],
    ]);
  });

  it("leaves false booleans out rather than writing '0'", () => {
    const keys = entries({ ttl: 5, noStore: false, perValue: false, revalidatable: false }).map(
      ([key]) => key,
    );
    expect(keys).toEqual(["vgi.cache.ttl", "vgi.cache.scope"]);
  });

  it("rejects negative, fractional and over-long durations with InvalidArgument", () => {
    expect(invalid({ ttl: -1 }).kind).toBe(ErrorKind.InvalidArgument);
    expect(invalid({ ttl: 1.5 }).message).toContain("whole number of seconds");
    expect(invalid({ staleIfError: -3 }).message).toContain("staleIfError");
    expect(invalid({ ttl: CACHE_MAX_TTL_SECONDS + 1 }).message).toContain("at most");
    expect(entries({ ttl: CACHE_MAX_TTL_SECONDS })[0]).toEqual([
      "vgi.cache.ttl",
      String(CACHE_MAX_TTL_SECONDS),
    ]);
  });

  it("rejects an unknown scope and an unreadable timestamp", () => {
    expect(invalid({ scope: "session" as never }).message).toContain("'catalog' or 'transaction'");
    expect(invalid({ ttl: 1, expires: "next tuesday" }).message).toContain("expires");
  });
});

describe("parseCacheControl", () => {
  it("round-trips what cacheControlMetadata writes", () => {
    const control: CacheControl = {
      ttl: 60,
      scope: "transaction",
      etag: '"e"',
      revalidatable: true,
      staleWhileRevalidate: 10,
      perValue: true,
    };
    expect(parseCacheControl(cacheControlMetadata(control))).toEqual(control);
  });

  it("is null without vgi.cache keys and reads flags the way the extension does", () => {
    expect(parseCacheControl(new Map([["other", "1"]]))).toBeNull();
    const read = parseCacheControl(
      new Map([
        ["vgi.cache.no_store", "true"],
        ["vgi.cache.per_value", "1"],
        ["vgi.cache.scope", "session"],
      ]),
    );
    // The extension compares flags with "1" only; an unknown scope is catalog scope.
    expect(read).toEqual({ noStore: false, perValue: true, scope: "catalog" });
  });

  it("decides cacheability: a freshness key and no no_store", () => {
    expect(isCacheable({ ttl: 0 })).toBe(true);
    expect(isCacheable({ expires: "2030-01-01T00:00:00Z" })).toBe(true);
    expect(isCacheable({ ttl: 300, noStore: true })).toBe(false);
    expect(isCacheable({ etag: '"x"' })).toBe(false);
    expect(isCacheable(null)).toBe(false);
  });
});

describe("cacheValidatorsOf", () => {
  it("reads the conditional-request validators", () => {
    expect(cacheValidatorsOf(new Map())).toEqual({ ifNoneMatch: null, ifModifiedSince: null });
    expect(
      cacheValidatorsOf(
        new Map([
          ["vgi.cache.if_none_match", '"rev-v1"'],
          ["vgi.cache.if_modified_since", "2026-01-01T00:00:00Z"],
        ]),
      ),
    ).toEqual({ ifNoneMatch: '"rev-v1"', ifModifiedSince: "2026-01-01T00:00:00Z" });
  });
});
