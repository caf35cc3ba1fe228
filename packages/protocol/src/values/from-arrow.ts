/**
 * The reverse mapping: which logical type an incoming Arrow field is (ANY-typed
 * arguments, error messages), and the ANY marker itself.
 *
 * Ambiguities on the wire, resolved the way DuckDB's own Arrow import resolves them:
 * `Decimal(38,0)` is DECIMAL(38,0) (DuckDB also sends HUGEINT and UHUGEINT so; only the
 * declared type can tell), a bare `Utf8` is VARCHAR (DuckDB also sends UUID and JSON so),
 * a bare `Binary` is BLOB (and BIT), `Time64<µs>` is TIME (and TIMETZ minus its offset).
 */
import {
  DataType,
  Null,
  TimeUnit,
  UnionMode,
  makeData,
  makeVector,
  vectorFromArray,
  type Data,
  type Field,
} from "apache-arrow";
import { decimal } from "./decimal.js";
import { EnumType } from "./enum.js";
import { GEOARROW_WKB_EXTENSION, geometry } from "./geometry.js";
import { VGI_TYPE_ANY, VGI_TYPE_KEY, extensionOf } from "./extension.js";
import { hugeint, uhugeint } from "./huge-int.js";
import { interval } from "./interval.js";
import { ArrayType, ListType, MapType, StructType } from "./nested.js";
import * as num from "./numeric.js";
import { bignum, bit, sqlNull, uuid } from "./special.js";
import { BaseSqlType, type AnySqlType, type RowReader } from "./sql-type.js";
import { blob, isBinaryType, isStringType, json, varchar } from "./string.js";
import * as t from "./temporal.js";
import { UnionType } from "./union.js";
import { badValue } from "./validity.js";

/** The logical type of an Arrow field, given its type and (extension) metadata. */
export function sqlTypeFromArrow(
  type: DataType,
  metadata?: ReadonlyMap<string, string>,
): AnySqlType {
  const ext = extensionOf(metadata);
  if (DataType.isNull(type)) return metadata?.get(VGI_TYPE_KEY) === VGI_TYPE_ANY ? any : sqlNull;
  if (DataType.isBool(type)) return num.boolean;
  if (DataType.isInt(type)) {
    if (ext === "arrow.bool8" && type.bitWidth === 8) return new ArrowOnlyType(type, "BOOLEAN");
    return intType(type.bitWidth, type.isSigned) ?? new ArrowOnlyType(type);
  }
  if (DataType.isFloat(type)) {
    return type.precision === 1
      ? num.float
      : type.precision === 2
        ? num.double
        : new ArrowOnlyType(type);
  }
  if (DataType.isDecimal(type)) return decimal(type.precision, type.scale);
  if (DataType.isFixedSizeBinary(type)) {
    if (type.byteWidth === 16 && ext === "arrow.uuid") return uuid;
    if (type.byteWidth === 16 && ext === "duckdb.hugeint") return hugeint;
    if (type.byteWidth === 16 && ext === "duckdb.uhugeint") return uhugeint;
    if (type.byteWidth === 8 && ext === "duckdb.time_tz") return t.timeTz;
    return blob;
  }
  if (isStringType(type)) return ext === "arrow.json" ? json : varchar;
  if (isBinaryType(type)) {
    if (ext === GEOARROW_WKB_EXTENSION) return geometry;
    return ext === "duckdb.bit" ? bit : ext === "duckdb.bignum" ? bignum : blob;
  }
  if (DataType.isDate(type)) return t.date;
  if (DataType.isTime(type)) return type.unit === TimeUnit.NANOSECOND ? t.timeNs : t.time;
  if (DataType.isTimestamp(type)) {
    if (type.timezone != null) {
      if (type.timezone === "UTC" && type.unit === TimeUnit.MICROSECOND) return t.timestampTz;
      // Keep the zone string as sent (DuckDB says "Etc/UTC"): results must match it exactly.
      return new t.TimestampType(
        "TIMESTAMPTZ",
        "TIMESTAMP WITH TIME ZONE",
        type.unit,
        type.timezone,
      );
    }
    return [t.timestampS, t.timestampMs, t.timestamp, t.timestampNs][type.unit]!;
  }
  if (DataType.isInterval(type) || DataType.isDuration(type)) return interval;
  if (DataType.isList(type)) return new ListType(childType(type.children[0]!));
  if (DataType.isFixedSizeList(type))
    return new ArrayType(childType(type.children[0]!), type.listSize);
  if (DataType.isStruct(type)) return new StructType(childRecord(type.children));
  if (DataType.isMap(type)) {
    const [k, v] = type.children[0]!.type.children as Field[];
    return new MapType(childType(k!), childType(v!));
  }
  if (DataType.isUnion(type) && type.mode === UnionMode.Sparse)
    return new UnionType(childRecord(type.children));
  if (DataType.isDictionary(type) && isStringType(type.dictionary))
    return new EnumType<string>(null);
  return new ArrowOnlyType(type);
}

function intType(bitWidth: number, signed: boolean): AnySqlType | undefined {
  const table: Record<string, AnySqlType> = {
    "8s": num.tinyint,
    "16s": num.smallint,
    "32s": num.integer,
    "64s": num.bigint,
    "8u": num.utinyint,
    "16u": num.usmallint,
    "32u": num.uinteger,
    "64u": num.ubigint,
  };
  return table[`${bitWidth}${signed ? "s" : "u"}`];
}

const childType = (f: Field): AnySqlType => sqlTypeFromArrow(f.type, f.metadata);
const childRecord = (fields: Field[]): Record<string, AnySqlType> =>
  Object.fromEntries(fields.map((f) => [f.name, childType(f)]));

/**
 * ANY: declared as Arrow `Null` with field metadata `vgi_type=any`; DuckDB then sends
 * whatever type the call site has. `resolve(field)` gives the concrete descriptor
 * (extension metadata included); `read` alone decodes by the Arrow type only.
 */
export class AnyType extends BaseSqlType<unknown> {
  readonly id = "ANY";
  readonly sqlName = "ANY";
  private readonly meta: ReadonlyMap<string, string> = new Map([[VGI_TYPE_KEY, VGI_TYPE_ANY]]);
  protected makeArrowType(): DataType {
    return new Null();
  }
  override metadata(): ReadonlyMap<string, string> {
    return this.meta;
  }
  accepts(): boolean {
    return true;
  }
  /** The concrete logical type of an argument that arrived for an ANY parameter. */
  resolve(field: Field): AnySqlType {
    return sqlTypeFromArrow(field.type, field.metadata);
  }
  protected chunkReader(data: Data): RowReader<unknown> {
    return sqlTypeFromArrow(data.type).reader(data);
  }
  /** Only all-null columns can be built without a concrete type. */
  build(values: readonly unknown[]): Data {
    for (const v of values) {
      if (v != null)
        throw badValue(this.sqlName, v, "build with the concrete type (sql.any.resolve)");
    }
    return makeData({ type: new Null(), length: values.length, nullCount: values.length });
  }
}

export const any = new AnyType();

/** An Arrow type with no DuckDB logical type of its own: read/built by arrow-js as is. */
export class ArrowOnlyType extends BaseSqlType<unknown> {
  readonly id = "ARROW";
  readonly sqlName: string;
  constructor(
    private readonly type: DataType,
    sqlName?: string,
  ) {
    super();
    this.sqlName = sqlName ?? `<Arrow ${String(type)}>`;
  }
  protected makeArrowType(): DataType {
    return this.type;
  }
  accepts(type: DataType): boolean {
    return type.typeId === this.type.typeId;
  }
  protected chunkReader(data: Data): RowReader<unknown> {
    const vector = makeVector(data);
    return (i) => (vector.isValid(i) ? (vector.get(i) as unknown) : null);
  }
  build(values: readonly unknown[]): Data {
    return vectorFromArray(values as unknown[], this.type).data[0]!;
  }
}
