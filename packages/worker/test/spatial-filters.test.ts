/**
 * The spatial bounding-box filter: WKB boxes read from bytes (every geometry type, both
 * byte orders, ISO and EWKB dimension flags, empty geometries, malformed input), and
 * `duckdb.spatial/intersects_extent@1` decoded from a vgi.filters.v2 payload and applied
 * to a GEOMETRY column, with SQL's NULL and DuckDB spatial's empty-geometry answers.
 */
import { describe, expect, test } from "vitest";
import { RecordBatch, Schema, Struct, makeData } from "apache-arrow";
import { encodeFilterPayload, sql, wkbPoint, type FilterPayloadColumn } from "@vgi-ts/protocol";
import { PushdownFilters } from "../src/index.js";
import { FilterEvaluationError, FilterEvaluator } from "../src/filters/evaluate-filter.js";
import { MalformedWkbError, wkbExtent } from "../src/filters/wkb-extent.js";

/** WKB from a byte order, a type code and numbers: counts as uint32, coordinates as f64. */
class WkbWriter {
  private readonly parts: number[] = [];
  constructor(private readonly little = true) {}
  header(type: number, little = this.little): this {
    this.parts.push(little ? 1 : 0);
    return this.u32(type, little);
  }
  u32(value: number, little = this.little): this {
    const b = new DataView(new ArrayBuffer(4));
    b.setUint32(0, value, little);
    this.parts.push(...new Uint8Array(b.buffer));
    return this;
  }
  f64(...values: number[]): this {
    for (const value of values) {
      const b = new DataView(new ArrayBuffer(8));
      b.setFloat64(0, value, this.little);
      this.parts.push(...new Uint8Array(b.buffer));
    }
    return this;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const box = (minX: number, minY: number, maxX: number, maxY: number) => ({
  minX,
  minY,
  maxX,
  maxY,
});

/** POLYGON((x0 y0, x1 y0, x1 y1, x0 y1, x0 y0)), as ST_MakeEnvelope builds it. */
function envelope(x0: number, y0: number, x1: number, y1: number): Uint8Array {
  return new WkbWriter()
    .header(3)
    .u32(1)
    .u32(5)
    .f64(x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)
    .bytes();
}

describe("WKB extents", () => {
  test("a 2D point, little- and big-endian", () => {
    expect(wkbExtent(wkbPoint(1.5, -2))).toEqual(box(1.5, -2, 1.5, -2));
    const big = new WkbWriter(false).header(1).f64(3, 4).bytes();
    expect(wkbExtent(big)).toEqual(box(3, 4, 3, 4));
  });

  test("linestring and polygon cover all their vertices", () => {
    const line = new WkbWriter().header(2).u32(3).f64(0, 5, -1, 2, 4, 3).bytes();
    expect(wkbExtent(line)).toEqual(box(-1, 2, 4, 5));
    expect(wkbExtent(envelope(0, 0, 0.5, 0.25))).toEqual(box(0, 0, 0.5, 0.25));
  });

  test("multi-geometries and nested collections merge their parts", () => {
    const multi = new WkbWriter().header(4).u32(2).header(1).f64(1, 1).header(1).f64(-3, 7).bytes();
    expect(wkbExtent(multi)).toEqual(box(-3, 1, 1, 7));
    // A big-endian part inside a little-endian collection.
    const inner = new WkbWriter(false).header(2).u32(2).f64(10, 10, 11, 12).bytes();
    const collection = new WkbWriter().header(7).u32(2).header(1).f64(0, 0).bytes();
    const nested = Uint8Array.from([...collection, ...inner]);
    expect(wkbExtent(nested)).toEqual(box(0, 0, 11, 12));
  });

  test("Z and M ordinates are skipped, in ISO codes and EWKB flags (with SRID)", () => {
    const isoZ = new WkbWriter().header(1001).f64(1, 2, 99).bytes();
    expect(wkbExtent(isoZ)).toEqual(box(1, 2, 1, 2));
    const isoZm = new WkbWriter().header(3002).u32(2).f64(1, 2, 9, 9, 3, 4, 9, 9).bytes();
    expect(wkbExtent(isoZm)).toEqual(box(1, 2, 3, 4));
    const ewkb = new WkbWriter()
      .header(0x80000000 | 0x20000000 | 2)
      .u32(4326)
      .u32(2)
      .f64(5, 6, 0, 7, 8, 0)
      .bytes();
    expect(wkbExtent(ewkb)).toEqual(box(5, 6, 7, 8));
  });

  test("empty geometries have no extent", () => {
    expect(wkbExtent(wkbPoint(NaN, NaN))).toBeNull();
    expect(wkbExtent(new WkbWriter().header(2).u32(0).bytes())).toBeNull();
    expect(wkbExtent(new WkbWriter().header(7).u32(0).bytes())).toBeNull();
  });

  test("malformed WKB is an invalid_argument error, not a wrong answer", () => {
    const bad = (bytes: Uint8Array) => () => wkbExtent(bytes);
    expect(bad(wkbPoint(1, 2).subarray(0, 20))).toThrow(MalformedWkbError);
    expect(bad(Uint8Array.from([...wkbPoint(1, 2), 0]))).toThrow(/trailing/);
    expect(bad(new WkbWriter().header(17).bytes())).toThrow(/unsupported geometry type/);
    expect(bad(Uint8Array.from([2, 1, 0, 0, 0]))).toThrow(/byte order/);
    // A count far beyond the bytes present is refused before any loop runs.
    expect(bad(new WkbWriter().header(2).u32(0x7fffffff).bytes())).toThrow(/cannot fit/);
    expect(bad(new Uint8Array(0))).toThrow(
      expect.objectContaining({ kind: "invalid_argument", name: "MalformedWkbError" }),
    );
  });
});

const INTERSECTS_EXTENT = { namespace: "duckdb.spatial", name: "intersects_extent", version: 1 };

function pointBatch(points: (Uint8Array | null)[]): RecordBatch {
  const field = sql.geometry.field("geom");
  const data = sql.geometry.build(points);
  const schema = new Schema([field]);
  return new RecordBatch(
    schema,
    makeData({ type: new Struct([field]), length: points.length, children: [data] }),
  );
}

function extentFilter(
  batch: RecordBatch,
  literal: Uint8Array | null,
  literalFirst = false,
): PushdownFilters {
  const column = { node: "column_ref", column_index: 0, column_name: "geom" };
  const value = { node: "literal", value_ref: 0 };
  const payloads: FilterPayloadColumn[] = [
    { field: sql.geometry.field("value_0"), data: sql.geometry.build([literal]) },
  ];
  const doc = {
    encoding: "vgi.filters.v2",
    semantics: "vgi.duckdb.standard.v1",
    kind: "snapshot",
    predicates: [
      {
        id: "q0",
        revision: 0,
        mode: "required",
        source: "query",
        expression: {
          node: "call",
          function: INTERSECTS_EXTENT,
          arguments: literalFirst ? [value, column] : [column, value],
        },
      },
    ],
  };
  return PushdownFilters.decode(encodeFilterPayload(doc, payloads), {
    outputSchema: batch.schema,
    additionalFilterFunctions: [INTERSECTS_EXTENT],
  });
}

/** Three-valued truth per row (0 FALSE, 1 TRUE, 2 NULL) of the one predicate. */
function truth(batch: RecordBatch, filters: PushdownFilters): number[] {
  const evaluator = new FilterEvaluator(filters.context);
  return [...evaluator.truth(filters.predicates[0]!.expression, batch)];
}

describe("duckdb.spatial/intersects_extent@1", () => {
  const batch = pointBatch([
    wkbPoint(0, 0),
    wkbPoint(0.5, 0.5), // on the box's corner: touching counts
    wkbPoint(0.6, 0.1),
    null,
    wkbPoint(NaN, NaN), // POINT EMPTY
    envelope(0.4, 0.4, 2, 2), // overlaps the box's corner
  ]);

  test("a GEOMETRY column against a box, either argument order", () => {
    const box = envelope(0, 0, 0.5, 0.5);
    // 1 TRUE, 0 FALSE, 2 NULL
    expect(truth(batch, extentFilter(batch, box))).toEqual([1, 1, 0, 2, 0, 1]);
    expect(truth(batch, extentFilter(batch, box, true))).toEqual([1, 1, 0, 2, 0, 1]);
    expect(extentFilter(batch, box).apply(batch).numRows).toBe(3);
  });

  test("the kept rows are copied byte for byte, in runs and alone, short and long", () => {
    const values = [
      wkbPoint(0, 0), // kept, run of two with the next
      envelope(0.1, 0.1, 0.2, 0.2), // kept: 93 bytes, longer than a short copy
      wkbPoint(5, 5),
      null,
      wkbPoint(0.3, 0.3), // kept alone
      wkbPoint(9, 9),
      wkbPoint(0.5, 0), // kept, last row
    ];
    const mixed = pointBatch(values);
    const kept = extentFilter(mixed, envelope(0, 0, 0.5, 0.5)).apply(mixed);
    expect(sql.geometry.readAll(kept.getChildAt(0)!.data[0]!)).toEqual([
      values[0],
      values[1],
      values[4],
      values[6],
    ]);
  });

  test("renders as the SQL that DuckDB spatial would run", () => {
    expect(extentFilter(batch, wkbPoint(1, 2)).toSql()).toBe(
      "st_intersects_extent(geom, ST_GeomFromHEXWKB('0101000000000000000000f03f0000000000000040'))",
    );
  });

  test("a NULL box is NULL for every row; an empty box matches nothing", () => {
    expect(truth(batch, extentFilter(batch, null))).toEqual([2, 2, 2, 2, 2, 2]);
    expect(truth(batch, extentFilter(batch, wkbPoint(NaN, NaN)))).toEqual([0, 0, 0, 2, 0, 0]);
  });

  test("a function the worker did not advertise is refused at decode", () => {
    const column = { node: "column_ref", column_index: 0, column_name: "geom" };
    const doc = {
      encoding: "vgi.filters.v2",
      semantics: "vgi.duckdb.standard.v1",
      kind: "snapshot",
      predicates: [
        {
          id: "q0",
          revision: 0,
          mode: "required",
          source: "query",
          expression: {
            node: "call",
            function: INTERSECTS_EXTENT,
            arguments: [column, { node: "literal", value_ref: 0 }],
          },
        },
      ],
    };
    const payloads = [
      { field: sql.geometry.field("value_0"), data: sql.geometry.build([wkbPoint(0, 0)]) },
    ];
    expect(() =>
      PushdownFilters.decode(encodeFilterPayload(doc, payloads), { outputSchema: batch.schema }),
    ).toThrow(/not advertised/);
  });

  test("a malformed geometry in the column fails the scan with a typed error", () => {
    const broken = pointBatch([wkbPoint(0, 0), Uint8Array.from([1, 1, 0, 0, 0, 0])]);
    const apply = () => extentFilter(broken, envelope(0, 0, 1, 1)).mask(broken);
    expect(apply).toThrow(FilterEvaluationError);
    expect(apply).toThrow(/malformed WKB geometry: truncated/);
  });
});

describe("GEOMETRY values", () => {
  test("declared as Binary + geoarrow.wkb and recognised back from the wire", async () => {
    const { sqlTypeFromArrow } = await import("@vgi-ts/protocol");
    const field = sql.geometry.field("g");
    expect(field.metadata.get("ARROW:extension:name")).toBe("geoarrow.wkb");
    expect(sqlTypeFromArrow(field.type, field.metadata)).toBe(sql.geometry);
    const data = sql.geometry.build([wkbPoint(1, 2), null]);
    expect(sql.geometry.readAll(data)).toEqual([wkbPoint(1, 2), null]);
    expect(() => sql.geometry.build(["POINT (1 2)" as never])).toThrow();
  });
});
