import { describe, expect, test } from "vitest";
import {
  ErrorKind,
  MacroInfoCodec,
  SchemaInfoCodec,
  TableInfoCodec,
  VgiError,
  ViewInfoCodec,
  decodeSchema,
  decodeSingleBatch,
  sql,
  type FunctionInfoInput,
  type ScanBranchInput,
} from "@vgi-ts/protocol";
import {
  CatalogRegistry,
  createCatalogMethods,
  defineCatalog,
  encodeScanArguments,
  type CatalogFunction,
  type TableDefinition,
} from "../src/index.js";

/** A table function the catalog can find by name (listing details do not matter here). */
function tableFn(name: string): CatalogFunction {
  return {
    name,
    functionType: "TABLE",
    describe: () => ({}) as FunctionInfoInput,
  };
}

const products: TableDefinition = {
  name: "Products",
  comment: "products",
  tags: { owner: "sales" },
  columns: { id: sql.bigint, name: sql.varchar, price: sql.double, taxed: sql.double },
  scan: { functionName: "products_scan" },
  notNull: ["id"],
  unique: [["name"]],
  primaryKey: [["id"]],
  check: ["price >= 0"],
  foreignKeys: [
    {
      columns: ["id"],
      referencedTable: "ids",
      referencedColumns: ["id"],
      referencedSchema: ["ref", "x"],
    },
  ],
  defaults: { price: "9.99" },
  generated: { taxed: "price * 1.2" },
  columnComments: { name: "display name" },
  requiredFilters: [["id", "name"]],
};

function catalog() {
  return defineCatalog({
    name: "shop",
    schemas: [
      { path: "main", functions: [tableFn("sequence")] },
      {
        path: "data",
        functions: [tableFn("products_scan")],
        tables: [
          products,
          {
            name: "numbers",
            columns: { value: sql.bigint },
            scan: { functionName: "sequence", positional: [100n], named: { batch_size: 7 } },
            inlineScan: true,
          },
          {
            name: "two_arms",
            columns: { n: sql.bigint },
            branches: [
              { functionName: "sequence", positional: [5n], branchFilter: "n < 5" },
              { functionName: "read_parquet", positional: ["/x.parquet"], schemaPath: null },
            ],
            requiredExtensions: ["parquet"],
          },
          {
            name: "versioned",
            columns: { a: sql.bigint },
            scan: { functionName: "sequence", positional: [1n] },
            at: (at) => {
              if (at.value !== "2")
                throw new VgiError(ErrorKind.NotFound, `no version ${at.value}`);
              return {
                name: "ignored",
                columns: { a: sql.bigint, b: sql.varchar },
                scan: { functionName: "sequence", positional: [2n] },
              };
            },
          },
        ],
        views: [
          {
            name: "cheap",
            definition: "SELECT * FROM products WHERE price < 1",
            columnComments: { id: "the id" },
          },
        ],
        macros: [
          {
            name: "twice",
            type: "SCALAR",
            parameters: ["x", "k"],
            defaults: { k: 2n },
            parameterDocs: { x: "value" },
            definition: "x * k",
          },
          { name: "rows", type: "TABLE", parameters: ["n"], definition: "SELECT * FROM range(n)" },
        ],
        indexes: [
          { name: "idx_name", table: "products", expressions: ["name"], constraint: "UNIQUE" },
        ],
      },
    ],
  });
}

function methods() {
  const registry = new CatalogRegistry([catalog()]);
  const token = registry.issueToken({ catalog: "shop" });
  return { m: createCatalogMethods(registry), token };
}

const lookup = (
  token: Uint8Array,
  schema: string[],
  name: string,
  at: [string, string] | null = null,
) => ({
  attachOpaqueData: token,
  schemaPath: schema,
  name,
  atUnit: at?.[0] ?? null,
  atValue: at?.[1] ?? null,
  transactionOpaqueData: null,
});

describe("catalog tables", () => {
  test("a table description: columns with per-column metadata, constraints by index", () => {
    const { m, token } = methods();
    const [bytes] = m.catalogTableGet(lookup(token, ["DATA"], "products")).items as Uint8Array[];
    const info = TableInfoCodec.fromIpc(TableInfoCodec.toIpc(bytes as never));
    expect(info.name).toBe("Products");
    expect(info.schemaPath).toEqual(["data"]);
    expect(info.tags).toEqual({ owner: "sales" });
    const fields = decodeSchema(info.columns).fields;
    expect(fields.map((f) => f.name)).toEqual(["id", "name", "price", "taxed"]);
    expect(fields[2]!.metadata.get("default")).toBe("9.99");
    expect(fields[3]!.metadata.get("generated_expression")).toBe("price * 1.2");
    expect(fields[1]!.metadata.get("comment")).toBe("display name");
    expect(info.notNullConstraints).toEqual([0]);
    expect(info.uniqueConstraints).toEqual([[1]]);
    expect(info.primaryKeyConstraints).toEqual([[0]]);
    expect(info.checkConstraints).toEqual(["price >= 0"]);
    expect(info.requiredFilters).toEqual([["id", "name"]]);
    const fk = info.foreignKeyConstraints[0];
    expect(fk).toEqual({
      fkColumns: ["id"],
      pkColumns: ["id"],
      referencedTable: "ids",
      referencedSchemaPath: ["ref", "x"],
    });
    expect(info.scanFunction).toBeNull();
  });

  test("unknown tables: empty table_get, not_found scan lookup", () => {
    const { m, token } = methods();
    expect(m.catalogTableGet(lookup(token, ["data"], "nope")).items).toEqual([]);
    expect(m.catalogTableGet(lookup(token, ["nope"], "products")).items).toEqual([]);
    expect(() => m.catalogTableScanFunctionGet(lookup(token, ["data"], "nope"))).toThrow(
      expect.objectContaining({ kind: ErrorKind.NotFound }),
    );
  });

  test("scan function: arguments as arg_N and named columns, schema of the function", () => {
    const { m, token } = methods();
    const scan = m.catalogTableScanFunctionGet(lookup(token, ["data"], "numbers"));
    expect(scan.functionName).toBe("sequence");
    expect(scan.schemaPath).toEqual(["main"]);
    const args = decodeSingleBatch(scan.arguments);
    expect(args.numRows).toBe(1);
    expect(args.schema.fields.map((f) => f.name)).toEqual(["arg_0", "batch_size"]);
    expect(args.getChild("arg_0")!.get(0)).toBe(100n);
    expect(args.getChild("batch_size")!.get(0)).toBe(7n);
    // The inlined copy in the table description is the same call.
    const info = m.catalogTableGet(lookup(token, ["data"], "numbers")).items[0] as never;
    expect(TableInfoCodec.fromIpc(TableInfoCodec.toIpc(info)).scanFunction?.functionName).toBe(
      "sequence",
    );
  });

  test("no arguments: an empty batch", () => {
    expect(decodeSingleBatch(encodeScanArguments({ functionName: "f" })).numRows).toBe(0);
  });

  test("branches: one per arm, filters and DuckDB functions kept, single scan refused", () => {
    const { m, token } = methods();
    const result = m.catalogTableScanBranchesGet(lookup(token, ["data"], "two_arms"));
    expect(result.requiredExtensions).toEqual(["parquet"]);
    const branches = result.branches as ScanBranchInput[];
    expect(branches.map((b) => [b.functionName, b.branchFilter, b.schemaPath])).toEqual([
      ["sequence", "n < 5", ["main"]],
      ["read_parquet", null, null],
    ]);
    expect(() => m.catalogTableScanFunctionGet(lookup(token, ["data"], "two_arms"))).toThrow(
      /not one scan function/,
    );
    // A single-scan table is one branch.
    expect(m.catalogTableScanBranchesGet(lookup(token, ["data"], "numbers")).branches).toHaveLength(
      1,
    );
  });

  test("time travel: the table as of the clause; tables without it refuse", () => {
    const { m, token } = methods();
    const at = m.catalogTableGet(lookup(token, ["data"], "versioned", ["version", "2"]))
      .items[0] as never;
    const info = TableInfoCodec.fromIpc(TableInfoCodec.toIpc(at));
    expect(info.name).toBe("versioned");
    expect(decodeSchema(info.columns).fields.map((f) => f.name)).toEqual(["a", "b"]);
    const scan = m.catalogTableScanFunctionGet(
      lookup(token, ["data"], "versioned", ["VERSION", "2"]),
    );
    expect(decodeSingleBatch(scan.arguments).getChild("arg_0")!.get(0)).toBe(2n);
    expect(() => m.catalogTableGet(lookup(token, ["data"], "versioned", ["VERSION", "9"]))).toThrow(
      /no version 9/,
    );
    expect(
      m.catalogTableGet(lookup(token, ["data"], "two_arms", ["VERSION", "1"])).items,
    ).toHaveLength(1);
    expect(() => m.catalogTableGet(lookup(token, ["data"], "numbers", ["VERSION", "1"]))).toThrow(
      /does not support time travel/,
    );
  });

  test("schema listing counts every object kind; the catalog advertises time travel", () => {
    const shop = catalog();
    const data = shop
      .schemaItems()
      .map((b) => SchemaInfoCodec.fromIpc(b))
      .find((s) => s.path[0] === "data")!;
    expect(data.estimatedObjectCount).toMatchObject({
      table: 4n,
      view: 1n,
      macro: 2n,
      index: 1n,
    });
    expect(shop.attachResult().supportsTimeTravel).toBe(true);
  });

  test("a schema declaring a table twice (any case) is an error", () => {
    expect(() =>
      defineCatalog({
        name: "x",
        schemas: [
          {
            path: "main",
            tables: [
              { name: "t", columns: {} },
              { name: "T", columns: {} },
            ],
          },
        ],
      }),
    ).toThrow(/declares table T twice/);
  });
});

describe("views, macros, indexes", () => {
  test("view listing and lookup", () => {
    const { m, token } = methods();
    const params = { attachOpaqueData: token, path: ["data"], transactionOpaqueData: null };
    const [view] = (m.catalogSchemaContentsViews(params).items as Uint8Array[]).map((b) =>
      ViewInfoCodec.fromIpc(b),
    );
    expect(view).toMatchObject({
      name: "cheap",
      definition: "SELECT * FROM products WHERE price < 1",
    });
    expect(view!.columnComments).toEqual({ id: "the id" });
    expect(m.catalogViewGet(lookup(token, ["data"], "CHEAP")).items).toHaveLength(1);
    expect(m.catalogViewGet(lookup(token, ["data"], "dear")).items).toHaveLength(0);
  });

  test("macros listed by kind; defaults as a typed row; docs as vgi_doc", () => {
    const { m, token } = methods();
    const list = (type: "SCALAR_MACRO" | "TABLE_MACRO") =>
      (
        m.catalogSchemaContentsMacros({
          attachOpaqueData: token,
          path: ["data"],
          type,
          transactionOpaqueData: null,
        }).items as Uint8Array[]
      ).map((b) => MacroInfoCodec.fromIpc(b));
    expect(list("TABLE_MACRO").map((x) => x.name)).toEqual(["rows"]);
    const [twice] = list("SCALAR_MACRO");
    expect(twice!.parameters).toEqual(["x", "k"]);
    const defaults = decodeSingleBatch(twice!.parameterDefaultValues!);
    expect(defaults.getChild("k")!.get(0)).toBe(2n);
    const args = decodeSchema(twice!.argumentsSchema!).fields;
    expect(args.map((f) => [f.name, f.metadata.get("vgi_doc") ?? null])).toEqual([
      ["x", "value"],
      ["k", null],
    ]);
    expect(String(args[1]!.type)).toBe("Int64");
  });

  test("a macro default for an unknown parameter is refused", () => {
    const bad = defineCatalog({
      name: "x",
      schemas: [
        {
          path: "main",
          macros: [
            { name: "m", type: "SCALAR", parameters: ["a"], defaults: { b: 1n }, definition: "a" },
          ],
        },
      ],
    });
    expect(() => bad.macroItems(["main"], "SCALAR_MACRO")).toThrow(
      /b is not one of its parameters/,
    );
  });

  test("index lookup", () => {
    const { m, token } = methods();
    expect(m.catalogIndexGet(lookup(token, ["data"], "IDX_NAME")).items).toHaveLength(1);
  });
});
