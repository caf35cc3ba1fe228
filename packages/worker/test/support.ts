/**
 * Test support for the worker suite, one concern per file under `support/`: a seeded
 * PRNG, a byte queue usable as both ends of an in-memory pipe, request builders, a
 * small vgi-rpc client that speaks to a worker over any pair of byte streams (in
 * process, or a child's stdin/stdout), and spawned workers. Tests import it all from
 * here.
 */
export * from "./support/prng.js";
export * from "./support/byte-queue.js";
export * from "./support/requests.js";
export * from "./support/wire-client.js";
export * from "./support/stream-frames.js";
export * from "./support/with-timeout.js";
export * from "./support/spawn-worker.js";
