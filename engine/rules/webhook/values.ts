/**
 * Reading an object's plain data the way cert-manager's Go types see it:
 * absent and null are the zero value; values of the wrong JSON type are left
 * to the schema rules (the API server rejects them before the webhook runs).
 */
export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown): Json | undefined {
  return isObject(v) ? v : undefined;
}

/** A present, non-null value (a Go pointer that is not nil). */
export function present(o: Json | undefined, key: string): boolean {
  return !!o && o[key] !== undefined && o[key] !== null;
}

/** A string field's Go value: "" when absent; undefined when of another type. */
export function str(o: Json | undefined, key: string): string | undefined {
  const v = o?.[key];
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : undefined;
}

/** A number field's value, or undefined. */
export function num(o: Json | undefined, key: string): number | undefined {
  const v = o?.[key];
  return typeof v === 'number' ? v : undefined;
}

export function list(o: Json | undefined, key: string): unknown[] {
  const v = o?.[key];
  return Array.isArray(v) ? v : [];
}

export function bool(o: Json | undefined, key: string): boolean {
  return o?.[key] === true;
}
