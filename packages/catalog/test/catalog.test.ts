import { describe, expect, test } from "vitest";
import {
  CatalogAttachResultCodec,
  ErrorKind,
  FunctionInfoCodec,
  MalformedRequestError,
  SchemaInfoCodec,
  VgiError,
  type FunctionInfoInput,
  type FunctionType,
} from "@vgi-ts/protocol";
import {
  CatalogRegistry,
  createCatalogMethods,
  decodeAttachToken,
  defineCatalog,
  encodeAttachToken,
  formatSchemaPath,
  sameSchemaPath,
  schemaPathKey,
  type CatalogFunction,
} from "../src/index.js";

/** A catalog function that lists itself with a FunctionInfo of its own name and kind. */
function fn(name: string, functionType: FunctionType, tag = name): CatalogFunction {
  return {
    name,
    functionType,
    describe(schemaPath): FunctionInfoInput {
      return functionInfo(name, functionType, schemaPath, tag);
    },
  };
}

/** A complete FunctionInfo row with "not applicable" values for everything optional. */
function functionInfo(
  name: string,
  functionType: FunctionType,
  schemaPath: readonly string[],
  description: string,
): FunctionInfoInput {
  const empty = new Uint8Array(0);
  return {
    comment: null,
    tags: new Map(),
    name,
    schemaPath: [...schemaPath],
    functionType,
    arguments: empty,
    outputSchema: empty,
    parameterDefaultValues: null,
    stability: "CONSISTENT",
    nullHandling: "DEFAULT",
    argumentMonotonicity: null,
    description,
    examples: [],
    categories: [],
    projectionPushdown: null,
    filterPushdown: null,
    samplingPushdown: null,
    lateMaterialization: null,
    filterSemanticProfiles: [],
    additionalFilterFunctions: [],
    runtimeFilterAlgorithms: [],
    filterEvaluationContexts: [],
    orderPreservation: null,
    maxWorkers: null,
    supportsBatchIndex: false,
    supportsSplits: false,
    filtersExactlyApplied: false,
    supportsPositions: false,
    splitTokenTtlSeconds: null,
    partitionKind: "NOT_PARTITIONED",
    orderDependent: "NOT_ORDER_DEPENDENT",
    distinctDependent: "NOT_DISTINCT_DEPENDENT",
    supportsWindow: false,
    streamingPartitioned: false,
    hasFinalize: false,
    sourceOrderDependent: false,
    sinkOrderDependent: false,
    requiresInputBatchIndex: false,
    inputFromArgs: false,
    requiredSettings: [],
    requiredSecrets: [],
  };
}

const upper = fn("Upper_Case", "SCALAR");
const upperInt = fn("upper_case", "SCALAR", "overload 2");
const series = fn("series", "TABLE");
const buffered = fn("buffered", "TABLE_BUFFERING");
const total = fn("total", "AGGREGATE");
const globalFn = fn("shout", "SCALAR");

function example() {
  return defineCatalog({
    name: "Example",
    comment: "test catalog",
    tags: { owner: "tests" },
    implementationVersion: "1.2.3",
    schemas: [
      { path: "main", functions: [upper, upperInt, series, total, buffered] },
      { path: ["Sales", "EU"], comment: "nested", tags: { region: "eu" }, functions: [] },
    ],
    globalFunctions: [globalFn],
    globalFunctionPrefix: "ex",
  });
}

const decodeItems = <T>(items: readonly Uint8Array[], decode: (b: Uint8Array) => T): T[] =>
  items.map(decode);

describe("schema paths", () => {
  test("keys ignore case, keep levels apart", () => {
    expect(schemaPathKey(["Main"])).toBe(schemaPathKey(["main"]));
    expect(sameSchemaPath(["Sales", "EU"], ["sales", "eu"])).toBe(true);
    expect(sameSchemaPath(["a", "b"], ["a.b"])).toBe(false);
    expect(sameSchemaPath(["ab"], ["a", "b"])).toBe(false);
  });

  test("formatting quotes what is not a plain identifier", () => {
    expect(formatSchemaPath(["main"])).toBe("main");
    expect(formatSchemaPath(["sales", "EU 2"])).toBe('sales."EU 2"');
  });
});

describe("Catalog", () => {
  test("declaring the same schema twice (any case) is an error", () => {
    expect(() =>
      defineCatalog({ name: "c", schemas: [{ path: "main" }, { path: "MAIN" }] }),
    ).toThrow(/declares schema MAIN twice/);
    expect(() =>
      defineCatalog({ name: "c", schemas: [{ path: ["a", "b"] }, { path: ["A", "B"] }] }),
    ).toThrow(/twice/);
    // Same names at different levels are different schemas.
    expect(() =>
      defineCatalog({ name: "c", schemas: [{ path: ["a", "b"] }, { path: ["a"] }] }),
    ).not.toThrow();
  });

  test("schema listing: every schema once, with counts per object kind", () => {
    const items = decodeItems(example().schemaItems(), (b) => SchemaInfoCodec.fromIpc(b));
    expect(items.map((s) => s.path)).toEqual([["main"], ["Sales", "EU"]]);
    const main = items[0]!;
    expect(main.estimatedObjectCount).toEqual({
      table: 0n,
      view: 0n,
      index: 0n,
      macro: 0n,
      scalar_function: 2n,
      aggregate_function: 1n,
      table_function: 2n,
    });
    expect(items[1]!.comment).toBe("nested");
    expect(items[1]!.tags).toEqual({ region: "eu" });
  });

  test("schema_get is case-insensitive and empty for unknown paths", () => {
    const catalog = example();
    const got = catalog.schemaItem(["sales", "eu"]).map((b) => SchemaInfoCodec.fromIpc(b));
    expect(got.map((s) => s.path)).toEqual([["Sales", "EU"]]);
    expect(catalog.schemaItem(["nope"])).toEqual([]);
    expect(catalog.schemaItem(["sales"])).toEqual([]);
  });

  test("function listings by object kind", () => {
    const catalog = example();
    const list = (type: Parameters<typeof catalog.functionItems>[1]) =>
      catalog.functionItems(["MAIN"], type).map((b) => FunctionInfoCodec.fromIpc(b));
    expect(list("SCALAR_FUNCTION").map((f) => [f.name, f.description])).toEqual([
      ["Upper_Case", "Upper_Case"],
      ["upper_case", "overload 2"],
    ]);
    expect(list("TABLE_FUNCTION").map((f) => f.name)).toEqual(["series", "buffered"]);
    expect(list("AGGREGATE_FUNCTION").map((f) => f.name)).toEqual(["total"]);
    expect(list("TABLE")).toEqual([]);
    expect(list("SCALAR_MACRO")).toEqual([]);
    // Listed rows carry the schema they are listed in.
    expect(list("SCALAR_FUNCTION")[0]!.schemaPath).toEqual(["main"]);
    expect(catalog.functionItems(["Sales", "EU"], "SCALAR_FUNCTION")).toEqual([]);
    expect(catalog.functionItems(["missing"], "SCALAR_FUNCTION")).toEqual([]);
  });

  test("function lookup is case-insensitive and returns every overload", () => {
    const catalog = example();
    expect(catalog.findFunctions(["main"], "UPPER_CASE")).toEqual([upper, upperInt]);
    expect(catalog.findFunctions(["Main"], "upper_case")).toEqual([upper, upperInt]);
    // null path: the default schema.
    expect(catalog.findFunctions(null, "Series")).toEqual([series]);
    expect(catalog.findFunctions(["main"], "nope")).toEqual([]);
  });

  test("global functions are found from the default schema", () => {
    const catalog = example();
    expect(catalog.findFunctions(["main"], "SHOUT")).toEqual([globalFn]);
    expect(catalog.findFunctions(null, "shout")).toEqual([globalFn]);
    expect(catalog.findFunctions(["sales", "eu"], "shout")).toEqual([globalFn]);
  });

  test("requireFunctions names the missing function with a not_found kind", () => {
    try {
      example().requireFunctions(["sales", "eu"], "nope");
      expect.fail("expected not_found");
    } catch (error) {
      expect(error).toBeInstanceOf(VgiError);
      expect((error as VgiError).kind).toBe(ErrorKind.NotFound);
      expect((error as VgiError).message).toBe("Function Example.sales.eu.nope does not exist");
    }
  });

  test("attach result: static catalog, default schema, global functions", () => {
    const result = example().attachResult();
    expect(result.catalogVersionFrozen).toBe(true);
    expect(result.defaultSchema).toBe("main");
    expect(result.globalFunctionPrefix).toBe("ex");
    const globals = result.globalFunctions as FunctionInfoInput[];
    expect(globals.map((f) => [f.name, f.schemaPath])).toEqual([["shout", ["main"]]]);
    expect(result.resolvedImplementationVersion).toBe("1.2.3");
    // It encodes as the wire message (with the token the registry adds).
    const bytes = CatalogAttachResultCodec.toIpc({
      ...result,
      attachOpaqueData: new Uint8Array(1),
    });
    expect(CatalogAttachResultCodec.fromIpc(bytes).tags).toEqual({ owner: "tests" });
  });

  test("info", () => {
    expect(example().info()).toMatchObject({ name: "Example", implementationVersion: "1.2.3" });
  });
});

describe("attach tokens", () => {
  test("round trip, bigint options included", () => {
    const token = encodeAttachToken({ catalog: "Example", options: { limit: 10n, on: true } });
    expect(decodeAttachToken(token)).toEqual({
      catalog: "Example",
      options: { limit: "10", on: true },
    });
  });

  test.each([
    ["null", null],
    ["empty", new Uint8Array(0)],
    ["not JSON", new TextEncoder().encode("{nope")],
    ["invalid UTF-8", Uint8Array.from([0xff, 0xfe, 0x7b])],
    ["JSON of another issuer", new TextEncoder().encode('{"m":"other","c":"x"}')],
    ["JSON null", new TextEncoder().encode("null")],
    ["catalog not a string", new TextEncoder().encode('{"m":"vgi-ts.attach.v1","c":5}')],
  ])("%s → malformed_request", (_name, bytes) => {
    expect(() => decodeAttachToken(bytes)).toThrow(MalformedRequestError);
  });
});

describe("CatalogRegistry", () => {
  test("catalog names are unique ignoring case", () => {
    expect(
      () =>
        new CatalogRegistry([
          defineCatalog({ name: "a", schemas: [] }),
          defineCatalog({ name: "A", schemas: [] }),
        ]),
    ).toThrow(/two catalogs are named A/);
  });

  test("lookup ignores case; unknown names are not_found listing what exists", () => {
    const other = defineCatalog({ name: "other", schemas: [] });
    const registry = new CatalogRegistry([example(), other]);
    expect(registry.get("EXAMPLE").name).toBe("Example");
    expect(() => registry.get("missing")).toThrow(/Available: \[Example, other\]/);
    try {
      registry.get("missing");
    } catch (error) {
      expect((error as VgiError).kind).toBe(ErrorKind.NotFound);
    }
  });

  test("tokens it issues resolve back to their catalog", () => {
    const registry = new CatalogRegistry([example()]);
    const { catalog, state } = registry.resolve(registry.issueToken({ catalog: "example" }));
    expect(catalog.name).toBe("Example");
    expect(state.catalog).toBe("example");
  });
});

describe("catalog methods", () => {
  const registry = new CatalogRegistry([example()]);
  const methods = createCatalogMethods(registry);
  const attach = (name: string, pins: { data?: string; impl?: string } = {}) =>
    methods.catalogAttach({
      name,
      options: null,
      dataVersionSpec: pins.data ?? null,
      implementationVersion: pins.impl ?? null,
      clientCapabilities: null,
    });

  test("catalog_catalogs lists every catalog", () => {
    const items = methods.catalogCatalogs().items as readonly { name: string }[];
    expect(items.map((c) => c.name)).toEqual(["Example"]);
  });

  test("attach → token → schemas, schema_get, functions, version", () => {
    const { attachOpaqueData } = attach("EXAMPLE");
    const schemas = methods.catalogSchemas({ attachOpaqueData, transactionOpaqueData: null });
    expect(schemas.items).toHaveLength(2);
    const one = methods.catalogSchemaGet({
      attachOpaqueData,
      path: ["SALES", "eu"],
      transactionOpaqueData: null,
    });
    expect(one.items).toHaveLength(1);
    const fns = methods.catalogSchemaContentsFunctions({
      attachOpaqueData,
      path: ["main"],
      type: "SCALAR_FUNCTION",
      transactionOpaqueData: null,
    } as Parameters<typeof methods.catalogSchemaContentsFunctions>[0]);
    expect(fns.items.map((b) => FunctionInfoCodec.fromIpc(b as Uint8Array).name)).toEqual([
      "Upper_Case",
      "upper_case",
    ]);
    expect(methods.catalogVersion({ attachOpaqueData, transactionOpaqueData: null })).toEqual({
      version: 1n,
    });
    expect(methods.catalogEmptyListing({ attachOpaqueData })).toEqual({ items: [] });
  });

  test("attaching an unknown catalog is not_found", () => {
    expect(() => attach("nope")).toThrow(VgiError);
  });

  test("a catalog without data versions refuses a data pin; its one implementation may be pinned", () => {
    expect(attach("example", { impl: "1.2.3" })).toMatchObject({
      resolvedImplementationVersion: "1.2.3",
      resolvedDataVersion: null,
    });
    for (const pins of [{ data: "v1" }, { impl: "9.9.9" }, { impl: "^1.2.3" }]) {
      try {
        attach("example", pins);
        expect.fail("expected invalid_argument");
      } catch (error) {
        expect((error as VgiError).kind).toBe(ErrorKind.InvalidArgument);
      }
    }
  });

  test("calls with a foreign or missing token are malformed_request", () => {
    const bad = new TextEncoder().encode("forged");
    expect(() =>
      methods.catalogSchemas({ attachOpaqueData: bad, transactionOpaqueData: null }),
    ).toThrow(MalformedRequestError);
    expect(() => methods.catalogEmptyListing({ attachOpaqueData: new Uint8Array(0) })).toThrow(
      /ATTACH the catalog first/,
    );
  });
});
