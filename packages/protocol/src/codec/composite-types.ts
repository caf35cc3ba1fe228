import {
  DataType,
  Dictionary,
  Field,
  Int16,
  List,
  MapRow,
  Map_,
  Struct,
  Utf8,
  Vector,
} from "apache-arrow";
import { FieldType } from "./field-type.js";
import { CodecIssue, describeValue, prependPath } from "./issue.js";
import { utf8 } from "./scalar-types.js";

/**
 * `list(item)`. On the wire the item field is always `item`, nullable — that is how
 * every VGI list is declared. Whether a null *item* is legal in TS is a separate
 * choice: `list(utf8)` gives `string[]` and rejects null items when decoding,
 * `list(utf8.nullable())` gives `(string | null)[]`. Both have the same Arrow schema.
 */
export class ListType<Out, In> extends FieldType<Out[], readonly In[]> {
  readonly isNullable = false;

  constructor(readonly item: FieldType<Out, In>) {
    super();
  }
  describe(): string {
    return `list<${this.item.describe()}>`;
  }
  arrowType(): DataType {
    return new List(new Field("item", this.item.arrowType(), true));
  }
  accepts(type: DataType): boolean {
    const child =
      DataType.isList(type) || DataType.isLargeList(type) ? type.children[0] : undefined;
    return child !== undefined && this.item.accepts(child.type);
  }
  toArrow(value: unknown): unknown {
    if (!Array.isArray(value))
      throw new CodecIssue(`expected an array, got ${describeValue(value)}`);
    if (!this.item.isNullable) {
      for (let i = 0; i < value.length; i++) {
        if (value[i] === null || value[i] === undefined) {
          throw itemIssue(`expected non-null ${this.item.describe()}, got null`, i);
        }
      }
    }
    return this.item.toArrowMany(value);
  }
  fromArrow(value: unknown): Out[] {
    if (!(value instanceof Vector))
      throw new CodecIssue(`expected a list value, got ${describeValue(value)}`);
    const out = new Array<Out>(value.length);
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value.get(i);
      if (v === null || v === undefined) {
        if (!this.item.isNullable)
          throw itemIssue(`expected non-null ${this.item.describe()}, got null`, i);
        out[i] = null as Out;
        continue;
      }
      try {
        out[i] = this.item.fromArrow(v);
      } catch (error) {
        prependPath(error, `[${i}]`);
      }
    }
    return out;
  }
}

function itemIssue(detail: string, index: number): CodecIssue {
  const issue = new CodecIssue(detail);
  issue.path.push(`[${index}]`);
  return issue;
}

export function list<Out, In>(item: FieldType<Out, In>): ListType<Out, In> {
  return new ListType(item);
}

/**
 * `map(key, value)` as a plain `Record<string, V>` — every VGI map is keyed by utf8,
 * and records are what callers write (`tags: { owner: "ops" }`). Encode also takes a
 * `Map`. Wire shape: `map<entries: struct<key: K not null, value: V nullable>>`,
 * unsorted. As with lists, the TS value type decides whether null values are legal.
 * Decoding a map with duplicate keys keeps the last value (as Python's dict() does);
 * keys are added with define semantics, so `__proto__` is just a key.
 */
export class MapType<Out, In> extends FieldType<
  Record<string, Out>,
  Readonly<Record<string, In>> | ReadonlyMap<string, In>
> {
  readonly isNullable = false;

  constructor(
    readonly key: FieldType<string>,
    readonly value: FieldType<Out, In>,
  ) {
    super();
  }
  describe(): string {
    return `map<${this.key.describe()}, ${this.value.describe()}>`;
  }
  arrowType(): DataType {
    const entries = new Struct([
      new Field("key", this.key.arrowType(), false),
      new Field("value", this.value.arrowType(), true),
    ]);
    return new Map_(new Field("entries", entries, false), false);
  }
  accepts(type: DataType): boolean {
    if (!DataType.isMap(type)) return false;
    const [k, v] = type.children[0]?.type.children ?? [];
    return (
      k !== undefined && v !== undefined && this.key.accepts(k.type) && this.value.accepts(v.type)
    );
  }
  toArrow(value: unknown): unknown {
    let entries: Iterable<[unknown, unknown]>;
    if (value instanceof Map) entries = value.entries();
    else if (typeof value === "object" && value !== null && !Array.isArray(value))
      entries = Object.entries(value);
    else throw new CodecIssue(`expected a record or Map, got ${describeValue(value)}`);
    // Arrow's map builder takes a JS Map.
    const out = new Map<unknown, unknown>();
    for (const [k, v] of entries) {
      const segment = `[${JSON.stringify(String(k))}]`;
      try {
        const key = this.key.toArrow(k);
        if (v === null || v === undefined) {
          if (!this.value.isNullable)
            throw new CodecIssue(`expected non-null ${this.value.describe()}, got null`);
          out.set(key, null);
        } else {
          out.set(key, this.value.toArrow(v));
        }
      } catch (error) {
        prependPath(error, segment);
      }
    }
    return out;
  }
  fromArrow(value: unknown): Record<string, Out> {
    // MapRow is a Proxy whose `has` trap hides Symbol.iterator, so test the class.
    if (!(value instanceof MapRow)) {
      throw new CodecIssue(`expected a map value, got ${describeValue(value)}`);
    }
    const entries: [string, Out][] = [];
    for (const entry of value as Iterable<unknown>) {
      const [k, v] = Array.isArray(entry) ? (entry as unknown[]) : [];
      if (k === null || k === undefined) throw new CodecIssue("map key is null");
      const key = this.key.fromArrow(k);
      try {
        if (v === null || v === undefined) {
          if (!this.value.isNullable)
            throw new CodecIssue(`expected non-null ${this.value.describe()}, got null`);
          entries.push([key, null as Out]);
        } else {
          entries.push([key, this.value.fromArrow(v)]);
        }
      } catch (error) {
        prependPath(error, `[${JSON.stringify(key)}]`);
      }
    }
    return Object.fromEntries(entries);
  }
}

export function map<Out, In>(key: FieldType<string>, value: FieldType<Out, In>): MapType<Out, In> {
  return new MapType(key, value);
}

const isTextType = (t: DataType): boolean => utf8.accepts(t);

/**
 * A closed set of names. `dictionary` mode is VGI's enum encoding —
 * `dictionary<values: utf8, indices: int16>` holding the member NAME; `utf8` mode is a
 * plain string column whose values are still checked against the set.
 */
export class EnumType<M extends string> extends FieldType<M> {
  readonly isNullable = false;
  private readonly memberSet: ReadonlySet<string>;

  constructor(
    readonly members: readonly M[],
    readonly encoding: "dictionary" | "utf8",
  ) {
    super();
    this.memberSet = new Set(members);
  }
  describe(): string {
    const kind = this.encoding === "dictionary" ? "dictionary<int16, utf8>" : "utf8";
    return `${kind} enum{${this.members.join(",")}}`;
  }
  arrowType(): DataType {
    return this.encoding === "dictionary" ? new Dictionary(new Utf8(), new Int16()) : new Utf8();
  }
  /** Reading accepts either encoding, and any integer dictionary index. */
  accepts(type: DataType): boolean {
    if (DataType.isDictionary(type)) return isTextType(type.dictionary);
    return isTextType(type);
  }
  toArrow(value: unknown): unknown {
    return this.check(value);
  }
  fromArrow(value: unknown): M {
    return this.check(value);
  }
  /** Narrow an arbitrary value to a member, or throw. */
  check(value: unknown): M {
    if (typeof value !== "string" || !this.memberSet.has(value)) {
      throw new CodecIssue(
        `expected one of ${this.members.join("|")}, got ${describeValue(value)}`,
      );
    }
    return value as M;
  }
}

/** A VGI enum field: `dictionary(utf8, int16)` carrying the member name. */
export function enumOf<const M extends string>(members: readonly M[]): EnumType<M> {
  return new EnumType(members, "dictionary");
}

/** A string-literal union carried as plain utf8 (e.g. `argument_monotonicity` items). */
export function textEnum<const M extends string>(members: readonly M[]): EnumType<M> {
  return new EnumType(members, "utf8");
}
