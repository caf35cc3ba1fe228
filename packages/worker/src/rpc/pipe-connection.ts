/**
 * Serves one bidirectional byte stream (stdin/stdout, an AF_UNIX socket): requests one
 * after another, each either unary or a lockstep stream (WIRE_PROTOCOL.md §5-§9).
 * Transports only supply the reader and a write function.
 */
import { Schema, type RecordBatch } from "apache-arrow";
import {
  DESCRIBE_METHOD,
  IpcReader,
  MalformedRequestError,
  StreamEncoder,
  TRANSPORT_OPTIONS_METHOD,
  VgiError,
  decodeRequest,
  encodeStreamParts,
  errorBatch,
  isCancelBatch,
  logBatch,
  toVgiError,
  type RpcRequest,
} from "@vgi-ts/protocol";
import { CallContext } from "./call-context.js";
import type { StreamCall, StreamMethod } from "./method.js";
import type { Router } from "./router.js";
import { yieldToHost } from "./stream-priority.js";
import { describeBatch, transportOptionsBatch } from "./synthetic-methods.js";

/**
 * Write one logical message group (a whole response stream, or one output batch with
 * the log batches before it) as the concatenation of `parts`, without interleaving.
 * Transports should use vectored writes; the parts may alias live Arrow buffers, so
 * they must be written (or copied) before the returned promise settles.
 */
export type WriteBytes = (parts: readonly Uint8Array[]) => void | Promise<void>;

export interface ConnectionHooks {
  /** Called for every error sent to the client (for stderr diagnostics). */
  onError?(error: VgiError, method: string | undefined): void;
  /**
   * The nice value the process's main thread drops to when it first serves a stream
   * (see stream-priority.ts); 0 or absent leaves the priority alone.
   */
  readonly streamNice?: number;
}

const EMPTY_SCHEMA = new Schema([]);

/**
 * Streams open in this process, whatever connection serves them. When DuckDB abandons a
 * stream it writes `vgi_rpc.cancel` and then often closes the pipe and signals the
 * process at once; a worker busy inside a turn never reads that batch. The signal
 * handler calls `cancelOpenStreams` so the functions' cancel hooks still run.
 */
const openStreams = new Map<StreamCall, CallContext>();

/** Best effort: run the cancel hook of every open stream, errors swallowed. */
/** The peer closed its end while we were writing: nothing more can reach it. */
class PeerGoneError extends Error {
  constructor(cause: unknown) {
    super("the client closed the connection", { cause });
  }
}

function isPeerGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "EPIPE" || code === "ECONNRESET" || code === "ERR_STREAM_DESTROYED";
}

export async function cancelOpenStreams(): Promise<void> {
  const streams = [...openStreams];
  openStreams.clear();
  await Promise.all(streams.map(([call, ctx]) => swallow(() => call.cancel?.(ctx))));
}

export class PipeConnection {
  constructor(
    private readonly router: Router,
    private readonly reader: IpcReader,
    private readonly writeBytes: WriteBytes,
    private readonly serverId: string,
    private readonly hooks: ConnectionHooks = {},
  ) {}

  /** Serve requests until the peer closes its end. */
  async serve(): Promise<void> {
    try {
      await this.serveRequests();
    } catch (error) {
      if (!(error instanceof PeerGoneError)) throw error;
    }
  }

  /**
   * Write through the transport; a closed pipe becomes `PeerGoneError`, which ends the
   * connection quietly (and cancels the stream it interrupted) instead of the process.
   */
  private write(parts: readonly Uint8Array[]): void | Promise<void> {
    let written: void | Promise<void>;
    try {
      written = this.writeBytes(parts);
    } catch (error) {
      throw isPeerGone(error) ? new PeerGoneError(error) : error;
    }
    if (written === undefined) return;
    return written.catch((error: unknown) => {
      throw isPeerGone(error) ? new PeerGoneError(error) : error;
    });
  }

  private async serveRequests(): Promise<void> {
    for (;;) {
      let stream: Awaited<ReturnType<IpcReader["readStream"]>>;
      try {
        stream = await this.reader.readStream();
      } catch (error) {
        // A reset connection (a socket DuckDB retired) has no one left to tell.
        if (isPeerGone(error)) return;
        // The byte stream cannot be trusted past a framing error: report it, then stop
        // reading this connection (the peer sees the error, not a silent hang).
        await this.sendError(EMPTY_SCHEMA, toVgiError(error), undefined);
        return;
      }
      if (stream === null) return;
      await this.handle(stream.batches);
    }
  }

  private async handle(batches: RecordBatch[]): Promise<void> {
    let request: RpcRequest;
    try {
      if (batches.length !== 1) {
        throw new MalformedRequestError(
          `Request stream holds ${batches.length} batches, expected 1`,
        );
      }
      request = decodeRequest(batches[0]!);
    } catch (error) {
      await this.sendError(EMPTY_SCHEMA, toVgiError(error), undefined);
      return;
    }
    const ctx = new CallContext(
      request.method,
      request.requestId,
      this.serverId,
      request.traceparent,
    );
    if (request.method === DESCRIBE_METHOD || request.method === TRANSPORT_OPTIONS_METHOD) {
      const protocol = this.router.protocols[0]!;
      const batch =
        request.method === DESCRIBE_METHOD
          ? describeBatch(protocol, this.serverId)
          : transportOptionsBatch(this.serverId);
      await this.write(encodeStreamParts(batch.schema, [batch]));
      return;
    }
    let resolved: ReturnType<Router["resolve"]>;
    try {
      resolved = this.router.resolve(request);
    } catch (error) {
      await this.sendError(EMPTY_SCHEMA, toVgiError(error), request);
      return;
    }
    const { method } = resolved;
    if (method.kind === "unary") {
      try {
        const result = await method.invoke(request.params, ctx);
        await this.write(
          encodeStreamParts(method.resultSchema, [
            ...this.logBatches(method.resultSchema, ctx),
            result,
          ]),
        );
      } catch (error) {
        await this.sendError(method.resultSchema, toVgiError(error), request, ctx);
      }
      return;
    }
    await this.runStream(method, request, ctx);
  }

  private async runStream(
    method: StreamMethod,
    request: RpcRequest,
    ctx: CallContext,
  ): Promise<void> {
    let call: StreamCall;
    try {
      call = await method.open(request.params, ctx);
    } catch (error) {
      // Phase 1.5 failure: an error stream on the empty schema replaces the header.
      await this.sendError(EMPTY_SCHEMA, toVgiError(error), request, ctx);
      await this.drainInputStream();
      return;
    }
    if (method.headerSchema !== null) {
      const header = call.header ?? undefined;
      const batches = this.logBatches(method.headerSchema, ctx);
      if (header !== undefined) batches.push(header);
      await this.write(encodeStreamParts(method.headerSchema, batches));
    }
    openStreams.set(call, ctx);
    yieldToHost(this.hooks.streamNice ?? 0);
    try {
      await this.exchange(call, ctx, request);
    } finally {
      openStreams.delete(call);
    }
  }

  private async exchange(call: StreamCall, ctx: CallContext, request: RpcRequest): Promise<void> {
    const schema = call.outputSchema;
    const output = new StreamEncoder(schema);
    // The encoder emits the schema message with whatever it writes first. The loop
    // takes input batches synchronously when they are already buffered and writes each
    // answer (with the log batches before it) as one vectored write.
    try {
      const inputSchema = await this.reader.readSchema();
      if (inputSchema === null)
        throw new MalformedRequestError("Input ended before the stream's input schema");
      for (;;) {
        // In lockstep the next input is on its way: a transport that can block reads
        // it without an event-loop turn.
        let input: RecordBatch | null;
        try {
          const polled = this.reader.pollBatch(true);
          input = polled === undefined ? await this.reader.readBatch() : polled;
        } catch (error) {
          // The input broke off before its EOS: DuckDB closed the pipe on an abandoned
          // stream (an interrupted query). The stream will never be asked for more.
          await swallow(() => call.cancel?.(ctx));
          throw error;
        }
        if (input === null) {
          await this.finish(call, ctx);
          await this.write(output.endParts(this.encodeLogs(output, schema, ctx)));
          return;
        }
        if (isCancelBatch(input)) {
          await swallow(() => call.cancel?.(ctx));
          await this.finish(call, ctx);
          await this.write(output.endParts(this.encodeLogs(output, schema, ctx)));
          await this.drainBatches();
          return;
        }
        const result = await call.turn(input, ctx);
        const parts = this.encodeLogs(output, schema, ctx);
        if (result === null) {
          await this.finish(call, ctx);
          await this.write(output.endParts(this.encodeLogs(output, schema, ctx, parts)));
          await this.drainBatches();
          return;
        }
        output.writeParts(result, parts);
        const written = this.write(parts);
        if (written !== undefined) await written;
        call.written?.();
      }
    } catch (error) {
      if (error instanceof PeerGoneError) {
        // DuckDB dropped the stream mid-exchange (a LIMIT satisfied while this turn ran,
        // an error elsewhere in the plan): the same as a cancel the worker never read.
        await swallow(() => call.cancel?.(ctx));
        await swallow(() => call.close?.(ctx));
        throw error;
      }
      const vgiError = toVgiError(error);
      this.hooks.onError?.(vgiError, request.method);
      await swallow(() => call.close?.(ctx));
      const parts = this.encodeLogs(output, schema, ctx);
      output.writeParts(errorBatch(vgiError, schema, this.identity(request)), parts);
      await this.write(output.endParts(parts));
      await this.drainBatches();
    }
  }

  private async finish(call: StreamCall, ctx: CallContext): Promise<void> {
    await call.close?.(ctx);
  }

  private logBatches(schema: Schema, ctx: CallContext): RecordBatch[] {
    return ctx.takeLogs().map((record) => logBatch(schema, record, { serverId: this.serverId }));
  }

  /** Log batches recorded since the last write, appended to `parts`. */
  private encodeLogs(
    encoder: StreamEncoder,
    schema: Schema,
    ctx: CallContext,
    parts: Uint8Array[] = [],
  ): Uint8Array[] {
    for (const batch of this.logBatches(schema, ctx)) encoder.writeParts(batch, parts);
    return parts;
  }

  private identity(request: RpcRequest | undefined): { serverId: string; requestId?: string } {
    return request?.requestId === undefined
      ? { serverId: this.serverId }
      : { serverId: this.serverId, requestId: request.requestId };
  }

  private async sendError(
    schema: Schema,
    error: VgiError,
    request: RpcRequest | undefined,
    ctx?: CallContext,
  ): Promise<void> {
    this.hooks.onError?.(error, request?.method);
    const logs = ctx === undefined ? [] : this.logBatches(schema, ctx);
    await this.write(
      encodeStreamParts(schema, [...logs, errorBatch(error, schema, this.identity(request))]),
    );
  }

  /** After the output ended early, consume the client's remaining input up to its EOS. */
  private async drainBatches(): Promise<void> {
    try {
      while ((await this.reader.readBatch()) !== null) {
        /* discard */
      }
    } catch {
      /* the peer went away; the next readStream reports it */
    }
  }

  private async drainInputStream(): Promise<void> {
    // After a failed open the client may still send its input stream; the reference
    // client does not, so we only consume it if it is already buffered. Nothing to do.
  }
}

async function swallow(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch {
    /* best effort by contract (WIRE_PROTOCOL.md §9 "on_cancel") */
  }
}
