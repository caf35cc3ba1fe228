/** BOOLEAN, the fixed-width integers up to 64 bits, FLOAT and DOUBLE. */
import {
  Bool,
  DataType,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Precision,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  makeData,
  type Data,
} from "apache-arrow";
import { BaseSqlType, type RowReader } from "./sql-type.js";
import { badValue, packValidity, validityTest } from "./validity.js";

type Nullish<T> = readonly (T | null | undefined)[];

export class BooleanType extends BaseSqlType<boolean> {
  readonly id = "BOOLEAN";
  readonly sqlName = "BOOLEAN";
  protected makeArrowType(): DataType {
    return new Bool();
  }
  accepts(type: DataType): boolean {
    return DataType.isBool(type);
  }
  protected chunkReader(data: Data): RowReader<boolean> {
    const valid = validityTest(data);
    const bits = data.values as Uint8Array; // not sliced: bit offset is data.offset
    const offset = data.offset;
    return (i) => (valid(i) ? ((bits[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) === 1 : null);
  }
  build(values: Nullish<boolean>): Data {
    const n = values.length;
    const bits = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v == null) continue;
      if (typeof v !== "boolean") throw badValue(this.sqlName, v);
      if (v) bits[i >> 3]! |= 1 << (i & 7);
    }
    return makeData({
      type: this.arrowType() as Bool,
      length: n,
      ...packValidity(values),
      data: bits,
    });
  }
}

type IntArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;
type IntCtor = new () => Int8 | Int16 | Int32 | Uint8 | Uint16 | Uint32;

/** TINYINT, SMALLINT, INTEGER and their unsigned kin: JS numbers, range-checked. */
export class SmallIntType extends BaseSqlType<number> {
  readonly sqlName: string;
  private readonly min: number;
  private readonly max: number;

  constructor(
    readonly id: string,
    private readonly ctor: IntCtor,
    private readonly bitWidth: 8 | 16 | 32,
    private readonly signed: boolean,
  ) {
    super();
    this.sqlName = id;
    this.min = signed ? -(2 ** (bitWidth - 1)) : 0;
    this.max = signed ? 2 ** (bitWidth - 1) - 1 : 2 ** bitWidth - 1;
  }
  protected makeArrowType(): DataType {
    return new this.ctor();
  }
  accepts(type: DataType): boolean {
    return DataType.isInt(type) && type.bitWidth === this.bitWidth && type.isSigned === this.signed;
  }
  protected chunkReader(data: Data): RowReader<number> {
    const valid = validityTest(data);
    const values = data.values as IntArray;
    return (i) => (valid(i) ? values[i]! : null);
  }
  build(values: Nullish<number>): Data {
    const type = this.arrowType() as Int32;
    const out = new type.ArrayType(values.length) as IntArray;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v == null) continue;
      if (!Number.isInteger(v) || v < this.min || v > this.max)
        throw badValue(this.sqlName, v, "out of range");
      out[i] = v;
    }
    return makeData({
      type,
      length: values.length,
      ...packValidity(values),
      data: out as Int32Array,
    });
  }
}

/** BIGINT and UBIGINT: JS bigints; `build` also takes safe-integer numbers. */
export class BigIntType extends BaseSqlType<bigint, bigint | number> {
  readonly sqlName: string;
  constructor(
    readonly id: "BIGINT" | "UBIGINT",
    private readonly signed: boolean,
  ) {
    super();
    this.sqlName = id;
  }
  protected makeArrowType(): DataType {
    return this.signed ? new Int64() : new Uint64();
  }
  accepts(type: DataType): boolean {
    return DataType.isInt(type) && type.bitWidth === 64 && type.isSigned === this.signed;
  }
  protected chunkReader(data: Data): RowReader<bigint> {
    const valid = validityTest(data);
    const values = data.values as BigInt64Array | BigUint64Array;
    return (i) => (valid(i) ? values[i]! : null);
  }
  build(values: Nullish<bigint | number>): Data {
    const out = this.signed ? new BigInt64Array(values.length) : new BigUint64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v == null) continue;
      const b = toBigInt(this.sqlName, v);
      if (this.signed ? BigInt.asIntN(64, b) !== b : BigInt.asUintN(64, b) !== b) {
        throw badValue(this.sqlName, v, "out of range");
      }
      out[i] = b;
    }
    const type = this.arrowType() as Int64;
    return makeData({
      type,
      length: values.length,
      ...packValidity(values),
      data: out as BigInt64Array,
    });
  }
}

/** A bigint, or a number that is exactly an integer. */
export function toBigInt(sqlName: string, v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  throw badValue(sqlName, v, typeof v === "number" ? "not a safe integer" : undefined);
}

/** FLOAT (Float32) and DOUBLE (Float64). */
export class FloatType extends BaseSqlType<number> {
  readonly sqlName: string;
  constructor(readonly id: "FLOAT" | "DOUBLE") {
    super();
    this.sqlName = id;
  }
  private get precision(): Precision {
    return this.id === "FLOAT" ? Precision.SINGLE : Precision.DOUBLE;
  }
  protected makeArrowType(): DataType {
    return this.id === "FLOAT" ? new Float32() : new Float64();
  }
  accepts(type: DataType): boolean {
    return DataType.isFloat(type) && type.precision === this.precision;
  }
  protected chunkReader(data: Data): RowReader<number> {
    const valid = validityTest(data);
    const values = data.values as Float32Array | Float64Array;
    return (i) => (valid(i) ? values[i]! : null);
  }
  build(values: Nullish<number>): Data {
    const out =
      this.id === "FLOAT" ? new Float32Array(values.length) : new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v == null) continue;
      if (typeof v !== "number") throw badValue(this.sqlName, v);
      out[i] = v;
    }
    const type = this.arrowType() as Float64;
    return makeData({
      type,
      length: values.length,
      ...packValidity(values),
      data: out as Float64Array,
    });
  }
}

export const boolean = new BooleanType();
export const tinyint = new SmallIntType("TINYINT", Int8, 8, true);
export const smallint = new SmallIntType("SMALLINT", Int16, 16, true);
export const integer = new SmallIntType("INTEGER", Int32, 32, true);
export const utinyint = new SmallIntType("UTINYINT", Uint8, 8, false);
export const usmallint = new SmallIntType("USMALLINT", Uint16, 16, false);
export const uinteger = new SmallIntType("UINTEGER", Uint32, 32, false);
export const bigint = new BigIntType("BIGINT", true);
export const ubigint = new BigIntType("UBIGINT", false);
export const float = new FloatType("FLOAT");
export const double = new FloatType("DOUBLE");
