/**
 * Numeric → VARCHAR formatting exactly as DuckDB 1.5.5 casts numbers to text.
 *
 * DuckDB formats FLOAT and DOUBLE with its vendored fmt (`duckdb_fmt::format("{}", x)`):
 * shortest round-trip digits, fixed notation while the decimal exponent is in
 * [-4, 16), scientific otherwise, and a forced ".0" on integral values.
 */

/** The exact decimal expansion of a finite positive double: significant digits and the exponent of the first. */
export function exactDecimal(abs: number): { digits: string; exp10: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, abs);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let exp2 = biased - 1075;
  if (biased === 0) exp2 = -1074;
  else mantissa |= 1n << 52n;
  // abs = mantissa * 2^exp2 = mantissa * 5^-exp2 / 10^-exp2 when exp2 < 0.
  let scaled: bigint;
  let shift: number;
  if (exp2 >= 0) {
    scaled = mantissa << BigInt(exp2);
    shift = 0;
  } else {
    scaled = mantissa * 5n ** BigInt(-exp2);
    shift = -exp2;
  }
  const text = scaled.toString();
  const digits = text.replace(/0+$/, "");
  return { digits, exp10: text.length - 1 - shift };
}

/** An exact decimal: coef × 10^exp. */
interface Decimal {
  coef: bigint;
  exp: number;
}

function toDecimal(abs: number): Decimal {
  const { digits, exp10 } = exactDecimal(abs);
  return { coef: BigInt(digits), exp: exp10 - (digits.length - 1) };
}

function compareDecimal(a: Decimal, b: Decimal): number {
  const exp = Math.min(a.exp, b.exp);
  const x = a.coef * 10n ** BigInt(a.exp - exp);
  const y = b.coef * 10n ** BigInt(b.exp - exp);
  return x < y ? -1 : x > y ? 1 : 0;
}

function distance(a: Decimal, b: Decimal): Decimal {
  const exp = Math.min(a.exp, b.exp);
  const diff = a.coef * 10n ** BigInt(a.exp - exp) - b.coef * 10n ** BigInt(b.exp - exp);
  return { coef: diff < 0n ? -diff : diff, exp };
}

/** The two rounding boundaries (midpoints to the neighbouring floats) of a positive float32. */
function float32Boundaries(abs: number): [Decimal, Decimal] {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, abs);
  const bits = view.getUint32(0);
  const biased = (bits >>> 23) & 0xff;
  const fraction = bits & 0x7fffff;
  const exp2 = (biased === 0 ? 1 : biased) - 150; // value = significand * 2^exp2
  const halfUlp = 2 ** (exp2 - 1);
  // Just above a power of two the gap below is half as wide.
  const lowerGap = fraction === 0 && biased > 1 ? halfUlp / 2 : halfUlp;
  // Both boundaries need at most 26 significant bits, so they are exact doubles.
  return [toDecimal(abs - lowerGap), toDecimal(abs + halfUlp)];
}

function decimalRepr(d: Decimal): string {
  const digits = d.coef.toString();
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${mantissa}e${d.exp + digits.length - 1}`;
}

/**
 * The float32 digits fmt's Grisu prints: the shortest decimal strictly inside
 * the float's rounding interval. Grisu gives up when it cannot prove its
 * candidate is the unique nearest (two shortest candidates equally near, or
 * the shortest one sitting exactly on a rounding boundary); fmt then formats
 * the float widened to a double, whose shortest digits are the float's exact
 * value (so DuckDB prints 2526512.25 and 172981808.0, not 2526512.2/172981810.0).
 */
function float32Repr(abs: number): string {
  const x = toDecimal(abs);
  const [lower, upper] = float32Boundaries(abs);
  const n = x.coef.toString().length;
  for (let p = 1; p < n; p++) {
    const scale = n - p;
    const floor = x.coef / 10n ** BigInt(scale);
    const candidates = [
      { coef: floor, exp: x.exp + scale },
      { coef: floor + 1n, exp: x.exp + scale },
    ];
    const inside = candidates.filter(
      (c) => compareDecimal(lower, c) < 0 && compareDecimal(c, upper) < 0,
    );
    const onBoundary = candidates.filter(
      (c) => compareDecimal(lower, c) === 0 || compareDecimal(c, upper) === 0,
    );
    if (inside.length === 0 && onBoundary.length === 0) continue;
    if (inside.length === 0) return abs.toExponential();
    const ranked = inside
      .map((c) => ({ c, d: distance(c, x) }))
      .sort((a, b) => compareDecimal(a.d, b.d));
    const best = ranked[0];
    if (best === undefined) return abs.toExponential();
    const tied = ranked.length > 1 && compareDecimal(ranked[1]?.d ?? best.d, best.d) === 0;
    const boundaryCloser = onBoundary.some((c) => compareDecimal(distance(c, x), best.d) < 0);
    if (tied || boundaryCloser) return abs.toExponential();
    return decimalRepr(best.c);
  }
  // The exact value is itself the shortest: it is what both paths print.
  return abs.toExponential();
}

/** Splits a finite, non-zero, positive number's shortest digits into digits and exponent. */
function shortestDigits(abs: number, isFloat32: boolean): { digits: string; exp10: number } {
  // toExponential() without an argument yields the shortest round-trip digits.
  const repr = isFloat32 ? float32Repr(abs) : abs.toExponential();
  const [mantissa = "", exponent = "0"] = repr.split("e");
  // toExponential(p) may pad with zeros; the shortest form never has them.
  const digits = mantissa.replace(".", "").replace(/0+$/, "") || "0";
  return { digits, exp10: Number(exponent) };
}

function formatExponent(exp: number): string {
  const sign = exp < 0 ? "-" : "+";
  const abs = Math.abs(exp);
  return sign + (abs < 10 ? `0${abs}` : String(abs));
}

function formatBinaryFloat(value: number, isFloat32: boolean): string {
  if (Number.isNaN(value)) {
    return hasSignBit(value) ? "-nan" : "nan";
  }
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  const negative = value < 0 || Object.is(value, -0);
  const sign = negative ? "-" : "";
  const abs = Math.abs(value);
  if (abs === 0) return `${sign}0.0`;

  const { digits, exp10 } = shortestDigits(abs, isFloat32);
  const numDigits = digits.length;
  if (!(exp10 >= -4 && exp10 < 16)) {
    const mantissa = numDigits > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}e${formatExponent(exp10)}`;
  }
  // Number of digits before the decimal point.
  const intDigits = exp10 + 1;
  if (numDigits <= intDigits) {
    return `${sign}${digits}${"0".repeat(intDigits - numDigits)}.0`;
  }
  if (intDigits > 0) {
    return `${sign}${digits.slice(0, intDigits)}.${digits.slice(intDigits)}`;
  }
  return `${sign}0.${"0".repeat(-intDigits)}${digits}`;
}

function hasSignBit(value: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return (view.getUint8(0) & 0x80) !== 0;
}

/** DOUBLE → VARCHAR. */
export function formatDouble(value: number): string {
  return formatBinaryFloat(value, false);
}

/** FLOAT (float32) → VARCHAR; `value` is the float widened to a double. */
export function formatFloat(value: number): string {
  return formatBinaryFloat(value, true);
}

/** DECIMAL(width, scale) → VARCHAR from the scaled integer, e.g. (150n, 2) → "1.50". */
export function formatDecimal(scaled: bigint, scale: number): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString();
  if (scale === 0) return (negative ? "-" : "") + digits;
  const padded = digits.padStart(scale + 1, "0");
  const intPart = padded.slice(0, padded.length - scale);
  const fracPart = padded.slice(padded.length - scale);
  return `${negative ? "-" : ""}${intPart}.${fracPart}`;
}
