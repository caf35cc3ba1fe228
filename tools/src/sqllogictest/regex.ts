/**
 * `<REGEX>:` / `<!REGEX>:` matching as DuckDB's runner does it: an RE2 pattern
 * with dot_nl enabled that must match the whole text (RE2::FullMatch).
 *
 * JavaScript's engine differs from RE2 in syntax only at the edges; the
 * translation below covers what sqllogictests use: leading inline flags such
 * as `(?s)` / `(?i)`, flag groups `(?i:...)`, `\A` / `\z`, `(?P<name>...)`,
 * `\Q...\E` and POSIX classes like `[[:digit:]]`.
 */

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

export interface TranslatedRegex {
  source: string;
  flags: string;
}

/** Translates an RE2 pattern to an equivalent JavaScript full-match regex. */
export function translateRe2(pattern: string): TranslatedRegex {
  const flags = new Set(["s"]);
  let body = pattern;
  // Leading inline flags apply to the whole pattern: map them to JS flags.
  for (;;) {
    const leading = /^\(\?([imsU]+)\)/.exec(body);
    if (!leading) break;
    for (const flag of leading[1] ?? "") if (flag === "i" || flag === "m") flags.add(flag);
    body = body.slice(leading[0].length);
  }
  body = body
    .replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_, literal: string) =>
      literal.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"),
    )
    .replace(/\(\?P</g, "(?<")
    .replace(/\\A/g, "(?<![\\s\\S])")
    .replace(/\\z/g, "(?![\\s\\S])")
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, negate: string, name: string) => {
      const range = POSIX_CLASSES[name];
      if (range === undefined || negate === "^") return whole;
      return range;
    })
    // Flag groups such as (?i:...) have no JS equivalent before Node 23: apply
    // a case-insensitive group's flag to the whole pattern and keep the group.
    .replace(/\(\?([imsU]+)(?:-[imsU]+)?:/g, (_, groupFlags: string) => {
      if (groupFlags.includes("i")) flags.add("i");
      return "(?:";
    })
    // Inline flags in the middle of a pattern: same approximation.
    .replace(/\(\?([imsU]+)\)/g, (_, inline: string) => {
      if (inline.includes("i")) flags.add("i");
      return "";
    });
  // Anchor to the whole input even under the `m` flag, where ^/$ match at lines.
  const source = `(?<![\\s\\S])(?:${body})(?![\\s\\S])`;
  return { source, flags: [...flags].sort().join("") };
}

export type RegexOutcome = { ok: true; matches: boolean } | { ok: false; error: string };

/** Full-match `text` against an RE2 pattern. */
export function re2FullMatch(pattern: string, text: string): RegexOutcome {
  const { source, flags } = translateRe2(pattern);
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (error) {
    return { ok: false, error: `Failed to parse regex: ${(error as Error).message}` };
  }
  return { ok: true, matches: regex.test(text) };
}

export const REGEX_PREFIX = "<REGEX>:";
export const NOT_REGEX_PREFIX = "<!REGEX>:";

export function isRegexExpectation(expected: string): boolean {
  return expected.startsWith(REGEX_PREFIX) || expected.startsWith(NOT_REGEX_PREFIX);
}

/**
 * TestResultHelper::MatchesRegex: true when `actual` matches a `<REGEX>:`
 * expectation or does not match a `<!REGEX>:` one; false also when the
 * pattern does not compile (DuckDB reports that as a test error).
 */
export function matchesRegexExpectation(actual: string, expected: string): boolean {
  const wantMatch = expected.startsWith(REGEX_PREFIX);
  // DuckDB strips both markers wherever they occur, not only as a prefix.
  const pattern = expected.split(REGEX_PREFIX).join("").split(NOT_REGEX_PREFIX).join("");
  const outcome = re2FullMatch(pattern, actual);
  if (!outcome.ok) return false;
  return outcome.matches === wantMatch;
}
