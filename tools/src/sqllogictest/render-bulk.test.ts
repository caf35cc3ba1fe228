import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { vectorItemToVarchar } from "./render.js";

/** Generated values in bulk: DuckDB's ::VARCHAR is the oracle for every row. */
describe("bulk differential rendering", () => {
  it("matches ::VARCHAR for thousands of generated values", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      await connection.run("SELECT setseed(0.42)");
      await connection.run(`CREATE TABLE gen AS SELECT
          ((random() - 0.5) * pow(10, (random() * 60 - 30)::INTEGER))::DOUBLE AS d,
          ((random() - 0.5) * pow(10, (random() * 20 - 10)::INTEGER))::FLOAT AS f,
          (random() * 1e6)::DECIMAL(18, 4) AS dec,
          TIMESTAMP '1900-01-01' + to_microseconds((random() * 6e15)::BIGINT) AS ts,
          DATE '0001-01-01' + (random() * 3650000)::INTEGER AS dt,
          TIME '00:00:00' + to_microseconds((random() * 8.64e10)::BIGINT) AS tm,
          to_months((random() * 40 - 20)::INTEGER) + to_days((random() * 80 - 40)::INTEGER)
            + to_microseconds(((random() - 0.5) * 1e12)::BIGINT) AS iv,
          [((random() - 0.5) * 1000)::DOUBLE, NULL] AS l
        FROM range(20000)`);
      const columns = ["d", "f", "dec", "ts", "dt", "tm", "iv", "l"];
      for (const column of columns) {
        const typed = await connection.run(`SELECT ${column} FROM gen`);
        const type = typed.columnTypes()[0];
        if (type === undefined) throw new Error("no column");
        const texts = await connection.runAndReadAll(`SELECT ${column}::VARCHAR FROM gen`);
        const expected = texts.getColumns()[0] ?? [];
        const actual: (string | null)[] = [];
        for (const chunk of await typed.fetchAllChunks()) {
          const vector = chunk.getColumnVector(0);
          for (let row = 0; row < chunk.rowCount; row++) {
            actual.push(vectorItemToVarchar(vector, row, type));
          }
        }
        const mismatches = actual
          .map((text, i) => ({ text, want: expected[i] }))
          .filter(({ text, want }) => text !== want);
        expect(mismatches.slice(0, 5), column).toEqual([]);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
