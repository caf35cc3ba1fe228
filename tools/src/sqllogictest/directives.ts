/**
 * Single-line sqllogictest directives (everything but statement, query,
 * skipif/onlyif, loops, mode skip and halt, which steer the line scanner in
 * parser.ts). Messages match DuckDB's so failures read the same.
 */
import type { LoopCondition, TestRecord } from "./records.js";

export class ParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface DirectiveContext {
  line: number;
  loopDepth: number;
  conditions: LoopCondition[];
}

/**
 * What a directive produced. `parseTime` records are ones DuckDB executes
 * while it parses, i.e. before any loop around them runs.
 */
export interface DirectiveResult {
  record?: TestRecord;
  parseTime?: boolean;
}

const SLEEP_UNITS: Record<string, number> = {
  second: 1000,
  seconds: 1000,
  sec: 1000,
  millisecond: 1,
  milliseconds: 1,
  milli: 1,
  microsecond: 0.001,
  microseconds: 0.001,
  micro: 0.001,
  nanosecond: 0.000001,
  nanoseconds: 0.000001,
  nano: 0.000001,
};

/** Parses a leading integer like C's stoi; throws ParseError(message) if there is none. */
export function toInt(text: string | undefined, message: string, line: number): number {
  const match = /^\s*[+-]?\d+/.exec(text ?? "");
  if (!match) throw new ParseError(message, line);
  return Number.parseInt(match[0], 10);
}

/** `set ignore_error_messages a b, c` → ["a b", "c"]. */
function parseMessageList(params: string[]): string[] {
  return params
    .join(" ")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

export function parseDirective(
  command: string,
  params: string[],
  ctx: DirectiveContext,
): DirectiveResult {
  const line = ctx.line;
  const fail = (message: string): never => {
    throw new ParseError(message, line);
  };
  switch (command) {
    case "hash-threshold": {
      if (params.length !== 1) fail("hash-threshold requires a parameter");
      const threshold = toInt(params[0], "hash-threshold must be a number", line);
      return { record: { kind: "hash-threshold", line, threshold }, parseTime: true };
    }
    case "set": {
      const name = params[0];
      if (name === "ignore_error_messages" || name === "always_fail_error_messages") {
        const values = parseMessageList(params.slice(1));
        return { record: { kind: "set", line, name, values }, parseTime: true };
      }
      if (name === "seed") {
        if (params.length !== 2) fail("set seed requires a single seed value");
        return { record: { kind: "set", line, name, values: [params[1] ?? ""] }, parseTime: true };
      }
      if (name === undefined) {
        fail("set requires at least 1 parameter (e.g. set ignore_error_messages HTTP Error)");
      }
      return fail(`unrecognized set parameter: ${name}`);
    }
    case "reset":
      if (params.length !== 2) fail("Expected reset [type] [name] (e.g reset label my_label)");
      if ((params[0] ?? "").toLowerCase() !== "label") {
        fail(`unrecognized reset parameter: ${params[0]}`);
      }
      return { record: { kind: "reset-label", line, label: params[1] ?? "" } };
    case "require":
      if (params.length < 1) fail("require requires a single parameter");
      return { record: { kind: "require", line, params }, parseTime: true };
    case "require-env":
      if (ctx.loopDepth > 0) fail("require-env cannot be called in a loop");
      if (params.length !== 1 && params.length !== 2) {
        fail("require-env requires 1 argument: <env name> [optional: <expected env val>]");
      }
      return {
        record: { kind: "require-env", line, name: params[0] ?? "", value: params[1] },
        parseTime: true,
      };
    case "test-env":
      if (ctx.loopDepth > 0) fail("test-env cannot be called in a loop");
      if (params.length !== 2) fail("test-env requires 2 arguments: <env name> <default env val>");
      return {
        record: { kind: "test-env", line, name: params[0] ?? "", defaultValue: params[1] ?? "" },
        parseTime: true,
      };
    case "load": {
      const mode = (params[1] ?? "readwrite").toLowerCase();
      if (mode !== "readonly" && mode !== "readwrite") {
        fail(
          `parameter to 'load' is invalid, received '${params[1]}', accepted options are 'readonly' and 'readwrite`,
        );
      }
      const readonly = mode === "readonly";
      return {
        record: { kind: "load", line, path: params[0] ?? "", readonly, version: params[2] },
      };
    }
    case "restart": {
      const loadExtensions = !(params.length === 1 && params[0] === "no_extension_load");
      return { record: { kind: "restart", line, loadExtensions } };
    }
    case "reconnect":
      return { record: { kind: "reconnect", line } };
    case "sleep": {
      if (params.length !== 2) fail("sleep requires two parameter (e.g. sleep 1 second)");
      const unit = SLEEP_UNITS[params[1] ?? ""];
      if (unit === undefined) {
        return fail("Unrecognized sleep mode - expected second/millisecond/microescond/nanosecond");
      }
      const millis = toInt(params[0], "sleep duration must be a number", line) * unit;
      return { record: { kind: "sleep", line, millis } };
    }
    case "unzip": {
      if (params.length !== 1 && params.length !== 2) {
        fail(
          "unzip requires 1 argument: <path/to/file.db.gz> [optional: <path/to/unzipped_file.db>, default: __TEST_DIR__/<file.db>]",
        );
      }
      if (!(params[0] ?? "").endsWith(".gz")) fail("unzip: input has not a GZIP extension");
      const output = params[1] === "NULL" ? undefined : params[1];
      return { record: { kind: "unzip", line, input: params[0] ?? "", output } };
    }
    case "tags":
      // Tag selection is a DuckDB test-config feature; tags are accepted and ignored.
      if (params.length === 0) fail("tags requires >= 1 argument, e.g.: <tag1> [tag2 .. tagN]");
      return {};
    case "continue":
      if (ctx.loopDepth === 0) fail("continue cannot be called outside of a loop");
      return { record: { kind: "continue", line, conditions: ctx.conditions } };
    default:
      return fail(`Unrecognized parameter ${command}`);
  }
}
