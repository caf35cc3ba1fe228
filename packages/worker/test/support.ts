/**
 * Test support for the worker suite: a seeded PRNG, a byte queue usable as both ends
 * of an in-memory pipe, request builders, and a small vgi-rpc client that speaks to a
 * worker over any pair of byte streams (in process, or a child's stdin/stdout).
 */
import {
  Field,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  makeData,
  vectorFromArray,
  type DataType,
} from "apache-arrow";
import {
  BindParamsCodec,
  BindResultCodec,
  CatalogAttachParamsCodec,
  CatalogAttachResultCodec,
  IpcReader,
  InitParamsCodec,
  METHOD_KEY,
  PROTOCOL_KEY,
  PROTOCOL_VERSION_KEY,
  REQUEST_ID_KEY,
  REQUEST_VERSION,
  REQUEST_VERSION_KEY,
  RemoteError,
  VGI_PROTOCOL_NAME,
  VGI_PROTOCOL_VERSION,
  classifyBatch,
  concatBytes,
  emptyBatch,
  encodeSchema,
  encodeStream,
  type BindRequestInput,
} from "@vgi-ts/protocol";

/** mulberry32: tiny and good enough to drive fuzz cases; same seed, same sequence. */
export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

/** An unbounded async queue of chunks: one side pushes, the other iterates. */
export class ByteQueue implements AsyncIterator<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private waiter: ((result: IteratorResult<Uint8Array>) => void) | null = null;
  private ended = false;

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error("push after end");
    if (this.waiter !== null) {
      const wake = this.waiter;
      this.waiter = null;
      wake({ done: false, value: chunk });
    } else this.chunks.push(chunk);
  }

  end(): void {
    this.ended = true;
    if (this.waiter !== null) {
      const wake = this.waiter;
      this.waiter = null;
      wake({ done: true, value: undefined });
    }
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.chunks.shift();
    if (chunk !== undefined) return Promise.resolve({ done: false, value: chunk });
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

/**
 * Write side of a connection, whichever shape the transport contract takes: one byte
 * array per logical message, or its parts.
 */
export function queueWriter(queue: ByteQueue): (data: Uint8Array | readonly Uint8Array[]) => void {
  return (data) => {
    // Copy: the parts may alias live Arrow buffers (the contract says write them now).
    queue.push(data instanceof Uint8Array ? data.slice() : concatBytes(data));
  };
}

// ---- requests ---------------------------------------------------------------------------

/** Routing metadata of a well-formed VGI request; override or drop (`undefined`) keys. */
export function requestMetadata(
  method: string,
  overrides: Record<string, string | undefined> = {},
): Map<string, string> {
  const entries: Record<string, string | undefined> = {
    [REQUEST_VERSION_KEY]: REQUEST_VERSION,
    [METHOD_KEY]: method,
    [PROTOCOL_KEY]: VGI_PROTOCOL_NAME,
    [PROTOCOL_VERSION_KEY]: VGI_PROTOCOL_VERSION,
    [REQUEST_ID_KEY]: `req-${method}`,
    ...overrides,
  };
  const metadata = new Map<string, string>();
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined) metadata.set(key, value);
  }
  return metadata;
}

export function requestBytes(
  params: RecordBatch,
  method: string,
  overrides: Record<string, string | undefined> = {},
): Uint8Array {
  const batch = new RecordBatch(params.schema, params.data, requestMetadata(method, overrides));
  return encodeStream(batch.schema, [batch]);
}

/** Params of a method without parameters: one row, no columns. */
export const EMPTY_PARAMS = emptyBatch(new Schema([]), undefined, 1);

export function attachParams(catalog: string): RecordBatch {
  return CatalogAttachParamsCodec.encode({
    request: {
      name: catalog,
      options: null,
      dataVersionSpec: null,
      implementationVersion: null,
      clientCapabilities: null,
    },
  });
}

/** A bind request for a scalar call whose arguments are all columns of `types`. */
export function scalarBindRequest(
  functionName: string,
  attachOpaqueData: Uint8Array,
  types: readonly DataType[],
): BindRequestInput {
  // No constant arguments: an `args` struct with no fields, one row.
  const argsType = new Struct([]);
  const argsSchema = new Schema([new Field("args", argsType, true)]);
  const args = new RecordBatch(
    argsSchema,
    makeData({
      type: new Struct(argsSchema.fields),
      length: 1,
      children: [makeData({ type: argsType, length: 1, children: [] })],
    }),
  );
  return {
    functionName,
    arguments: encodeStream(argsSchema, [args]),
    functionType: "SCALAR",
    inputSchema: encodeSchema(
      new Schema(types.map((type, i) => new Field(`col_${i}`, type, true))),
    ),
    settings: null,
    secrets: null,
    attachOpaqueData,
    transactionOpaqueData: null,
    resolvedSecretsProvided: false,
    schemaPath: ["main"],
    argumentNames: null,
  };
}

/** One BIGINT input column `col_0` as a batch. */
export function bigintBatch(values: readonly (bigint | null)[]): RecordBatch {
  const schema = new Schema([new Field("col_0", new Int64(), true)]);
  return new RecordBatch(
    schema,
    makeData({
      type: new Struct(schema.fields),
      length: values.length,
      children: [vectorFromArray([...values], new Int64()).data[0]!],
    }),
  );
}

// ---- client -----------------------------------------------------------------------------

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

/**
 * Cut one encoded stream (schema, n batches, EOS) into n + 1 sends: the schema with the
 * first batch, each later batch, and the EOS marker — the lockstep order of a client.
 */
export function splitStream(bytes: Uint8Array, batches: number): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends: number[] = [];
  let at = 0;
  while (at < bytes.byteLength) {
    const length = view.getInt32(at + 4, true);
    if (length === 0) {
      at += 8;
      ends.push(at);
      break;
    }
    // bodyLength: the Message table's int64; cheaper to let the framer tell us.
    at = messageEnd(bytes, at);
    ends.push(at);
  }
  // ends: after schema, after each batch, after EOS (dictionaries are not used here).
  const cuts = [ends[1] ?? ends[0]!, ...ends.slice(2)];
  const out: Uint8Array[] = [];
  let start = 0;
  for (const cut of cuts) {
    out.push(bytes.subarray(start, cut));
    start = cut;
  }
  if (out.length !== batches + 1) throw new Error(`split into ${out.length} parts`);
  return out;
}

function messageEnd(bytes: Uint8Array, at: number): number {
  // Re-encode-free: parse the Message flatbuffer's bodyLength with arrow-js.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getInt32(at + 4, true);
  const metadata = bytes.subarray(at + 8, at + 8 + length);
  const bodyLength = readBodyLength(metadata);
  return at + 8 + length + bodyLength;
}

/** `Message.bodyLength` (field 3, int64) read straight from the flatbuffer. */
function readBodyLength(metadata: Uint8Array): number {
  const view = new DataView(metadata.buffer, metadata.byteOffset, metadata.byteLength);
  const table = view.getUint32(0, true);
  const vtable = table - view.getInt32(table, true);
  const vtableSize = view.getUint16(vtable, true);
  const slot = 10;
  if (slot >= vtableSize) return 0;
  const offset = view.getUint16(vtable + slot, true);
  return offset === 0 ? 0 : Number(view.getBigInt64(table + offset, true));
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- spawned workers ----------------------------------------------------------------------

export interface SpawnedWorker {
  readonly child: import("node:child_process").ChildProcessWithoutNullStreams;
  readonly client: WireClient;
  /** Everything the worker wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
}

/** Run a bundled worker as DuckDB does (`node <bundle>`), with a client on its pipes. */
export async function spawnWorker(
  bundle: string,
  env: Record<string, string> = {},
): Promise<SpawnedWorker> {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, [bundle], {
    env: { ...process.env, VGI_WORKER_DEBUG: "", VGI_QUIET: "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (text: string) => {
    stderr += text;
  });
  // A worker that exits early makes writes fail with EPIPE; the test sees the exit.
  child.stdin.on("error", () => {});
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  const output = child.stdout[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const client = new WireClient((bytes) => child.stdin.write(bytes), output, 10_000);
  return { child, client, stderr: () => stderr, exited };
}
