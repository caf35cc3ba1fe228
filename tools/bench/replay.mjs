#!/usr/bin/env node
// Replays a recorded DuckDB -> worker byte stream against a worker in lockstep, the way
// the vgi extension drives it, without DuckDB in the loop: after each input record batch
// it waits for the worker's answering record batch (log batches do not count) before
// sending more. Reports the worker's own CPU seconds (from /proc, startup excluded),
// peak RSS and the lockstep wall time.
//
// Record a session by putting `tee IN | node worker.js` in the ATTACH LOCATION (see
// `run.mjs --record DIR`), then:
//   node tools/bench/replay.mjs IN [--repeat N] [--from K] [--profile] -- node worker.js
// `--from K` measures from the K-th round trip on (default 1: all but the first);
// `--profile` adds `--cpu-prof --cpu-prof-dir=/tmp/vgi-prof` after `node`.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Message, MessageHeader } from "apache-arrow";
import { peakRssMiB, processCpuSplit, threadCpuSeconds } from "./proc-stats.mjs";

const argv = process.argv.slice(2);
const dash = argv.indexOf("--");
if (dash < 1) {
  console.error("usage: replay.mjs IN.bin [--repeat N] [--from K] [--profile] -- command...");
  process.exit(2);
}
const options = argv.slice(0, dash);
let command = argv.slice(dash + 1);
const input = readFileSync(options[0]);
const option = (name, fallback) =>
  options.includes(name) ? Number(options[options.indexOf(name) + 1]) : fallback;
const repeat = option("--repeat", 1);
/** Measure from this round trip on (past the worker's JIT warm-up). */
const measureFrom = option("--from", 1);
if (options.includes("--profile") && command[0] === "node") {
  command = ["node", "--cpu-prof", "--cpu-prof-dir=/tmp/vgi-prof", ...command.slice(1)];
}

/** Split a byte stream into message spans: start, end, record batch?, EOS?, metadata. */
function* messages(bytes) {
  let offset = 0;
  while (offset + 4 <= bytes.byteLength) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
    let prefix = 4;
    let length = view.getInt32(0, true);
    if (view.getUint32(0, true) === 0xffffffff) {
      if (offset + 8 > bytes.byteLength) return;
      prefix = 8;
      length = view.getInt32(4, true);
    }
    if (length === 0) {
      yield { start: offset, end: offset + prefix, batch: false, eos: true, metadata: null };
      offset += prefix;
      continue;
    }
    if (offset + prefix + length > bytes.byteLength) return;
    const message = Message.decode(bytes.subarray(offset + prefix, offset + prefix + length));
    const end = offset + prefix + length + Number(message.bodyLength);
    if (end > bytes.byteLength) return;
    const batch = message.headerType === MessageHeader.RecordBatch;
    yield {
      start: offset,
      end,
      batch,
      eos: false,
      metadata: batch ? message.header().metadata : null,
    };
    offset = end;
  }
}

/**
 * Input units: messages up to and including each record batch (and the EOS right after
 * it: a unary request is answered only once its stream has ended), then the tail.
 */
const units = [];
let from = 0;
let cut = -1;
for (const m of messages(input)) {
  if (cut >= 0) {
    const end = m.eos ? m.end : cut;
    units.push(input.subarray(from, end));
    from = end;
    cut = -1;
  }
  if (m.batch) cut = m.end;
}
if (cut >= 0) {
  units.push(input.subarray(from, cut));
  from = cut;
}
const tail = input.subarray(from);

async function runOnce() {
  const child = spawn(command[0], command.slice(1), { stdio: ["pipe", "pipe", "inherit"] });
  let pending = Buffer.alloc(0);
  let answered = 0;
  let waiter = null;
  child.stdout.on("data", (chunk) => {
    pending = pending.byteLength === 0 ? chunk : Buffer.concat([pending, chunk]);
    let consumed = 0;
    for (const m of messages(pending)) {
      consumed = m.end;
      if (!m.batch) continue;
      const level = m.metadata?.get("vgi_rpc.log_level");
      if (level === undefined || level === "EXCEPTION") answered++;
    }
    pending = pending.subarray(consumed);
    if (waiter !== null) waiter();
  });
  let exitCode = null;
  const exited = new Promise((resolve) =>
    child.on("exit", (code) => {
      exitCode = code ?? -1;
      if (waiter !== null) waiter();
      resolve();
    }),
  );
  const waitFor = (count) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (answered >= count) {
          waiter = null;
          resolve();
        } else if (exitCode !== null) {
          waiter = null;
          reject(new Error(`worker exited (${exitCode}) after ${answered} answers`));
        }
      };
      waiter = check;
      check();
    });
  let start = 0n;
  let cpu0 = { user: 0, system: 0 };
  let threads0 = [];
  for (let i = 0; i < units.length; i++) {
    child.stdin.write(units[i]);
    await waitFor(i + 1);
    if (i === measureFrom - 1) {
      start = process.hrtime.bigint();
      cpu0 = processCpuSplit(child.pid);
      threads0 = threadCpuSeconds(child.pid);
    }
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu1 = processCpuSplit(child.pid);
  // Main thread (tid = pid) against the rest (V8's compiler and GC helpers, libuv's pool).
  const before = new Map(threads0.map((t) => [t.tid, t.cpu]));
  let mainThread = 0;
  let otherThreads = 0;
  for (const t of threadCpuSeconds(child.pid)) {
    const used = t.cpu - (before.get(t.tid) ?? 0);
    if (t.tid === child.pid) mainThread += used;
    else otherThreads += used;
  }
  const user = cpu1.user - cpu0.user;
  const system = cpu1.system - cpu0.system;
  const rss = peakRssMiB(child.pid);
  child.stdin.end(tail);
  await exited;
  return { wall, user, system, rss, mainThread, otherThreads };
}

for (let r = 0; r < repeat; r++) {
  const { wall, user, system, rss, mainThread, otherThreads } = await runOnce();
  const cpu = user + system;
  console.log(
    `${units.length - measureFrom} round trips: ${wall.toFixed(3)} s wall, worker ${cpu.toFixed(2)} CPU s ` +
      `(user ${user.toFixed(2)}, sys ${system.toFixed(2)}; main thread ${mainThread.toFixed(2)}, ` +
      `other threads ${otherThreads.toFixed(2)}; ` +
      `${((cpu / (units.length - measureFrom)) * 1e6).toFixed(0)} us/trip), ` +
      `peak RSS ${rss.toFixed(0)} MiB`,
  );
}
