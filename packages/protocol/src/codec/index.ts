/**
 * The message DSL: declare a VGI message once, derive its Arrow schema, its TS types
 * and its codec from that one declaration.
 */
export { FieldType, NullableType, nullable } from "./field-type.js";
export type { AnyFieldType, InferField, InferFieldInput } from "./field-type.js";
export {
  utf8,
  binary,
  largeBinary,
  bool,
  int16,
  int32,
  int64,
  uint64,
  float64,
  timestampUs,
} from "./scalar-types.js";
// The descriptor classes are renamed on the way out: `ListType` & co. belong to the SQL
// type layer, which users meet far more often than the message DSL.
export {
  ListType as ListFieldType,
  MapType as MapFieldType,
  EnumType as EnumFieldType,
  list,
  map,
  enumOf,
  textEnum,
} from "./composite-types.js";
export { StructType as StructFieldType, NamedType, struct, named, snakeCase } from "./shape.js";
export type { Shape, ShapeInput, ShapeOutput, CompiledField, Simplify } from "./shape.js";
export { NestedType, nested } from "./nested-type.js";
export type { IpcCodec } from "./nested-type.js";
export { defineMessage } from "./message.js";
export type { MessageCodec, Infer, InferInput } from "./message.js";
