#!/usr/bin/env node
// Starts a bundled CommonJS worker with a V8 code cache, for fast cold starts:
//   node launch-cached.cjs path/to/worker.cjs [args...]
// The cache (`<bundle>.v8cache`, next to the bundle) is written when a process that
// found none (or a stale one) exits, so it holds the bytecode of everything that process
// ran: module setup and the request paths of the calls it served. The next start skips
// most parsing and compiling. V8 rejects a cache that does not match the source, the V8
// version or the flags; it is then rebuilt. Without write access it just is not cached.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry point */
/* global require, module */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const Module = require("node:module");
const { Script } = require("node:vm");

const file = path.resolve(process.argv[2]);
process.argv.splice(1, 1); // the worker sees itself as the script
const cacheFile = `${file}.v8cache`;
const source = fs.readFileSync(file, "utf8").replace(/^#!.*/, "");
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new Script(Module.wrap(source), { filename: file, cachedData });
if (cachedData === undefined || script.cachedDataRejected === true) {
  process.on("exit", () => {
    const temp = `${cacheFile}.${process.pid}`;
    try {
      fs.writeFileSync(temp, script.createCachedData());
      fs.renameSync(temp, cacheFile);
    } catch {
      fs.rmSync(temp, { force: true });
    }
  });
}
const worker = new Module(file, module);
worker.filename = file;
worker.paths = Module._nodeModulePaths(path.dirname(file));
require.main = worker;
script
  .runInThisContext()
  .call(
    worker.exports,
    worker.exports,
    (id) => worker.require(id),
    worker,
    file,
    path.dirname(file),
  );
