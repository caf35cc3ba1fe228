/**
 * HUGEINT and UHUGEINT (128-bit integers) as JS bigints.
 *
 * Declared as `FixedSizeBinary(16)` + `arrow.opaque` {hugeint|uhugeint, DuckDB}: that is
 * the only Arrow type DuckDB maps back to HUGEINT/UHUGEINT (a `Decimal(38,0)` result
 * would become DECIMAL(38,0)). DuckDB *sends* them as `Decimal(38,0)` unless
 * `arrow_lossless_conversion` is set; the 16 bytes are the raw value either way (for
 * UHUGEINT, reinterpreted: 2^128-1 arrives as decimal -1), so both are read here.
 */
import { DataType, FixedSizeBinary, makeData, type Data } from "apache-arrow";
import { duckdbOpaque } from "./extension.js";
import {
  INT128_MAX,
  INT128_MIN,
  UINT128_MAX,
  dataViewOf,
  readIntLE,
  writeInt128LE,
} from "./int128.js";
import { toBigInt } from "./numeric.js";
import { BaseSqlType, type RowReader } from "./sql-type.js";
import { badValue, packValidity, validityTest } from "./validity.js";

export class HugeIntType extends BaseSqlType<bigint, bigint | number> {
  readonly sqlName: string;
  private readonly meta: ReadonlyMap<string, string>;

  constructor(readonly id: "HUGEINT" | "UHUGEINT") {
    super();
    this.sqlName = id;
    this.meta = duckdbOpaque(id.toLowerCase());
  }
  private get signed(): boolean {
    return this.id === "HUGEINT";
  }
  protected makeArrowType(): DataType {
    return new FixedSizeBinary(16);
  }
  override metadata(): ReadonlyMap<string, string> {
    return this.meta;
  }
  accepts(type: DataType): boolean {
    return (
      (DataType.isFixedSizeBinary(type) && type.byteWidth === 16) ||
      (DataType.isDecimal(type) && type.scale === 0)
    );
  }
  protected chunkReader(data: Data): RowReader<bigint> {
    const valid = validityTest(data);
    const view = dataViewOf(data.values as ArrayBufferView);
    const width = DataType.isDecimal(data.type) ? data.type.bitWidth / 8 : 16;
    const signed = this.signed;
    return (i) => {
      if (!valid(i)) return null;
      const v = readIntLE(view, i, width, true);
      return signed ? v : BigInt.asUintN(128, v);
    };
  }
  build(values: readonly (bigint | number | null | undefined)[]): Data {
    const n = values.length;
    const bytes = new Uint8Array(n * 16);
    const view = dataViewOf(bytes);
    const [min, max] = this.signed ? [INT128_MIN, INT128_MAX] : [0n, UINT128_MAX];
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v == null) continue;
      const b = toBigInt(this.sqlName, v);
      if (b < min || b > max) throw badValue(this.sqlName, v, "out of range");
      writeInt128LE(view, i, b);
    }
    const type = this.arrowType() as FixedSizeBinary;
    return makeData({ type, length: n, ...packValidity(values), data: bytes });
  }
}

export const hugeint = new HugeIntType("HUGEINT");
export const uhugeint = new HugeIntType("UHUGEINT");
