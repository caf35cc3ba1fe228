/**
 * VGI 2.0.0 enums. On the wire an enum is `dictionary<int16, utf8>` holding the member
 * NAME (WIRE_PROTOCOL §4), so only the names matter; each constant is both the field
 * descriptor (with `.members`) and, as a type, the string-literal union.
 */
import { enumOf, textEnum, type InferField } from "../codec/index.js";

/** `FunctionInfo.function_type`: what kind of function a catalog entry is. */
export const FunctionType = enumOf(["SCALAR", "TABLE", "TABLE_BUFFERING", "AGGREGATE"]);
export type FunctionType = InferField<typeof FunctionType>;

/** `BindRequest.function_type`: which invocation protocol the client is running. */
export const InvocationFunctionType = enumOf(["AGGREGATE", "SCALAR", "TABLE", "TABLE_BUFFERING"]);
export type InvocationFunctionType = InferField<typeof InvocationFunctionType>;

export const FunctionStability = enumOf(["CONSISTENT", "VOLATILE", "CONSISTENT_WITHIN_QUERY"]);
export type FunctionStability = InferField<typeof FunctionStability>;

export const NullHandling = enumOf(["DEFAULT", "SPECIAL"]);
export type NullHandling = InferField<typeof NullHandling>;

export const OrderPreservation = enumOf(["PRESERVES_ORDER", "NO_ORDER_GUARANTEE", "FIXED_ORDER"]);
export type OrderPreservation = InferField<typeof OrderPreservation>;

export const PartitionKind = enumOf([
  "NOT_PARTITIONED",
  "SINGLE_VALUE_PARTITIONS",
  "OVERLAPPING_PARTITIONS",
  "DISJOINT_PARTITIONS",
]);
export type PartitionKind = InferField<typeof PartitionKind>;

export const OrderDependence = enumOf(["ORDER_DEPENDENT", "NOT_ORDER_DEPENDENT"]);
export type OrderDependence = InferField<typeof OrderDependence>;

export const DistinctDependence = enumOf(["DISTINCT_DEPENDENT", "NOT_DISTINCT_DEPENDENT"]);
export type DistinctDependence = InferField<typeof DistinctDependence>;

export const MacroType = enumOf(["SCALAR", "TABLE"]);
export type MacroType = InferField<typeof MacroType>;

export const OnConflict = enumOf(["ERROR", "IGNORE", "REPLACE"]);
export type OnConflict = InferField<typeof OnConflict>;

export const IndexConstraintType = enumOf(["NONE", "UNIQUE", "PRIMARY"]);
export type IndexConstraintType = InferField<typeof IndexConstraintType>;

/** `InitRequest.phase` for table in-out and table-buffering functions. */
export const TableInOutFunctionInitPhase = enumOf([
  "INPUT",
  "FINALIZE",
  "TABLE_BUFFERING",
  "TABLE_BUFFERING_FINALIZE",
]);
export type TableInOutFunctionInitPhase = InferField<typeof TableInOutFunctionInitPhase>;

export const OrderByDirection = enumOf(["ASC", "DESC"]);
export type OrderByDirection = InferField<typeof OrderByDirection>;

export const OrderByNullOrder = enumOf(["NULLS_FIRST", "NULLS_LAST"]);
export type OrderByNullOrder = InferField<typeof OrderByNullOrder>;

/** The `type` filter of `catalog_schema_contents_functions` / `_macros`. */
export const SchemaObjectType = enumOf([
  "TABLE",
  "VIEW",
  "SCALAR_FUNCTION",
  "TABLE_FUNCTION",
  "AGGREGATE_FUNCTION",
  "SCALAR_MACRO",
  "TABLE_MACRO",
  "INDEX",
]);
export type SchemaObjectType = InferField<typeof SchemaObjectType>;

/**
 * `FunctionInfo.argument_monotonicity` items. Declared on the wire as a plain
 * `list<utf8>`, not a dictionary, so it is a text enum.
 */
export const ArgumentMonotonicity = textEnum([
  "UNKNOWN",
  "CONSTANT",
  "NON_DECREASING",
  "STRICTLY_INCREASING",
  "NON_INCREASING",
  "STRICTLY_DECREASING",
]);
export type ArgumentMonotonicity = InferField<typeof ArgumentMonotonicity>;
