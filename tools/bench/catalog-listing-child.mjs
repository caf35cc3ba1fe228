// One sample of catalog-listing-cpu.mjs (bundled into dist/catalog-listing-child.cjs and
// started from a V8 code cache, as the bench's worker is): prints the CPU milliseconds
// and garbage collection milliseconds of each step as JSON.
import { PerformanceObserver } from "node:perf_hooks";
import { METHODS, encodeStreamParts } from "@vgi-ts/protocol";
import { wideCatalog } from "./catalog-wide.mjs";

async function child(size) {
  let gc = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gc += entry.duration;
  });
  observer.observe({ entryTypes: ["gc"] });
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const out = {};
  let last = 0;
  let lastGc = 0;
  const mark = async (key) => {
    await new Promise((resolve) => globalThis.setImmediate(resolve)); // let the gc observer report
    const now = cpuMs();
    out[key] = now - last;
    out[`${key}Gc`] = gc - lastGc;
    last = now;
    lastGc = gc;
  };
  await mark("start");
  const catalog = wideCatalog(size);
  await mark("define");
  const items = catalog.tableItems(["main"]);
  await mark("tables");
  const method = METHODS.catalog_schema_contents_tables;
  const parts = encodeStreamParts(method.result.schema, [
    method.result.encode({ result: { items } }),
  ]);
  await mark("reply");
  out.total = out.start + out.define + out.tables + out.reply;
  catalog.functionItems(["main"], "SCALAR_FUNCTION");
  await mark("functions");
  if (parts.reduce((n, p) => n + p.byteLength, 0) < items.length) throw new Error("short reply");
  process.stdout.write(JSON.stringify(out));
}

child(Number(process.env.VGI_BENCH_CATALOG_SIZE ?? 10_000)).catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
