/**
 * One process of the multi-process sequence test: opens the shared file, says "ready",
 * waits for a line on stdin (so all children claim at once), claims `count` blocks of
 * 1..7 values of one counter and prints each block as `first size`, then "done".
 *
 * argv: <file> <counter name> <count>
 */
import { createInterface } from "node:readline";
import { SqliteStorage } from "../../src/sqlite-storage.js";

const [file, name, countArg] = process.argv.slice(2);
if (!file || !name || !countArg) throw new Error("usage: sequence-child <file> <name> <count>");

const storage = new SqliteStorage(file);
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once("line", () => resolve()));
lines.close();

const out: string[] = [];
for (let i = 0; i < Number(countArg); i++) {
  const size = 1 + (i % 7);
  out.push(`${storage.nextSequence(name, size)} ${size}`);
}
storage.close();
process.stdout.write(out.join("\n") + "\ndone\n");
