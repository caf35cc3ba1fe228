import { describe, expect, it } from "vitest";
import { locateExtension, rewriteLoadStatement } from "./extensions.js";

describe("rewriteLoadStatement", () => {
  it("points a bare LOAD of an npm-shipped extension at its binary", () => {
    const path = locateExtension("spatial");
    expect(path).toMatch(/spatial\.duckdb_extension$/);
    expect(rewriteLoadStatement("LOAD spatial;")).toBe(`LOAD '${path}'`);
    expect(rewriteLoadStatement("  load DuckLake ")).toMatch(/ducklake\.duckdb_extension'$/);
  });

  it("leaves paths, unknown names and other statements alone", () => {
    expect(rewriteLoadStatement("LOAD parquet;")).toBe("LOAD parquet;");
    expect(rewriteLoadStatement("LOAD '/x/y.duckdb_extension'")).toBe(
      "LOAD '/x/y.duckdb_extension'",
    );
    expect(rewriteLoadStatement("LOAD spatial; SELECT 1")).toBe("LOAD spatial; SELECT 1");
    expect(rewriteLoadStatement("SELECT 'LOAD spatial'")).toBe("SELECT 'LOAD spatial'");
  });

  it("prefers an override", () => {
    expect(rewriteLoadStatement("LOAD spatial", { spatial: "/o/s.ext" })).toBe("LOAD '/o/s.ext'");
  });
});
