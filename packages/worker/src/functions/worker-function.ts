/**
 * The runtime side of a catalog function: every function kind (scalar, table, ...)
 * answers bind and opens the init stream. Both receive everything they need in the
 * request, so any worker process (or HTTP replica) can serve any call.
 */
import type { CatalogFunction } from "@vgi-ts/catalog";
import type {
  BindResultInput,
  InitRequest,
  TableFunctionCardinalityResultInput,
  TableFunctionPlanRequest,
  TableFunctionPlanResultInput,
} from "@vgi-ts/protocol";
import type { CallContext } from "../rpc/call-context.js";
import type { StreamCall } from "../rpc/method.js";
import type { SharedStorage } from "../storage/shared-storage.js";
import type { BindCall } from "./bind-call.js";

export interface WorkerFunction extends CatalogFunction {
  /**
   * How well this overload fits a call: higher is better, `null` when it cannot take
   * the call at all. Used to choose among same-named overloads.
   */
  matchScore(call: BindCall): number | null;
  bind(call: BindCall, ctx: CallContext): BindResultInput | Promise<BindResultInput>;
  /** `storage`: shared by every worker process of the query (see `SharedStorage`). */
  open(
    call: BindCall,
    init: InitRequest,
    ctx: CallContext,
    storage?: SharedStorage,
  ): StreamCall | Promise<StreamCall>;
  /** Table functions: row-count estimate for the planner. */
  cardinality?(call: BindCall): TableFunctionCardinalityResultInput;
  /** Table functions that declare splits: the scan's splits, sealed into tokens. */
  plan?(
    call: BindCall,
    request: TableFunctionPlanRequest,
    storage: SharedStorage,
  ): Promise<TableFunctionPlanResultInput>;
  /** Table functions: IPC-encoded column statistics, or null when unknown. */
  statistics?(call: BindCall): Uint8Array | null;
  /**
   * Table functions: diagnostics of one execution for `EXPLAIN ANALYZE` (key → text),
   * read from the execution's shared storage after its streams ran.
   */
  dynamicToString?(
    call: BindCall,
    executionId: Uint8Array,
    storage: SharedStorage,
  ): Promise<Readonly<Record<string, string>>>;
}

export function isWorkerFunction(fn: CatalogFunction): fn is WorkerFunction {
  const candidate = fn as Partial<WorkerFunction>;
  return typeof candidate.bind === "function" && typeof candidate.open === "function";
}
