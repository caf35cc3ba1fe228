/**
 * One schema of a served catalog: its objects by lower-cased name and its listings,
 * encoded once and cached (DuckDB lists a schema on every new transaction when the
 * catalog version moves, and a schema may hold thousands of functions).
 */
import {
  FunctionInfoCodec,
  IndexInfoCodec,
  MacroInfoCodec,
  TableInfoCodec,
  ViewInfoCodec,
  type SchemaInfoInput,
  type SchemaObjectType,
} from "@vgi-ts/protocol";
import type { CatalogFunction } from "./catalog-function.js";
import { indexInfo, type IndexDefinition } from "./catalog-index.js";
import { macroInfo, type MacroDefinition } from "./catalog-macro.js";
import type { TableContext } from "./catalog-table.js";
import { SchemaTables } from "./schema-tables.js";
import { viewInfo, type ViewDefinition } from "./catalog-view.js";
import { formatSchemaPath, type SchemaPath } from "./schema-path.js";
import type { SchemaDefinition } from "./catalog-definition.js";

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

export class CatalogSchema {
  readonly path: SchemaPath;
  private readonly encoded = new Map<SchemaObjectType, Uint8Array[]>();
  private readonly byName = new Map<string, CatalogFunction[]>();
  readonly tables: SchemaTables;
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
    this.tables = new SchemaTables(this.path, definition.tables);
    this.views = byLowerName("view", this.path, definition.views ?? []);
    this.macros = byLowerName("macro", this.path, definition.macros ?? []);
    this.indexes = byLowerName("index", this.path, definition.indexes ?? []);
  }

  /** Every table's description, encoded once: a catalog view's tables never change. */
  tableItems(context: TableContext): Uint8Array[] {
    if (this.encodedTables === null) {
      // Described a chunk at a time: 10,000 descriptions held at once made the
      // garbage collector the larger part of the listing.
      const tables = this.tables.all();
      this.encodedTables = TableInfoCodec.toIpcEach(tables.length, (i) =>
        tables[i]!.info(context, null),
      );
    }
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
      const listed =
        kinds === undefined ? [] : this.functions.filter((fn) => kinds.has(fn.functionType));
      // One pass for all items (columns built and the shared IPC prefix written once a
      // chunk), each function described only when its chunk is encoded.
      items = FunctionInfoCodec.toIpcEach(listed.length, (i) => listed[i]!.describe(this.path));
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
        ["table", BigInt(this.tables.count)],
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

export function toMap(record: Readonly<Record<string, string>> | undefined): Map<string, string> {
  return new Map(Object.entries(record ?? {}));
}
