/**
 * One process of the multi-process test: opens the shared file, says "ready" on stdout,
 * waits for a line on stdin (so all children append at once), appends `count` entries of
 * (child, i) to one log and exits.
 *
 * argv: <file> <namespace> <execution id hex> <child index> <count>
 */
import { createInterface } from "node:readline";
import { SqliteStorage } from "../../src/sqlite-storage.js";

const [file, namespace, executionHex, childArg, countArg] = process.argv.slice(2);
if (!file || !namespace || !executionHex || !childArg || !countArg) {
  throw new Error("usage: append-child <file> <namespace> <execution id hex> <child> <count>");
}
const child = Number(childArg);
const count = Number(countArg);
const executionId = Buffer.from(executionHex, "hex");

const storage = new SqliteStorage(file);
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once("line", () => resolve()));
lines.close();

const entry = Buffer.alloc(8);
for (let i = 0; i < count; i++) {
  entry.writeUInt32LE(child, 0);
  entry.writeUInt32LE(i, 4);
  storage.append(namespace, executionId, entry);
}
storage.close();
process.stdout.write("done\n");
