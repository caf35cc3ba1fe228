export * from "./rpc/method.js";
export * from "./rpc/call-context.js";
export * from "./rpc/router.js";
export * from "./rpc/pipe-connection.js";
export * from "./rpc/synthetic-methods.js";
export * from "./transports/stdio.js";
export * from "./functions/argument-spec.js";
export * from "./functions/bind-call.js";
export * from "./functions/function-metadata.js";
export * from "./functions/worker-function.js";
export * from "./functions/scalar-function.js";
export * from "./functions/scalar-exchange.js";
export type { TypedArrayType } from "./functions/output-arena.js";
export * from "./functions/result-column.js";
export * from "./vgi/vgi-protocol.js";
export * from "./vgi/serve.js";
export * from "./functions/table-function.js";
export * from "./functions/table-call.js";
export * from "./functions/table-function-definition.js";
export * from "./functions/table-splits.js";
export * from "./functions/split-token.js";
export * from "./storage/split-token-key.js";
export * from "./functions/table-chunk-metadata.js";
export {
  PARTITION_COLUMN_KEY,
  PARTITION_VALUES_KEY,
  markPartitionColumns,
  minMaxRows,
  type PartitionBounds,
  type PartitionKind,
} from "./functions/partition-values.js";
export * from "./storage/shared-storage.js";
export * from "./storage/memory-storage.js";
export * from "./functions/aggregate-function.js";
export * from "./functions/state-codec.js";
export * from "./functions/state-table.js";
export * from "./functions/generic-state.js";
export * from "./functions/columnar-state.js";
export * from "./functions/state-scatter.js";
export * from "./functions/group-slots.js";
export * from "./functions/window-aggregate.js";
export * from "./storage/lazy-storage.js";
export * from "./functions/table-in-out-function.js";
export * from "./functions/table-in-out-output.js";
export { TABLE_IN_OUT_STATE_NAMESPACE } from "./functions/table-in-out-streams.js";
export * from "./functions/table-buffering-function.js";
export * from "./storage/execution-storage.js";
export * from "./storage/work-queue.js";
export * from "./filters/index.js";
export * from "./functions/copy-options.js";
export * from "./functions/copy-to-format.js";
export * from "./functions/copy-from-format.js";
export * from "./storage/table-store.js";
export * from "./functions/write-options.js";
export * from "./functions/writable-tables.js";
export * from "./storage/attach-scope.js";
export * from "./storage/transaction-scope.js";
