/**
 * The unary half of table-buffering functions: `table_buffering_process` (sink one
 * chunk), `table_buffering_combine` (once, end of input) and `table_buffering_destructor`
 * (best-effort cleanup after the query). Each names only the execution; the call is
 * rebuilt from the init record in shared storage, so any pooled process serves any call.
 * A process keeps the decoded record for a handful of recent executions: the record never
 * changes, and decoding it per chunk would repeat the same work thousands of times.
 */
import {
  ErrorKind,
  VgiError,
  decodeSingleBatch,
  type InitRequest,
  type TableBufferingCombineRequest,
  type TableBufferingDestructorRequest,
  type TableBufferingProcessRequest,
} from "@vgi-ts/protocol";
import type { CatalogRegistry } from "@vgi-ts/catalog";
import { loadInit } from "../functions/buffering-init.js";
import type { BindCall } from "../functions/bind-call.js";
import { TableBufferingFunction } from "../functions/table-buffering-function.js";
import type { CallContext } from "../rpc/call-context.js";
import { executionKey, type SharedStorage } from "../storage/shared-storage.js";
import { resolveCall } from "./function-methods.js";

interface Execution {
  readonly fn: TableBufferingFunction;
  readonly call: BindCall;
  readonly init: InitRequest;
}

/** Recent executions a process remembers (oldest forgotten first). */
const REMEMBERED = 32;

export class TableBufferingMethods {
  private readonly executions = new Map<string, Execution>();

  constructor(
    private readonly registry: CatalogRegistry,
    private readonly storage: SharedStorage,
  ) {}

  async process(
    request: TableBufferingProcessRequest,
    ctx: CallContext,
  ): Promise<{ stateId: Uint8Array }> {
    const { fn, call, init } = await this.execution(request.executionId);
    const batch = decodeSingleBatch(request.inputBatch, "TableBufferingProcessRequest.input_batch");
    const sinkCall = {
      ...fn.bufferingCall(call, init, request.executionId, this.storage, ctx),
      batchIndex: request.batchIndex,
    };
    const stateId = await userCode(fn, "process", () => fn.definition.process(batch, sinkCall));
    if (!(stateId instanceof Uint8Array)) {
      throw new VgiError(
        ErrorKind.ContractViolation,
        `${fn.name}: process returned ${typeof stateId}, expected a Uint8Array state id`,
      );
    }
    return { stateId };
  }

  async combine(
    request: TableBufferingCombineRequest,
    ctx: CallContext,
  ): Promise<{ finalizeStateIds: Uint8Array[] }> {
    const { fn, call, init } = await this.execution(request.executionId);
    const bufferingCall = fn.bufferingCall(call, init, request.executionId, this.storage, ctx);
    const ids = await userCode(fn, "combine", () =>
      fn.definition.combine(request.stateIds, bufferingCall),
    );
    const finalizeStateIds = [...ids];
    finalizeStateIds.forEach((id, index) => {
      if (!(id instanceof Uint8Array)) {
        throw new VgiError(
          ErrorKind.ContractViolation,
          `${fn.name}: combine returned ${typeof id} at index ${index}, expected Uint8Array state ids`,
        );
      }
    });
    return { finalizeStateIds };
  }

  /**
   * Drop the execution's storage. Answered even when cleanup fails: the extension sends
   * it from a destructor, and an error reply would only retire a healthy worker.
   */
  async destructor(
    request: TableBufferingDestructorRequest,
    ctx: CallContext,
  ): Promise<Record<string, never>> {
    this.executions.delete(executionKey(request.executionId));
    try {
      await this.storage.clear(request.executionId);
    } catch (error) {
      ctx.log("WARN", `table_buffering_destructor: storage cleanup failed: ${String(error)}`);
    }
    return {};
  }

  private async execution(executionId: Uint8Array): Promise<Execution> {
    const key = executionKey(executionId);
    const known = this.executions.get(key);
    if (known !== undefined) return known;
    const init = await loadInit(this.storage, executionId);
    const { fn, call } = resolveCall(this.registry, init.bindCall, this.storage);
    if (!(fn instanceof TableBufferingFunction)) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `${init.bindCall.functionName} is not a table-buffering function`,
      );
    }
    const execution: Execution = { fn, call, init };
    this.executions.set(key, execution);
    if (this.executions.size > REMEMBERED) {
      this.executions.delete(this.executions.keys().next().value!);
    }
    return execution;
  }
}

/** Run a user callback; foreign errors become `function_error` naming the phase. */
async function userCode<T>(
  fn: TableBufferingFunction,
  phase: string,
  body: () => T | Promise<T>,
): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof VgiError) throw error;
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new VgiError(ErrorKind.FunctionError, `${fn.name} ${phase}: ${text}`, { cause: error });
  }
}
