// Tables reached through a TableSource: looked up by name on demand, listed only when
// DuckDB asks for every table, and announced with the source's estimated count.
import { describe, expect, test } from "vitest";
import { ErrorKind, SchemaInfoCodec, VgiError, sql } from "@vgi-ts/protocol";
import { defineCatalog, type TableDefinition, type TableSource } from "../src/index.js";
import { attachCatalog } from "./attached-catalog.js";

/** Tables `t_0` ... `t_<size-1>`, counting the source's calls. */
function numberedSource(size: number) {
  const calls = { get: [] as string[], list: 0 };
  const table = (i: number): TableDefinition => ({
    name: `t_${i}`,
    columns: { n: sql.bigint },
    scan: { functionName: "rows", positional: [BigInt(i)] },
  });
  const source: TableSource = {
    estimatedCount: size,
    get(name) {
      calls.get.push(name);
      const match = /^t_(\d+)$/i.exec(name);
      const i = match === null ? -1 : Number(match[1]);
      return i >= 0 && i < size ? table(i) : undefined;
    },
    *list() {
      calls.list++;
      for (let i = 0; i < size; i++) yield table(i);
    },
  };
  return { source, calls };
}

function attach(source: TableSource) {
  const catalog = defineCatalog({ name: "lazy", schemas: [{ path: "main", tables: source }] });
  const { methods, scope, tableNames, getTable } = attachCatalog(catalog);
  const get = (name: string) => {
    const table = getTable(name);
    return table === null ? [] : [table.name];
  };
  return { catalog, methods, scope, get, list: tableNames };
}

describe("TableSource", () => {
  test("the schema announces the source's estimated count, not a listing", () => {
    const { source, calls } = numberedSource(1_000_000);
    const { methods, scope } = attach(source);
    const [schema] = methods.catalogSchemas(scope).items as Uint8Array[];
    const info = SchemaInfoCodec.fromIpc(schema!);
    expect(info.estimatedObjectCount).toMatchObject({ table: 1_000_000n });
    expect(calls.list).toBe(0);
  });

  test("a lookup by name asks the source for that name only, once", () => {
    const { source, calls } = numberedSource(1_000_000);
    const { get } = attach(source);
    expect(get("t_123456")).toEqual(["t_123456"]);
    expect(get("T_123456")).toEqual(["t_123456"]);
    expect(get("t_999999")).toEqual(["t_999999"]);
    expect(calls.get).toEqual(["t_123456", "t_999999"]);
    expect(calls.list).toBe(0);
  });

  test("a name the source does not know is no table (zero items), asked again next time", () => {
    const { source, calls } = numberedSource(10);
    const { get } = attach(source);
    expect(get("t_10")).toEqual([]);
    expect(get("t_10")).toEqual([]);
    expect(calls.get).toEqual(["t_10", "t_10"]);
  });

  test("a listing walks the source once and is kept", () => {
    const { source, calls } = numberedSource(5);
    const { list } = attach(source);
    expect(list()).toEqual(["t_0", "t_1", "t_2", "t_3", "t_4"]);
    expect(list()).toHaveLength(5);
    expect(calls.list).toBe(1);
  });

  test("a source answering another table than the one asked for breaks its contract", () => {
    const wrong: TableSource = {
      estimatedCount: 1,
      get: () => ({ name: "other", columns: { n: sql.bigint }, scan: { functionName: "x" } }),
      list: () => [],
    };
    const { get } = attach(wrong);
    let caught: unknown;
    try {
      get("wanted");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VgiError);
    expect((caught as VgiError).kind).toBe(ErrorKind.ContractViolation);
    expect((caught as VgiError).message).toContain("answered other when asked for wanted");
  });

  test("a catalog with a source offers column statistics; time travel stays declared", () => {
    const { catalog } = attach(numberedSource(3).source);
    expect(catalog.attachResult()).toMatchObject({
      supportsColumnStatistics: true,
      supportsTimeTravel: false,
      attachOpaqueDataRequired: false,
    });
  });
});
