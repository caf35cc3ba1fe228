/**
 * Schema paths (VGI 2.0: `list<utf8>`, one component per nesting level). DuckDB
 * identifiers are case-insensitive, so two paths name the same schema when their
 * components match ignoring case.
 */
export type SchemaPath = readonly string[];

/** A map key for a path: lower-cased components joined by NUL (which no identifier holds). */
export function schemaPathKey(path: SchemaPath): string {
  return path.map((part) => part.toLowerCase()).join("\0");
}

export function formatSchemaPath(path: SchemaPath): string {
  return path.map((part) => (/^[a-z_][a-z0-9_]*$/i.test(part) ? part : `"${part}"`)).join(".");
}

export function sameSchemaPath(a: SchemaPath, b: SchemaPath): boolean {
  return schemaPathKey(a) === schemaPathKey(b);
}
