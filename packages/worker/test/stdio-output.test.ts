import { execFileSync } from "node:child_process";
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { blockingPipeFd, writeParts } from "../src/transports/stdio.js";

const dir = mkdtempSync(join(tmpdir(), "stdio-output-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The open file description's flags, from /proc (octal, as the kernel prints them). */
function flags(fd: number): number {
  const line = readFileSync(`/proc/self/fdinfo/${fd}`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("flags:"))!;
  return parseInt(line.split(/\s+/)[1]!, 8);
}

describe("blockingPipeFd", () => {
  test("a non-blocking pipe gets a blocking description of the same pipe", () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    // O_RDWR opens a FIFO without waiting for a peer (Linux); O_NONBLOCK as node leaves stdout.
    const original = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    expect(flags(original) & constants.O_NONBLOCK).toBe(constants.O_NONBLOCK);
    const out = blockingPipeFd(original);
    try {
      expect(out).not.toBe(original);
      expect(flags(out) & constants.O_NONBLOCK).toBe(0);
      writeParts(
        [new TextEncoder().encode("through the "), new TextEncoder().encode("same pipe")],
        out,
      );
      const buffer = Buffer.alloc(64);
      const n = readSync(original, buffer);
      expect(buffer.subarray(0, n).toString()).toBe("through the same pipe");
    } finally {
      closeSync(out);
      closeSync(original);
    }
  });

  test("anything but a pipe is left as it is (reopening a file would rewind it)", () => {
    const file = openSync(join(dir, "file"), "w");
    try {
      expect(blockingPipeFd(file)).toBe(file);
    } finally {
      closeSync(file);
    }
  });
});
