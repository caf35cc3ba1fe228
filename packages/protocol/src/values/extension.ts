/** Arrow extension-type metadata keys and the DuckDB extension types VGI sees. */

export const EXTENSION_NAME_KEY = "ARROW:extension:name";
export const EXTENSION_METADATA_KEY = "ARROW:extension:metadata";
/** DuckDB-specific types travel as `arrow.opaque` with a `{type_name, vendor_name}` JSON. */
export const OPAQUE_EXTENSION = "arrow.opaque";
export const UUID_EXTENSION = "arrow.uuid";
export const JSON_EXTENSION = "arrow.json";
export const DUCKDB_VENDOR = "DuckDB";

/** VGI's own field marker: `vgi_type=any` declares an ANY-typed argument or result. */
export const VGI_TYPE_KEY = "vgi_type";
export const VGI_TYPE_ANY = "any";

/** Field metadata for a DuckDB opaque extension type (`hugeint`, `bignum`, `time_tz`, ...). */
export function duckdbOpaque(typeName: string): ReadonlyMap<string, string> {
  return new Map([
    [EXTENSION_NAME_KEY, OPAQUE_EXTENSION],
    [EXTENSION_METADATA_KEY, JSON.stringify({ type_name: typeName, vendor_name: DUCKDB_VENDOR })],
  ]);
}

/** Field metadata for a canonical Arrow extension type (`arrow.uuid`, `arrow.json`). */
export function canonicalExtension(name: string): ReadonlyMap<string, string> {
  return new Map([[EXTENSION_NAME_KEY, name]]);
}

/** The extension a field carries: canonical name, or the DuckDB opaque `type_name`. */
export function extensionOf(metadata: ReadonlyMap<string, string> | undefined): string | undefined {
  const name = metadata?.get(EXTENSION_NAME_KEY);
  if (name !== OPAQUE_EXTENSION) return name;
  try {
    const parsed = JSON.parse(metadata?.get(EXTENSION_METADATA_KEY) ?? "") as {
      type_name?: unknown;
      vendor_name?: unknown;
    };
    if (parsed.vendor_name === DUCKDB_VENDOR && typeof parsed.type_name === "string") {
      return `duckdb.${parsed.type_name}`;
    }
  } catch {
    // Malformed opaque metadata: treat the field as its storage type.
  }
  return undefined;
}
