/**
 * A worker serving streams runs its main thread at a slightly lower scheduling priority
 * (nice 5 by default) than the DuckDB threads that feed it.
 *
 * Why: DuckDB writes each input batch with several write(2) calls (the IPC prefix, the
 * flatbuffer metadata, then each body buffer). A worker blocked reading the pipe is
 * woken by the first of them, on the writer's CPU (Linux's synchronous wake-up), and at
 * equal priority it preempts the writer. The batch then crosses in ping-pongs: on the
 * table-in-out echo bench, 5.3 read calls per input batch, and DuckDB's write of one
 * 2,048-row batch took 155 µs (45 µs uninterrupted). A lower-priority worker waits
 * until the writer blocks on its read of the answer and takes the batch in fewer reads
 * (1.8 at nice 5, 1.05 at nice 10). When DuckDB's thread is blocked, the worker has the
 * CPU at any priority: it only yields while its own input is still being written. In
 * one DuckDB session the echo ran at 8.5M rows/s at nice 0, 9.4M at nice 5, 10.1M at 10.
 *
 * The cost: against unrelated CPU-bound processes on a busy machine, a nice-5 thread
 * gets about a quarter of a CPU they share, not half. `VGI_WORKER_NICE=0` keeps the
 * worker at its inherited priority. Only the calling thread (the main one, which runs
 * every function) is changed; the priority is only ever lowered, never raised, since
 * raising it back needs privileges a worker should not have.
 */
import { getPriority, setPriority } from "node:os";

/** The default nice value of a worker's main thread while it serves streams. */
export const DEFAULT_WORKER_NICE = 5;

let applied = false;

/**
 * The nice value to use: `explicit` if given, else `VGI_WORKER_NICE` of `env`, else the
 * default. Anything but an integer from 0 to 19 is a configuration error worth failing
 * on at start-up, not guessing around.
 */
export function workerNice(env: NodeJS.ProcessEnv, explicit?: number): number {
  const given = explicit ?? env.VGI_WORKER_NICE;
  if (given === undefined || given === "") return DEFAULT_WORKER_NICE;
  const nice = Number(given);
  if (!Number.isInteger(nice) || nice < 0 || nice > 19)
    throw new RangeError(`VGI_WORKER_NICE must be an integer from 0 to 19, got ${given}`);
  return nice;
}

/**
 * Lower the calling thread's priority to `nice` once per process (a no-op when it is
 * already that low, when `nice` is 0, or where the platform refuses).
 */
export function yieldToHost(nice: number): void {
  if (applied || nice === 0) return;
  applied = true;
  try {
    if (getPriority(0) < nice) setPriority(0, nice);
  } catch {
    // Not permitted or not supported here: the worker just runs at its priority.
  }
}
