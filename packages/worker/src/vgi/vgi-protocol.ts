/**
 * The VGI 2.0.0 protocol as this worker hosts it: catalog methods from the catalog
 * package, bind/init from the function kinds, every one adapted to the wire with the
 * method table's codecs. Methods not listed answer `method_not_implemented`, which the
 * extension treats as "feature absent".
 */
import {
  METHODS,
  VGI_PROTOCOL_NAME,
  VGI_PROTOCOL_VERSION,
  type CatalogAttachParams,
  type BindParams,
  type TableFunctionCardinalityParams,
  type TableFunctionStatisticsParams,
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

type MethodName = keyof typeof METHODS;

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

  unary<BindParams, unknown>("bind", async (params, ctx) => {
    const { fn, call } = resolveCall(registry, params.request);
    return fn.bind(call, ctx);
  });
  methods.set("init", initMethod(registry, storage));

  // Answered even when a function knows nothing: an error reply makes the extension
  // retire the worker process, so "no estimate" must be a result, not an error.
  unary<TableFunctionCardinalityParams, unknown>("table_function_cardinality", (params) => {
    const { fn, call } = resolveCall(registry, params.request.bindCall);
    return fn.cardinality?.(call) ?? { estimate: null, max: null };
  });
  unary<TableFunctionStatisticsParams, unknown>("table_function_statistics", (params) => {
    const { fn, call } = resolveCall(registry, params.request.bindCall);
    return fn.statistics?.(call) ?? null;
  });

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
