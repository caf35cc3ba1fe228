import { describe, expect, test } from "vitest";
import { ErrorKind, VgiError, decodeSchema, sql } from "@vgi-ts/protocol";
import {
  CatalogRegistry,
  atClause,
  createCatalogMethods,
  defineCatalog,
  parseTimestamp,
  resolveVersionSpec,
  versionAt,
  type ResolvedVersions,
  type TableHistory,
  type VersionChoices,
} from "../src/index.js";

/** The error `run` throws, which must be a VgiError of `kind`. */
function refusal(run: () => unknown, kind: string = ErrorKind.InvalidArgument): VgiError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VgiError);
    expect((error as VgiError).kind).toBe(kind);
    return error as VgiError;
  }
  throw new Error("expected a VgiError");
}

describe("resolveVersionSpec", () => {
  const served: VersionChoices = {
    supported: ["2.0.0", "1.0.0", "1.4.2", "1.4.0", "3.1.0"],
    default: "3.1.0",
  };
  const resolve = (spec: string | null) => resolveVersionSpec(spec, served, "data_version_spec");

  test("no spec (or an empty one) is the default", () => {
    expect(resolve(null)).toBe("3.1.0");
    expect(resolve("")).toBe("3.1.0");
  });

  test.each([
    ["1.4.0", "1.4.0"],
    ["1", "1.4.2"],
    ["2", "2.0.0"],
    ["1.4", "1.4.0"],
    ["^1.0.0", "1.4.2"],
    ["^1.4.1", "1.4.2"],
    ["~1.4.0", "1.4.2"],
    ["~1.0.0", "1.0.0"],
    [" 2.0.0 ", "2.0.0"],
  ])("npm matching: %s → %s", (spec, version) => {
    expect(resolve(spec)).toBe(version);
  });

  test.each(["1.3.0", "4", "1.3", "^1.5.0", "~1.0.1", "^0.1.0", ">=1.0.0", "latest", "1.x"])(
    "%s matches nothing served: invalid_argument naming the option",
    (spec) => {
      const error = refusal(() => resolve(spec));
      expect(error.message).toContain(`Unsupported data_version_spec '${spec}'`);
      expect(error.message).toContain("1.0.0, 1.4.0");
    },
  );

  test("exact matching accepts only a served version spelled out", () => {
    const exact: VersionChoices = { ...served, matching: "exact" };
    expect(resolveVersionSpec("1.4.2", exact, "implementation_version")).toBe("1.4.2");
    const error = refusal(() => resolveVersionSpec("1", exact, "implementation_version"));
    expect(error.message).toContain("Unsupported implementation_version '1'");
  });
});

describe("versionAt", () => {
  const utc = (iso: string) => new Date(`${iso}T00:00:00Z`);
  const history: TableHistory = {
    table: "s.t",
    versions: [
      { version: 1, since: utc("2020-01-01") },
      { version: 2, since: utc("2021-01-01") },
      { version: 5, since: utc("2023-07-01") },
    ],
  };
  const at = (unit: string, value: string) => versionAt(history, { unit, value });

  test("no clause reads the current (last) version", () => {
    expect(versionAt(history, null)).toBe(5);
  });

  test("VERSION names a version the history has", () => {
    expect(at("VERSION", "2")).toBe(2);
    expect(at("version", "5")).toBe(5);
    for (const value of ["3", "0", "-1", "1.5", "two", ""]) {
      expect(refusal(() => at("VERSION", value)).message).toContain(`Unknown version ${value}`);
    }
  });

  test("TIMESTAMP reads the version current at that instant", () => {
    expect(at("TIMESTAMP", "2020-01-01 00:00:00")).toBe(1);
    expect(at("TIMESTAMP", "2020-12-31 23:59:59.999999")).toBe(1);
    expect(at("TIMESTAMP", "2021-01-01")).toBe(2);
    expect(at("TIMESTAMP", "2023-06-30 23:00:00-02")).toBe(5);
    expect(at("TIMESTAMP", "2023-07-01 01:00:00+02")).toBe(2);
    expect(at("TIMESTAMP", "2099-01-01 00:00:00")).toBe(5);
  });

  test("a timestamp before the first version, or not a timestamp, is refused", () => {
    expect(refusal(() => at("TIMESTAMP", "2019-12-31 23:59:59")).message).toContain(
      "did not exist before 2020-01-01",
    );
    expect(refusal(() => at("TIMESTAMP", "yesterday")).message).toContain("not a timestamp");
    expect(refusal(() => at("TIMESTAMP", "2020-13-01")).message).toContain("not a valid");
  });

  test("a first version without `since` answers every earlier timestamp", () => {
    const open: TableHistory = {
      versions: [{ version: 1 }, { version: 2, since: utc("2021-01-01") }],
    };
    expect(versionAt(open, { unit: "TIMESTAMP", value: "1900-01-01 00:00:00" })).toBe(1);
  });

  test("a history without timestamps refuses TIMESTAMP; other units are refused", () => {
    const versionsOnly: TableHistory = { versions: [{ version: 1 }, { version: 2 }] };
    expect(
      refusal(() => versionAt(versionsOnly, { unit: "TIMESTAMP", value: "2020-01-01" })).message,
    ).toContain("keeps versions only");
    expect(refusal(() => at("SNAPSHOT", "x")).message).toContain("SNAPSHOT is not supported");
  });

  test("parseTimestamp reads DuckDB's text forms as UTC unless an offset is given", () => {
    expect(parseTimestamp("2024-02-29 12:34:56.5").toISOString()).toBe("2024-02-29T12:34:56.500Z");
    expect(parseTimestamp("2024-02-29T12:34:56+05:30").toISOString()).toBe(
      "2024-02-29T07:04:56.000Z",
    );
  });

  test("atClause takes both parts or neither", () => {
    expect(atClause({ atUnit: null, atValue: null })).toBeNull();
    expect(atClause({ atUnit: "version", atValue: "3" })).toEqual({ unit: "VERSION", value: "3" });
    refusal(() => atClause({ atUnit: "VERSION", atValue: null }));
  });
});

describe("a versioned catalog", () => {
  const seen: ResolvedVersions[] = [];
  const catalog = defineCatalog({
    name: "shop",
    implementationVersions: { supported: ["7.0.0", "7.1.0", "8.0.0"], default: "8.0.0" },
    dataVersions: {
      spec: ">=1.0.0,<3.0.0",
      supported: ["1.0.0", "2.0.0"],
      default: "2.0.0",
      releases: [
        {
          version: "2.0.0",
          releasedAt: new Date(Date.UTC(2025, 5, 1)),
          summary: "prices in cents",
          notesUrl: "https://example.com/2",
        },
        { version: "1.0.0", summary: "first" },
      ],
    },
    schemas: (versions) => {
      seen.push(versions);
      const price = versions.dataVersion === "1.0.0" ? sql.double : sql.bigint;
      return [
        {
          path: "main",
          tables: [{ name: "items", columns: { price }, scan: { functionName: "x" } }],
        },
      ];
    },
  });
  const registry = new CatalogRegistry([catalog]);
  const methods = createCatalogMethods(registry);
  const attach = (data: string | null, impl: string | null) =>
    methods.catalogAttach({
      name: "shop",
      options: null,
      dataVersionSpec: data,
      implementationVersion: impl,
      clientCapabilities: null,
    });
  const priceType = (token: Uint8Array) => {
    const [item] = methods.catalogTableGet({
      attachOpaqueData: token,
      transactionOpaqueData: null,
      schemaPath: ["main"],
      name: "items",
      atUnit: null,
      atValue: null,
    }).items;
    const info = item as { columns: Uint8Array };
    return String(decodeSchema(info.columns, "columns").fields[0]!.type);
  };

  test("vgi_catalogs advertises the default implementation, the data range and releases", () => {
    expect(catalog.info()).toMatchObject({
      implementationVersion: "8.0.0",
      dataVersionSpec: ">=1.0.0,<3.0.0",
      releases: [
        {
          version: "2.0.0",
          releasedAt: new Date(Date.UTC(2025, 5, 1)),
          summary: "prices in cents",
          notesUrl: "https://example.com/2",
        },
        { version: "1.0.0", releasedAt: null, summary: "first", notesUrl: null },
      ],
    });
  });

  test("ATTACH resolves both specs, and later calls see the tables of that data version", () => {
    const old = attach("^1.0.0", "7");
    expect(old).toMatchObject({
      resolvedDataVersion: "1.0.0",
      resolvedImplementationVersion: "7.1.0",
    });
    const current = attach(null, null);
    expect(current).toMatchObject({
      resolvedDataVersion: "2.0.0",
      resolvedImplementationVersion: "8.0.0",
    });
    // The token alone decides: a fresh registry (another process) answers the same.
    const elsewhere = createCatalogMethods(new CatalogRegistry([catalog]));
    expect(priceType(old.attachOpaqueData)).toBe("Float64");
    expect(priceType(current.attachOpaqueData)).toBe("Int64");
    expect(
      elsewhere.catalogVersion({
        attachOpaqueData: old.attachOpaqueData,
        transactionOpaqueData: null,
      }),
    ).toEqual({ version: 1n });
    // Each version pair is built once per process.
    priceType(old.attachOpaqueData);
    expect(seen.filter((v) => v.dataVersion === "1.0.0")).toHaveLength(1);
  });

  test("an unserved spec fails the ATTACH naming its option", () => {
    expect(refusal(() => attach("3.0.0", null)).message).toContain("data_version_spec");
    expect(refusal(() => attach(null, "^7.2.0")).message).toContain("implementation_version");
  });

  test("a default that is not served is a definition error", () => {
    expect(() =>
      defineCatalog({
        name: "bad",
        dataVersions: { spec: "*", supported: ["1.0.0"], default: "2.0.0" },
        schemas: [],
      }),
    ).toThrow(/default '2.0.0'/);
    expect(() =>
      defineCatalog({
        name: "bad",
        implementationVersions: { supported: ["v1"], default: "v1" },
        schemas: [],
      }),
    ).toThrow(/X.Y.Z/);
  });
});
