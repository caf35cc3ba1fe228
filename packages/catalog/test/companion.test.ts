import { describe, expect, test } from "vitest";
import {
  CatalogAttachResultCodec,
  ErrorKind,
  ScanBranchesResultCodec,
  decodeSingleBatch,
  sql,
} from "@vgi-ts/protocol";
import { CatalogRegistry, createCatalogMethods, defineCatalog } from "../src/index.js";

function lakeCatalog() {
  return defineCatalog({
    name: "lakefront",
    companions: [
      { alias: "lakefront_lake", target: "ducklake:sqlite:/srv/lake.sqlite", required: true },
      {
        alias: "lakefront_pg",
        target: "dbname=orders",
        dbType: "postgres",
        options: { READ_ONLY: "true" },
        hidden: true,
        secretRef: "pg_orders",
      },
    ],
    schemas: [
      {
        path: "main",
        tables: [
          {
            name: "orders",
            columns: { id: sql.bigint, amount: sql.double },
            branches: [
              {
                source: { catalog: "lakefront_lake", table: "orders_archive" },
                branchFilter: "id < 1000",
              },
              {
                source: { catalog: "lakefront_pg", schema: ["public", "sales"], table: "orders" },
                branchFilter: "id >= 1000",
                writable: true,
              },
            ],
          },
          {
            name: "archive_only",
            columns: { id: sql.bigint },
            branches: [{ source: { catalog: "lakefront_lake", table: "orders_archive" } }],
          },
        ],
      },
    ],
  });
}

function attach() {
  const registry = new CatalogRegistry([lakeCatalog()]);
  const methods = createCatalogMethods(registry);
  const result = methods.catalogAttach({
    name: "lakefront",
    options: null,
    dataVersionSpec: null,
    implementationVersion: null,
    clientCapabilities: null,
  });
  return { methods, result };
}

const lookup = (token: Uint8Array, name: string) => ({
  attachOpaqueData: token,
  schemaPath: ["main"],
  name,
  atUnit: null,
  atValue: null,
  transactionOpaqueData: null,
});

describe("companion catalogs", () => {
  test("the attach result lists the companions in order, every field filled in", () => {
    const { result } = attach();
    const decoded = CatalogAttachResultCodec.fromIpc(CatalogAttachResultCodec.toIpc(result));
    expect(decoded.attachCatalogs).toEqual([
      {
        alias: "lakefront_lake",
        target: "ducklake:sqlite:/srv/lake.sqlite",
        dbType: "",
        options: {},
        hidden: false,
        required: true,
        secretRef: "",
      },
      {
        alias: "lakefront_pg",
        target: "dbname=orders",
        dbType: "postgres",
        options: { READ_ONLY: "true" },
        hidden: true,
        required: false,
        secretRef: "pg_orders",
      },
    ]);
  });

  test("an alias twice (in any case) or an empty target is refused at definition", () => {
    const define = (companions: { alias: string; target: string }[]) => () =>
      defineCatalog({ name: "bad", companions, schemas: [{ path: "main" }] });
    expect(
      define([
        { alias: "lake", target: "ducklake:a" },
        { alias: "LAKE", target: "ducklake:b" },
      ]),
    ).toThrow(/declares companion LAKE twice/);
    expect(define([{ alias: "lake", target: "" }])).toThrow(/needs an alias and a target/);
  });

  test("a catalog without companions advertises none", () => {
    const plain = defineCatalog({ name: "plain", schemas: [{ path: "main" }] });
    expect(plain.attachResult().attachCatalogs).toEqual([]);
  });

  test("catalog-table branches: no function, the source table named by its fields", () => {
    const { methods, result } = attach();
    const wire = methods.catalogTableScanBranchesGet(lookup(result.attachOpaqueData, "orders"));
    const { branches } = ScanBranchesResultCodec.fromIpc(ScanBranchesResultCodec.toIpc(wire));
    expect(
      branches.map((b) => [
        b.functionName,
        b.sourceCatalog,
        b.sourceSchemaPath,
        b.sourceTable,
        b.branchFilter,
        b.writable,
        b.schemaPath,
      ]),
    ).toEqual([
      ["", "lakefront_lake", ["main"], "orders_archive", "id < 1000", false, null],
      ["", "lakefront_pg", ["public", "sales"], "orders", "id >= 1000", true, null],
    ]);
    // The extension still decodes the argument batch: an empty one.
    const args = decodeSingleBatch(branches[0]!.arguments);
    expect([args.numRows, args.schema.fields.length]).toEqual([0, 0]);
  });

  test("a table read only from another catalog has no scan function of its own", () => {
    const { methods, result } = attach();
    expect(() =>
      methods.catalogTableScanFunctionGet(lookup(result.attachOpaqueData, "archive_only")),
    ).toThrow(expect.objectContaining({ kind: ErrorKind.InvalidArgument }));
    expect(
      methods.catalogTableScanBranchesGet(lookup(result.attachOpaqueData, "archive_only")).branches,
    ).toHaveLength(1);
  });
});
