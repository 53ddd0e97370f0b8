/** An object's fields, or none: for reading parsed YAML/JSON whose shape is not known yet. */
export function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
