/**
 * UNION(a T, b U, ...) as `{ tag, value }`. DuckDB sends and accepts only *sparse*
 * Arrow unions (a dense union result is rejected); dense ones are still read.
 * Arrow unions have no validity bitmap: a NULL union is a row whose selected member is
 * null, so `{ tag, value: null }` cannot be told apart from NULL and reads as null.
 */
import {
  DataType,
  SparseUnion,
  UnionMode,
  makeData,
  type Data,
  type Field,
  type Union,
} from "apache-arrow";
import { quoteIdent } from "./nested.js";
import {
  BaseSqlType,
  type AnySqlType,
  type InferSql,
  type InferSqlInput,
  type RowReader,
} from "./sql-type.js";
import { badValue } from "./validity.js";

export type UnionMembers = Readonly<Record<string, AnySqlType>>;
export type UnionValue<M extends UnionMembers> = {
  [K in keyof M & string]: { tag: K; value: InferSql<M[K]> };
}[keyof M & string];
export type UnionInput<M extends UnionMembers> = {
  [K in keyof M & string]: {
    readonly tag: K;
    readonly value: InferSqlInput<M[K]> | null | undefined;
  };
}[keyof M & string];

export class UnionType<M extends UnionMembers> extends BaseSqlType<UnionValue<M>, UnionInput<M>> {
  readonly id = "UNION";
  readonly sqlName: string;
  private readonly tags: string[];
  constructor(readonly members: M) {
    super();
    this.tags = Object.keys(members);
    if (this.tags.length === 0 || this.tags.length > 127) {
      throw new RangeError(`UNION needs 1..127 members, got ${this.tags.length}`);
    }
    this.sqlName = `UNION(${this.tags.map((k) => `${quoteIdent(k)} ${members[k]!.sqlName}`).join(", ")})`;
  }
  protected makeArrowType(): DataType {
    return new SparseUnion(
      this.tags.map((_, i) => i),
      this.tags.map((k) => this.members[k]!.field(k)),
    );
  }
  accepts(type: DataType): boolean {
    if (!DataType.isUnion(type) || type.children.length !== this.tags.length) return false;
    return this.tags.every((k) => {
      const f = type.children.find((c: Field) => c.name === k);
      return f !== undefined && this.members[k]!.accepts(f.type);
    });
  }
  protected chunkReader(data: Data): RowReader<UnionValue<M>> {
    const type = data.type as Union;
    const typeIds = data.typeIds as Int8Array;
    const dense = type.mode === UnionMode.Dense ? (data.valueOffsets as Int32Array) : null;
    // Per wire type id: our tag and a reader of the matching child.
    const byTypeId = new Map<number, { tag: string; read: RowReader<unknown> }>();
    type.children.forEach((f: Field, childIndex: number) => {
      byTypeId.set(type.typeIds[childIndex]!, {
        tag: f.name,
        read: this.members[f.name]!.reader(data.children[childIndex]!),
      });
    });
    return (i) => {
      const member = byTypeId.get(typeIds[i]!);
      if (member === undefined) return null;
      const value = member.read(dense === null ? i : dense[i]!);
      return value === null ? null : ({ tag: member.tag, value } as UnionValue<M>);
    };
  }
  build(values: readonly (UnionInput<M> | null | undefined)[]): Data {
    const n = values.length;
    const typeIds = new Int8Array(n);
    const columns = this.tags.map(() => new Array<unknown>(n).fill(null));
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v == null) continue;
      const at = typeof v === "object" ? this.tags.indexOf(v.tag) : -1;
      if (at < 0) throw badValue(this.sqlName, v, `tag must be one of ${this.tags.join(", ")}`);
      typeIds[i] = at;
      columns[at]![i] = v.value;
    }
    const children = this.tags.map((k, at) => this.members[k]!.build(columns[at]!));
    const type = this.arrowType() as SparseUnion;
    return makeData({ type, length: n, nullCount: 0, typeIds, children });
  }
}
