/**
 * A strict, bounded JSON reader for `vgi.filters.v2` documents. `JSON.parse` silently
 * keeps the last of duplicate object keys and has no nesting limit; the filter encoding
 * forbids duplicates, and a hostile document must not exhaust the stack. This reader
 * rejects both, plus anything outside RFC 8259 (trailing data, control characters in
 * strings, lone surrogates are left to JSON.parse's string rules).
 */
import { FilterDecodeError } from "./filter-errors.js";

export interface StrictJsonLimits {
  /** Deepest array/object nesting accepted. */
  readonly maxNesting: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Parse `text` as one JSON value; throws `FilterDecodeError` on anything else. */
export function parseStrictJson(text: string, limits: StrictJsonLimits): unknown {
  const reader = new Reader(text, limits.maxNesting);
  const value = reader.value(0);
  reader.space();
  if (reader.offset !== text.length) throw reader.fail("trailing data after the document");
  return value;
}

class Reader {
  offset = 0;

  constructor(
    private readonly text: string,
    private readonly maxNesting: number,
  ) {}

  fail(message: string): FilterDecodeError {
    return new FilterDecodeError(`invalid filter JSON at offset ${this.offset}: ${message}`);
  }

  space(): void {
    const text = this.text;
    let i = this.offset;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.offset = i;
  }

  value(depth: number): unknown {
    this.space();
    const c = this.text.charCodeAt(this.offset);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth >= this.maxNesting) throw this.fail(`nesting deeper than ${this.maxNesting}`);
      return c === 0x7b ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === QUOTE) return this.string();
    if (this.text.startsWith("true", this.offset)) return this.word(4, true);
    if (this.text.startsWith("false", this.offset)) return this.word(5, false);
    if (this.text.startsWith("null", this.offset)) return this.word(4, null);
    NUMBER.lastIndex = this.offset;
    const match = NUMBER.exec(this.text);
    if (match === null) throw this.fail("expected a JSON value");
    this.offset += match[0].length;
    const number = Number(match[0]);
    if (!Number.isFinite(number)) throw this.fail("number out of range");
    return number;
  }

  private word(length: number, value: boolean | null): boolean | null {
    this.offset += length;
    return value;
  }

  private string(): string {
    const text = this.text;
    const start = this.offset;
    let i = start + 1;
    let escaped = false;
    for (;;) {
      if (i >= text.length) {
        this.offset = i;
        throw this.fail("unterminated string");
      }
      const c = text.charCodeAt(i);
      if (c < 0x20) {
        this.offset = i;
        throw this.fail("control character in string");
      }
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i += 2;
      } else i++;
    }
    this.offset = i + 1;
    if (!escaped) return text.slice(start + 1, i);
    try {
      return JSON.parse(text.slice(start, i + 1)) as string;
    } catch {
      this.offset = start;
      throw this.fail("invalid escape in string");
    }
  }

  private object(depth: number): Record<string, unknown> {
    this.offset++;
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    this.space();
    if (this.text.charCodeAt(this.offset) === 0x7d) {
      this.offset++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.text.charCodeAt(this.offset) !== QUOTE) throw this.fail("expected an object key");
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        throw this.fail(`duplicate object key ${JSON.stringify(key)}`);
      }
      this.space();
      if (this.text.charCodeAt(this.offset) !== 0x3a) throw this.fail("expected ':'");
      this.offset++;
      out[key] = this.value(depth);
      this.space();
      const separator = this.text.charCodeAt(this.offset++);
      if (separator === 0x7d) return out;
      if (separator !== 0x2c) {
        this.offset--;
        throw this.fail("expected ',' or '}'");
      }
    }
  }

  private array(depth: number): unknown[] {
    this.offset++;
    const out: unknown[] = [];
    this.space();
    if (this.text.charCodeAt(this.offset) === 0x5d) {
      this.offset++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.space();
      const separator = this.text.charCodeAt(this.offset++);
      if (separator === 0x5d) return out;
      if (separator !== 0x2c) {
        this.offset--;
        throw this.fail("expected ',' or ']'");
      }
    }
  }
}
