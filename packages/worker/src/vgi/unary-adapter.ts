/**
 * Adapts a typed handler to a wire-level unary method using the method's codecs from
 * the protocol table: decode the parameter row, run the handler, encode the response
 * (`result: binary` carrying the result message, raw bytes, or nothing for void).
 */
import type { RecordBatch } from "apache-arrow";
import type { MethodSpec } from "@vgi-ts/protocol";
import type { CallContext } from "../rpc/call-context.js";
import type { UnaryMethod } from "../rpc/method.js";

type UnarySpec = Extract<MethodSpec, { kind: "unary" }>;

export type UnaryHandler<P, R> = (params: P, ctx: CallContext) => R | Promise<R>;

export function adaptUnary<P, R>(spec: UnarySpec, handler: UnaryHandler<P, R>): UnaryMethod {
  const resultCodec = spec.result;
  return {
    kind: "unary",
    paramsSchema: spec.params.schema,
    resultSchema: resultCodec.schema,
    async invoke(batch: RecordBatch, ctx: CallContext): Promise<RecordBatch> {
      const params = spec.params.decodeRow(batch, 0) as P;
      const value = await handler(params, ctx);
      switch (spec.returns.type) {
        case "void":
          return resultCodec.encode([]);
        case "bytes":
        case "message":
          return resultCodec.encode({ result: value });
      }
    },
  };
}
