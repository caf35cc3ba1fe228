/**
 * How a catalog table is read: the table function DuckDB binds for a scan, with the
 * constant arguments the catalog supplies. The extension decodes the argument batch by
 * field name: `arg_<N>` is positional slot N, any other name is a named argument.
 */
import { Schema, type Data, type Field } from "apache-arrow";
import {
  encodeBatch,
  makeRecordBatch,
  sql,
  type AnySqlType,
  type ScanBranchInput,
  type ScanFunctionResultInput,
} from "@vgi-ts/protocol";
import type { SchemaPath } from "./schema-path.js";

/** A constant argument: a typed value, or a plain value whose SQL type is inferred. */
export type ScanArgument =
  bigint | number | string | boolean | { readonly type: AnySqlType; readonly value: unknown };

export interface ScanCall {
  /** Name of the table function that produces the rows. */
  readonly functionName: string;
  readonly positional?: readonly ScanArgument[];
  readonly named?: Readonly<Record<string, ScanArgument>>;
  /**
   * The schema the function lives in. Left out, the catalog finds it (the table's own
   * schema first, then the default schema); `null` names a DuckDB function such as
   * `read_parquet`.
   */
  readonly schemaPath?: SchemaPath | null;
  readonly requiredExtensions?: readonly string[];
}

/** One arm of a multi-branch table (its rows are the union of all arms). */
export interface ScanBranchCall extends ScanCall {
  /** SQL predicate true for every row of this arm, used to prune arms. */
  readonly branchFilter?: string;
  readonly writable?: boolean;
}

/**
 * One arm that reads a table of another catalog attached in the same DuckDB, usually a
 * companion the catalog asked DuckDB to attach (`CatalogDefinition.companions`): DuckDB
 * binds it as that catalog's own table scan (a DuckLake table keeps its file pruning and
 * snapshots), not through a function of this catalog.
 */
export interface CatalogTableBranch {
  readonly source: CatalogTableRef;
  /** SQL predicate true for every row of this arm, used to prune arms. */
  readonly branchFilter?: string;
  readonly writable?: boolean;
  readonly requiredExtensions?: readonly string[];
}

/** `catalog.schema.table` of a table DuckDB resolves itself. */
export interface CatalogTableRef {
  /** The catalog's name in DuckDB (a companion's alias). */
  readonly catalog: string;
  /** Defaults to `"main"`. */
  readonly schema?: string | SchemaPath;
  readonly table: string;
}

/** An arm of a multi-branch table: a function call, or another catalog's table. */
export type TableBranch = ScanBranchCall | CatalogTableBranch;

export function isCatalogTableBranch(branch: TableBranch): branch is CatalogTableBranch {
  return (branch as Partial<CatalogTableBranch>).source !== undefined;
}

/** Typed arguments: JS number → DOUBLE unless integral (then BIGINT), string → VARCHAR. */
export function typedConstant(argument: ScanArgument): { type: AnySqlType; value: unknown } {
  switch (typeof argument) {
    case "bigint":
      return { type: sql.bigint, value: argument };
    case "number":
      return Number.isInteger(argument)
        ? { type: sql.bigint, value: BigInt(argument) }
        : { type: sql.double, value: argument };
    case "string":
      return { type: sql.varchar, value: argument };
    case "boolean":
      return { type: sql.boolean, value: argument };
    default:
      return argument;
  }
}

/** Named constants as a one-row batch (no constants: an empty batch), as IPC bytes. */
export function encodeConstantRow(entries: readonly (readonly [string, ScanArgument])[]): {
  bytes: Uint8Array;
  fields: readonly Field[];
} {
  const fields: Field[] = [];
  const columns: Data[] = [];
  for (const [name, argument] of entries) {
    const { type, value } = typedConstant(argument);
    fields.push(type.field(name, true));
    columns.push(type.build([value]));
  }
  const schema = new Schema(fields);
  const bytes = encodeBatch(makeRecordBatch(schema, fields.length === 0 ? 0 : 1, columns));
  return { bytes, fields };
}

/** The one-row argument batch of a scan call, as IPC bytes. */
export function encodeScanArguments(call: ScanCall): Uint8Array {
  const positional = (call.positional ?? []).map(
    (argument, index) => [`arg_${index}`, argument] as const,
  );
  return encodeConstantRow([...positional, ...Object.entries(call.named ?? {})]).bytes;
}

export function scanFunctionResult(
  call: ScanCall,
  schemaPath: SchemaPath | null,
): ScanFunctionResultInput {
  return {
    functionName: call.functionName,
    arguments: encodeScanArguments(call),
    requiredExtensions: [...(call.requiredExtensions ?? [])],
    schemaPath: schemaPath === null ? null : [...schemaPath],
  };
}

/**
 * A catalog-table arm on the wire: no function (empty name, no arguments) and the
 * `source_*` fields naming the table.
 */
export function catalogTableBranch(branch: CatalogTableBranch): ScanBranchInput {
  const { catalog, schema = "main", table } = branch.source;
  if (catalog === "" || table === "") {
    // An empty source_table makes the extension take the arm for a function call.
    throw new Error(`a catalog-table branch needs a catalog and a table (got ${catalog}.${table})`);
  }
  return {
    functionName: "",
    arguments: encodeConstantRow([]).bytes,
    branchFilter: branch.branchFilter ?? null,
    writable: branch.writable ?? false,
    sourceCatalog: catalog,
    sourceSchemaPath: typeof schema === "string" ? [schema] : [...schema],
    sourceTable: table,
    formatName: null,
    formatLocations: null,
    formatOptions: null,
    schemaPath: null,
  };
}

export function scanBranch(call: ScanBranchCall, schemaPath: SchemaPath | null): ScanBranchInput {
  return {
    functionName: call.functionName,
    arguments: encodeScanArguments(call),
    branchFilter: call.branchFilter ?? null,
    writable: call.writable ?? false,
    sourceCatalog: null,
    sourceSchemaPath: null,
    sourceTable: null,
    formatName: null,
    formatLocations: null,
    formatOptions: null,
    schemaPath: schemaPath === null ? null : [...schemaPath],
  };
}
