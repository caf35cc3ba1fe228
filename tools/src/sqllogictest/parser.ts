/**
 * sqllogictest file → records, following DuckDB's sqllogic_parser.cpp and
 * SQLLogicTestRunner::ExecuteFile where it matters: a record starts at a
 * non-empty, non-comment line; SQL runs until an empty line, a comment or
 * "----"; expected results run until an empty line (comment lines there are
 * results); `mode skip` and `halt` act while parsing.
 *
 * Directives DuckDB executes while parsing (require, require-env, test-env,
 * set, hash-threshold) are emitted before an enclosing loop, since DuckDB
 * only runs a loop once its `endloop` has been read.
 */
import { ParseError, parseDirective, toInt } from "./directives.js";
import { applyForeachToken } from "./foreach-tokens.js";
import type { LoopCondition, LoopRecord, TestRecord } from "./records.js";
import { Lines, parseQuery, parseStatement, tokenize } from "./sql-records.js";

const COMMANDS = new Set(
  (
    "skipif onlyif statement query hash-threshold halt mode set reset loop concurrentloop " +
    "foreach concurrentforeach endloop require require-env test-env load restart reconnect " +
    "sleep unzip tags continue"
  ).split(" "),
);
/** Commands that must be followed by an empty line or a comment. */
const MULTI_LINE = new Set(["skipif", "onlyif", "statement", "query"]);

/** `skipif i=2&&j<>x`: loop-variable conditions; null when the text is a system name. */
function parseConditions(text: string, skipIf: boolean, line: number): LoopCondition[] | null {
  if (!/[=<>]/.test(text)) return null;
  const comparators = ["<>", ">=", ">", "<=", "<", "="] as const;
  return text.split("&&").map((part) => {
    const comparison = comparators.find((c) => part.includes(c));
    const sides = comparison === undefined ? [] : part.split(comparison);
    if (comparison === undefined || sides.length !== 2) {
      throw new ParseError(
        "skipif/onlyif must be in the form of x=y or x>y, potentially separated by &&",
        line,
      );
    }
    return { keyword: (sides[0] ?? "").trim(), value: (sides[1] ?? "").trim(), comparison, skipIf };
  });
}

export function parseTest(text: string): TestRecord[] {
  const lines = new Lines(text);
  const out: TestRecord[] = [];
  const loops: LoopRecord[] = [];
  let skipLevel = 0;
  const emit = (record: TestRecord): void => {
    const loop = loops[loops.length - 1];
    if (loop) loop.body.push(record);
    else out.push(record);
  };

  try {
    while (lines.nextStatement()) {
      let tokens = tokenize(lines.at());
      let command = tokens[0] ?? "";
      if (!COMMANDS.has(command)) {
        throw new ParseError(`Unrecognized parameter ${command}`, lines.current + 1);
      }
      if (!MULTI_LINE.has(command) && !lines.nextLineEmptyOrComment()) {
        throw new ParseError(
          "all test statements need to be separated by an empty line",
          lines.current + 1,
        );
      }
      const conditions: LoopCondition[] = [];
      let skip = false;
      while (command === "skipif" || command === "onlyif") {
        const skipIf = command === "skipif";
        if (tokens.length < 2) {
          throw new ParseError(
            "skipif/onlyif requires a single parameter (e.g. skipif duckdb)",
            lines.current + 1,
          );
        }
        const system = (tokens[1] ?? "").toLowerCase();
        const parsed = parseConditions(system, skipIf, lines.current + 1);
        // "skipif duckdb" and "onlyif <other system>" skip the record.
        if (parsed === null && (system === "duckdb") === skipIf) {
          skip = true;
          break;
        }
        conditions.push(...(parsed ?? []));
        lines.current++;
        tokens = tokenize(lines.at());
        command = tokens[0] ?? "";
        if (!COMMANDS.has(command)) {
          throw new ParseError(`Unrecognized parameter ${command}`, lines.current + 1);
        }
      }
      if (skip) continue;
      if (skipLevel > 0 && command !== "mode") continue;
      const params = tokens.slice(1);
      const line = lines.current + 1;

      switch (command) {
        case "statement":
          if (params[0] === "debug_skip") {
            // debug_skip runs this statement, then skips the rest like `mode skip`.
            params[0] = "debug";
            skipLevel++;
          }
          emit(parseStatement(lines, params, line, conditions));
          break;
        case "query":
          emit(parseQuery(lines, params, line, conditions));
          break;
        case "halt":
          // DuckDB stops reading the file here; an open loop is then an error.
          if (loops.length > 0) throw new ParseError("Missing endloop!", line);
          return out;
        case "mode":
          if (params.length !== 1) throw new ParseError("mode requires one parameter", line);
          if (params[0] === "skip") skipLevel++;
          else if (params[0] === "unskip") skipLevel--;
          else emit({ kind: "mode", line, mode: params[0] ?? "" });
          break;
        case "loop":
        case "concurrentloop": {
          if (params.length !== 3) {
            throw new ParseError(
              "Expected loop [iterator_name] [start] [end] (e.g. loop i 1 300)",
              line,
            );
          }
          const message = "loop_start and loop_end must be a number";
          const start = toInt(params[1], message, line);
          const end = toInt(params[2], message, line);
          const parallel = command === "concurrentloop";
          loops.push({
            kind: "loop",
            line,
            iterator: params[0] ?? "",
            start,
            end,
            parallel,
            body: [],
          });
          break;
        }
        case "foreach":
        case "concurrentforeach": {
          if (params.length < 2) {
            throw new ParseError(
              "expected foreach [iterator_name] [m1] [m2] [etc...] (e.g. foreach type integer smallint float)",
              line,
            );
          }
          const tokens: string[] = [];
          for (const p of params.slice(1)) if (!applyForeachToken(p, tokens)) tokens.push(p);
          const parallel = command === "concurrentforeach";
          const iterator = params[0] ?? "";
          loops.push({
            kind: "loop",
            line,
            iterator,
            start: 0,
            end: tokens.length,
            tokens,
            parallel,
            body: [],
          });
          break;
        }
        case "endloop": {
          const loop = loops.pop();
          if (loop === undefined) throw new ParseError("endloop without active loop!", line);
          emit(loop);
          break;
        }
        default: {
          const result = parseDirective(command, params, {
            line,
            loopDepth: loops.length,
            conditions,
          });
          if (result.record === undefined) break;
          if (result.parseTime) out.push(result.record);
          else emit(result.record);
        }
      }
    }
    if (loops.length > 0) throw new ParseError("Missing endloop!", lines.length);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    // DuckDB fails the file when its parser reaches this point; what came before still ran.
    out.push({ kind: "parse-error", line: error.line, message: error.message });
  }
  return out;
}
