/**
 * Go's strconv.ParseInt, strconv.Atoi and strconv.ParseBool, as the
 * certificate-shim reads integer and boolean annotation values, with Go's
 * error texts (`strconv.ParseInt: parsing "x": invalid syntax`).
 */

/** Go quotes the input in its errors with strconv.Quote; JSON quoting is the same for printable text. */
function quote(s: string): string {
  return JSON.stringify(s);
}

/**
 * strconv.ParseInt(s, 10, bitSize): an optional sign and decimal digits only
 * (no spaces, no underscores with base 10), within the signed range of bitSize.
 */
export function goParseInt(s: string, bitSize: 32 | 64, fn = 'ParseInt'): { value: number } | { error: string } {
  if (!/^[+-]?[0-9]+$/.test(s)) return { error: `strconv.${fn}: parsing ${quote(s)}: invalid syntax` };
  const v = BigInt(s);
  const max = (1n << BigInt(bitSize - 1)) - 1n;
  const min = -(1n << BigInt(bitSize - 1));
  if (v > max || v < min) return { error: `strconv.${fn}: parsing ${quote(s)}: value out of range` };
  return { value: Number(v) };
}

/** strconv.Atoi: ParseInt(s, 10, 0) on a 64-bit platform, with "Atoi" in the error. */
export function goAtoi(s: string): { value: number } | { error: string } {
  return goParseInt(s, 64, 'Atoi');
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool: true, false, or undefined when Go cannot parse it. */
export function goParseBool(s: string): boolean | undefined {
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return undefined;
}
