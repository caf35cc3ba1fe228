/**
 * INTERVAL as `{ months, days, micros }` — DuckDB's own three parts. On the wire it is
 * `Interval<MONTH_DAY_NANO>` (nanoseconds; DuckDB truncates to µs on import). Readers
 * also take YEAR_MONTH, DAY_TIME and `Duration` columns.
 */
import {
  DataType,
  IntervalMonthDayNano,
  IntervalUnit,
  TimeUnit,
  makeData,
  type Data,
} from "apache-arrow";
import { BaseSqlType, type RowReader } from "./sql-type.js";
import { convertUnit } from "./temporal.js";
import { badValue, packValidity, validityTest } from "./validity.js";

export interface Interval {
  months: number;
  days: number;
  micros: bigint;
}

export interface IntervalInput {
  months: number;
  days: number;
  micros: bigint | number;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

export class IntervalType extends BaseSqlType<Interval, IntervalInput> {
  readonly id = "INTERVAL";
  readonly sqlName = "INTERVAL";
  protected makeArrowType(): DataType {
    return new IntervalMonthDayNano();
  }
  accepts(type: DataType): boolean {
    return DataType.isInterval(type) || DataType.isDuration(type);
  }
  protected chunkReader(data: Data): RowReader<Interval> {
    const valid = validityTest(data);
    const type = data.type as DataType;
    if (DataType.isDuration(type)) {
      const values = data.values as BigInt64Array;
      const unit = type.unit;
      return (i) =>
        valid(i)
          ? { months: 0, days: 0, micros: convertUnit(values[i]!, unit, TimeUnit.MICROSECOND) }
          : null;
    }
    const w = data.values as Int32Array;
    switch ((type as unknown as { unit: IntervalUnit }).unit) {
      case IntervalUnit.YEAR_MONTH:
        return (i) => (valid(i) ? { months: w[i]!, days: 0, micros: 0n } : null);
      case IntervalUnit.DAY_TIME:
        return (i) =>
          valid(i) ? { months: 0, days: w[2 * i]!, micros: BigInt(w[2 * i + 1]!) * 1000n } : null;
      default:
        return (i) => {
          if (!valid(i)) return null;
          const nanos = (BigInt(w[4 * i + 3]!) << 32n) | BigInt(w[4 * i + 2]! >>> 0);
          return { months: w[4 * i]!, days: w[4 * i + 1]!, micros: nanos / 1000n };
        };
    }
  }
  build(values: readonly (IntervalInput | null | undefined)[]): Data {
    const out = new Int32Array(values.length * 4);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v == null) continue;
      const { months, days, micros } = v;
      if (!isInt32(months) || !isInt32(days))
        throw badValue(this.sqlName, v, "months/days must be int32");
      const us =
        typeof micros === "bigint" ? micros : Number.isSafeInteger(micros) ? BigInt(micros) : null;
      const nanos = us === null ? null : us * 1000n;
      if (nanos === null || nanos < INT64_MIN || nanos > INT64_MAX) {
        throw badValue(this.sqlName, micros, "micros must be an integer within ±2^63 ns");
      }
      out[4 * i] = months;
      out[4 * i + 1] = days;
      out[4 * i + 2] = Number(BigInt.asIntN(32, nanos));
      out[4 * i + 3] = Number(nanos >> 32n);
    }
    const type = this.arrowType() as IntervalMonthDayNano;
    return makeData({ type, length: values.length, ...packValidity(values), data: out });
  }
}

function isInt32(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v === (v | 0);
}

export const interval = new IntervalType();
