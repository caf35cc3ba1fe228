/**
 * Three-valued (Kleene) truth per row: one byte each, FALSE = 0, TRUE = 1, NULL = 2.
 * A row passes a filter only when its predicate is TRUE.
 */
export const FALSE = 0;
export const TRUE = 1;
export const NULL = 2;

export type Truth = Uint8Array;

export function constantTruth(length: number, value: number): Truth {
  return new Uint8Array(length).fill(value);
}

export function andInto(target: Truth, other: Truth): void {
  for (let i = 0; i < target.length; i++) {
    const a = target[i]!;
    const b = other[i]!;
    target[i] = a === FALSE || b === FALSE ? FALSE : a === NULL || b === NULL ? NULL : TRUE;
  }
}

export function orInto(target: Truth, other: Truth): void {
  for (let i = 0; i < target.length; i++) {
    const a = target[i]!;
    const b = other[i]!;
    target[i] = a === TRUE || b === TRUE ? TRUE : a === NULL || b === NULL ? NULL : FALSE;
  }
}

export function notInPlace(target: Truth): void {
  for (let i = 0; i < target.length; i++) {
    const a = target[i]!;
    if (a !== NULL) target[i] = a ^ 1;
  }
}

/** The truth of every row, computed one row at a time by `at`. */
export function fromRows(length: number, at: (index: number) => number): Truth {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = at(i);
  return out;
}
