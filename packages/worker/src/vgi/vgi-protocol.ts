/**
 * The VGI 2.0.0 protocol as this worker hosts it: catalog methods from the catalog
 * package, bind/init from the function kinds, every one adapted to the wire with the
 * method table's codecs. Methods not listed answer `method_not_implemented`, which the
 * extension treats as "feature absent".
 */
import {
  ErrorKind,
  VgiError,
  METHODS,
  VGI_PROTOCOL_NAME,
  VGI_PROTOCOL_VERSION,
  type CatalogAttachParams,
  type CatalogTableUpdateFunctionGetParams,
  type CatalogTransactionCommitParams,
  type CatalogTransactionRollbackParams,
  type BindParams,
  type TableFunctionCardinalityParams,
  type TableFunctionStatisticsParams,
  type TableFunctionPlanParams,
  type TableFunctionDynamicToStringParams,
  type AggregateBindParams,
  type AggregateCombineParams,
  type AggregateDestructorParams,
  type AggregateFinalizeParams,
  type AggregateUpdateParams,
  type TableBufferingCombineParams,
  type TableBufferingDestructorParams,
  type TableBufferingProcessParams,
  type AggregateWindowInitParams,
  type AggregateWindowParams,
  type AggregateWindowBatchParams,
  type AggregateWindowDestructorParams,
  type AggregateStreamingOpenParams,
  type AggregateStreamingChunkParams,
  type AggregateStreamingCloseParams,
} from "@vgi-ts/protocol";
import { createCatalogMethods, type CatalogRegistry } from "@vgi-ts/catalog";
import type { HostedProtocol, RpcMethod } from "../rpc/method.js";
import { adaptUnary, type UnaryHandler } from "./unary-adapter.js";
import { initMethod, resolveCall } from "./function-methods.js";
import { AggregateMethods } from "./aggregate-methods.js";
import { TableBufferingMethods } from "./table-buffering-methods.js";
import { AggregateWindowMethods } from "./aggregate-window-methods.js";
import type { SharedStorage } from "../storage/shared-storage.js";
import { MemoryStorage } from "../storage/memory-storage.js";
import { TableStore } from "../storage/table-store.js";

type MethodName = keyof typeof METHODS;

/**
 * DDL a declared catalog refuses, with what the refusal names. Answered (as an error
 * saying "catalog is read-only") rather than left unimplemented, so DuckDB reports why.
 */
const READ_ONLY_DDL: readonly (readonly [MethodName, string])[] = [
  ["catalog_create", "create a catalog"],
  ["catalog_drop", "drop a catalog"],
  ["catalog_schema_create", "create a schema"],
  ["catalog_schema_drop", "drop a schema"],
  ["catalog_table_create", "create a table"],
  ["catalog_table_drop", "drop a table"],
  ["catalog_table_comment_set", "set a table comment"],
  ["catalog_table_rename", "rename a table"],
  ["catalog_table_column_add", "add a column"],
  ["catalog_table_column_drop", "drop a column"],
  ["catalog_table_column_rename", "rename a column"],
  ["catalog_table_column_comment_set", "set a column comment"],
  ["catalog_table_column_default_set", "set a column default"],
  ["catalog_table_column_default_drop", "drop a column default"],
  ["catalog_table_column_type_change", "change a column type"],
  ["catalog_table_not_null_set", "set NOT NULL"],
  ["catalog_table_not_null_drop", "drop NOT NULL"],
  ["catalog_view_create", "create a view"],
  ["catalog_view_drop", "drop a view"],
  ["catalog_view_rename", "rename a view"],
  ["catalog_view_comment_set", "set a view comment"],
  ["catalog_macro_create", "create a macro"],
  ["catalog_macro_drop", "drop a macro"],
  ["catalog_index_create", "create an index"],
  ["catalog_index_drop", "drop an index"],
];

export function createVgiProtocol(
  registry: CatalogRegistry,
  storage: SharedStorage = new MemoryStorage(),
): HostedProtocol {
  const catalog = createCatalogMethods(registry);
  const methods = new Map<string, RpcMethod>();
  const unary = <P, R>(name: MethodName, handler: UnaryHandler<P, R>): void => {
    const spec = METHODS[name];
    if (spec.kind !== "unary") throw new Error(`${name} is not a unary method`);
    methods.set(name, adaptUnary(spec, handler));
  };

  unary("catalog_catalogs", () => catalog.catalogCatalogs());
  unary<CatalogAttachParams, unknown>("catalog_attach", (params) =>
    catalog.catalogAttach(params.request),
  );
  unary("catalog_version", catalog.catalogVersion);
  unary("catalog_schemas", catalog.catalogSchemas);
  unary("catalog_schema_get", catalog.catalogSchemaGet);
  unary("catalog_schema_contents_functions", catalog.catalogSchemaContentsFunctions);
  unary("catalog_schema_contents_tables", catalog.catalogSchemaContentsTables);
  unary("catalog_schema_contents_views", catalog.catalogSchemaContentsViews);
  unary("catalog_schema_contents_macros", catalog.catalogSchemaContentsMacros);
  unary("catalog_schema_contents_indexes", catalog.catalogSchemaContentsIndexes);
  unary("catalog_table_get", catalog.catalogTableGet);
  unary("catalog_table_scan_function_get", catalog.catalogTableScanFunctionGet);
  unary("catalog_table_scan_branches_get", catalog.catalogTableScanBranchesGet);
  unary("catalog_table_column_statistics_get", catalog.catalogTableColumnStatisticsGet);
  unary("catalog_view_get", catalog.catalogViewGet);
  unary("catalog_macro_get", catalog.catalogMacroGet);
  unary("catalog_index_get", catalog.catalogIndexGet);
  unary("catalog_copy_from_formats", catalog.catalogCopyFromFormats);
  for (const [name, operation] of READ_ONLY_DDL) unary(name, catalog.catalogReadOnly(operation));

  // Writes: the table's write functions, and transactions around them. Staged rows of a
  // transaction live in shared storage, so the commit may land in any worker process.
  for (const operation of ["insert", "update", "delete"] as const) {
    unary<CatalogTableUpdateFunctionGetParams, unknown>(
      `catalog_table_${operation}_function_get`,
      (params) => catalog.catalogTableWriteFunctionGet(operation, params),
    );
  }
  const tableStore = new TableStore(storage);
  unary("catalog_transaction_begin", catalog.catalogTransactionBegin);
  // Commit applies staged table rows (attachments with an id own writable tables); both
  // ends drop everything stored under the transaction id (`call.transaction` storage too).
  unary<CatalogTransactionCommitParams, unknown>("catalog_transaction_commit", async (params) => {
    const { state } = registry.resolve(params.attachOpaqueData);
    if (state.id !== undefined) {
      await tableStore.commit(Buffer.from(state.id, "hex"), params.transactionOpaqueData);
    } else {
      await tableStore.rollback(params.transactionOpaqueData);
    }
    return null;
  });
  unary<CatalogTransactionRollbackParams, unknown>(
    "catalog_transaction_rollback",
    async (params) => {
      registry.resolve(params.attachOpaqueData);
      await tableStore.rollback(params.transactionOpaqueData);
      return null;
    },
  );

  unary<BindParams, unknown>("bind", async (params, ctx) => {
    const { fn, call } = resolveCall(registry, params.request, storage);
    return fn.bind(call, ctx);
  });
  methods.set("init", initMethod(registry, storage));

  // Answered even when a function knows nothing: an error reply makes the extension
  // retire the worker process, so "no estimate" must be a result, not an error.
  unary<TableFunctionCardinalityParams, unknown>("table_function_cardinality", (params) => {
    const { fn, call } = resolveCall(registry, params.request.bindCall, storage);
    return fn.cardinality?.(call) ?? { estimate: null, max: null };
  });
  unary<TableFunctionStatisticsParams, unknown>("table_function_statistics", (params) => {
    const { fn, call } = resolveCall(registry, params.request.bindCall, storage);
    return fn.statistics?.(call) ?? null;
  });
  // Scan splits: only functions declaring `supports_splits` are asked to plan.
  unary<TableFunctionPlanParams, unknown>("table_function_plan", async (params) => {
    const { fn, call } = resolveCall(registry, params.request.bindCall, storage);
    if (fn.plan === undefined) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `${fn.name} does not plan scan splits (it does not declare supports_splits)`,
      );
    }
    return fn.plan(call, params.request, storage);
  });
  // EXPLAIN ANALYZE's extra info; a function without diagnostics answers none.
  unary<TableFunctionDynamicToStringParams, unknown>(
    "table_function_dynamic_to_string",
    async (params) => {
      const { fn, call } = resolveCall(registry, params.request.bindCall);
      const shown =
        (await fn.dynamicToString?.(call, params.request.globalExecutionId, storage)) ?? {};
      return { keys: Object.keys(shown), values: Object.values(shown) };
    },
  );

  const aggregates = new AggregateMethods(registry, storage);
  unary<AggregateBindParams, unknown>("aggregate_bind", (p) => aggregates.bind(p.request));
  unary<AggregateUpdateParams, unknown>("aggregate_update", (p) => aggregates.update(p.request));
  unary<AggregateCombineParams, unknown>("aggregate_combine", (p) => aggregates.combine(p.request));
  unary<AggregateFinalizeParams, unknown>("aggregate_finalize", (p) =>
    aggregates.finalize(p.request),
  );
  unary<AggregateDestructorParams, unknown>("aggregate_destructor", (p) =>
    aggregates.destructor(p.request),
  );
  const windows = new AggregateWindowMethods(aggregates, storage);
  unary<AggregateWindowInitParams, unknown>("aggregate_window_init", (p) =>
    windows.windowInit(p.request),
  );
  unary<AggregateWindowParams, unknown>("aggregate_window", (p) => windows.window(p.request));
  unary<AggregateWindowBatchParams, unknown>("aggregate_window_batch", (p) =>
    windows.windowBatch(p.request),
  );
  unary<AggregateWindowDestructorParams, unknown>("aggregate_window_destructor", (p) =>
    windows.windowDestructor(p.request),
  );
  unary<AggregateStreamingOpenParams, unknown>("aggregate_streaming_open", (p) =>
    windows.streamingOpen(p.request),
  );
  unary<AggregateStreamingChunkParams, unknown>("aggregate_streaming_chunk", (p) =>
    windows.streamingChunk(p.request),
  );
  unary<AggregateStreamingCloseParams, unknown>("aggregate_streaming_close", (p) =>
    windows.streamingClose(p.request),
  );

  const buffering = new TableBufferingMethods(registry, storage);
  unary<TableBufferingProcessParams, unknown>("table_buffering_process", (p, ctx) =>
    buffering.process(p.request, ctx),
  );
  unary<TableBufferingCombineParams, unknown>("table_buffering_combine", (p, ctx) =>
    buffering.combine(p.request, ctx),
  );
  unary<TableBufferingDestructorParams, unknown>("table_buffering_destructor", (p, ctx) =>
    buffering.destructor(p.request, ctx),
  );

  // A stream can hold this process in blocking reads for its whole life, while a finalize
  // elsewhere waits for the aggregate states it holds: write them before any stream opens.
  for (const [name, method] of methods) {
    if (method.kind !== "stream") continue;
    methods.set(name, {
      ...method,
      open: async (params, ctx) => {
        await aggregates.writeAll();
        return method.open(params, ctx);
      },
    });
  }

  return { name: VGI_PROTOCOL_NAME, version: VGI_PROTOCOL_VERSION, methods };
}
