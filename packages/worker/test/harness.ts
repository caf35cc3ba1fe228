/**
 * A worker connection in process: PipeConnection over two in-memory byte queues, with
 * the router `createRouter` builds for a test catalog, and a WireClient on the other end.
 */
import { Field, Int64, Schema, Utf8, vectorFromArray, type Data } from "apache-arrow";
import { defineCatalog, type Catalog } from "@vgi-ts/catalog";
import { IpcReader, sql, type VgiError } from "@vgi-ts/protocol";
import { PipeConnection, createRouter, scalarFunction } from "@vgi-ts/worker";
import { ByteQueue, WireClient, queueWriter } from "./support.js";

export interface Harness {
  readonly client: WireClient;
  /** Resolves when the connection stops serving. */
  readonly served: Promise<void>;
  readonly errors: { kind: string; method: string | undefined }[];
  /** Close the client's end (EOF on the worker's input). */
  close(): void;
}

export function startConnection(catalogs: readonly Catalog[] = [testCatalog()]): Harness {
  const toWorker = new ByteQueue();
  const fromWorker = new ByteQueue();
  const errors: { kind: string; method: string | undefined }[] = [];
  const connection = new PipeConnection(
    createRouter(catalogs),
    new IpcReader(toWorker),
    queueWriter(fromWorker),
    "test-server",
    { onError: (error: VgiError, method) => errors.push({ kind: error.kind, method }) },
  );
  const served = connection.serve().finally(() => fromWorker.end());
  const client = new WireClient((bytes) => toWorker.push(bytes), fromWorker, 5_000);
  return { client, served, errors, close: () => toWorker.end() };
}

/** `example.main`: a good function, and one of each way a function can fail. */
export function testCatalog(): Catalog {
  return defineCatalog({
    name: "example",
    schemas: [
      {
        path: "main",
        functions: [
          scalarFunction({
            name: "doubled",
            arguments: [{ name: "x", type: sql.bigint }],
            returns: sql.bigint,
            row: (x) => x * 2n,
          }),
          scalarFunction({
            name: "explode",
            arguments: [{ name: "x", type: sql.bigint }],
            returns: sql.bigint,
            row: (x) => {
              throw new RangeError(`explode: ${x} is out of range`);
            },
          }),
          scalarFunction({
            name: "wrong_row_count",
            arguments: [{ name: "x", type: sql.bigint }],
            returns: sql.bigint,
            compute: (input) => new BigInt64Array(input.numRows + 1),
          }),
          scalarFunction({
            name: "wrong_type",
            arguments: [{ name: "x", type: sql.bigint }],
            returns: sql.bigint,
            compute: (input) =>
              vectorFromArray(
                Array.from({ length: input.numRows }, () => "text"),
                new Utf8(),
              ),
          }),
          scalarFunction({
            name: "wrong_decimal_scale",
            arguments: [{ name: "x", type: sql.bigint }],
            returns: sql.decimal(18, 3),
            // Same Arrow type family, other scale: values would be off by 10x.
            compute: (input): Data =>
              sql.decimal(18, 2).build(Array.from({ length: input.numRows }, () => "1.25")),
          }),
        ],
      },
    ],
  });
}

export const BIGINT_COLUMN = new Schema([new Field("col_0", new Int64(), true)]);
