/**
 * Go's 64-bit integers (`int`, `int64`, `uint`, `uint64` on amd64) in JS. A value is a `number`
 * while it is a safe integer, and a `bigint` only beyond `Number.MAX_SAFE_INTEGER` in magnitude,
 * so ordinary values never pay for bigint arithmetic and big ones are never rounded.
 */

export type GoInt = number | bigint;

export const MIN_INT64 = -(1n << 63n);
export const MAX_INT64 = (1n << 63n) - 1n;
export const MAX_UINT64 = (1n << 64n) - 1n;
const TWO_64 = 1n << 64n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const TWO_63 = 2 ** 63;

/** The canonical form of an exact integer: a number when safe, else the bigint itself. */
export function goInt(value: bigint): GoInt {
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/** The canonical form of an integral double (possibly past 2^53, where every double is an integer). */
export function goIntFromDouble(value: number): GoInt {
  return Number.isSafeInteger(value) ? value + 0 : BigInt(value);
}

/** Go's `int(u)` for a `uint` past MaxInt64: the same 64 bits read as two's complement. */
export function uintToInt(value: GoInt): GoInt {
  return typeof value === 'bigint' && value > MAX_INT64 ? goInt(value - TWO_64) : value;
}

/** Go's `uint64(i)` for a negative `int64`: the same 64 bits read unsigned. */
export function intToUint(value: GoInt): GoInt {
  if (typeof value === 'number') return value < 0 ? goInt(BigInt(value) + TWO_64) : value;
  return value < 0n ? goInt(value + TWO_64) : value;
}

/** Go's `int64(f)` on amd64 behind go-yaml's `f <= math.MaxInt64` check; undefined where go-yaml reports a type error. */
export function floatToInt(f: number): GoInt | undefined {
  if (Number.isNaN(f) || f > TWO_63) return undefined;
  // amd64 turns out-of-range conversions into math.MinInt64.
  if (f >= TWO_63 || f < -TWO_63) return MIN_INT64;
  return goIntFromDouble(Math.trunc(f));
}

/** Go's `uint64(f)` on amd64 behind go-yaml's `f <= math.MaxUint64` check (negative values wrap); undefined is a type error. */
export function floatToUint(f: number): GoInt | undefined {
  if (Number.isNaN(f) || f > 2 ** 64) return undefined;
  if (f >= TWO_63) return f >= 2 ** 64 ? 0 : BigInt(f);
  return intToUint(f < -TWO_63 ? MIN_INT64 : goIntFromDouble(Math.trunc(f)));
}
