/**
 * A declarative catalog: schemas holding functions, tables, views, macros and indexes.
 * Listings are encoded once and cached: DuckDB lists a schema on every new transaction
 * when the catalog version moves, and a catalog may hold thousands of functions.
 */
import {
  CopyFromFormatInfoCodec,
  SchemaInfoCodec,
  VgiError,
  ErrorKind,
  type AttachCatalogInfoInput,
  type CatalogAttachResultInput,
  type CatalogInfoInput,
  type SchemaObjectType,
  type IndexInfoInput,
  type MacroInfoInput,
  type ViewInfoInput,
} from "@vgi-ts/protocol";
import type { AttachState } from "./attach-token.js";
import type { CatalogFunction } from "./catalog-function.js";
import { attachCatalogInfos } from "./catalog-companion.js";
import {
  decodeAttachOptions,
  encodeAttachOptionSpec,
  encodeSecretTypeSpec,
  encodeSettingSpec,
  resolveAttachOptions,
} from "./catalog-options.js";
import { indexInfo } from "./catalog-index.js";
import { macroInfo } from "./catalog-macro.js";
import { type CatalogTable, type TableContext } from "./catalog-table.js";
import { viewInfo } from "./catalog-view.js";
import { schemaPathKey, formatSchemaPath, type SchemaPath } from "./schema-path.js";
import { checkVersionChoices } from "./version-spec.js";
import { resolveAttachVersions } from "./attach-versions.js";
import type { CatalogDefinition, ResolvedVersions } from "./catalog-definition.js";
import { readLiveVersion } from "./live-version.js";
import { CatalogSchema, toMap } from "./catalog-schema.js";

export type {
  CatalogDefinition,
  CatalogVersions,
  DataVersionRelease,
  DataVersions,
  ResolvedVersions,
  SchemaDefinition,
} from "./catalog-definition.js";

export class Catalog {
  private readonly schemas = new Map<string, CatalogSchema>();
  private encodedSchemas: Uint8Array[] | null = null;
  private encodedCopyFormats: Uint8Array[] | null = null;
  /** The catalog as of other version pairs (versioned schemas only). */
  private readonly versionViews = new Map<string, Catalog>();
  /** The live version the views in `versionViews` show (older views are dropped). */
  private viewsLiveVersion: bigint | null = null;
  /** The versions this view of the catalog shows. */
  readonly versions: ResolvedVersions;
  /** The live catalog version this view shows; null for a frozen catalog. */
  readonly liveVersion: bigint | null;
  /** The companions DuckDB attaches alongside (`attach_catalogs`), checked once. */
  private readonly attachCatalogs: AttachCatalogInfoInput[] | null;

  constructor(
    readonly definition: CatalogDefinition,
    versions?: ResolvedVersions,
    liveVersion?: bigint | null,
  ) {
    const { companions } = definition;
    this.attachCatalogs =
      typeof companions === "function"
        ? null
        : attachCatalogInfos(definition.name, companions ?? []);
    if (definition.dataVersions !== undefined) {
      checkVersionChoices(definition.dataVersions, `catalog ${definition.name} data versions`);
    }
    if (definition.implementationVersions !== undefined) {
      checkVersionChoices(
        definition.implementationVersions,
        `catalog ${definition.name} implementation versions`,
      );
    }
    this.versions = versions ?? this.resolveVersions(null, null);
    this.liveVersion = liveVersion === undefined ? readLiveVersion(definition) : liveVersion;
    this.viewsLiveVersion = this.liveVersion;
    const schemas =
      typeof definition.schemas === "function"
        ? definition.schemas({ ...this.versions, catalogVersion: this.liveVersion })
        : definition.schemas;
    for (const schema of schemas) {
      const entry = new CatalogSchema(schema);
      const key = schemaPathKey(entry.path);
      if (this.schemas.has(key)) {
        throw new Error(
          `catalog ${definition.name} declares schema ${formatSchemaPath(entry.path)} twice`,
        );
      }
      this.schemas.set(key, entry);
    }
  }

  get name(): string {
    return this.definition.name;
  }

  info(): CatalogInfoInput {
    const { dataVersions } = this.definition;
    return {
      name: this.name,
      implementationVersion: this.advertisedImplementationVersion,
      dataVersionSpec: dataVersions?.spec ?? null,
      attachOptionSpecs: (this.definition.attachOptions ?? []).map(encodeAttachOptionSpec),
      releases: (dataVersions?.releases ?? []).map((release) => ({
        version: release.version,
        releasedAt: release.releasedAt ?? null,
        summary: release.summary,
        notesUrl: release.notesUrl ?? null,
      })),
      sourceUrl: this.definition.sourceUrl ?? null,
    };
  }

  private get advertisedImplementationVersion(): string | null {
    const { implementationVersion, implementationVersions } = this.definition;
    return implementationVersion ?? implementationVersions?.default ?? null;
  }

  /**
   * The versions an ATTACH asks for, resolved to served ones (no spec: the defaults).
   * Throws an `InvalidArgument` VgiError naming the option when nothing served matches.
   */
  resolveVersions(
    dataVersionSpec: string | null,
    implementationVersion: string | null,
  ): ResolvedVersions {
    return resolveAttachVersions(this.definition, dataVersionSpec, implementationVersion);
  }

  /**
   * The catalog as one attachment sees it now: the same object unless its schemas are
   * versioned (by the attachment's resolved versions or by the live catalog version).
   */
  asOf(versions: ResolvedVersions): Catalog {
    if (typeof this.definition.schemas !== "function") return this;
    const live = readLiveVersion(this.definition);
    if (
      live === this.liveVersion &&
      versions.dataVersion === this.versions.dataVersion &&
      versions.implementationVersion === this.versions.implementationVersion
    ) {
      return this;
    }
    if (live !== this.viewsLiveVersion) {
      // A live catalog moved on: no attachment is shown the old version again.
      this.versionViews.clear();
      this.viewsLiveVersion = live;
    }
    const key = `${versions.dataVersion ?? ""}\u0000${versions.implementationVersion ?? ""}`;
    let view = this.versionViews.get(key);
    if (view === undefined) {
      view = new Catalog(this.definition, versions, live);
      this.versionViews.set(key, view);
    }
    return view;
  }

  /** The version DuckDB's `catalog_version` poll gets: 1, always, for a frozen catalog. */
  currentVersion(): bigint {
    return readLiveVersion(this.definition) ?? 1n;
  }

  /**
   * The attach result, minus the attach token the registry issues; `options` are the
   * ATTACH's typed option values (the declared defaults when left out).
   */
  attachResult(
    versions: ResolvedVersions = this.versions,
    options: ReadonlyMap<string, unknown> = this.attachOptionValues({}),
  ): Omit<CatalogAttachResultInput, "attachOpaqueData"> {
    const prefix = this.definition.globalFunctionPrefix ?? "";
    return {
      supportsTransactions: this.definition.supportsTransactions === true,
      supportsTimeTravel: this.supportsTimeTravel,
      // A frozen catalog never changes: the extension then skips catalog_version polls.
      catalogVersionFrozen: this.definition.catalogVersion === undefined,
      catalogVersion: this.liveVersion ?? 1n,
      attachOpaqueDataRequired: this.isolatesAttachments,
      defaultSchema: this.definition.defaultSchema ?? "main",
      settings: (this.definition.settings ?? []).map(encodeSettingSpec),
      secretTypes: (this.definition.secretTypes ?? []).map(encodeSecretTypeSpec),
      attachCatalogs: this.attachCatalogs ?? this.companionsFor(options),
      comment: this.definition.comment ?? null,
      tags: toMap(this.definition.tags),
      supportsColumnStatistics: this.supportsColumnStatistics,
      globalFunctions: (this.definition.globalFunctions ?? []).map((fn) =>
        fn.describe([this.defaultSchemaName]),
      ),
      globalFunctionPrefix: prefix,
      resolvedDataVersion: versions.dataVersion,
      resolvedImplementationVersion: versions.implementationVersion,
    };
  }

  /**
   * The ATTACH option values of one attachment (declared options in order: the user's
   * value, else the default, else null). Throws when a required option is missing.
   */
  attachOptionValues(state: Pick<AttachState, "optionsIpc">): Map<string, unknown> {
    return resolveAttachOptions(
      this.name,
      this.definition.attachOptions ?? [],
      decodeAttachOptions(state.optionsIpc ?? null),
    );
  }

  /** Whether some declared table passes `test` (tables of a TableSource are not looked at). */
  private someTable(test: (table: CatalogTable) => boolean): boolean {
    return [...this.schemas.values()].some((schema) =>
      [...schema.tables.declaredTables].some(test),
    );
  }

  /** Companions decided per ATTACH, checked as declared ones are. */
  private companionsFor(options: ReadonlyMap<string, unknown>): AttachCatalogInfoInput[] {
    const { companions } = this.definition;
    if (typeof companions !== "function") return [];
    return attachCatalogInfos(this.name, companions(options));
  }

  get supportsTimeTravel(): boolean {
    return (
      this.definition.supportsTimeTravel ?? this.someTable((table) => table.supportsTimeTravel)
    );
  }

  /** Whether any table may serve column statistics (the extension asks no table otherwise). */
  get supportsColumnStatistics(): boolean {
    return (
      [...this.schemas.values()].some((schema) => schema.tables.sourced) ||
      this.someTable((table) => table.columnStatistics() !== null)
    );
  }

  /** Writable tables keep rows per attachment: each ATTACH then gets its own id. */
  get isolatesAttachments(): boolean {
    return (
      this.definition.attachScoped === true || this.someTable((table) => table.writable === true)
    );
  }

  get defaultSchemaName(): string {
    return this.definition.defaultSchema ?? "main";
  }

  schemaItems(): Uint8Array[] {
    this.encodedSchemas ??= [...this.schemas.values()].map((schema) =>
      SchemaInfoCodec.toIpc(schema.info()),
    );
    return this.encodedSchemas;
  }

  /**
   * Every custom COPY format the catalog's functions serve, one row per (direction,
   * format). The extension keys its registry by `<alias>.<format>` alone and keeps the
   * first entry it sees, so a reader and a writer must not share a format name.
   */
  copyFormatItems(): Uint8Array[] {
    if (this.encodedCopyFormats === null) {
      const seen = new Set<string>();
      const items: Uint8Array[] = [];
      for (const schema of this.schemas.values()) {
        for (const fn of schema.functions) {
          const row = fn.copyFormat?.();
          if (row === undefined) continue;
          const key = `${row.direction}:${row.formatName.toLowerCase()}`;
          if (seen.has(key)) continue;
          seen.add(key);
          items.push(CopyFromFormatInfoCodec.toIpc(row));
        }
      }
      this.encodedCopyFormats = items;
    }
    return this.encodedCopyFormats;
  }

  schemaItem(path: SchemaPath): Uint8Array[] {
    const schema = this.schemas.get(schemaPathKey(path));
    return schema === undefined ? [] : [SchemaInfoCodec.toIpc(schema.info())];
  }

  functionItems(path: SchemaPath, type: SchemaObjectType): Uint8Array[] {
    return this.schemas.get(schemaPathKey(path))?.functionItems(type) ?? [];
  }

  private schema(path: SchemaPath): CatalogSchema | undefined {
    return this.schemas.get(schemaPathKey(path));
  }

  /** How tables of the schema at `path` find their scan functions. */
  tableContext(path: SchemaPath): TableContext {
    const schema = this.schema(path);
    return {
      // The path as declared (the request may spell it in another case).
      schemaPath: schema?.path ?? path,
      functionSchema: (name, preferred) => this.functionSchema(name, preferred),
    };
  }

  /** The schema holding function `name`: `preferred` first, then default, then any. */
  functionSchema(name: string, preferred: SchemaPath): SchemaPath | null {
    const candidates = [this.schema(preferred), this.schema([this.defaultSchemaName])];
    for (const schema of [...candidates, ...this.schemas.values()]) {
      if (schema !== undefined && schema.findFunctions(name).length > 0) return schema.path;
    }
    return null;
  }

  tableItems(path: SchemaPath): Uint8Array[] {
    return this.schema(path)?.tableItems(this.tableContext(path)) ?? [];
  }

  viewItems(path: SchemaPath): Uint8Array[] {
    return this.schema(path)?.viewItems() ?? [];
  }

  macroItems(path: SchemaPath, type: SchemaObjectType): Uint8Array[] {
    return this.schema(path)?.macroItems(type) ?? [];
  }

  indexItems(path: SchemaPath): Uint8Array[] {
    return this.schema(path)?.indexItems() ?? [];
  }

  findTable(path: SchemaPath, name: string): CatalogTable | undefined {
    return this.schema(path)?.tables.find(name);
  }

  requireTable(path: SchemaPath, name: string): CatalogTable {
    const table = this.findTable(path, name);
    if (table === undefined) {
      throw new VgiError(
        ErrorKind.NotFound,
        `Table ${this.name}.${formatSchemaPath(path)}.${name} does not exist`,
      );
    }
    return table;
  }

  findView(path: SchemaPath, name: string): ViewInfoInput | undefined {
    const schema = this.schema(path);
    const view = schema?.views.get(name.toLowerCase());
    return view === undefined || schema === undefined ? undefined : viewInfo(view, schema.path);
  }

  findMacro(path: SchemaPath, name: string): MacroInfoInput | undefined {
    const schema = this.schema(path);
    const macro = schema?.macros.get(name.toLowerCase());
    return macro === undefined || schema === undefined ? undefined : macroInfo(macro, schema.path);
  }

  findIndex(path: SchemaPath, name: string): IndexInfoInput | undefined {
    const schema = this.schema(path);
    const index = schema?.indexes.get(name.toLowerCase());
    return index === undefined || schema === undefined ? undefined : indexInfo(index, schema.path);
  }

  /** Overloads of `name` in `path`; global functions are found in the default schema too. */
  findFunctions(path: SchemaPath | null, name: string): readonly CatalogFunction[] {
    const schemaPath = path ?? [this.defaultSchemaName];
    const schema = this.schemas.get(schemaPathKey(schemaPath));
    const found = schema?.findFunctions(name) ?? [];
    if (found.length > 0) return found;
    const lower = name.toLowerCase();
    return (this.definition.globalFunctions ?? []).filter((fn) => fn.name.toLowerCase() === lower);
  }

  requireFunctions(path: SchemaPath | null, name: string): readonly CatalogFunction[] {
    const found = this.findFunctions(path, name);
    if (found.length === 0) {
      const where = path === null ? this.name : `${this.name}.${formatSchemaPath(path)}`;
      throw new VgiError(ErrorKind.NotFound, `Function ${where}.${name} does not exist`);
    }
    return found;
  }
}

export function defineCatalog(definition: CatalogDefinition): Catalog {
  return new Catalog(definition);
}
