/**
 * What a catalog author declares: the catalog, its schemas, its data and implementation
 * versions. `defineCatalog` turns a definition into a served `Catalog`.
 */
import type { CatalogFunction } from "./catalog-function.js";
import { type CompanionCatalogDefinition } from "./catalog-companion.js";
import {
  type AttachOptionDefinition,
  type SecretTypeDefinition,
  type SettingDefinition,
} from "./catalog-options.js";
import { type IndexDefinition } from "./catalog-index.js";
import { type MacroDefinition } from "./catalog-macro.js";
import type { CatalogTable, TableDefinition } from "./catalog-table.js";
import type { TableSource } from "./schema-tables.js";
import { type ViewDefinition } from "./catalog-view.js";
import { type SchemaPath } from "./schema-path.js";
import { type VersionChoices } from "./version-spec.js";

export interface SchemaDefinition {
  /** `"main"` or a nested path such as `["sales", "eu"]`. */
  readonly path: string | SchemaPath;
  readonly comment?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly functions?: readonly CatalogFunction[];
  /**
   * Declared tables (`defineTable` form or plain definitions), or a `TableSource` that
   * finds them by name on demand.
   */
  readonly tables?: readonly (CatalogTable | TableDefinition)[] | TableSource;
  readonly views?: readonly ViewDefinition[];
  readonly macros?: readonly MacroDefinition[];
  readonly indexes?: readonly IndexDefinition[];
}

/** One entry of a catalog's public release history (newest first in `releases`). */
export interface DataVersionRelease {
  readonly version: string;
  readonly releasedAt?: Date;
  readonly summary: string;
  readonly notesUrl?: string;
}

/** The data versions a catalog serves (ATTACH `data_version_spec`). */
export interface DataVersions extends VersionChoices {
  /** The range `vgi_catalogs()` advertises, e.g. `">=1.0.0,<2.0.0"`. */
  readonly spec: string;
  /** Release notes per data version, newest first, as `vgi_catalogs()` lists them. */
  readonly releases?: readonly DataVersionRelease[];
}

/** The versions one attachment resolved to (null: the catalog has none in that dimension). */
export interface ResolvedVersions {
  readonly dataVersion: string | null;
  readonly implementationVersion: string | null;
}

/** What function-form `schemas` are built for. */
export interface CatalogVersions extends ResolvedVersions {
  /** A live catalog's current version (`catalogVersion`); null for a frozen catalog. */
  readonly catalogVersion: bigint | null;
}

export interface CatalogDefinition {
  readonly name: string;
  readonly comment?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly defaultSchema?: string;
  readonly sourceUrl?: string;
  /**
   * The implementation version `vgi_catalogs()` advertises; with `implementationVersions`
   * it defaults to their default, without it it is the only one an ATTACH may pin.
   */
  readonly implementationVersion?: string;
  /** Implementation versions an ATTACH may pin with `implementation_version`. */
  readonly implementationVersions?: VersionChoices;
  /** Data versions an ATTACH may pin with `data_version_spec`. */
  readonly dataVersions?: DataVersions;
  /**
   * Mint a random id per ATTACH (as catalogs with writable tables do), carried in the
   * attach token, then required on every call: functions keep attachment-private state
   * under it (`call.attach`).
   */
  readonly attachScoped?: boolean;
  /**
   * Whether DuckDB may send `AT (...)` clauses; defaults to whether any table declares
   * time travel. A table without it still refuses a clause with a clear error.
   */
  readonly supportsTimeTravel?: boolean;
  /**
   * DuckDB brackets every transaction touching the catalog with
   * `catalog_transaction_begin` and commit/rollback, and writes carry the transaction:
   * a statement that fails, or a ROLLBACK, leaves nothing behind. Without it each write
   * batch applies at once.
   */
  readonly supportsTransactions?: boolean;
  /**
   * The schemas, or the schemas as of the versions an attachment resolved to (a data
   * version may add, drop or reshape tables) and, for a live catalog, as of its current
   * version. The function runs once per version combination a process meets; its result
   * is cached like a static catalog's.
   */
  readonly schemas:
    readonly SchemaDefinition[] | ((versions: CatalogVersions) => readonly SchemaDefinition[]);
  /**
   * Makes the catalog live: its contents may change while DuckDB has it attached (a table
   * appears, a column changes type). DuckDB asks for this version at the start of every
   * transaction and, when it moved, forgets what it cached and lists again; `schemas` (a
   * function) then runs for the new version. Pooled worker processes take turns answering
   * one attachment, so read the version from where they all see it (a file, a database
   * row), not from one process's memory. Without it the catalog is frozen: DuckDB lists it
   * once per attachment and never asks again.
   */
  readonly catalogVersion?: () => bigint | number;
  /** Functions DuckDB also publishes into `system.main` as `<prefix>_<name>`. */
  readonly globalFunctions?: readonly CatalogFunction[];
  readonly globalFunctionPrefix?: string;
  /** Typed `ATTACH ... (TYPE vgi, name value)` options, listed before ATTACH. */
  readonly attachOptions?: readonly AttachOptionDefinition[];
  /** DuckDB settings (`SET name = value`) the catalog registers; sent to functions that require them. */
  readonly settings?: readonly SettingDefinition[];
  /** Secret types (`CREATE SECRET (TYPE name, ...)`) the catalog registers. */
  readonly secretTypes?: readonly SecretTypeDefinition[];
  /**
   * Databases DuckDB attaches alongside this catalog (a DuckLake, a postgres, ...), in
   * order; multi-branch tables read their tables through catalog-table branches. The
   * user opts out with `ATTACH ... (TYPE vgi, attach_companions false)`. A function
   * decides them per ATTACH from its typed options (`lake '/srv/lake.sqlite'`); its
   * aliases should not depend on them, as the branches that read a companion name it.
   */
  readonly companions?:
    | readonly CompanionCatalogDefinition[]
    | ((options: ReadonlyMap<string, unknown>) => readonly CompanionCatalogDefinition[]);
}
