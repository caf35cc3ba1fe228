/**
 * Which test files a run covers: suites (every .test below a directory,
 * sorted), explicit files or directories, --files-from lists, --filter
 * (substring or glob) and an exclude list with reasons.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { TestFile } from "./scheduler.js";

export interface DiscoverOptions {
  suites: readonly string[];
  paths: readonly string[];
  filesFrom: readonly string[];
  filters: readonly string[];
  /** Contents of --exclude-file lists. */
  excludeLists: readonly string[];
  /** Directory that relative arguments and display names are relative to. */
  baseDir: string;
}

export interface Exclusion {
  file: TestFile;
  reason: string;
}

export interface Discovery {
  files: TestFile[];
  excluded: Exclusion[];
  /** Arguments that named nothing on disk. */
  missing: string[];
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

function walk(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(path));
    else if (entry.name.endsWith(".test") || entry.name.endsWith(".test_slow")) found.push(path);
  }
  return found.sort();
}

/** Glob → RegExp over posix paths: `**` spans directories, `*` and `?` do not. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? "";
    if (ch === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
      if (glob[i + 1] === "/") i++;
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`(^|/)${source}$`);
}

function isGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/**
 * True if `pattern` selects the file. Globs match whole trailing path
 * segments; otherwise "substring" mode matches anywhere in the path and
 * "path" mode matches a trailing path (file) or a directory in the path.
 */
export function matchesPattern(
  file: TestFile,
  pattern: string,
  mode: "substring" | "path" = "substring",
): boolean {
  const candidates = [toPosix(file.name), toPosix(file.path)];
  if (isGlob(pattern)) return candidates.some((c) => globToRegExp(pattern).test(c));
  if (mode === "substring") return candidates.some((c) => c.includes(pattern));
  const p = toPosix(pattern).replace(/^\.\//, "");
  const dir = p.endsWith("/") ? p : `${p}/`;
  return candidates.some(
    (c) => c === p || c.endsWith(`/${p}`) || c.startsWith(dir) || c.includes(`/${dir}`),
  );
}

/** Parses an exclude list: "path [reason...]" per line, # comments, blank lines ignored. */
export function parseExcludeList(text: string): { pattern: string; reason: string }[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
    .filter((line) => line !== "")
    .map((line) => {
      const [pattern = "", ...reason] = line.split(/\s+/);
      return { pattern, reason: reason.join(" ") || "excluded" };
    });
}

/** Lines of a --files-from list (# comments and blank lines ignored). */
export function parseFileList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^#.*$/, "").trim())
    .filter((line) => line !== "");
}

export function discover(options: DiscoverOptions): Discovery {
  const seen = new Map<string, TestFile>();
  const missing: string[] = [];
  const add = (path: string, root: string | undefined): void => {
    if (seen.has(path)) return;
    const rel = relative(options.baseDir, path);
    const name = rel.startsWith("..") || isAbsolute(rel) ? path : toPosix(rel);
    const groupPath = root === undefined ? name : toPosix(relative(root, path));
    const parts = groupPath.split("/");
    const group = parts.length > 1 && parts[0] !== "" ? (parts[0] ?? ".") : ".";
    seen.set(path, { path, name, group });
  };
  const addArgument = (arg: string): void => {
    const path = resolve(options.baseDir, arg);
    if (!existsSync(path)) {
      missing.push(arg);
      return;
    }
    if (statSync(path).isDirectory()) for (const file of walk(path)) add(file, path);
    else add(path, undefined);
  };
  for (const arg of [...options.suites, ...options.paths]) addArgument(arg);
  for (const list of options.filesFrom) for (const path of parseFileList(list)) addArgument(path);

  let files = [...seen.values()];
  if (options.filters.length > 0) {
    files = files.filter((file) => options.filters.some((f) => matchesPattern(file, f)));
  }
  const exclusions = options.excludeLists.flatMap(parseExcludeList);
  const excluded: Exclusion[] = [];
  files = files.filter((file) => {
    const hit = exclusions.find((e) => matchesPattern(file, e.pattern, "path"));
    if (hit === undefined) return true;
    excluded.push({ file, reason: hit.reason });
    return false;
  });
  return { files, excluded, missing };
}
