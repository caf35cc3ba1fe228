/**
 * A small vgi-rpc client that speaks to a worker over any pair of byte streams (in
 * process, or a child's stdin/stdout): unary calls, attach, bind, and a whole scalar
 * call in the lockstep order DuckDB uses; responses split into data and error.
 */
import type { RecordBatch, Schema } from "apache-arrow";
import {
  BindParamsCodec,
  BindResultCodec,
  CatalogAttachResultCodec,
  IpcReader,
  InitParamsCodec,
  RemoteError,
  classifyBatch,
  encodeStream,
  type BindRequestInput,
} from "@vgi-ts/protocol";
import { attachParams, bigintBatch, requestBytes } from "./requests.js";
import { splitStream } from "./stream-frames.js";
import { withTimeout } from "./with-timeout.js";

export interface Response {
  readonly schema: Schema;
  readonly batches: RecordBatch[];
  /** The error the stream carries (an EXCEPTION batch), if any. */
  readonly error: RemoteError | undefined;
  /** Data batches (neither log nor error). */
  readonly data: RecordBatch[];
}

export function toResponse(stream: { schema: Schema; batches: RecordBatch[] }): Response {
  let error: RemoteError | undefined;
  const data: RecordBatch[] = [];
  for (const batch of stream.batches) {
    const classified = classifyBatch(batch);
    if (classified.kind === "error") error = classified.error;
    else if (classified.kind === "data") data.push(batch);
  }
  return { ...stream, error, data };
}

/**
 * A vgi-rpc client over two byte streams: `send` writes to the worker, responses are
 * read from `output`. Each call waits at most `timeoutMs` for its answer.
 */
export class WireClient {
  readonly reader: IpcReader;

  constructor(
    private readonly send: (bytes: Uint8Array) => void,
    output: AsyncIterator<Uint8Array>,
    private readonly timeoutMs = 10_000,
  ) {
    this.reader = new IpcReader(output);
  }

  write(bytes: Uint8Array): void {
    this.send(bytes);
  }

  /** The next response stream (null when the worker closed its output). */
  async response(): Promise<Response | null> {
    const stream = await withTimeout(this.reader.readStream(), this.timeoutMs, "a response");
    return stream === null ? null : toResponse(stream);
  }

  async call(bytes: Uint8Array): Promise<Response> {
    this.send(bytes);
    const response = await this.response();
    if (response === null) throw new Error("the worker closed its output instead of answering");
    return response;
  }

  async attach(catalog: string): Promise<Uint8Array> {
    const response = await this.call(requestBytes(attachParams(catalog), "catalog_attach"));
    if (response.error !== undefined) throw response.error;
    const { result } = unwrapResult(response, CatalogAttachResultCodec);
    return result.attachOpaqueData;
  }

  async bind(request: BindRequestInput): Promise<Response> {
    return this.call(requestBytes(BindParamsCodec.encode({ request }), "bind"));
  }

  /**
   * A whole scalar call: bind, init, one exchange turn per input batch, end of input.
   * Returns the output batches, or the first error (bind, init or a turn).
   */
  async scalarCall(
    request: BindRequestInput,
    inputs: readonly RecordBatch[],
  ): Promise<{ outputs: RecordBatch[]; error: RemoteError | undefined }> {
    const bound = await this.bind(request);
    if (bound.error !== undefined) return { outputs: [], error: bound.error };
    const { result } = unwrapResult(bound, BindResultCodec) as {
      result: { outputSchema: Uint8Array };
    };
    const init = InitParamsCodec.encode({
      request: { bindCall: request, outputSchema: result.outputSchema },
    });
    const header = await this.call(requestBytes(init, "init"));
    if (header.error !== undefined) return { outputs: [], error: header.error };
    const outputs: RecordBatch[] = [];
    const schema = inputs[0]?.schema ?? bigintBatch([]).schema;
    // Input stream: schema with the first batch, then one batch per turn, then EOS.
    const whole = encodeStream(schema, inputs);
    const framesOf = splitStream(whole, inputs.length);
    let outputStarted = false;
    for (let i = 0; i < inputs.length; i++) {
      this.send(framesOf[i]!);
      if (!outputStarted) {
        await withTimeout(this.reader.readSchema(), this.timeoutMs, "the output schema");
        outputStarted = true;
      }
      const batch = await withTimeout(this.reader.readBatch(), this.timeoutMs, "an output batch");
      if (batch === null) return { outputs, error: undefined };
      const classified = classifyBatch(batch);
      if (classified.kind === "error") {
        // The server ends its output after an error and drains our input.
        this.send(framesOf[inputs.length]!);
        await withTimeout(this.reader.readBatch(), this.timeoutMs, "the output EOS");
        return { outputs, error: classified.error };
      }
      if (classified.kind === "data") outputs.push(batch);
    }
    this.send(framesOf[inputs.length]!);
    if (!outputStarted)
      await withTimeout(this.reader.readSchema(), this.timeoutMs, "the output schema");
    const end = await withTimeout(this.reader.readBatch(), this.timeoutMs, "the output EOS");
    if (end !== null) throw new Error("expected the output stream to end with the input");
    return { outputs, error: undefined };
  }
}

/** The decoded `result` of a unary response. */
export function unwrapResult<T>(
  response: Response,
  message: { fromIpc(bytes: Uint8Array): T },
): { result: T } {
  const batch = response.data[0];
  if (batch === undefined) throw new Error("response has no data batch");
  const bytes = batch.getChild("result")?.get(0) as Uint8Array | null;
  if (bytes === null || bytes === undefined) throw new Error("response has no result");
  return { result: message.fromIpc(bytes) };
}
