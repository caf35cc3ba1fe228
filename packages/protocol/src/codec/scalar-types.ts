import {
  Binary,
  Bool,
  DataType,
  Float64,
  Int16,
  Int32,
  Int64,
  LargeBinary,
  Precision,
  TimestampMicrosecond,
  Uint64,
  Utf8,
} from "apache-arrow";
import { FieldType } from "./field-type.js";
import { CodecIssue, describeValue } from "./issue.js";

interface ScalarSpec<Out> {
  describe: string;
  make: () => DataType;
  accepts: (type: DataType) => boolean;
  toArrow: (value: unknown) => unknown;
  fromArrow: (value: unknown) => Out;
}

/** A leaf type: no children, behaviour given by a small spec object. */
class ScalarType<Out, In> extends FieldType<Out, In> {
  readonly isNullable = false;

  constructor(private readonly spec: ScalarSpec<Out>) {
    super();
  }
  describe(): string {
    return this.spec.describe;
  }
  arrowType(): DataType {
    return this.spec.make();
  }
  accepts(type: DataType): boolean {
    return this.spec.accepts(type);
  }
  toArrow(value: unknown): unknown {
    return this.spec.toArrow(value);
  }
  fromArrow(value: unknown): Out {
    return this.spec.fromArrow(value);
  }
}

function expected(what: string, value: unknown): CodecIssue {
  return new CodecIssue(`expected ${what}, got ${describeValue(value)}`);
}

// Readers (`fromArrow`) also check JS types: a corrupt-but-parseable IPC stream can
// hand back values of a surprising shape, and that must surface as a codec issue.

const isText = (t: DataType): boolean =>
  DataType.isUtf8(t) || DataType.isLargeUtf8(t) || DataType.isUtf8View(t);
const isBytes = (t: DataType): boolean =>
  DataType.isBinary(t) || DataType.isLargeBinary(t) || DataType.isBinaryView(t);

function readString(value: unknown): string {
  if (typeof value !== "string") throw expected("string", value);
  return value;
}

function readBytes(value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw expected("bytes", value);
  return value;
}

export const utf8: FieldType<string> = new ScalarType<string, string>({
  describe: "utf8",
  make: () => new Utf8(),
  accepts: isText,
  toArrow: readString,
  fromArrow: readString,
});

/** `binary`; decodes to a zero-copy view into the IPC buffer. */
export const binary: FieldType<Uint8Array> = new ScalarType<Uint8Array, Uint8Array>({
  describe: "binary",
  make: () => new Binary(),
  accepts: isBytes,
  toArrow: readBytes,
  fromArrow: readBytes,
});

/** `large_binary` (64-bit offsets); same TS shape as `binary`. */
export const largeBinary: FieldType<Uint8Array> = new ScalarType<Uint8Array, Uint8Array>({
  describe: "large_binary",
  make: () => new LargeBinary(),
  accepts: isBytes,
  toArrow: readBytes,
  fromArrow: readBytes,
});

export const bool: FieldType<boolean> = new ScalarType<boolean, boolean>({
  describe: "bool",
  make: () => new Bool(),
  accepts: (t) => DataType.isBool(t),
  toArrow: (value) => {
    if (typeof value !== "boolean") throw expected("boolean", value);
    return value;
  },
  fromArrow: (value) => {
    if (typeof value !== "boolean") throw expected("boolean", value);
    return value;
  },
});

const isInt = (t: DataType, bitWidth: number, signed: boolean): boolean =>
  DataType.isInt(t) && t.bitWidth === bitWidth && t.isSigned === signed;

/** A 16/32-bit integer: TS `number`; encode also takes an in-range bigint. */
function smallInt(
  name: string,
  bits: 16 | 32,
  make: () => DataType,
): FieldType<number, number | bigint> {
  const min = -(2 ** (bits - 1));
  const max = 2 ** (bits - 1) - 1;
  return new ScalarType<number, number | bigint>({
    describe: name,
    make,
    accepts: (t) => isInt(t, bits, true),
    toArrow: (value) => {
      const n = typeof value === "bigint" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
        throw expected(`an integer in ${name} range`, value);
      }
      return n;
    },
    fromArrow: (value) => {
      if (typeof value !== "number") throw expected("number", value);
      return value;
    },
  });
}

export const int16 = smallInt("int16", 16, () => new Int16());
export const int32 = smallInt("int32", 32, () => new Int32());

/**
 * A 64-bit integer. Decodes to `bigint` so no value is ever rounded; encode also takes
 * a `number`, which must be a safe integer (anything larger already lost precision).
 */
function bigInt(
  name: string,
  min: bigint,
  max: bigint,
  make: () => DataType,
  signed: boolean,
): FieldType<bigint, bigint | number> {
  return new ScalarType<bigint, bigint | number>({
    describe: name,
    make,
    accepts: (t) => isInt(t, 64, signed),
    toArrow: (value) => {
      let b: bigint;
      if (typeof value === "bigint") b = value;
      else if (typeof value === "number" && Number.isSafeInteger(value)) b = BigInt(value);
      else throw expected(`a bigint or safe integer (${name})`, value);
      if (b < min || b > max) throw expected(`a value in ${name} range`, value);
      return b;
    },
    fromArrow: (value) => {
      if (typeof value !== "bigint") throw expected("bigint", value);
      return value;
    },
  });
}

export const int64: FieldType<bigint, bigint | number> = bigInt(
  "int64",
  -(2n ** 63n),
  2n ** 63n - 1n,
  () => new Int64(),
  true,
);
export const uint64: FieldType<bigint, bigint | number> = bigInt(
  "uint64",
  0n,
  2n ** 64n - 1n,
  () => new Uint64(),
  false,
);

export const float64: FieldType<number> = new ScalarType<number, number>({
  describe: "float64",
  make: () => new Float64(),
  accepts: (t) => DataType.isFloat(t) && t.precision === Precision.DOUBLE,
  toArrow: (value) => {
    if (typeof value !== "number") throw expected("number", value);
    return value;
  },
  fromArrow: (value) => {
    if (typeof value !== "number") throw expected("number", value);
    return value;
  },
});

/**
 * `timestamp[us, tz]` as a JS `Date`. Date has millisecond resolution, so sub-ms
 * digits are truncated on decode; VGI only uses this for release dates, where that is
 * harmless and a `Date` is what callers want. Reading accepts any timestamp unit.
 */
export function timestampUs(timezone = "UTC"): FieldType<Date> {
  return new ScalarType<Date, Date>({
    describe: `timestamp[us, ${timezone}]`,
    make: () => new TimestampMicrosecond(timezone),
    accepts: (t) => DataType.isTimestamp(t),
    toArrow: (value) => {
      if (!(value instanceof Date) || Number.isNaN(value.getTime()))
        throw expected("a valid Date", value);
      // Arrow's timestamp builder takes epoch milliseconds and scales to the unit.
      return value.getTime();
    },
    fromArrow: (value) => {
      if (typeof value !== "number" || !Number.isFinite(value))
        throw expected("epoch milliseconds", value);
      return new Date(Math.trunc(value));
    },
  });
}
