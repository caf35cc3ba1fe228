/**
 * Little-endian two's-complement integers of 4, 8 or 16 bytes (Arrow decimals, DuckDB
 * HUGEINT/UHUGEINT as `FixedSizeBinary(16)`), and the exact decimal text conversions.
 */

const MASK64 = (1n << 64n) - 1n;

/** A byte view over any typed array's memory (no copy). */
export function bytesOf(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Integer `index` of `width` bytes each, as stored in `bytes`. */
export function readIntLE(view: DataView, index: number, width: number, signed: boolean): bigint {
  const at = index * width;
  if (width === 16) {
    const lo = view.getBigUint64(at, true);
    const hi = view.getBigUint64(at + 8, true);
    const raw = (hi << 64n) | lo;
    return signed ? BigInt.asIntN(128, raw) : raw;
  }
  if (width === 8) return signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true);
  return BigInt(signed ? view.getInt32(at, true) : view.getUint32(at, true));
}

/** Write `value` (already range-checked) as a 16-byte little-endian integer. */
export function writeInt128LE(view: DataView, index: number, value: bigint): void {
  const raw = BigInt.asUintN(128, value);
  view.setBigUint64(index * 16, raw & MASK64, true);
  view.setBigUint64(index * 16 + 8, raw >> 64n, true);
}

export function dataViewOf(values: ArrayBufferView): DataView {
  return new DataView(values.buffer, values.byteOffset, values.byteLength);
}

export const INT128_MIN = -(1n << 127n);
export const INT128_MAX = (1n << 127n) - 1n;
export const UINT128_MAX = (1n << 128n) - 1n;

const POW10: bigint[] = [1n];
/** 10^n as a bigint (cached). */
export function pow10(n: number): bigint {
  while (POW10.length <= n) POW10.push(POW10[POW10.length - 1]! * 10n);
  return POW10[n]!;
}

/** `unscaled / 10^scale` as exact text with exactly `scale` decimals: (150n, 2) → "1.50". */
export function unscaledToDecimal(unscaled: bigint, scale: number): string {
  if (scale === 0) return unscaled.toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const cut = digits.length - scale;
  return `${negative ? "-" : ""}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

const DECIMAL_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Exact decimal text (or a number / bigint) to the unscaled integer at `scale`.
 * Returns undefined when the value is not a decimal, or would lose non-zero digits.
 */
export function decimalToUnscaled(
  value: string | number | bigint,
  scale: number,
): bigint | undefined {
  if (typeof value === "bigint") return value * pow10(scale);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    value = String(value);
  }
  const m = DECIMAL_TEXT.exec(value.trim());
  if (m === null) return undefined;
  const [, sign, whole = "", fraction = "", exp = "0"] = m;
  if (whole === "" && fraction === "") return undefined;
  let digits = whole + fraction;
  // Position of the decimal point counted from the right, after applying the exponent.
  let shift = scale - fraction.length + Number(exp);
  if (shift < 0) {
    const dropped = digits.slice(digits.length + shift);
    if (/[1-9]/.test(dropped)) return undefined;
    digits = digits.slice(0, digits.length + shift);
    shift = 0;
  }
  const magnitude = BigInt(digits === "" ? "0" : digits);
  // Past 80 digits no DECIMAL (p <= 38) can hold it; don't build a huge power of ten.
  if (shift > 80) return magnitude === 0n ? 0n : undefined;
  const unscaled = magnitude * pow10(shift);
  return sign === "-" ? -unscaled : unscaled;
}
