/**
 * `<FILE>:path` expected results: a '|'-separated CSV with a header row, read
 * as all-VARCHAR columns like DuckDB's LoadResultFromFile (empty unquoted
 * fields are NULL and compare as "NULL").
 */
import { readFileSync } from "node:fs";

function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') {
      quoted = true;
      wasQuoted = true;
    } else if (ch === "|") {
      fields.push(field === "" && !wasQuoted ? "NULL" : field);
      field = "";
      wasQuoted = false;
    } else field += ch;
  }
  fields.push(field === "" && !wasQuoted ? "NULL" : field);
  return fields;
}

/** Flattened (row-major) values of a result file, or why it could not be read. */
export function loadResultFile(
  path: string,
  columnCount: number,
): { values: string[] } | { error: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return { error: `Could not read CSV File "${path}": ${(error as Error).message}` };
  }
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  const values: string[] = [];
  for (const [index, line] of lines.slice(1).entries()) {
    const fields = splitCsvLine(line);
    if (fields.length !== columnCount) {
      return {
        error: `Could not read CSV File "${path}": line ${index + 2} has ${fields.length} columns, expected ${columnCount}`,
      };
    }
    values.push(...fields);
  }
  return { values };
}
