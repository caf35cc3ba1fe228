/**
 * Field groups that many VGI messages share. Spreading a group keeps its fields in
 * the group's order, so `{ ...objectRef, ignoreNotFound: bool }` is exactly the wire
 * order `attach_opaque_data, schema_path, name, ignore_not_found`.
 */
import { binary, list, map, utf8 } from "../codec/index.js";

/** `map<utf8, utf8>`: tags, options, column comments. */
export const stringMap = map(utf8, utf8);

/** A schema is addressed by its path (`["main"]`, or several levels for nested schemas). */
export const schemaPath = list(utf8);

/** Fields every catalog object carries. */
export const catalogObject = {
  comment: utf8.nullable(),
  tags: stringMap,
} as const;

/** Fields every object that lives inside a schema carries. */
export const schemaObject = {
  ...catalogObject,
  name: utf8,
  schemaPath,
} as const;

/** Catalog method params: the attachment, always first. */
export const attach = { attachOpaqueData: binary } as const;

/** Catalog method params: the optional transaction, almost always last. */
export const transaction = { transactionOpaqueData: binary.nullable() } as const;

/** Catalog method params addressing one object in a schema. */
export const objectRef = { attachOpaqueData: binary, schemaPath, name: utf8 } as const;

/** Catalog method params addressing a schema. */
export const schemaRef = { attachOpaqueData: binary, path: schemaPath } as const;
