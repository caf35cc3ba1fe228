/**
 * Every VGI 2.0.0 method: its wire params schema, its wire response schema, and what
 * the response carries. vgi-rpc rules (WIRE_PROTOCOL §5-§6, §9):
 * - params are one row, one column per parameter; struct arguments travel as IPC
 *   bytes in a `request` column (see request-params.ts);
 * - a method returning a message answers `result: binary` holding that message's IPC
 *   stream; one returning bytes answers `result: binary` (nullable if optional);
 * - a void method answers on the empty schema with a 0-row batch;
 * - `init`, the only stream, sends a `GlobalInitResponse` header before its data.
 */
import {
  binary,
  defineMessage,
  nested,
  type Infer,
  type InferInput,
  type MessageCodec,
} from "../codec/index.js";
import * as Agg from "./aggregate.js";
import * as CatalogParams from "./catalog-params.js";
import * as CatalogResults from "./catalog-results.js";
import * as FunctionResults from "./function-results.js";
import { GlobalInitResponseCodec } from "./function-requests.js";
import * as Req from "./request-params.js";
import { ScanBranchesResultCodec, ScanFunctionResultCodec } from "./scan.js";
import * as TableParams from "./table-params.js";
import * as TB from "./table-buffering.js";

/** What a unary response carries. */
export type UnaryReturn<R = unknown, RIn = unknown> =
  | { readonly type: "message"; readonly message: MessageCodec<R, RIn> }
  | { readonly type: "bytes"; readonly nullable: boolean }
  | { readonly type: "void" };

export interface UnaryMethod<P = unknown, PIn = unknown, R = unknown, RIn = unknown> {
  readonly kind: "unary";
  readonly name: string;
  readonly params: MessageCodec<P, PIn>;
  /** The response schema exactly as on the wire (`result` column, or empty). */
  readonly result: MessageCodec<R, RIn>;
  readonly returns: UnaryReturn;
}

export interface StreamMethod<P = unknown, PIn = unknown, H = unknown, HIn = unknown> {
  readonly kind: "stream";
  readonly name: string;
  readonly params: MessageCodec<P, PIn>;
  /** The header stream's schema; the data streams' schemas depend on the function. */
  readonly header: MessageCodec<H, HIn>;
}

export type MethodSpec = UnaryMethod | StreamMethod;

type Build<S> = (name: string) => S;

/** `result: binary` carrying `message` as IPC. */
function returnsMessage<P, PIn, R, RIn>(
  params: MessageCodec<P, PIn>,
  message: MessageCodec<R, RIn>,
): Build<UnaryMethod<P, PIn, { result: R }, { result: RIn | Uint8Array }>> {
  return (name) => ({
    kind: "unary",
    name,
    params,
    // Cast: TS cannot resolve the optional-key mapping for a generic RIn.
    result: defineMessage(`method '${name}' response`, {
      result: nested(message),
    }) as unknown as MessageCodec<{ result: R }, { result: RIn | Uint8Array }>,
    returns: { type: "message", message: message as MessageCodec<unknown, unknown> },
  });
}

/** `result: binary` carrying bytes with no 2.0 message schema of their own. */
function returnsBytes<P, PIn>(
  params: MessageCodec<P, PIn>,
): Build<UnaryMethod<P, PIn, { result: Uint8Array }, { result: Uint8Array }>> {
  return (name) => ({
    kind: "unary",
    name,
    params,
    result: defineMessage(`method '${name}' response`, { result: binary }),
    returns: { type: "bytes", nullable: false },
  });
}

/** `result: binary` (nullable): bytes, or null for "nothing to report". */
function returnsOptionalBytes<P, PIn>(
  params: MessageCodec<P, PIn>,
): Build<UnaryMethod<P, PIn, { result: Uint8Array | null }, { result?: Uint8Array | null }>> {
  return (name) => ({
    kind: "unary",
    name,
    params,
    result: defineMessage(`method '${name}' response`, { result: binary.nullable() }),
    returns: { type: "bytes", nullable: true },
  });
}

/** Empty response schema. */
function returnsVoid<P, PIn>(
  params: MessageCodec<P, PIn>,
): Build<UnaryMethod<P, PIn, object, object>> {
  return (name) => ({
    kind: "unary",
    name,
    params,
    result: defineMessage(`method '${name}' response`, {}),
    returns: { type: "void" },
  });
}

function streamWithHeader<P, PIn, H, HIn>(
  params: MessageCodec<P, PIn>,
  header: MessageCodec<H, HIn>,
): Build<StreamMethod<P, PIn, H, HIn>> {
  return (name) => ({ kind: "stream", name, params, header });
}

/** Fill in each method's name from its key, so names are written once. */
function defineMethods<T extends Record<string, Build<MethodSpec>>>(
  table: T,
): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const out: Record<string, MethodSpec> = {};
  for (const [name, build] of Object.entries(table)) out[name] = build(name);
  return out as { readonly [K in keyof T]: ReturnType<T[K]> };
}

const C = CatalogParams;
const T = TableParams;
const CR = CatalogResults;

export const METHODS = defineMethods({
  // ---- scalar / table function invocation ----
  bind: returnsMessage(Req.BindParamsCodec, FunctionResults.BindResultCodec),
  init: streamWithHeader(Req.InitParamsCodec, GlobalInitResponseCodec),
  table_function_cardinality: returnsMessage(
    Req.TableFunctionCardinalityParamsCodec,
    FunctionResults.TableFunctionCardinalityResultCodec,
  ),
  table_function_statistics: returnsOptionalBytes(Req.TableFunctionStatisticsParamsCodec),
  table_function_dynamic_to_string: returnsMessage(
    Req.TableFunctionDynamicToStringParamsCodec,
    FunctionResults.TableFunctionDynamicToStringResultCodec,
  ),
  table_function_plan: returnsMessage(
    Req.TableFunctionPlanParamsCodec,
    FunctionResults.TableFunctionPlanResultCodec,
  ),

  // ---- aggregates ----
  aggregate_bind: returnsMessage(Req.AggregateBindParamsCodec, Agg.AggregateBindResultCodec),
  aggregate_update: returnsMessage(Req.AggregateUpdateParamsCodec, Agg.AggregateUpdateResultCodec),
  aggregate_combine: returnsMessage(
    Req.AggregateCombineParamsCodec,
    Agg.AggregateCombineResultCodec,
  ),
  aggregate_finalize: returnsMessage(
    Req.AggregateFinalizeParamsCodec,
    Agg.AggregateFinalizeResultCodec,
  ),
  aggregate_destructor: returnsMessage(
    Req.AggregateDestructorParamsCodec,
    Agg.AggregateDestructorResultCodec,
  ),
  aggregate_window_init: returnsMessage(
    Req.AggregateWindowInitParamsCodec,
    Agg.AggregateWindowInitResultCodec,
  ),
  aggregate_window: returnsMessage(Req.AggregateWindowParamsCodec, Agg.AggregateWindowResultCodec),
  aggregate_window_batch: returnsMessage(
    Req.AggregateWindowBatchParamsCodec,
    Agg.AggregateWindowBatchResultCodec,
  ),
  aggregate_window_destructor: returnsMessage(
    Req.AggregateWindowDestructorParamsCodec,
    Agg.AggregateWindowDestructorResultCodec,
  ),
  aggregate_streaming_open: returnsMessage(
    Req.AggregateStreamingOpenParamsCodec,
    Agg.AggregateStreamingOpenResultCodec,
  ),
  aggregate_streaming_chunk: returnsMessage(
    Req.AggregateStreamingChunkParamsCodec,
    Agg.AggregateStreamingChunkResultCodec,
  ),
  aggregate_streaming_close: returnsMessage(
    Req.AggregateStreamingCloseParamsCodec,
    Agg.AggregateStreamingCloseResultCodec,
  ),

  // ---- table buffering ----
  table_buffering_process: returnsMessage(
    Req.TableBufferingProcessParamsCodec,
    TB.TableBufferingProcessResultCodec,
  ),
  table_buffering_combine: returnsMessage(
    Req.TableBufferingCombineParamsCodec,
    TB.TableBufferingCombineResultCodec,
  ),
  table_buffering_destructor: returnsMessage(
    Req.TableBufferingDestructorParamsCodec,
    TB.TableBufferingDestructorResultCodec,
  ),

  // ---- catalogs and transactions ----
  catalog_catalogs: returnsMessage(C.CatalogCatalogsParamsCodec, CR.CatalogCatalogsResultCodec),
  catalog_attach: returnsMessage(Req.CatalogAttachParamsCodec, CR.CatalogAttachResultCodec),
  catalog_detach: returnsVoid(C.CatalogDetachParamsCodec),
  catalog_create: returnsVoid(Req.CatalogCreateParamsCodec),
  catalog_drop: returnsVoid(C.CatalogDropParamsCodec),
  catalog_version: returnsMessage(C.CatalogVersionParamsCodec, CR.CatalogVersionResultCodec),
  catalog_transaction_begin: returnsMessage(
    C.CatalogTransactionBeginParamsCodec,
    CR.CatalogTransactionBeginResultCodec,
  ),
  catalog_transaction_commit: returnsVoid(C.CatalogTransactionCommitParamsCodec),
  catalog_transaction_rollback: returnsVoid(C.CatalogTransactionRollbackParamsCodec),
  catalog_copy_from_formats: returnsMessage(
    C.CatalogCopyFromFormatsParamsCodec,
    CR.CatalogCopyFromFormatsResultCodec,
  ),

  // ---- schemas ----
  catalog_schemas: returnsMessage(C.CatalogSchemasParamsCodec, CR.CatalogSchemasResultCodec),
  catalog_schema_get: returnsMessage(C.CatalogSchemaGetParamsCodec, CR.CatalogSchemaGetResultCodec),
  catalog_schema_create: returnsVoid(C.CatalogSchemaCreateParamsCodec),
  catalog_schema_drop: returnsVoid(C.CatalogSchemaDropParamsCodec),
  catalog_schema_contents_tables: returnsMessage(
    C.CatalogSchemaContentsTablesParamsCodec,
    CR.CatalogSchemaContentsTablesResultCodec,
  ),
  catalog_schema_contents_views: returnsMessage(
    C.CatalogSchemaContentsViewsParamsCodec,
    CR.CatalogSchemaContentsViewsResultCodec,
  ),
  catalog_schema_contents_functions: returnsMessage(
    C.CatalogSchemaContentsFunctionsParamsCodec,
    CR.CatalogSchemaContentsFunctionsResultCodec,
  ),
  catalog_schema_contents_macros: returnsMessage(
    C.CatalogSchemaContentsMacrosParamsCodec,
    CR.CatalogSchemaContentsMacrosResultCodec,
  ),
  catalog_schema_contents_indexes: returnsMessage(
    C.CatalogSchemaContentsIndexesParamsCodec,
    CR.CatalogSchemaContentsIndexesResultCodec,
  ),

  // ---- tables ----
  catalog_table_get: returnsMessage(T.CatalogTableGetParamsCodec, CR.CatalogTableGetResultCodec),
  catalog_table_create: returnsVoid(Req.CatalogTableCreateParamsCodec),
  catalog_table_drop: returnsVoid(T.CatalogTableDropParamsCodec),
  catalog_table_scan_function_get: returnsMessage(
    T.CatalogTableScanFunctionGetParamsCodec,
    ScanFunctionResultCodec,
  ),
  catalog_table_scan_branches_get: returnsMessage(
    T.CatalogTableScanBranchesGetParamsCodec,
    ScanBranchesResultCodec,
  ),
  catalog_table_column_statistics_get: returnsOptionalBytes(
    T.CatalogTableColumnStatisticsGetParamsCodec,
  ),
  // Write-function lookups return a WriteFunctionResult, which 2.0 leaves undeclared.
  catalog_table_insert_function_get: returnsBytes(T.CatalogTableInsertFunctionGetParamsCodec),
  catalog_table_update_function_get: returnsBytes(T.CatalogTableUpdateFunctionGetParamsCodec),
  catalog_table_delete_function_get: returnsBytes(T.CatalogTableDeleteFunctionGetParamsCodec),
  catalog_table_comment_set: returnsVoid(T.CatalogTableCommentSetParamsCodec),
  catalog_table_rename: returnsVoid(T.CatalogTableRenameParamsCodec),
  catalog_table_column_add: returnsVoid(T.CatalogTableColumnAddParamsCodec),
  catalog_table_column_drop: returnsVoid(T.CatalogTableColumnDropParamsCodec),
  catalog_table_column_rename: returnsVoid(T.CatalogTableColumnRenameParamsCodec),
  catalog_table_column_comment_set: returnsVoid(T.CatalogTableColumnCommentSetParamsCodec),
  catalog_table_column_default_set: returnsVoid(T.CatalogTableColumnDefaultSetParamsCodec),
  catalog_table_column_default_drop: returnsVoid(T.CatalogTableColumnDefaultDropParamsCodec),
  catalog_table_column_type_change: returnsVoid(T.CatalogTableColumnTypeChangeParamsCodec),
  catalog_table_not_null_set: returnsVoid(T.CatalogTableNotNullSetParamsCodec),
  catalog_table_not_null_drop: returnsVoid(T.CatalogTableNotNullDropParamsCodec),

  // ---- views, macros, indexes ----
  catalog_view_get: returnsMessage(C.CatalogViewGetParamsCodec, CR.CatalogViewGetResultCodec),
  catalog_view_create: returnsVoid(C.CatalogViewCreateParamsCodec),
  catalog_view_drop: returnsVoid(C.CatalogViewDropParamsCodec),
  catalog_view_rename: returnsVoid(C.CatalogViewRenameParamsCodec),
  catalog_view_comment_set: returnsVoid(C.CatalogViewCommentSetParamsCodec),
  catalog_macro_get: returnsMessage(C.CatalogMacroGetParamsCodec, CR.CatalogMacroGetResultCodec),
  catalog_macro_create: returnsVoid(Req.CatalogMacroCreateParamsCodec),
  catalog_macro_drop: returnsVoid(C.CatalogMacroDropParamsCodec),
  catalog_index_get: returnsMessage(C.CatalogIndexGetParamsCodec, CR.CatalogIndexGetResultCodec),
  catalog_index_create: returnsVoid(Req.CatalogIndexCreateParamsCodec),
  catalog_index_drop: returnsVoid(C.CatalogIndexDropParamsCodec),
});

export type Methods = typeof METHODS;
export type MethodName = keyof Methods;

/** Decoded params of method `M`. */
export type MethodParams<M extends MethodName> = Infer<Methods[M]["params"]>;
/** Params of method `M` as `encode` accepts them. */
export type MethodParamsInput<M extends MethodName> = InferInput<Methods[M]["params"]>;

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

/** Look a method up by its wire name; undefined for names VGI 2.0.0 does not define. */
export function getMethod(name: string): MethodSpec | undefined {
  return Object.hasOwn(METHODS, name) ? (METHODS as Record<string, MethodSpec>)[name] : undefined;
}
