/**
 * Text substitution in SQL and expectations, as DuckDB's runner does it:
 * `${NAME}` and `{NAME}` for variables declared by require-env / test-env
 * (plus WORKING_DIR, TEST_NAME, TEST_NAME__NO_SLASH), the test-path keywords
 * (__TEST_DIR__, __WORKING_DIRECTORY__, {TEST_DIR}, {UUID}, ...), and loop
 * iterators `${i}` replaced at execution time.
 */
import { randomUUID } from "node:crypto";

export interface RunningLoop {
  iterator: string;
  /** The current iteration's value (the number for `loop`, the token for `foreach`). */
  value: string;
  /** Set by `continue`: abandon the rest of this iteration. */
  skipped: boolean;
}

export class Keywords {
  /** Declared variables, in declaration order. */
  readonly variables = new Map<string, string>();

  constructor(
    readonly testDir: string,
    readonly workingDir: string,
    readonly testName: string,
  ) {
    this.variables.set("WORKING_DIR", workingDir);
    this.variables.set("TEST_NAME", testName);
    this.variables.set("TEST_NAME__NO_SLASH", testName.replace(/\//g, "_"));
  }

  /** ReplaceKeywords: variables first, then the path keywords. */
  replace(input: string): string {
    let text = input;
    for (const [name, value] of this.variables) {
      text = text.split(`\${${name}}`).join(value).split(`{${name}}`).join(value);
    }
    return text
      .split("{TEST_DIR}")
      .join(this.testDir)
      .replace(/\{UUID\}/g, () => randomUUID())
      .split("{TEST_NAME}")
      .join(this.testName)
      .split("{BASE_TEST_NAME}")
      .join(this.testName.replace(/\//g, "_"))
      .split("__TEST_DIR__")
      .join(this.testDir)
      .split("__WORKING_DIRECTORY__")
      .join(this.workingDir);
  }
}

/** LoopReplacement: `${i}` for every running loop; "a,b" iterators split values on commas. */
export function replaceLoopVariables(input: string, loops: readonly RunningLoop[]): string {
  let text = input;
  for (const loop of loops) {
    const names = loop.iterator.includes(",") ? loop.iterator.split(",") : [loop.iterator];
    const values = loop.iterator.includes(",") ? loop.value.split(",") : [loop.value];
    if (names.length !== values.length) {
      throw new Error(
        `foreach loop: number of commas in loop iterator (${loop.iterator}) does not match number of commas in replacement (${loop.value})`,
      );
    }
    names.forEach((name, i) => {
      text = text.split(`\${${name}}`).join(values[i] ?? "");
    });
  }
  return text;
}
