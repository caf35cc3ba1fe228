/**
 * Companion catalogs (lakehouse federation): other databases a catalog asks DuckDB to
 * ATTACH alongside it, e.g. a DuckLake holding the table's cold history. They travel in
 * the attach result's `attach_catalogs`; the extension attaches each one at ATTACH time
 * (refusing a scheme outside its allowlist, never replacing a catalog it did not create,
 * sharing one attachment between catalogs that name the same alias and target) and
 * detaches it when the last catalog referring to it detaches. A multi-branch table then
 * reads the companion's tables through catalog-table branches (`CatalogTableBranch`).
 */
import type { AttachCatalogInfoInput } from "@vgi-ts/protocol";

export interface CompanionCatalogDefinition {
  /**
   * The name DuckDB attaches it under, and the `catalog` a catalog-table branch names.
   * Prefix it with the catalog's own name: two catalogs claiming one alias for
   * different targets conflict.
   */
  readonly alias: string;
  /** The ATTACH target: `ducklake:sqlite:/data/lake.sqlite`, `postgres:dbname=...`. */
  readonly target: string;
  /** The database type; left out, DuckDB takes it from the target's `scheme:` prefix. */
  readonly dbType?: string;
  /** Further ATTACH options, passed on as they are (e.g. a DuckLake's `DATA_PATH`). */
  readonly options?: Readonly<Record<string, string>>;
  /** Attach it out of `duckdb_databases()` (`vgi_companion_catalogs()` still lists it). */
  readonly hidden?: boolean;
  /**
   * A companion that fails to attach fails the whole ATTACH; otherwise (the default)
   * it is skipped and the branches reading it fail when bound.
   */
  readonly required?: boolean;
  /**
   * A DuckDB secret whose values the extension adds to the companion's ATTACH options,
   * only when the user attaches with `attach_companion_secrets true`.
   */
  readonly secretRef?: string;
}

/**
 * The companions as the attach result carries them, checked once when the catalog is
 * defined: an empty alias or target, or one alias twice, is a mistake in the definition
 * that DuckDB would otherwise only report at every ATTACH.
 */
export function attachCatalogInfos(
  catalogName: string,
  companions: readonly CompanionCatalogDefinition[],
): AttachCatalogInfoInput[] {
  const aliases = new Set<string>();
  for (const { alias, target } of companions) {
    if (alias === "" || target === "") {
      throw new Error(`catalog ${catalogName}: a companion needs an alias and a target`);
    }
    // DuckDB catalog names are case-insensitive.
    const key = alias.toLowerCase();
    if (aliases.has(key))
      throw new Error(`catalog ${catalogName} declares companion ${alias} twice`);
    aliases.add(key);
  }
  return companions.map(attachCatalogInfo);
}

/** One companion as the attach result carries it (every field present, as the wire has it). */
export function attachCatalogInfo(companion: CompanionCatalogDefinition): AttachCatalogInfoInput {
  return {
    alias: companion.alias,
    target: companion.target,
    dbType: companion.dbType ?? "",
    options: new Map(Object.entries(companion.options ?? {})),
    hidden: companion.hidden === true,
    required: companion.required === true,
    secretRef: companion.secretRef ?? "",
  };
}
