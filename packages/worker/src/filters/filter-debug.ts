/**
 * `VGI_FILTER_DEBUG=1` (or true/yes): one stderr line per decode, parse and evaluate
 * step, `vgi.filter_pushdown <event> key=value ...`, as the reference SDK logs them.
 * Off, it costs one boolean test per call site.
 */
export const FILTER_DEBUG = ["1", "true", "yes"].includes(
  (process.env.VGI_FILTER_DEBUG ?? "").toLowerCase(),
);

export function filterDebug(event: string, fields: Record<string, unknown> = {}): void {
  const extra = Object.entries(fields)
    .map(
      ([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value, big)}`,
    )
    .join(" ");
  process.stderr.write(`vgi.filter_pushdown ${event}${extra ? ` ${extra}` : ""}\n`);
}

function big(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
