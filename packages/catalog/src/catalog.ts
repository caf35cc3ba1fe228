/**
 * A declarative catalog: schemas holding functions (and, later, tables, views, macros).
 * Listings are encoded once and cached: DuckDB lists a schema on every new transaction
 * when the catalog version moves, and a catalog may hold thousands of functions.
 */
import {
  FunctionInfoCodec,
  SchemaInfoCodec,
  VgiError,
  ErrorKind,
  type CatalogAttachResultInput,
  type CatalogInfoInput,
  type SchemaInfoInput,
  type SchemaObjectType,
} from "@vgi-ts/protocol";
import type { AttachState } from "./attach-token.js";
import type { CatalogFunction } from "./catalog-function.js";
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
import { schemaPathKey, formatSchemaPath, type SchemaPath } from "./schema-path.js";

export interface SchemaDefinition {
  /** `"main"` or a nested path such as `["sales", "eu"]`. */
  readonly path: string | SchemaPath;
  readonly comment?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly functions?: readonly CatalogFunction[];
}

export interface CatalogDefinition {
  readonly name: string;
  readonly comment?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly defaultSchema?: string;
  readonly sourceUrl?: string;
  readonly implementationVersion?: string;
  readonly schemas: readonly SchemaDefinition[];
  /** Functions DuckDB also publishes into `system.main` as `<prefix>_<name>`. */
  readonly globalFunctions?: readonly CatalogFunction[];
  readonly globalFunctionPrefix?: string;
  /** Typed `ATTACH ... (TYPE vgi, name value)` options, listed before ATTACH. */
  readonly attachOptions?: readonly AttachOptionDefinition[];
  /** DuckDB settings (`SET name = value`) the catalog registers; sent to functions that require them. */
  readonly settings?: readonly SettingDefinition[];
  /** Secret types (`CREATE SECRET (TYPE name, ...)`) the catalog registers. */
  readonly secretTypes?: readonly SecretTypeDefinition[];
}

/** Which `FunctionInfo.function_type` values a listing of the given object type returns. */
const LISTED_KINDS: Partial<Record<SchemaObjectType, ReadonlySet<string>>> = {
  SCALAR_FUNCTION: new Set(["SCALAR"]),
  AGGREGATE_FUNCTION: new Set(["AGGREGATE"]),
  TABLE_FUNCTION: new Set(["TABLE", "TABLE_BUFFERING"]),
};

class CatalogSchema {
  readonly path: SchemaPath;
  private readonly encoded = new Map<SchemaObjectType, Uint8Array[]>();
  private readonly byName = new Map<string, CatalogFunction[]>();

  constructor(readonly definition: SchemaDefinition) {
    this.path = typeof definition.path === "string" ? [definition.path] : definition.path;
    for (const fn of definition.functions ?? []) {
      const key = fn.name.toLowerCase();
      const overloads = this.byName.get(key) ?? [];
      overloads.push(fn);
      this.byName.set(key, overloads);
    }
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
        ["table", 0n],
        ["view", 0n],
        ["index", 0n],
        ["macro", 0n],
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

  constructor(readonly definition: CatalogDefinition) {
    for (const schema of definition.schemas) {
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
    return {
      name: this.name,
      implementationVersion: this.definition.implementationVersion ?? null,
      dataVersionSpec: null,
      attachOptionSpecs: (this.definition.attachOptions ?? []).map(encodeAttachOptionSpec),
      releases: [],
      sourceUrl: this.definition.sourceUrl ?? null,
    };
  }

  /** The attach result, minus the attach token the registry issues. */
  attachResult(): Omit<CatalogAttachResultInput, "attachOpaqueData"> {
    const prefix = this.definition.globalFunctionPrefix ?? "";
    return {
      supportsTransactions: false,
      supportsTimeTravel: false,
      // A static catalog never changes: the extension then skips catalog_version polls.
      catalogVersionFrozen: true,
      catalogVersion: 1n,
      attachOpaqueDataRequired: false,
      defaultSchema: this.definition.defaultSchema ?? "main",
      settings: (this.definition.settings ?? []).map(encodeSettingSpec),
      secretTypes: (this.definition.secretTypes ?? []).map(encodeSecretTypeSpec),
      attachCatalogs: [],
      comment: this.definition.comment ?? null,
      tags: toMap(this.definition.tags),
      supportsColumnStatistics: false,
      globalFunctions: (this.definition.globalFunctions ?? []).map((fn) =>
        fn.describe([this.defaultSchemaName]),
      ),
      globalFunctionPrefix: prefix,
      resolvedDataVersion: null,
      resolvedImplementationVersion: this.definition.implementationVersion ?? null,
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

  get defaultSchemaName(): string {
    return this.definition.defaultSchema ?? "main";
  }

  schemaItems(): Uint8Array[] {
    this.encodedSchemas ??= [...this.schemas.values()].map((schema) =>
      SchemaInfoCodec.toIpc(schema.info()),
    );
    return this.encodedSchemas;
  }

  schemaItem(path: SchemaPath): Uint8Array[] {
    const schema = this.schemas.get(schemaPathKey(path));
    return schema === undefined ? [] : [SchemaInfoCodec.toIpc(schema.info())];
  }

  functionItems(path: SchemaPath, type: SchemaObjectType): Uint8Array[] {
    return this.schemas.get(schemaPathKey(path))?.functionItems(type) ?? [];
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
