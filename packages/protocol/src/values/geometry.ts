/**
 * GEOMETRY (DuckDB 1.5 core type): ISO WKB bytes in an Arrow `Binary` tagged with the
 * `geoarrow.wkb` extension, which is how DuckDB both reads a GEOMETRY column from a
 * worker and sends GEOMETRY values (filter literals, statistics) to one. Values are
 * the WKB bytes themselves (`Uint8Array` views, as BLOB); `wkbPoint` builds a point.
 */
import { Binary, DataType, type Data } from "apache-arrow";
import { EXTENSION_METADATA_KEY, EXTENSION_NAME_KEY } from "./extension.js";
import { BaseSqlType, type RowReader } from "./sql-type.js";
import { binaryReader, buildBinary, isBinaryType } from "./string.js";

export const GEOARROW_WKB_EXTENSION = "geoarrow.wkb";

export class GeometryType extends BaseSqlType<Uint8Array> {
  readonly id = "GEOMETRY";
  readonly sqlName = "GEOMETRY";
  // No CRS: an empty geoarrow metadata object, as DuckDB itself writes for plain GEOMETRY.
  private readonly meta: ReadonlyMap<string, string> = new Map([
    [EXTENSION_NAME_KEY, GEOARROW_WKB_EXTENSION],
    [EXTENSION_METADATA_KEY, "{}"],
  ]);
  protected makeArrowType(): DataType {
    return new Binary();
  }
  override metadata(): ReadonlyMap<string, string> {
    return this.meta;
  }
  accepts(type: DataType): boolean {
    return isBinaryType(type);
  }
  protected chunkReader(data: Data): RowReader<Uint8Array> {
    return binaryReader(data);
  }
  build(values: readonly (Uint8Array | null | undefined)[]): Data {
    return buildBinary(this.sqlName, this.arrowType() as Binary, values);
  }
}

export const geometry = new GeometryType();

/** Little-endian ISO WKB of a 2D point: byte order 1, type 1, then x and y. */
export function wkbPoint(x: number, y: number): Uint8Array {
  const out = new Uint8Array(21);
  const view = new DataView(out.buffer);
  out[0] = 1;
  view.setUint32(1, 1, true);
  view.setFloat64(5, x, true);
  view.setFloat64(13, y, true);
  return out;
}
