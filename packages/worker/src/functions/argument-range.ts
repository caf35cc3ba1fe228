/**
 * Argument ranges (`range: "[0, +inf)"`) and choices, enforced at bind: DuckDB shows
 * them but does not enforce them for table functions.
 */
import { ErrorKind, VgiError } from "@vgi-ts/protocol";
import { type ArgumentSpec } from "./argument-spec.js";

interface RangeBounds {
  readonly low: { readonly value: number; readonly text: string; readonly open: boolean } | null;
  readonly high: { readonly value: number; readonly text: string; readonly open: boolean } | null;
}

/** Interval notation as advertised in `vgi_range`: `[0, +inf)`, `(0.0, 1]`, `[1, 10)`. */
function parseRange(range: string): RangeBounds | null {
  const match = /^\s*([[(])\s*([^,]+?)\s*,\s*([^\])]+?)\s*([\])])\s*$/.exec(range);
  if (match === null) return null;
  const bound = (text: string, open: boolean) => {
    if (/^[-+]?inf$/i.test(text)) return null;
    const value = Number(text);
    return Number.isNaN(value) ? null : { value, text, open };
  };
  return { low: bound(match[2]!, match[1] === "("), high: bound(match[3]!, match[4] === ")") };
}

function rangeProblem(value: unknown, { low, high }: RangeBounds): string | null {
  if (value === null || value === undefined) return "cannot be NULL";
  if (typeof value !== "number" && typeof value !== "bigint") return null;
  const n = Number(value);
  if (low !== null && (low.open ? !(n > low.value) : !(n >= low.value))) {
    return `must be ${low.open ? ">" : ">="} ${low.text} (got ${String(value)})`;
  }
  if (high !== null && (high.open ? !(n < high.value) : !(n <= high.value))) {
    return `must be ${high.open ? "<" : "<="} ${high.text} (got ${String(value)})`;
  }
  return null;
}

/**
 * A declared `range` is enforced at bind, not only advertised: a value outside it, or
 * NULL (which no range contains), is rejected before any row is produced, instead of
 * reaching `produce` as a zero batch size that never finishes.
 */
export function checkArgumentRanges(
  functionName: string,
  specs: readonly ArgumentSpec[],
  args: Readonly<Record<string, unknown>>,
): void {
  for (const spec of specs) {
    const chosen = args[spec.name];
    if (spec.choices !== undefined && chosen !== null && chosen !== undefined) {
      // DuckDB shows the choices but does not enforce them for table functions.
      if (!spec.choices.includes(String(chosen))) {
        throw new VgiError(
          ErrorKind.InvalidArgument,
          `${functionName}: argument '${spec.name}' must be one of the allowed choices: ` +
            `${spec.choices.join(", ")} (got ${String(chosen)})`,
        );
      }
    }
    if (spec.range === undefined) continue;
    const bounds = parseRange(spec.range);
    if (bounds === null) continue;
    const raw = args[spec.name];
    const values = spec.varargs === true && Array.isArray(raw) ? raw : [raw];
    for (const value of values) {
      const problem = rangeProblem(value, bounds);
      if (problem === null) continue;
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `${functionName}: argument '${spec.name}' ${problem} (allowed: ${spec.range})`,
      );
    }
  }
}
