export * from "./sql-type.js";
export { sql } from "./sql.js";
export { sqlTypeFromArrow, AnyType, ArrowOnlyType } from "./from-arrow.js";
export { BooleanType, SmallIntType, BigIntType, FloatType } from "./numeric.js";
export { HugeIntType } from "./huge-int.js";
export { DecimalType } from "./decimal.js";
export { VarcharType, BlobType } from "./string.js";
export { UuidType, BitType, BignumType, NullType } from "./special.js";
export { GeometryType, GEOARROW_WKB_EXTENSION, wkbPoint } from "./geometry.js";
export {
  DateType,
  TimeType,
  TimeTzType,
  TimestampType,
  timestampToDate,
  convertUnit,
  type TimeTz,
} from "./temporal.js";
export { IntervalType, type Interval, type IntervalInput } from "./interval.js";
export { EnumType } from "./enum.js";
export {
  ListType,
  ArrayType,
  StructType,
  MapType,
  quoteIdent,
  type ListValue,
  type ListInput,
  type StructFields,
  type StructValue,
  type StructInput,
  type MapValue,
  type MapInput,
} from "./nested.js";
export { UnionType, type UnionMembers, type UnionValue, type UnionInput } from "./union.js";
export { decimalToUnscaled, unscaledToDecimal } from "./int128.js";
export {
  EXTENSION_NAME_KEY,
  EXTENSION_METADATA_KEY,
  VGI_TYPE_KEY,
  VGI_TYPE_ANY,
  UUID_EXTENSION,
  extensionOf,
} from "./extension.js";
export * from "./columns.js";
