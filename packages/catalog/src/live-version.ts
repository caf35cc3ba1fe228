/**
 * The version of a live catalog: one whose contents move while DuckDB has it attached.
 * DuckDB asks for it at the start of every transaction (`catalog_version`) and, when it
 * changed, drops the entries it cached and lists the catalog again. Any change of the
 * number counts, not only an increase; 0 would make DuckDB re-list on every transaction,
 * so a version is a positive int64.
 */
import { ErrorKind, VgiError } from "@vgi-ts/protocol";
import type { CatalogDefinition } from "./catalog-definition.js";

const INT64_MAX = (1n << 63n) - 1n;

/** The catalog's current version, or null for a frozen catalog (no `catalogVersion`). */
export function readLiveVersion(definition: CatalogDefinition): bigint | null {
  const read = definition.catalogVersion;
  if (read === undefined) return null;
  const value = read();
  const version =
    typeof value === "bigint" ? value : Number.isSafeInteger(value) ? BigInt(value) : null;
  if (version === null || version < 1n || version > INT64_MAX) {
    throw new VgiError(
      ErrorKind.ContractViolation,
      `catalog ${definition.name}: catalogVersion() returned ${String(value)}; ` +
        "a catalog version is a positive 64-bit integer",
    );
  }
  return version;
}
