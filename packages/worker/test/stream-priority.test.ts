import { describe, expect, test } from "vitest";
import { DEFAULT_WORKER_NICE, workerNice } from "../src/rpc/stream-priority.js";

describe("workerNice", () => {
  test("defaults to 5 when neither the option nor VGI_WORKER_NICE says otherwise", () => {
    expect(DEFAULT_WORKER_NICE).toBe(5);
    expect(workerNice({})).toBe(5);
    expect(workerNice({ VGI_WORKER_NICE: "" })).toBe(5);
  });

  test("reads VGI_WORKER_NICE, and an explicit option wins over it", () => {
    expect(workerNice({ VGI_WORKER_NICE: "0" })).toBe(0);
    expect(workerNice({ VGI_WORKER_NICE: "19" })).toBe(19);
    expect(workerNice({ VGI_WORKER_NICE: "12" }, 3)).toBe(3);
  });

  test.each(["-1", "20", "2.5", "banana", " 7x"])("refuses %j", (text) => {
    expect(() => workerNice({ VGI_WORKER_NICE: text })).toThrow(
      new RangeError(`VGI_WORKER_NICE must be an integer from 0 to 19, got ${text}`),
    );
  });

  test("checks an explicit option the same way", () => {
    expect(() => workerNice({}, 25)).toThrow(RangeError);
  });
});
