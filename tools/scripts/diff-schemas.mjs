#!/usr/bin/env node
/**
 * Compare our VGI message schemas with a reference file of generated schemas.
 *
 *   node tools/scripts/diff-schemas.mjs <reference-schemas.ts> [--module <messages entry>]
 *
 * The reference is read at run time — nothing of it is kept here. It is expected to
 * hold blocks introduced by a `// Origin: <Name>` (or `// Origin: method '<m>'
 * params|result`) comment, each followed by `schema([ field("name", <type>, <nullable>),
 * ... ])`. Our side is `packages/protocol/src/messages/index.ts`, bundled on the fly
 * with esbuild (already in node_modules via vite/tsup) so no build step is needed.
 *
 * Prints every difference — missing message, missing/extra field, field order, type,
 * nullability, methods only on one side — and exits 1 if there is any.
 */
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Type, TimeUnit } from "apache-arrow";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

// ---------------------------------------------------------------- reference side

/** Tokens: identifiers (with dots), strings, punctuation. */
function tokenize(text) {
  const tokens = [];
  const re =
    /\s+|\/\/[^\n]*|("(?:[^"\\]|\\.)*")|([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)|(-?\d+)|([()[\],])/gy;
  let m;
  while (re.lastIndex < text.length) {
    const at = re.lastIndex;
    m = re.exec(text);
    if (m === null) throw new Error(`cannot tokenize at: ${text.slice(at, at + 40)}`);
    if (m[1] !== undefined) tokens.push({ kind: "string", value: JSON.parse(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: "ident", value: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: "number", value: Number(m[3]) });
    else if (m[4] !== undefined) tokens.push({ kind: "punct", value: m[4] });
  }
  return tokens;
}

/** Parse `f(a, b)`, `[x, y]`, identifiers, strings and booleans into a small AST. */
function parseExpression(tokens) {
  let i = 0;
  const peek = () => tokens[i];
  const expect = (value) => {
    const t = tokens[i++];
    if (t === undefined || t.value !== value)
      throw new Error(`expected '${value}', got ${t ? t.value : "end"}`);
  };
  const list = (close) => {
    const items = [];
    if (peek()?.value === close) {
      i++;
      return items;
    }
    for (;;) {
      items.push(expr());
      const t = tokens[i++];
      if (t?.value === close) return items;
      if (t?.value !== ",")
        throw new Error(`expected ',' or '${close}', got ${t ? t.value : "end"}`);
      if (peek()?.value === close) {
        i++;
        return items; // trailing comma
      }
    }
  };
  const expr = () => {
    const t = tokens[i++];
    if (t === undefined) throw new Error("unexpected end");
    if (t.kind === "string" || t.kind === "number") return { kind: "literal", value: t.value };
    if (t.value === "[") return { kind: "array", items: list("]") };
    if (t.kind === "ident") {
      if (t.value === "true" || t.value === "false")
        return { kind: "literal", value: t.value === "true" };
      if (peek()?.value === "(") {
        expect("(");
        return { kind: "call", name: t.value, args: list(")") };
      }
      return { kind: "ref", name: t.value };
    }
    throw new Error(`unexpected '${t.value}'`);
  };
  const result = expr();
  if (i !== tokens.length) throw new Error(`trailing tokens after expression`);
  return result;
}

const SIMPLE = new Set([
  "utf8",
  "binary",
  "largeBinary",
  "bool",
  "int16",
  "int32",
  "int64",
  "uint64",
  "float64",
]);
const UNIT_NAMES = { SECOND: "s", MILLISECOND: "ms", MICROSECOND: "us", NANOSECOND: "ns" };

function refField(node) {
  if (node.kind !== "call" || node.name !== "field")
    throw new Error(`expected field(...), got ${describe(node)}`);
  const [name, type, nullable] = node.args;
  return {
    name: name.value,
    type: refType(type),
    nullable: nullable === undefined ? true : nullable.value,
  };
}

function refType(node) {
  if (node.kind !== "call") throw new Error(`expected a type call, got ${describe(node)}`);
  const a = node.args;
  if (SIMPLE.has(node.name) && a.length === 0) return node.name;
  switch (node.name) {
    case "list":
      return `list<${fieldText(refField(a[0]))}>`;
    case "map":
      return `map<${fieldText(refField(a[0]))}, ${fieldText(refField(a[1]))}${a[2]?.value ? ", sorted" : ""}>`;
    case "struct":
      return `struct<${a[0].items.map((f) => fieldText(refField(f))).join(", ")}>`;
    case "dictionary":
      return `dictionary<values=${refType(a[0])}, indices=${refType(a[1])}>`;
    case "timestamp": {
      const unit = a[0].name.split(".").pop();
      return `timestamp[${UNIT_NAMES[unit] ?? unit}, ${a[1]?.value ?? ""}]`;
    }
    default:
      throw new Error(`unknown type constructor ${node.name}()`);
  }
}

function describe(node) {
  return node.kind === "call" ? `${node.name}(...)` : (node.name ?? JSON.stringify(node.value));
}

const fieldText = (f) => `${f.name}: ${f.type}${f.nullable ? "" : " not null"}`;

/** Map origin -> [{name, type, nullable}] from the reference file's text. */
function parseReference(text) {
  const blocks = new Map();
  const re = /\/\/ Origin: ([^\n]+)\n[^\n]*?schema\(/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    const origin = m[1].trim();
    // Find the matching ')' of schema( ... ) by depth counting outside strings.
    let depth = 1;
    let j = re.lastIndex;
    let inString = false;
    for (; j < text.length && depth > 0; j++) {
      const c = text[j];
      if (inString) {
        if (c === "\\") j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "(") depth++;
      else if (c === ")") depth--;
    }
    const inner = text.slice(re.lastIndex, j - 1);
    const ast = parseExpression(tokenize(inner));
    if (ast.kind !== "array") throw new Error(`${origin}: schema() argument is not an array`);
    try {
      blocks.set(origin, ast.items.map(refField));
    } catch (error) {
      throw new Error(`${origin}: ${error.message}`, { cause: error });
    }
  }
  return blocks;
}

// ---------------------------------------------------------------- our side

async function loadMessages(entry) {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    throw new Error("esbuild is not installed (it normally comes with vite/tsup)");
  }
  const dir = mkdtempSync(join(tmpdir(), "vgi-diff-schemas-"));
  const outfile = join(dir, "messages.mjs");
  try {
    await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      format: "esm",
      platform: "node",
      outfile,
      logLevel: "error",
      conditions: ["source"],
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const UNITS = {
  [TimeUnit.SECOND]: "s",
  [TimeUnit.MILLISECOND]: "ms",
  [TimeUnit.MICROSECOND]: "us",
  [TimeUnit.NANOSECOND]: "ns",
};

/** Render an Arrow DataType in the same notation as `refType`. */
function ourType(t) {
  switch (t.typeId) {
    case Type.Utf8:
      return "utf8";
    case Type.Binary:
      return "binary";
    case Type.LargeBinary:
      return "largeBinary";
    case Type.Bool:
      return "bool";
    case Type.Int:
      return `${t.isSigned ? "int" : "uint"}${t.bitWidth}`;
    case Type.Float:
      return `float${[16, 32, 64][t.precision]}`;
    case Type.List:
      return `list<${ourField(t.children[0])}>`;
    case Type.Map: {
      const [k, v] = t.children[0].type.children;
      return `map<${ourField(k)}, ${ourField(v)}${t.keysSorted ? ", sorted" : ""}>`;
    }
    case Type.Struct:
      return `struct<${t.children.map(ourField).join(", ")}>`;
    case Type.Dictionary:
      return `dictionary<values=${ourType(t.dictionary)}, indices=${ourType(t.indices)}>`;
    case Type.Timestamp:
      return `timestamp[${UNITS[t.unit]}, ${t.timezone ?? ""}]`;
    default:
      return `unsupported(${String(t)})`;
  }
}

const ourField = (f) => `${f.name}: ${ourType(f.type)}${f.nullable ? "" : " not null"}`;

/** Map origin -> our Arrow fields, for everything the reference could name. */
function ourSchemas(mod) {
  const byOrigin = new Map();
  for (const value of Object.values(mod)) {
    if (
      value &&
      typeof value === "object" &&
      typeof value.name === "string" &&
      value.schema?.fields
    ) {
      byOrigin.set(value.name, value.schema.fields);
    }
  }
  const methods = mod.METHODS ?? {};
  for (const [name, spec] of Object.entries(methods)) {
    byOrigin.set(`method '${name}' params`, spec.params.schema.fields);
    if (spec.kind === "unary" && spec.returns.type === "message") {
      byOrigin.set(`method '${name}' result`, spec.returns.message.schema.fields);
    }
  }
  return { byOrigin, methods };
}

// ---------------------------------------------------------------- compare

function compareFields(origin, ref, ours, report) {
  const ourNames = ours.map((f) => f.name);
  const refNames = ref.map((f) => f.name);
  for (const f of ref) {
    const o = ours.find((x) => x.name === f.name);
    if (o === undefined) {
      report(`${origin}: missing field '${f.name}' (${f.type}${f.nullable ? ", nullable" : ""})`);
      continue;
    }
    const type = ourType(o.type);
    if (type !== f.type) report(`${origin}.${f.name}: type ${type}, reference ${f.type}`);
    if (o.nullable !== f.nullable)
      report(`${origin}.${f.name}: nullable=${o.nullable}, reference nullable=${f.nullable}`);
  }
  for (const name of ourNames) {
    if (!refNames.includes(name)) report(`${origin}: extra field '${name}' not in reference`);
  }
  const common = refNames.filter((n) => ourNames.includes(n));
  const ourOrder = ourNames.filter((n) => refNames.includes(n));
  if (common.join(",") !== ourOrder.join(",")) {
    report(`${origin}: field order [${ourOrder.join(", ")}], reference [${common.join(", ")}]`);
  }
}

async function main() {
  const args = process.argv.slice(2);
  const moduleFlag = args.indexOf("--module");
  const entry = resolve(
    moduleFlag >= 0
      ? args[moduleFlag + 1]
      : join(repoRoot, "packages/protocol/src/messages/index.ts"),
  );
  const refPath = args.find(
    (a, i) => !a.startsWith("--") && (moduleFlag < 0 || i !== moduleFlag + 1),
  );
  if (refPath === undefined) {
    console.error("usage: diff-schemas.mjs <reference-schemas.ts> [--module <messages entry>]");
    process.exit(2);
  }

  const reference = parseReference(readFileSync(refPath, "utf8"));
  if (reference.size === 0) {
    console.error(`no '// Origin:' schema blocks found in ${refPath}`);
    process.exit(2);
  }
  const { byOrigin, methods } = ourSchemas(await loadMessages(entry));

  const differences = [];
  const report = (line) => differences.push(line);

  for (const [origin, refFields] of reference) {
    const ours = byOrigin.get(origin);
    if (ours === undefined) report(`${origin}: missing message`);
    else compareFields(origin, refFields, ours, report);
  }

  // Method sets: every method the reference declares params for, and no more.
  const refMethods = new Set(
    [...reference.keys()].flatMap((o) => /^method '(.+)' params$/.exec(o)?.slice(1) ?? []),
  );
  for (const name of Object.keys(methods)) {
    if (!refMethods.has(name)) report(`method '${name}': not in reference`);
    const spec = methods[name];
    const declaresResult = reference.has(`method '${name}' result`);
    // A method may return a message the reference declares as a struct of its own.
    const message =
      spec.kind === "unary" && spec.returns.type === "message" ? spec.returns.message : undefined;
    if (message !== undefined && !declaresResult && !reference.has(message.name)) {
      report(`method '${name}': returns ${message.name}, which the reference does not declare`);
    }
  }

  for (const line of differences) console.log(line);
  console.log(
    `${reference.size} reference schemas, ${refMethods.size} methods compared: ` +
      `${differences.length} difference${differences.length === 1 ? "" : "s"}`,
  );
  process.exit(differences.length === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
