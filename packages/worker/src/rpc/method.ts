/**
 * The shapes a hosted method takes, independent of transport. A unary method turns a
 * parameter row into a result batch; a stream method opens a call that then answers
 * input batches one at a time (WIRE_PROTOCOL.md §6, §9).
 */
import type { RecordBatch, Schema } from "apache-arrow";
import type { CallContext } from "./call-context.js";

export interface UnaryMethod {
  readonly kind: "unary";
  /** Result schema; `result`-wrapped for VGI methods, empty for void methods. */
  readonly resultSchema: Schema;
  readonly paramsSchema: Schema;
  invoke(params: RecordBatch, ctx: CallContext): Promise<RecordBatch> | RecordBatch;
}

export interface StreamMethod {
  readonly kind: "stream";
  readonly paramsSchema: Schema;
  readonly headerSchema: Schema | null;
  open(params: RecordBatch, ctx: CallContext): Promise<StreamCall>;
}

/** One open stream call: the state a transport keeps between turns. */
export interface StreamCall {
  /** One-row header batch, written before the exchange (Phase 1.5), or null. */
  readonly header: RecordBatch | null;
  readonly outputSchema: Schema;
  /**
   * Answer one input batch (a zero-row tick for producers). Returns the output batch,
   * or `null` when the call has finished and the output stream should end.
   */
  turn(input: RecordBatch, ctx: CallContext): Promise<RecordBatch | null>;
  /**
   * The batch the last `turn` returned has been written (or copied) by the transport,
   * so memory it lent to that batch may be reused. Transports that cannot say so never
   * call it.
   */
  written?(): void;
  /** Client cancelled (`vgi_rpc.cancel`); best effort, errors are swallowed. */
  cancel?(ctx: CallContext): Promise<void> | void;
  /** Input ended or the call failed; release resources. */
  close?(ctx: CallContext): Promise<void> | void;
}

export type RpcMethod = UnaryMethod | StreamMethod;

/** A protocol a worker hosts, addressed by its routing name (e.g. `vgi.v2`). */
export interface HostedProtocol {
  readonly name: string;
  /** Canonical semver; clients must match major and minor. */
  readonly version: string;
  readonly methods: ReadonlyMap<string, RpcMethod>;
}
