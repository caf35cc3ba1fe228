/**
 * Temporal → VARCHAR formatting exactly as DuckDB 1.5.5 casts dates, times,
 * timestamps and intervals to text (cast_helpers.hpp / string_cast.cpp).
 */

const MICROS_PER_SECOND = 1_000_000n;
const MICROS_PER_MINUTE = 60n * MICROS_PER_SECOND;
const MICROS_PER_HOUR = 60n * MICROS_PER_MINUTE;
const MICROS_PER_DAY = 24n * MICROS_PER_HOUR;

/** DuckDB's date infinities are ±INT32_MAX days; timestamps use ±INT64_MAX. */
const DATE_INFINITY = 2147483647;
const TIMESTAMP_INFINITY = 9223372036854775807n;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Proleptic Gregorian civil date from days since 1970-01-01 (Hinnant's algorithm). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** DATE → VARCHAR: YYYY-MM-DD, wider years as needed, " (BC)" for years <= 0. */
export function formatDate(days: number): string {
  if (days === DATE_INFINITY) return "infinity";
  if (days === -DATE_INFINITY) return "-infinity";
  const { year, month, day } = civilFromDays(days);
  let displayYear = year;
  let suffix = "";
  if (year <= 0) {
    // There is no year 0: 0 is 1 BC.
    displayYear = -year + 1;
    suffix = " (BC)";
  }
  return `${String(displayYear).padStart(4, "0")}-${pad2(month)}-${pad2(day)}${suffix}`;
}

/** Fractional seconds with trailing zeros removed; `digits` is 6 (micros) or 9 (nanos). */
function fraction(value: bigint, digits: number): string {
  if (value === 0n) return "";
  return "." + value.toString().padStart(digits, "0").replace(/0+$/, "");
}

function formatTimeOfDay(microsOfDay: bigint, subMicroNanos = 0n): string {
  const hours = Number(microsOfDay / MICROS_PER_HOUR);
  const minutes = Number((microsOfDay % MICROS_PER_HOUR) / MICROS_PER_MINUTE);
  const seconds = Number((microsOfDay % MICROS_PER_MINUTE) / MICROS_PER_SECOND);
  const micros = microsOfDay % MICROS_PER_SECOND;
  const frac =
    subMicroNanos === 0n ? fraction(micros, 6) : fraction(micros * 1000n + subMicroNanos, 9);
  return `${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}${frac}`;
}

/** TIME → VARCHAR: HH:MM:SS[.ffffff without trailing zeros]. */
export function formatTime(micros: bigint): string {
  return formatTimeOfDay(micros);
}

/** TIME_NS → VARCHAR: nanosecond digits only appear when the value has them. */
export function formatTimeNs(nanos: bigint): string {
  return formatTimeOfDay(nanos / 1000n, nanos % 1000n);
}

/** UTC offset in seconds → "+HH[:MM[:SS]]" as DuckDB prints TIMETZ / TIMESTAMPTZ offsets. */
export function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? "-" : "+";
  const abs = Math.abs(offsetSeconds);
  const hours = Math.floor(abs / 3600);
  const minutes = Math.floor((abs % 3600) / 60);
  const seconds = abs % 60;
  let out = `${sign}${pad2(hours)}`;
  if (minutes !== 0 || seconds !== 0) out += `:${pad2(minutes)}`;
  if (seconds !== 0) out += `:${pad2(seconds)}`;
  return out;
}

/** TIMETZ → VARCHAR: local time followed by its offset. */
export function formatTimeTz(micros: bigint, offsetSeconds: number): string {
  return formatTimeOfDay(micros) + formatOffset(offsetSeconds);
}

function formatTimestampParts(micros: bigint, subMicroNanos = 0n): string {
  const days = floorDiv(micros, MICROS_PER_DAY);
  const timeOfDay = micros - days * MICROS_PER_DAY;
  return `${formatDate(Number(days))} ${formatTimeOfDay(timeOfDay, subMicroNanos)}`;
}

/** TIMESTAMP (µs) → VARCHAR. */
export function formatTimestamp(micros: bigint): string {
  if (micros === TIMESTAMP_INFINITY) return "infinity";
  if (micros === -TIMESTAMP_INFINITY) return "-infinity";
  return formatTimestampParts(micros);
}

/** TIMESTAMP_NS → VARCHAR. */
export function formatTimestampNs(nanos: bigint): string {
  if (nanos === TIMESTAMP_INFINITY) return "infinity";
  if (nanos === -TIMESTAMP_INFINITY) return "-infinity";
  const micros = floorDiv(nanos, 1000n);
  return formatTimestampParts(micros, nanos - micros * 1000n);
}

/** TIMESTAMP_MS → VARCHAR (DuckDB widens to µs first). */
export function formatTimestampMs(millis: bigint): string {
  if (millis === TIMESTAMP_INFINITY) return "infinity";
  if (millis === -TIMESTAMP_INFINITY) return "-infinity";
  return formatTimestampParts(millis * 1000n);
}

/** TIMESTAMP_S → VARCHAR (DuckDB widens to µs first). */
export function formatTimestampS(seconds: bigint): string {
  if (seconds === TIMESTAMP_INFINITY) return "infinity";
  if (seconds === -TIMESTAMP_INFINITY) return "-infinity";
  return formatTimestampParts(seconds * MICROS_PER_SECOND);
}

/** Offset in seconds of `timeZone` at the instant `micros` (UTC µs since epoch). */
export function timeZoneOffsetSeconds(micros: bigint, timeZone: string): number {
  if (timeZone === "UTC" || timeZone === "Etc/UTC" || timeZone === "GMT") return 0;
  const millis = Number(floorDiv(micros, 1000n));
  try {
    const formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    const parts = Object.fromEntries(
      formatter.formatToParts(new Date(millis)).map((p) => [p.type, p.value]),
    );
    const asUtc = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    const wholeSecondMillis = Math.floor(millis / 1000) * 1000;
    return Math.round((asUtc - wholeSecondMillis) / 1000);
  } catch {
    // An unknown zone name (or a date outside Intl's range): fall back to UTC.
    return 0;
  }
}

/** TIMESTAMPTZ → VARCHAR in the session's TimeZone, as DuckDB's ICU cast prints it. */
export function formatTimestampTz(micros: bigint, timeZone: string): string {
  if (micros === TIMESTAMP_INFINITY) return "infinity";
  if (micros === -TIMESTAMP_INFINITY) return "-infinity";
  const offset = timeZoneOffsetSeconds(micros, timeZone);
  return formatTimestampParts(micros + BigInt(offset) * MICROS_PER_SECOND) + formatOffset(offset);
}

function intervalPart(value: number, name: string): string {
  if (value === 0) return "";
  return `${value} ${name}${value === 1 || value === -1 ? "" : "s"}`;
}

/** INTERVAL → VARCHAR: "1 year 2 months 3 days 04:05:06.7", "00:00:00" when empty. */
export function formatInterval(months: number, days: number, micros: bigint): string {
  const parts: string[] = [];
  if (months !== 0) {
    // C++ integer division truncates towards zero, so both parts share the sign.
    const years = Math.trunc(months / 12);
    parts.push(intervalPart(years, "year"), intervalPart(months - years * 12, "month"));
  }
  parts.push(intervalPart(days, "day"));
  if (micros !== 0n) {
    const negative = micros < 0n;
    const abs = negative ? -micros : micros;
    const hours = abs / MICROS_PER_HOUR;
    const minutes = Number((abs % MICROS_PER_HOUR) / MICROS_PER_MINUTE);
    const seconds = Number((abs % MICROS_PER_MINUTE) / MICROS_PER_SECOND);
    const hourText = hours < 10n ? `0${hours}` : hours.toString();
    parts.push(
      `${negative ? "-" : ""}${hourText}:${pad2(minutes)}:${pad2(seconds)}${fraction(abs % MICROS_PER_SECOND, 6)}`,
    );
  }
  const text = parts.filter((p) => p !== "").join(" ");
  return text === "" ? "00:00:00" : text;
}
