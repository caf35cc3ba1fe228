// CPU seconds and peak RSS of worker processes, read from /proc (Linux), because the
// DuckDB host's own CPU time includes a thread polling for tasks while it waits.
import { readFileSync, readdirSync } from "node:fs";

const TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux x86_64

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const user = Number(fields[11]) / TICKS;
    const system = Number(fields[12]) / TICKS;
    return { ppid: Number(fields[1]), cpu: user + system, user, system };
  } catch {
    return null;
  }
}

export function peakRssMiB(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** Live descendants of `root` whose command line mentions `needle`. */
export function findWorkers(root, needle) {
  return [...new WorkerSampler(root, needle).workers.keys()];
}

/**
 * Follows the worker processes under `root` while a query runs, cheaply enough to call
 * every few milliseconds: each process is classified once, when it first shows up in
 * /proc (a full `findWorkers` scan reads every process's stat and costs about 2 ms, which
 * at a 25 ms interval took a tenth of a core from the query it measured). `sample()`
 * returns the CPU seconds each worker has used since the sampler started, or since it
 * appeared; a worker that exits between samples keeps its last reading.
 */
export class WorkerSampler {
  constructor(root, needle) {
    this.root = root;
    this.needle = needle;
    this.parents = new Map();
    this.workers = new Map(); // pid -> CPU seconds at first sight
    this.used = new Map(); // pid -> CPU seconds used since then
    this.peakRss = 0;
    this.scan(true);
  }

  scan(baseline) {
    // Parents first, then descent: after a pid wrap a child can be listed before its parent.
    const seen = [];
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      if (this.parents.has(pid)) continue;
      const s = stat(pid);
      if (s === null) continue;
      this.parents.set(pid, s.ppid);
      seen.push([pid, s.cpu]);
    }
    for (const [pid, cpu] of seen) {
      if (!this.isDescendant(pid)) continue;
      const command = commandLine(pid);
      if (command.startsWith("node") && command.includes(this.needle))
        this.workers.set(pid, baseline ? cpu : 0);
    }
  }

  isDescendant(pid) {
    for (let p = this.parents.get(pid); p !== undefined && p > 1; p = this.parents.get(p))
      if (p === this.root) return true;
    return false;
  }

  sample() {
    this.scan(false);
    for (const [pid, start] of this.workers) {
      const s = stat(pid);
      if (s === null) continue;
      this.used.set(pid, s.cpu - start);
      this.peakRss = Math.max(this.peakRss, peakRssMiB(pid));
    }
    return [...this.used.values()].reduce((a, b) => a + b, 0);
  }
}

/** User + system CPU seconds of one process so far (0 once it has exited). */
export function processCpuSeconds(pid) {
  return stat(pid)?.cpu ?? 0;
}

/** CPU seconds of each thread of a process so far: [{ tid, name, cpu }]. */
export function threadCpuSeconds(pid) {
  const threads = [];
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      threads.push({
        tid: Number(tid),
        name,
        cpu: (Number(fields[11]) + Number(fields[12])) / TICKS,
      });
    } catch {
      /* exited */
    }
  }
  return threads;
}

/** { user, system } CPU seconds of one process so far. */
export function processCpuSplit(pid) {
  const s = stat(pid);
  return { user: s?.user ?? 0, system: s?.system ?? 0 };
}

export function workerUsage(pids) {
  let cpu = 0;
  let rss = 0;
  for (const pid of pids) {
    cpu += stat(pid)?.cpu ?? 0;
    rss = Math.max(rss, peakRssMiB(pid));
  }
  return { cpu, rss };
}
