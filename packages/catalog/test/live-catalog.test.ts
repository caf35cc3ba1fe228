// A live catalog: its version moves while attached, and every call after the move sees
// the schemas built for the new version (pooled processes agree through the version alone).
import { describe, expect, test } from "vitest";
import { ErrorKind, VgiError, decodeSchema, sql, type AnySqlType } from "@vgi-ts/protocol";
import { defineCatalog, type CatalogVersions, type TableDefinition } from "../src/index.js";
import { attachCatalog } from "./attached-catalog.js";

/** A catalog whose tables are `tables[version]`, its version read from `source.version`. */
function liveCatalog(source: { version: bigint | number }, seen: CatalogVersions[] = []) {
  const table = (name: string, type: AnySqlType = sql.bigint): TableDefinition => ({
    name,
    columns: { v: type },
    scan: { functionName: "scan" },
  });
  const tables: Record<string, TableDefinition[]> = {
    "1": [table("a")],
    "2": [table("a"), table("b")],
    "3": [table("a", sql.varchar)],
  };
  return defineCatalog({
    name: "live",
    catalogVersion: () => source.version,
    schemas: (versions) => {
      seen.push(versions);
      return [{ path: "main", tables: tables[String(versions.catalogVersion)] ?? [] }];
    },
  });
}

function attached(source: { version: bigint | number }, seen?: CatalogVersions[]) {
  const { methods, result, scope, tableNames, getTable } = attachCatalog(liveCatalog(source, seen));
  const version = () => methods.catalogVersion(scope).version;
  const columnType = (name: string) => {
    const table = getTable(name);
    return table === null ? null : String(decodeSchema(table.columns, "columns").fields[0]!.type);
  };
  return { methods, result, version, tableNames, columnType };
}

describe("live catalog versions", () => {
  test("ATTACH tells DuckDB the catalog is not frozen, with its version now", () => {
    const { result } = attached({ version: 7 });
    expect(result.catalogVersionFrozen).toBe(false);
    expect(result.catalogVersion).toBe(7n);
  });

  test("a catalog without catalogVersion stays frozen at version 1", () => {
    const frozen = defineCatalog({ name: "still", schemas: [{ path: "main" }] });
    expect(frozen.attachResult()).toMatchObject({ catalogVersionFrozen: true, catalogVersion: 1n });
    expect(frozen.currentVersion()).toBe(1n);
  });

  test("after the version moves, listings and lookups show the new schemas", () => {
    const source = { version: 1n };
    const { version, tableNames, columnType } = attached(source);
    expect(version()).toBe(1n);
    expect(tableNames()).toEqual(["a"]);
    expect(columnType("b")).toBeNull();

    source.version = 2n;
    expect(version()).toBe(2n);
    expect(tableNames()).toEqual(["a", "b"]);
    expect(columnType("b")).toBe("Int64");

    source.version = 3n;
    expect(tableNames()).toEqual(["a"]);
    expect(columnType("a")).toBe("Utf8");
    expect(columnType("b")).toBeNull();
  });

  test("a version's schemas are built once while it lasts, and again only after a move", () => {
    const source = { version: 1 };
    const seen: CatalogVersions[] = [];
    const { tableNames, version } = attached(source, seen);
    tableNames();
    tableNames();
    version();
    source.version = 2;
    tableNames();
    tableNames();
    expect(seen.map((v) => v.catalogVersion)).toEqual([1n, 2n]);
  });

  test("the poll only reads the version: it builds no listing", () => {
    const source = { version: 1 };
    const seen: CatalogVersions[] = [];
    const { version } = attached(source, seen);
    const built = seen.length;
    source.version = 5;
    expect(version()).toBe(5n);
    expect(seen).toHaveLength(built);
  });

  test.each([0, -3, 1.5, Number.NaN, 1n << 63n])(
    "a version of %s is refused as a contract violation",
    (bad) => {
      const source: { version: bigint | number } = { version: 1 };
      const { version } = attached(source);
      source.version = bad;
      try {
        version();
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(VgiError);
        expect((error as VgiError).kind).toBe(ErrorKind.ContractViolation);
        expect((error as VgiError).message).toContain("catalogVersion() returned");
      }
    },
  );
});
