#!/usr/bin/env node
// Which areas of the upstream integration suite (Query-farm/vgi test/sql/integration) our own
// conformance tree (tools/conformance) does not cover yet. An area is a top-level directory
// or a top-level .test file upstream; we cover it when tools/conformance has a directory or
// file of the same name.
//
//   node tools/scripts/conformance-parity.mjs <upstream test/sql/integration> [--json]
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export function upstreamAreas(upstream) {
  return readdirSync(upstream, { withFileTypes: true })
    .filter((e) => e.isDirectory() || e.name.endsWith(".test"))
    .map((e) => e.name.replace(/\.test$/, ""))
    .sort();
}

export function parity(upstream, ours) {
  const areas = upstreamAreas(upstream);
  const covered = new Set(existsSync(ours) ? upstreamAreas(ours) : []);
  return {
    covered: areas.filter((a) => covered.has(a)),
    missing: areas.filter((a) => !covered.has(a)),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const upstream = process.argv[2] ?? process.env.VGI_UPSTREAM_SUITE;
  if (upstream === undefined || !existsSync(upstream)) {
    console.log("no upstream suite given (argument or VGI_UPSTREAM_SUITE): parity check skipped");
    process.exit(0);
  }
  const ours = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../conformance");
  const result = parity(upstream, ours);
  if (process.argv.includes("--json")) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`covered (${result.covered.length}): ${result.covered.join(", ")}`);
    console.log(`not covered yet (${result.missing.length}): ${result.missing.join(", ")}`);
  }
}
