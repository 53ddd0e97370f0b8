/**
 * A string that holds only its own characters. V8 keeps a slice of a longer
 * string as a view of that string, and a string joined from pieces (as
 * path.join builds a path, segment by segment) as a tree of those pieces:
 * kept for a whole run, such strings cost many times their length. Joining
 * one to another string and cutting that again makes V8 copy the characters
 * into one flat string. Hand-written: no API asks V8 for a copy.
 */
export function ownCopy(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}
