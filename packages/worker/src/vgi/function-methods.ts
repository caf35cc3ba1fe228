/**
 * `bind` and `init`: find the function a request names (catalog from the attach token,
 * schema path, name, best overload) and hand the call to its kind. Nothing survives
 * between the two calls but what the request carries.
 */
import { randomBytes } from "node:crypto";
import {
  ErrorKind,
  GlobalInitResponseCodec,
  InitParamsCodec,
  VgiError,
  type BindRequest,
  type InvocationFunctionType,
} from "@vgi-ts/protocol";
import type { CatalogRegistry } from "@vgi-ts/catalog";
import type { RecordBatch } from "apache-arrow";
import { decodeBindCall, type BindCall } from "../functions/bind-call.js";
import { pickOverload } from "../functions/overload-score.js";
import { isWorkerFunction, type WorkerFunction } from "../functions/worker-function.js";
import type { CallContext } from "../rpc/call-context.js";
import type { StreamCall, StreamMethod } from "../rpc/method.js";
import type { SharedStorage } from "../storage/shared-storage.js";
import { attachScope } from "../storage/attach-scope.js";

/** Which catalog function types can serve each invocation type. */
const SERVES: Record<InvocationFunctionType, ReadonlySet<string>> = {
  SCALAR: new Set(["SCALAR"]),
  // The extension binds and inits table-buffering functions as TABLE calls.
  TABLE: new Set(["TABLE", "TABLE_BUFFERING"]),
  TABLE_BUFFERING: new Set(["TABLE_BUFFERING"]),
  AGGREGATE: new Set(["AGGREGATE"]),
};

export interface ResolvedCall {
  readonly fn: WorkerFunction;
  readonly call: BindCall;
}

/**
 * `storage`: the worker's shared storage; with it, calls of an `attachScoped` catalog get
 * their attachment's private storage (`call.attach`).
 */
export function resolveCall(
  registry: CatalogRegistry,
  request: BindRequest,
  storage?: SharedStorage,
): ResolvedCall {
  const { catalog, state } = registry.resolve(request.attachOpaqueData);
  const kinds = SERVES[request.functionType];
  const candidates = catalog
    .requireFunctions(request.schemaPath, request.functionName)
    .filter((fn) => kinds.has(fn.functionType))
    .filter(isWorkerFunction);
  const attach =
    state.id === undefined || storage === undefined ? null : attachScope(storage, state.id);
  const call = decodeBindCall(
    request,
    catalog.attachOptionValues(state),
    state.id === undefined ? null : Buffer.from(state.id, "hex"),
    attach,
    storage ?? null,
  );
  const fn = pickOverload(candidates, (candidate) => candidate.matchScore(call));
  if (fn === null) {
    const types = call.inputFields.map((field) => String(field.type)).join(", ");
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `No ${request.functionType.toLowerCase()} overload of ${request.functionName} accepts ` +
        `${call.positional.length} constant(s) and columns (${types})`,
    );
  }
  return { fn, call };
}

export function initMethod(registry: CatalogRegistry, storage?: SharedStorage): StreamMethod {
  return {
    kind: "stream",
    paramsSchema: InitParamsCodec.schema,
    headerSchema: GlobalInitResponseCodec.schema,
    async open(params: RecordBatch, ctx: CallContext): Promise<StreamCall> {
      const { request } = InitParamsCodec.decodeRow(params, 0);
      const { fn, call } = resolveCall(registry, request.bindCall, storage);
      const stream = await fn.open(call, request, ctx, storage);
      const header =
        stream.header ??
        GlobalInitResponseCodec.encode({
          executionId: request.executionId ?? randomBytes(16),
          opaqueData: null,
          maxWorkers: 1n,
        });
      return {
        header,
        outputSchema: stream.outputSchema,
        turn: (input, turnCtx) => stream.turn(input, turnCtx),
        written: () => stream.written?.(),
        cancel: (cancelCtx) => stream.cancel?.(cancelCtx),
        close: (closeCtx) => stream.close?.(closeCtx),
      };
    },
  };
}
