/**
 * The Arrow schema of a table's columns declared as a record of SQL types, shared by
 * every table declared with the same names and type descriptors.
 *
 * A catalog of 10,000 tables declared from one column shape (each table its own object
 * literal) built a Schema per table, and serializing it for the listing computed that
 * Schema's structural key (`schemaKey` walks every field and type property) 10,000
 * times: a fifth of the listing's CPU. Keyed here by the column names and the
 * identities of their descriptors, the Schema is built once per distinct declaration,
 * and `encodeSchema` then finds its bytes by identity.
 *
 * A descriptor gives the same field for the same name every time (its Arrow type and
 * metadata are memoized), so equal keys mean equal schemas.
 */
import { Schema } from "apache-arrow";
import type { AnySqlType } from "@vgi-ts/protocol";

const descriptorIds = new WeakMap<AnySqlType, number>();
let nextDescriptorId = 0;

/** Built schemas by key; bounded, cleared when full (a cache, not a registry). */
const schemas = new Map<string, Schema>();
const MAX_SCHEMAS = 4096;

export function columnRecordSchema(columns: Readonly<Record<string, AnySqlType>>): Schema {
  const names = Object.keys(columns);
  // Length-prefixed names: no name can run into the next entry.
  let key = "";
  for (const name of names) {
    const type = columns[name]!;
    let id = descriptorIds.get(type);
    if (id === undefined) descriptorIds.set(type, (id = nextDescriptorId++));
    key += `${name.length}:${name}${id};`;
  }
  let schema = schemas.get(key);
  if (schema === undefined) {
    schema = new Schema(names.map((name) => columns[name]!.field(name, true)));
    if (schemas.size >= MAX_SCHEMAS) schemas.clear();
    schemas.set(key, schema);
  }
  return schema;
}
