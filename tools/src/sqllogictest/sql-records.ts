/**
 * The line cursor of the sqllogictest parser and the two directives that
 * carry SQL text (statement, query), following DuckDB's sqllogic_parser.cpp.
 */
import { ParseError } from "./directives.js";
import type { LoopCondition, SortStyle, TestRecord } from "./records.js";

const SORT_STYLES: Record<string, SortStyle> = {
  nosort: "nosort",
  none: "nosort",
  rowsort: "rowsort",
  sort: "rowsort",
  valuesort: "valuesort",
};

export function isEmptyOrComment(line: string): boolean {
  return line === "" || line.startsWith("#");
}

/** Splits on the whitespace characters C's isspace() accepts. */
export function tokenize(line: string): string[] {
  return line.split(/[ \t\n\v\f\r]+/).filter((t) => t !== "");
}

/** A cursor over the file's lines with DuckDB's record-extraction rules. */
export class Lines {
  private readonly lines: string[];
  current = 0;
  private seenStatement = false;

  constructor(text: string) {
    this.lines = text.split("\n").map((l) => l.replace(/\r/g, ""));
    if (this.lines[this.lines.length - 1] === "") this.lines.pop();
  }
  get length(): number {
    return this.lines.length;
  }
  at(i = this.current): string {
    return this.lines[i] ?? "";
  }
  /** Moves to the first line of the next record; false at end of file. */
  nextStatement(): boolean {
    if (this.seenStatement) {
      while (this.current < this.length && !isEmptyOrComment(this.at())) this.current++;
    }
    this.seenStatement = true;
    while (this.current < this.length && isEmptyOrComment(this.at())) this.current++;
    return this.current < this.length;
  }
  nextLineEmptyOrComment(): boolean {
    return this.current + 1 >= this.length || isEmptyOrComment(this.at(this.current + 1));
  }
  extractStatement(): string {
    const sql: string[] = [];
    while (this.current < this.length && !isEmptyOrComment(this.at()) && this.at() !== "----") {
      sql.push(this.at());
      this.current++;
    }
    return sql.join("\n");
  }
  extractUntilEmpty(): string[] {
    const values: string[] = [];
    while (this.current < this.length && this.at() !== "") {
      values.push(this.at());
      this.current++;
    }
    return values;
  }
}

export function parseStatement(
  lines: Lines,
  params: string[],
  line: number,
  conditions: LoopCondition[],
): TestRecord {
  const kind = params[0];
  const fail = (message: string): never => {
    throw new ParseError(message, line);
  };
  if (kind === undefined) fail("statement requires at least one parameter (statement ok/error)");
  if (kind !== "ok" && kind !== "error" && kind !== "maybe" && kind !== "debug") {
    fail("statement argument should be 'ok' or 'error");
  }
  const expect = kind as "ok" | "error" | "maybe" | "debug";
  lines.current++;
  const sql = lines.extractStatement();
  if (sql === "") fail("Unexpected empty statement text");
  const wantsMessage = expect === "error" || expect === "maybe";
  let expectedError = "";
  if (lines.current >= lines.length || lines.at() !== "----") {
    if (wantsMessage) {
      fail(
        "Failed to parse statement: statement error and maybe needs to have an expected error message",
      );
    }
  } else {
    if (!wantsMessage) {
      fail(
        "Failed to parse statement: only statement error or maybe can have an expected error message, not statement ok",
      );
    }
    lines.current++;
    expectedError = lines.extractUntilEmpty().join("\n");
  }
  return { kind: "statement", line, expect, sql, expectedError, connection: params[1], conditions };
}

export function parseQuery(
  lines: Lines,
  params: string[],
  line: number,
  conditions: LoopCondition[],
): TestRecord {
  const columnTypes = params[0] ?? "";
  if (columnTypes === "")
    throw new ParseError("query requires at least one parameter (query III)", line);
  const bad = [...columnTypes].find((c) => c !== "T" && c !== "I" && c !== "R");
  if (bad !== undefined) {
    throw new ParseError(
      `unknown type character '${bad}' in string, expected T, I or R only`,
      line,
    );
  }
  lines.current++;
  const sql = lines.extractStatement();
  if (lines.at() === "----") lines.current++;
  const expected = lines.extractUntilEmpty();
  let sortStyle: SortStyle = "nosort";
  let connection: string | undefined;
  if (params[1] !== undefined) {
    // An unknown sort style names a connection instead.
    const parsed = SORT_STYLES[params[1]];
    if (parsed === undefined) connection = params[1];
    else sortStyle = parsed;
  }
  return {
    kind: "query",
    line,
    columnTypes,
    sql,
    expected,
    sortStyle,
    connection,
    label: params[2],
    conditions,
  };
}
