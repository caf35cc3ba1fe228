/**
 * A table's listed columns (TableInfo.columns) when tables are declared with column
 * records: tables declared alike share one Arrow schema (column-record-schema.ts), and
 * the bytes must be those of the schema built for the table alone.
 */
import { describe, expect, test } from "vitest";
import { Schema } from "apache-arrow";
import { decodeSchema, encodeStream, sql, type AnySqlType } from "@vgi-ts/protocol";
import { defineTable, type TableDefinition } from "../src/index.js";

const context = { schemaPath: ["main"], functionSchema: () => null };

function listedColumns(definition: TableDefinition): Uint8Array {
  return defineTable(definition).info(context, null).columns;
}

/** The schema message of the columns built for one table, by arrow-js's writer. */
function ownColumns(columns: Record<string, AnySqlType>): Uint8Array {
  const fields = Object.entries(columns).map(([name, type]) => type.field(name, true));
  return encodeStream(new Schema(fields), []);
}

describe("listed columns of tables declared with column records", () => {
  test("tables declared alike list the bytes of their own schema", () => {
    const tables = Array.from({ length: 5 }, (_, i) => ({
      name: `t_${i}`,
      columns: { n: sql.bigint, label: sql.varchar, at: sql.timestamp },
    }));
    const expected = ownColumns({ n: sql.bigint, label: sql.varchar, at: sql.timestamp });
    for (const table of tables)
      expect(Buffer.from(listedColumns(table))).toEqual(Buffer.from(expected));
  });

  test("another descriptor, order or name is another schema", () => {
    const cases: Record<string, AnySqlType>[] = [
      { a: sql.bigint, b: sql.bigint },
      { a: sql.bigint, b: sql.integer },
      { b: sql.bigint, a: sql.bigint },
      { a: sql.bigint, B: sql.bigint },
      // Names holding the key's own separators cannot run into the next column.
      { "a1:b": sql.bigint },
      { a: sql.bigint, "1:b0;": sql.bigint },
      { "a0;1:b": sql.bigint },
    ];
    const listed = cases.map((columns) => listedColumns({ name: "t", columns }));
    cases.forEach((columns, i) => {
      expect(Buffer.from(listed[i]!)).toEqual(Buffer.from(ownColumns(columns)));
      expect(decodeSchema(listed[i]!).fields.map((f) => [f.name, String(f.type)])).toEqual(
        Object.entries(columns).map(([name, type]) => [name, String(type.arrowType())]),
      );
    });
    expect(new Set(listed.map((bytes) => Buffer.from(bytes).toString("hex"))).size).toBe(
      cases.length,
    );
  });

  test("per-column facts stay with their table", () => {
    const plain = listedColumns({ name: "plain", columns: { n: sql.bigint, v: sql.bigint } });
    const decorated = listedColumns({
      name: "decorated",
      columns: { n: sql.bigint, v: sql.bigint },
      defaults: { v: "42" },
      columnComments: { n: "the key" },
    });
    const again = listedColumns({ name: "again", columns: { n: sql.bigint, v: sql.bigint } });
    const [n, v] = decodeSchema(decorated).fields;
    expect(v!.metadata.get("default")).toBe("42");
    expect(n!.metadata.get("comment")).toBe("the key");
    for (const bytes of [plain, again]) {
      expect(decodeSchema(bytes).fields.every((f) => f.metadata.size === 0)).toBe(true);
      expect(Buffer.from(bytes)).toEqual(Buffer.from(ownColumns({ n: sql.bigint, v: sql.bigint })));
    }
  });
});
