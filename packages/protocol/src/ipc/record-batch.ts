/**
 * A cheap `RecordBatch` constructor for hot paths. arrow-js's own constructor re-checks
 * every column length, clones the schema (`schema.assign`) and builds a new Struct type
 * per batch, which costs more than a 2048-row batch of data when done thousands of times.
 * Here the caller guarantees the columns match the schema and each has `length` rows.
 */
import { Data, RecordBatch, Struct, makeData, type Schema } from "apache-arrow";
import { EMPTY_BYTES } from "./flat-layout.js";

const structTypes = new WeakMap<Schema, Struct>();

function structOf(schema: Schema): Struct {
  let type = structTypes.get(schema);
  if (type === undefined) {
    type = new Struct(schema.fields);
    structTypes.set(schema, type);
  }
  return type;
}

interface RecordBatchFields {
  schema: Schema;
  data: Data<Struct>;
  _metadata: Map<string, string>;
}

/** Whether the field layout below still matches the installed arrow-js (checked once). */
let layoutVerified: boolean | null = null;

/**
 * A batch of `length` rows on `schema` from one Data per field, with `metadata` as its
 * custom metadata. The schema object is kept as is (no per-batch clone), so encoders can
 * recognise it by identity.
 */
export function makeRecordBatch(
  schema: Schema,
  length: number,
  children: readonly Data[],
  metadata: Map<string, string> = new Map(),
): RecordBatch {
  // The struct Data makeData would build, without its visitor dispatch.
  const data = new Data(
    structOf(schema),
    0,
    length,
    0,
    [undefined, undefined, EMPTY_BYTES],
    [...children],
  ) as Data<Struct>;
  if (layoutVerified === null) layoutVerified = verifyLayout();
  if (!layoutVerified) return new RecordBatch(schema, data, metadata);
  const batch = Object.create(RecordBatch.prototype) as RecordBatch & RecordBatchFields;
  batch.schema = schema;
  batch.data = data;
  batch._metadata = metadata;
  return batch;
}

function verifyLayout(): boolean {
  const schema = { fields: [] } as unknown as Schema;
  const data = makeData({ type: new Struct([]), length: 3, children: [], nullCount: 0 });
  const metadata = new Map([["k", "v"]]);
  const batch = Object.create(RecordBatch.prototype) as RecordBatch & RecordBatchFields;
  batch.schema = schema;
  batch.data = data;
  batch._metadata = metadata;
  try {
    return (
      batch.numRows === 3 &&
      batch.metadata === metadata &&
      batch.schema === schema &&
      batch.numCols === 0 &&
      batch instanceof RecordBatch
    );
  } catch {
    return false;
  }
}
