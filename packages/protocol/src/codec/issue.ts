/**
 * Internal plumbing for codec errors.
 *
 * Field descriptors do not know whether they are encoding a value we built (a bug on
 * our side: `TypeMismatchError`) or decoding bytes a peer sent (`MalformedRequestError`),
 * and they do not know where in the message they sit. So they throw a `CodecIssue`
 * carrying only the local problem; each container (message, struct, list, map) prepends
 * its path segment while the issue unwinds, and the message codec converts it into the
 * public error class with the full path.
 */

export class CodecIssue extends Error {
  /** Path from the message root, e.g. `["examples", "[2]", "sql"]`. */
  readonly path: string[] = [];

  constructor(readonly detail: string) {
    super(detail);
    this.name = "CodecIssue";
  }
}

/** Re-throw `error` with `segment` prepended to its path if it is a CodecIssue. */
export function prependPath(error: unknown, segment: string): never {
  if (error instanceof CodecIssue) {
    error.path.unshift(segment);
    throw error;
  }
  throw error;
}

/** Render a path as `examples[2].sql`. */
export function formatPath(path: readonly string[]): string {
  let out = "";
  for (const segment of path) {
    if (segment.startsWith("[")) out += segment;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** A short, safe description of an arbitrary JS value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "string":
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case "number":
    case "boolean":
      return `${typeof value} ${String(value)}`;
    case "bigint":
      return `bigint ${value}n`;
    case "object": {
      if (Array.isArray(value)) return `array(${value.length})`;
      if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
      const ctor = (value as { constructor?: { name?: unknown } }).constructor?.name;
      return typeof ctor === "string" && ctor !== "" ? `object ${ctor}` : "object";
    }
    default:
      return typeof value;
  }
}
