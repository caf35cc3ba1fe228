import { describe, expect, test } from "vitest";
import { Dictionary, Field, Int8, Int64, Schema, Utf8 } from "apache-arrow";
import { TableInfoCodec, decodeSingleBatch, sql, type FunctionInfoInput } from "@vgi-ts/protocol";
import {
  CatalogRegistry,
  createCatalogMethods,
  defineCatalog,
  type CatalogFunction,
  type TableDefinition,
} from "../src/index.js";

const scanFn: CatalogFunction = {
  name: "scan",
  functionType: "TABLE",
  describe: () => ({}) as FunctionInfoInput,
};

function shop(tables: TableDefinition[]) {
  const catalog = defineCatalog({
    name: "shop",
    schemas: [{ path: "main", functions: [scanFn], tables }],
  });
  const registry = new CatalogRegistry([catalog]);
  const token = registry.issueToken({ catalog: "shop" });
  return { catalog, m: createCatalogMethods(registry), token };
}

const lookup = (token: Uint8Array, name: string) => ({
  attachOpaqueData: token,
  schemaPath: ["main"],
  name,
  atUnit: null,
  atValue: null,
  transactionOpaqueData: null,
});

/** Column name → [min, max] as the decoded batch holds them. */
function bounds(bytes: Uint8Array): Record<string, [unknown, unknown]> {
  const batch = decodeSingleBatch(bytes);
  const names = batch.getChild("column_name")!;
  return Object.fromEntries(
    Array.from({ length: batch.numRows }, (_, i) => [
      names.get(i) as string,
      [batch.getChild("min")!.get(i), batch.getChild("max")!.get(i)],
    ]),
  );
}

describe("declared table statistics", () => {
  test("typed per column from the table's own columns, inline in the description", () => {
    const { catalog, m, token } = shop([
      {
        name: "items",
        columns: { id: sql.bigint, label: sql.varchar, price: sql.double },
        scan: { functionName: "scan" },
        statistics: {
          id: { min: 1n, max: 9n, hasNull: false },
          label: { min: "a", max: "z", maxStringLength: 12 },
          price: { min: 0.5, max: 2.5 },
        },
        statisticsCacheMaxAgeSeconds: 60,
      },
      { name: "plain", columns: { id: sql.bigint }, scan: { functionName: "scan" } },
    ]);
    const [bytes] = m.catalogTableGet(lookup(token, "items")).items as Uint8Array[];
    const info = TableInfoCodec.fromIpc(TableInfoCodec.toIpc(bytes as never));
    expect(info.supportsColumnStatistics).toBe(true);
    const stats = info.columnStatistics!;
    expect(bounds(stats)).toEqual({ id: [1n, 9n], label: ["a", "z"], price: [0.5, 2.5] });
    expect(decodeSingleBatch(stats).metadata.get("cache_max_age_seconds")).toBe("60");
    // The same bytes answer catalog_table_column_statistics_get.
    expect(m.catalogTableColumnStatisticsGet(lookup(token, "items"))).toEqual(stats);

    const [plainBytes] = m.catalogTableGet(lookup(token, "plain")).items as Uint8Array[];
    const plain = TableInfoCodec.fromIpc(TableInfoCodec.toIpc(plainBytes as never));
    expect(plain.supportsColumnStatistics).toBe(false);
    expect(plain.columnStatistics).toBeNull();
    expect(catalog.attachResult().supportsColumnStatistics).toBe(true);
  });

  test("a dictionary column's bounds are its values; an Arrow-schema table works alike", () => {
    const columns = new Schema([
      new Field("id", new Int64(), false),
      new Field("color", new Dictionary(new Utf8(), new Int8()), true),
    ]);
    const { m, token } = shop([
      {
        name: "colors",
        columns,
        scan: { functionName: "scan" },
        statistics: { id: { min: 1n, max: 3n }, COLOR: { min: "blue", max: "red" } },
      },
    ]);
    const stats = m.catalogTableColumnStatisticsGet(lookup(token, "colors")) as Uint8Array;
    expect(bounds(stats)).toEqual({ id: [1n, 3n], COLOR: ["blue", "red"] });
  });

  test("a catalog without statistics does not advertise them; unknown columns are refused", () => {
    expect(
      shop([{ name: "t", columns: { a: sql.bigint } }]).catalog.attachResult()
        .supportsColumnStatistics,
    ).toBe(false);
    expect(() =>
      shop([{ name: "t", columns: { a: sql.bigint }, statistics: { b: { min: 1n } } }]),
    ).toThrow(/unknown column b/);
  });
});
