/**
 * A declarative catalog: schemas holding functions, tables, views, macros and indexes.
 * Listings are encoded once and cached: DuckDB lists a schema on every new transaction
 * when the catalog version moves, and a catalog may hold thousands of functions.
 */
import {
  CopyFromFormatInfoCodec,
  FunctionInfoCodec,
  IndexInfoCodec,
  MacroInfoCodec,
  SchemaInfoCodec,
  TableInfoCodec,
  ViewInfoCodec,
  VgiError,
  ErrorKind,
  type AttachCatalogInfoInput,
  type CatalogAttachResultInput,
  type CatalogInfoInput,
  type SchemaInfoInput,
  type SchemaObjectType,
  type IndexInfoInput,
  type MacroInfoInput,
  type ViewInfoInput,
} from "@vgi-ts/protocol";
import type { AttachState } from "./attach-token.js";
import type { CatalogFunction } from "./catalog-function.js";
import { attachCatalogInfos, type CompanionCatalogDefinition } from "./catalog-companion.js";
import {
  decodeAttachOptions,
  encodeAttachOptionSpec,
  encodeSecretTypeSpec,
  encodeSettingSpec,
  resolveAttachOptions,
  type AttachOptionDefinition,
  type SecretTypeDefinition,
  type SettingDefinition,
} from "./catalog-options.js";
import { indexInfo, type IndexDefinition } from "./catalog-index.js";
import { macroInfo, type MacroDefinition } from "./catalog-macro.js";
import {
  defineTable,
  type CatalogTable,
  type TableContext,
  type TableDefinition,
} from "./catalog-table.js";
import { viewInfo, type ViewDefinition } from "./catalog-view.js";
import { schemaPathKey, formatSchemaPath, type SchemaPath } from "./schema-path.js";
import { checkVersionChoices, resolveVersionSpec, type VersionChoices } from "./version-spec.js";

export interface SchemaDefinition {
  /** `"main"` or a nested path such as `["sales", "eu"]`. */
  readonly path: string | SchemaPath;
  readonly comment?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly functions?: readonly CatalogFunction[];
  /** Declared tables (`defineTable` form or plain definitions). */
  readonly tables?: readonly (CatalogTable | TableDefinition)[];
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
   * version may add, drop or reshape tables). The function runs once per version pair
   * a process meets; its result is cached like a static catalog's.
   */
  readonly schemas:
    readonly SchemaDefinition[] | ((versions: ResolvedVersions) => readonly SchemaDefinition[]);
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
   * user opts out with `ATTACH ... (TYPE vgi, attach_companions false)`.
   */
  readonly companions?: readonly CompanionCatalogDefinition[];
}

/** Which `FunctionInfo.function_type` values a listing of the given object type returns. */
const LISTED_KINDS: Partial<Record<SchemaObjectType, ReadonlySet<string>>> = {
  SCALAR_FUNCTION: new Set(["SCALAR"]),
  AGGREGATE_FUNCTION: new Set(["AGGREGATE"]),
  TABLE_FUNCTION: new Set(["TABLE", "TABLE_BUFFERING"]),
};

/** Objects of one kind by lower-cased name; a second object of the same name is an error. */
function byLowerName<T extends { readonly name: string }>(
  kind: string,
  path: SchemaPath,
  items: readonly T[],
): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const key = item.name.toLowerCase();
    if (map.has(key)) {
      throw new Error(`schema ${formatSchemaPath(path)} declares ${kind} ${item.name} twice`);
    }
    map.set(key, item);
  }
  return map;
}

function isCatalogTable(table: CatalogTable | TableDefinition): table is CatalogTable {
  return typeof (table as Partial<CatalogTable>).scanBranches === "function";
}

class CatalogSchema {
  readonly path: SchemaPath;
  private readonly encoded = new Map<SchemaObjectType, Uint8Array[]>();
  private readonly byName = new Map<string, CatalogFunction[]>();
  readonly tables: Map<string, CatalogTable>;
  readonly views: Map<string, ViewDefinition>;
  readonly macros: Map<string, MacroDefinition>;
  readonly indexes: Map<string, IndexDefinition>;
  private encodedTables: Uint8Array[] | null = null;

  constructor(readonly definition: SchemaDefinition) {
    this.path = typeof definition.path === "string" ? [definition.path] : definition.path;
    for (const fn of definition.functions ?? []) {
      const key = fn.name.toLowerCase();
      const overloads = this.byName.get(key) ?? [];
      overloads.push(fn);
      this.byName.set(key, overloads);
    }
    const tables = (definition.tables ?? []).map((t) => (isCatalogTable(t) ? t : defineTable(t)));
    this.tables = byLowerName("table", this.path, tables);
    this.views = byLowerName("view", this.path, definition.views ?? []);
    this.macros = byLowerName("macro", this.path, definition.macros ?? []);
    this.indexes = byLowerName("index", this.path, definition.indexes ?? []);
  }

  /** Every table's description, encoded once: a static catalog's tables never change. */
  tableItems(context: TableContext): Uint8Array[] {
    this.encodedTables ??= TableInfoCodec.toIpcMany(
      [...this.tables.values()].map((table) => table.info(context, null)),
    );
    return this.encodedTables;
  }

  viewItems(): Uint8Array[] {
    let items = this.encoded.get("VIEW");
    if (items === undefined) {
      items = ViewInfoCodec.toIpcMany([...this.views.values()].map((v) => viewInfo(v, this.path)));
      this.encoded.set("VIEW", items);
    }
    return items;
  }

  macroItems(type: SchemaObjectType): Uint8Array[] {
    let items = this.encoded.get(type);
    if (items === undefined) {
      const wanted = type === "TABLE_MACRO" ? "TABLE" : type === "SCALAR_MACRO" ? "SCALAR" : null;
      items = MacroInfoCodec.toIpcMany(
        [...this.macros.values()]
          .filter((m) => m.type === wanted)
          .map((m) => macroInfo(m, this.path)),
      );
      this.encoded.set(type, items);
    }
    return items;
  }

  indexItems(): Uint8Array[] {
    let items = this.encoded.get("INDEX");
    if (items === undefined) {
      items = IndexInfoCodec.toIpcMany(
        [...this.indexes.values()].map((i) => indexInfo(i, this.path)),
      );
      this.encoded.set("INDEX", items);
    }
    return items;
  }

  get functions(): readonly CatalogFunction[] {
    return this.definition.functions ?? [];
  }

  functionItems(type: SchemaObjectType): Uint8Array[] {
    let items = this.encoded.get(type);
    if (items === undefined) {
      const kinds = LISTED_KINDS[type];
      items =
        kinds === undefined
          ? []
          : // One pass for all items: columns built once, the shared IPC prefix written once.
            FunctionInfoCodec.toIpcMany(
              this.functions
                .filter((fn) => kinds.has(fn.functionType))
                .map((fn) => fn.describe(this.path)),
            );
      this.encoded.set(type, items);
    }
    return items;
  }

  findFunctions(name: string): readonly CatalogFunction[] {
    return this.byName.get(name.toLowerCase()) ?? [];
  }

  info(): SchemaInfoInput {
    const count = (type: string): bigint =>
      BigInt(this.functions.filter((fn) => fn.functionType === type).length);
    return {
      comment: this.definition.comment ?? null,
      tags: toMap(this.definition.tags),
      attachOpaqueData: new Uint8Array(0),
      path: [...this.path],
      // A zero count lets the extension skip that listing call entirely.
      estimatedObjectCount: new Map<string, bigint>([
        ["table", BigInt(this.tables.size)],
        ["view", BigInt(this.views.size)],
        ["index", BigInt(this.indexes.size)],
        ["macro", BigInt(this.macros.size)],
        ["scalar_function", count("SCALAR")],
        ["aggregate_function", count("AGGREGATE")],
        ["table_function", count("TABLE") + count("TABLE_BUFFERING")],
      ]),
    };
  }
}

export class Catalog {
  private readonly schemas = new Map<string, CatalogSchema>();
  private encodedSchemas: Uint8Array[] | null = null;
  private encodedCopyFormats: Uint8Array[] | null = null;
  /** The catalog as of other version pairs (versioned schemas only). */
  private readonly versionViews = new Map<string, Catalog>();
  /** The versions this view of the catalog shows. */
  readonly versions: ResolvedVersions;
  /** The companions DuckDB attaches alongside (`attach_catalogs`), checked once. */
  private readonly attachCatalogs: AttachCatalogInfoInput[];

  constructor(
    readonly definition: CatalogDefinition,
    versions?: ResolvedVersions,
  ) {
    this.attachCatalogs = attachCatalogInfos(definition.name, definition.companions ?? []);
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
    const schemas =
      typeof definition.schemas === "function"
        ? definition.schemas(this.versions)
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
    const { dataVersions } = this.definition;
    const single = this.definition.implementationVersion;
    const implementations: VersionChoices | undefined =
      this.definition.implementationVersions ??
      (single === undefined
        ? undefined
        : { supported: [single], default: single, matching: "exact" });
    return {
      dataVersion: this.resolveDimension(dataVersionSpec, dataVersions, "data_version_spec"),
      implementationVersion: this.resolveDimension(
        implementationVersion,
        implementations,
        "implementation_version",
      ),
    };
  }

  private resolveDimension(
    spec: string | null,
    choices: VersionChoices | undefined,
    label: string,
  ): string | null {
    if (choices !== undefined) return resolveVersionSpec(spec, choices, label);
    if (spec === null || spec === "") return null;
    // Refusing is better than silently ignoring a pin the catalog cannot honour.
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `Unsupported ${label} '${spec}': catalog '${this.name}' serves no versions to pin`,
    );
  }

  /** The catalog as one attachment sees it: the same object unless its schemas are versioned. */
  asOf(versions: ResolvedVersions): Catalog {
    if (typeof this.definition.schemas !== "function") return this;
    if (
      versions.dataVersion === this.versions.dataVersion &&
      versions.implementationVersion === this.versions.implementationVersion
    ) {
      return this;
    }
    const key = `${versions.dataVersion ?? ""}\u0000${versions.implementationVersion ?? ""}`;
    let view = this.versionViews.get(key);
    if (view === undefined) {
      view = new Catalog(this.definition, versions);
      this.versionViews.set(key, view);
    }
    return view;
  }

  /** The attach result, minus the attach token the registry issues. */
  attachResult(
    versions: ResolvedVersions = this.versions,
  ): Omit<CatalogAttachResultInput, "attachOpaqueData"> {
    const prefix = this.definition.globalFunctionPrefix ?? "";
    return {
      supportsTransactions: this.definition.supportsTransactions === true,
      supportsTimeTravel: this.supportsTimeTravel,
      // A static catalog never changes: the extension then skips catalog_version polls.
      catalogVersionFrozen: true,
      catalogVersion: 1n,
      attachOpaqueDataRequired: this.isolatesAttachments,
      defaultSchema: this.definition.defaultSchema ?? "main",
      settings: (this.definition.settings ?? []).map(encodeSettingSpec),
      secretTypes: (this.definition.secretTypes ?? []).map(encodeSecretTypeSpec),
      attachCatalogs: this.attachCatalogs,
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

  get supportsTimeTravel(): boolean {
    return (
      this.definition.supportsTimeTravel ??
      [...this.schemas.values()].some((schema) =>
        [...schema.tables.values()].some((table) => table.supportsTimeTravel),
      )
    );
  }

  /** Whether any table serves column statistics (the extension asks no table otherwise). */
  get supportsColumnStatistics(): boolean {
    return [...this.schemas.values()].some((schema) =>
      [...schema.tables.values()].some((table) => table.columnStatistics() !== null),
    );
  }

  /** Writable tables keep rows per attachment: each ATTACH then gets its own id. */
  get isolatesAttachments(): boolean {
    if (this.definition.attachScoped === true) return true;
    return [...this.schemas.values()].some((schema) =>
      [...schema.tables.values()].some((table) => table.writable === true),
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
    return this.schema(path)?.tables.get(name.toLowerCase());
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

function toMap(record: Readonly<Record<string, string>> | undefined): Map<string, string> {
  return new Map(Object.entries(record ?? {}));
}
