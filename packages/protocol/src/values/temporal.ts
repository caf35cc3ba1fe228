/**
 * DATE, TIME, TIME_NS, TIME WITH TIME ZONE and the five TIMESTAMP types.
 *
 * Values stay integers in the wire unit (no conversion on the hot path): DATE is days
 * since the epoch, TIME µs since midnight, TIME_NS ns, timestamps bigint in the type's
 * unit. Readers also take the other Arrow units of the same logical type.
 */
import {
  DataType,
  DateDay,
  FixedSizeBinary,
  TimeMicrosecond,
  TimeNanosecond,
  TimeUnit,
  Timestamp,
  makeData,
  type Data,
} from "apache-arrow";
import { duckdbOpaque } from "./extension.js";
import { dataViewOf } from "./int128.js";
import { toBigInt } from "./numeric.js";
import { BaseSqlType, type RowReader } from "./sql-type.js";
import { badValue, packValidity, validityTest } from "./validity.js";

const MS_PER_DAY = 86_400_000;
/** Units per second of each Arrow `TimeUnit` (SECOND, MILLISECOND, MICROSECOND, NANOSECOND). */
const PER_SECOND = [1n, 1_000n, 1_000_000n, 1_000_000_000n] as const;

/** Convert an integer between time units, flooring (like DuckDB's casts). */
export function convertUnit(value: bigint, from: TimeUnit, to: TimeUnit): bigint {
  if (from === to) return value;
  const f = PER_SECOND[from];
  const t = PER_SECOND[to];
  if (t > f) return value * (t / f);
  const d = f / t;
  const q = value / d;
  return value < 0n && q * d !== value ? q - 1n : q;
}

/** A timestamp value of `unit` as a JS `Date` (drops precision below 1 ms). */
export function timestampToDate(value: bigint, unit: TimeUnit = TimeUnit.MICROSECOND): Date {
  return new Date(Number(convertUnit(value, unit, TimeUnit.MILLISECOND)));
}

/** DATE: days since 1970-01-01 (a `Date` builds as its UTC day). */
export class DateType extends BaseSqlType<number, number | Date> {
  readonly id = "DATE";
  readonly sqlName = "DATE";
  protected makeArrowType(): DataType {
    return new DateDay();
  }
  accepts(type: DataType): boolean {
    return DataType.isDate(type);
  }
  protected chunkReader(data: Data): RowReader<number> {
    const valid = validityTest(data);
    const values = data.values as Int32Array | BigInt64Array;
    if (values instanceof Int32Array) return (i) => (valid(i) ? values[i]! : null);
    return (i) => (valid(i) ? Math.floor(Number(values[i]!) / MS_PER_DAY) : null);
  }
  build(values: readonly (number | Date | null | undefined)[]): Data {
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v == null) continue;
      const days = v instanceof Date ? Math.floor(v.getTime() / MS_PER_DAY) : v;
      if (!Number.isInteger(days) || days !== (days | 0)) throw badValue(this.sqlName, v);
      out[i] = days;
    }
    const type = this.arrowType() as DateDay;
    return makeData({ type, length: values.length, ...packValidity(values), data: out });
  }
}

/** TIME (µs since midnight) and TIME_NS (ns since midnight), as numbers (exact). */
export class TimeType extends BaseSqlType<number> {
  readonly sqlName: string;
  private readonly unit: TimeUnit;
  constructor(readonly id: "TIME" | "TIME_NS") {
    super();
    this.sqlName = id;
    this.unit = id === "TIME" ? TimeUnit.MICROSECOND : TimeUnit.NANOSECOND;
  }
  protected makeArrowType(): DataType {
    return this.id === "TIME" ? new TimeMicrosecond() : new TimeNanosecond();
  }
  accepts(type: DataType): boolean {
    return DataType.isTime(type);
  }
  protected chunkReader(data: Data): RowReader<number> {
    const valid = validityTest(data);
    const from = (data.type as TimeMicrosecond).unit as TimeUnit;
    const values = data.values as Int32Array | BigInt64Array;
    const to = this.unit;
    if (from === to) return (i) => (valid(i) ? Number(values[i]!) : null);
    return (i) => (valid(i) ? Number(convertUnit(BigInt(values[i]!), from, to)) : null);
  }
  build(values: readonly (number | null | undefined)[]): Data {
    const out = new BigInt64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v == null) continue;
      const t = toBigInt(this.sqlName, v);
      if (t < 0n || t > 86_400n * PER_SECOND[this.unit])
        throw badValue(this.sqlName, v, "not a time of day");
      out[i] = t;
    }
    const type = this.arrowType() as TimeMicrosecond;
    return makeData({ type, length: values.length, ...packValidity(values), data: out });
  }
}

/** TIME WITH TIME ZONE: local time of day (µs) and the zone's offset in seconds east of UTC. */
export interface TimeTz {
  micros: number;
  offset: number;
}

const TZ_MAX_OFFSET = 16 * 60 * 60 - 1; // DuckDB: ±15:59:59

/**
 * Declared `FixedSizeBinary(8)` + opaque `time_tz`: DuckDB's 64-bit dtime_tz_t, micros
 * in the high 40 bits and `MAX_OFFSET - offset` in the low 24. By default DuckDB sends
 * TIMETZ as plain `Time64<µs>` and drops the offset; such values read with offset 0.
 */
export class TimeTzType extends BaseSqlType<TimeTz> {
  readonly id = "TIMETZ";
  readonly sqlName = "TIME WITH TIME ZONE";
  private readonly meta = duckdbOpaque("time_tz");
  protected makeArrowType(): DataType {
    return new FixedSizeBinary(8);
  }
  override metadata(): ReadonlyMap<string, string> {
    return this.meta;
  }
  accepts(type: DataType): boolean {
    return (DataType.isFixedSizeBinary(type) && type.byteWidth === 8) || DataType.isTime(type);
  }
  protected chunkReader(data: Data): RowReader<TimeTz> {
    const valid = validityTest(data);
    if (DataType.isTime(data.type)) {
      const micros = time.reader(data);
      return (i) => (valid(i) ? { micros: micros(i)!, offset: 0 } : null);
    }
    const view = dataViewOf(data.values as Uint8Array);
    return (i) => {
      if (!valid(i)) return null;
      const bits = view.getBigUint64(i * 8, true);
      return { micros: Number(bits >> 24n), offset: TZ_MAX_OFFSET - Number(bits & 0xffffffn) };
    };
  }
  build(values: readonly (TimeTz | null | undefined)[]): Data {
    const bytes = new Uint8Array(values.length * 8);
    const view = dataViewOf(bytes);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v == null) continue;
      const { micros, offset } = v;
      if (!Number.isSafeInteger(micros) || micros < 0 || micros > 86_400_000_000) {
        throw badValue(this.sqlName, micros, "micros out of range");
      }
      if (!Number.isInteger(offset) || Math.abs(offset) > TZ_MAX_OFFSET) {
        throw badValue(this.sqlName, offset, "offset out of range");
      }
      view.setBigUint64(i * 8, (BigInt(micros) << 24n) | BigInt(TZ_MAX_OFFSET - offset), true);
    }
    const type = this.arrowType() as FixedSizeBinary;
    return makeData({ type, length: values.length, ...packValidity(values), data: bytes });
  }
}

/** TIMESTAMP, TIMESTAMP_S/_MS/_NS and TIMESTAMP WITH TIME ZONE (µs, UTC). */
export class TimestampType extends BaseSqlType<bigint, bigint | Date> {
  constructor(
    readonly id: "TIMESTAMP" | "TIMESTAMP_S" | "TIMESTAMP_MS" | "TIMESTAMP_NS" | "TIMESTAMPTZ",
    readonly sqlName: string,
    readonly unit: TimeUnit,
    private readonly timezone: string | null,
  ) {
    super();
  }
  protected makeArrowType(): DataType {
    return new Timestamp(this.unit, this.timezone);
  }
  accepts(type: DataType): boolean {
    return DataType.isTimestamp(type) && (type.timezone != null) === (this.timezone !== null);
  }
  protected chunkReader(data: Data): RowReader<bigint> {
    const valid = validityTest(data);
    const values = data.values as BigInt64Array;
    const from = (data.type as Timestamp).unit;
    const to = this.unit;
    if (from === to) return (i) => (valid(i) ? values[i]! : null);
    return (i) => (valid(i) ? convertUnit(values[i]!, from, to) : null);
  }
  build(values: readonly (bigint | Date | null | undefined)[]): Data {
    const out = new BigInt64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v == null) continue;
      if (v instanceof Date) {
        const ms = v.getTime();
        if (Number.isNaN(ms)) throw badValue(this.sqlName, v);
        out[i] = convertUnit(BigInt(ms), TimeUnit.MILLISECOND, this.unit);
      } else {
        if (typeof v !== "bigint" || BigInt.asIntN(64, v) !== v) throw badValue(this.sqlName, v);
        out[i] = v;
      }
    }
    const type = this.arrowType() as Timestamp;
    return makeData({ type, length: values.length, ...packValidity(values), data: out });
  }
}

export const date = new DateType();
export const time = new TimeType("TIME");
export const timeNs = new TimeType("TIME_NS");
export const timeTz = new TimeTzType();
export const timestamp = new TimestampType("TIMESTAMP", "TIMESTAMP", TimeUnit.MICROSECOND, null);
export const timestampS = new TimestampType("TIMESTAMP_S", "TIMESTAMP_S", TimeUnit.SECOND, null);
export const timestampMs = new TimestampType(
  "TIMESTAMP_MS",
  "TIMESTAMP_MS",
  TimeUnit.MILLISECOND,
  null,
);
export const timestampNs = new TimestampType(
  "TIMESTAMP_NS",
  "TIMESTAMP_NS",
  TimeUnit.NANOSECOND,
  null,
);
export const timestampTz = new TimestampType(
  "TIMESTAMPTZ",
  "TIMESTAMP WITH TIME ZONE",
  TimeUnit.MICROSECOND,
  "UTC",
);
