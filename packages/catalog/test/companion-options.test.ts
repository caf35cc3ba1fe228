// Companions decided per ATTACH from the catalog's typed ATTACH options.
import { describe, expect, test } from "vitest";
import { encodeBatch, makeRecordBatch, sql } from "@vgi-ts/protocol";
import { Schema } from "apache-arrow";
import { CatalogRegistry, createCatalogMethods, defineCatalog } from "../src/index.js";

/** The options batch the extension sends for `lake` (absent when null). */
function lakeOption(lake: string | null): Uint8Array | null {
  if (lake === null) return null;
  const schema = new Schema([sql.varchar.field("lake", true)]);
  return encodeBatch(makeRecordBatch(schema, 1, [sql.varchar.build([lake])]));
}

const seen: ReadonlyMap<string, unknown>[] = [];
const catalog = defineCatalog({
  name: "shore",
  attachOptions: [{ name: "lake", type: sql.varchar, default: "/srv/default.db" }],
  companions: (options) => {
    seen.push(options);
    const lake = String(options.get("lake"));
    return lake === "none" ? [] : [{ alias: "shore_lake", target: lake, dbType: "duckdb" }];
  },
  schemas: [{ path: "main" }],
});
const methods = createCatalogMethods(new CatalogRegistry([catalog]));
const attach = (lake: string | null) =>
  methods.catalogAttach({
    name: "shore",
    options: lakeOption(lake),
    dataVersionSpec: null,
    implementationVersion: null,
    clientCapabilities: null,
  });

describe("companions from ATTACH options", () => {
  test("each ATTACH gets the companions its options ask for", () => {
    expect(attach("/data/a.db").attachCatalogs).toMatchObject([
      { alias: "shore_lake", target: "/data/a.db", dbType: "duckdb", required: false },
    ]);
    expect(attach("/data/b.db").attachCatalogs).toMatchObject([{ target: "/data/b.db" }]);
    expect(attach("none").attachCatalogs).toEqual([]);
  });

  test("an option left out reaches the function as its declared default", () => {
    seen.length = 0;
    expect(attach(null).attachCatalogs).toMatchObject([{ target: "/srv/default.db" }]);
    expect(seen.map((options) => options.get("lake"))).toEqual(["/srv/default.db"]);
  });

  test("the function's companions are checked as declared ones are", () => {
    const twice = defineCatalog({
      name: "twice",
      companions: () => [
        { alias: "dup", target: "duckdb:/a" },
        { alias: "DUP", target: "duckdb:/b" },
      ],
      schemas: [],
    });
    expect(() => twice.attachResult()).toThrow(/declares companion DUP twice/);
  });
});
