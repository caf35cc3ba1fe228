/**
 * DECIMAL(p, s) as exact text with exactly `s` decimals ("1.50"), on the wire a 128-bit
 * `Decimal(p, s)` (what DuckDB sends for every width; it also reads 32/64-bit back).
 */
import { DataType, Decimal, makeData, type Data } from "apache-arrow";
import {
  dataViewOf,
  decimalToUnscaled,
  pow10,
  readIntLE,
  unscaledToDecimal,
  writeInt128LE,
} from "./int128.js";
import { BaseSqlType, type RowReader } from "./sql-type.js";
import { badValue, packValidity, validityTest } from "./validity.js";

export class DecimalType extends BaseSqlType<string, string | number | bigint> {
  readonly id = "DECIMAL";
  readonly sqlName: string;
  private readonly limit: bigint;

  constructor(
    readonly precision: number,
    readonly scale: number,
  ) {
    super();
    if (!Number.isInteger(precision) || precision < 1 || precision > 38) {
      throw new RangeError(`DECIMAL precision must be 1..38, got ${precision}`);
    }
    if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
      throw new RangeError(`DECIMAL scale must be 0..${precision}, got ${scale}`);
    }
    this.sqlName = `DECIMAL(${precision},${scale})`;
    // DuckDB sends HUGEINT as DECIMAL(38,0) although it holds 39-digit values; at the
    // top precision the bound is therefore the 128-bit range, not 10^38.
    this.limit = precision === 38 ? 1n << 127n : pow10(precision);
  }
  protected makeArrowType(): DataType {
    return new Decimal(this.scale, this.precision, 128);
  }
  accepts(type: DataType): boolean {
    return DataType.isDecimal(type) && type.scale === this.scale;
  }
  protected chunkReader(data: Data): RowReader<string> {
    const valid = validityTest(data);
    const view = dataViewOf(data.values as Uint32Array);
    const width = (data.type as Decimal).bitWidth / 8;
    const scale = this.scale;
    return (i) => (valid(i) ? unscaledToDecimal(readIntLE(view, i, width, true), scale) : null);
  }
  /** Row `index` as the unscaled integer (`"1.50"` at scale 2 is `150n`). */
  readUnscaled(column: Data, index: number): bigint | null {
    const text = this.read(column, index);
    return text === null ? null : decimalToUnscaled(text, this.scale)!;
  }
  build(values: readonly (string | number | bigint | null | undefined)[]): Data {
    const n = values.length;
    const words = new Uint32Array(n * 4);
    const view = dataViewOf(words);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v == null) continue;
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "bigint") {
        throw badValue(this.sqlName, v);
      }
      const unscaled = decimalToUnscaled(v, this.scale);
      if (unscaled === undefined) {
        throw badValue(this.sqlName, v, `not a decimal with at most ${this.scale} decimals`);
      }
      if (unscaled >= this.limit || unscaled < -this.limit) {
        throw badValue(this.sqlName, v, `more than ${this.precision} digits`);
      }
      writeInt128LE(view, i, unscaled);
    }
    const type = this.arrowType() as Decimal;
    return makeData({ type, length: n, ...packValidity(values), data: words });
  }
}

/** DECIMAL(p, s); DuckDB's default DECIMAL is DECIMAL(18,3). */
export function decimal(precision = 18, scale = 3): DecimalType {
  return new DecimalType(precision, scale);
}
