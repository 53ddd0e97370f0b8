/**
 * Value validations of structural schemas (the branches of oneOf, anyOf, not,
 * allOf), checked on the defaulted plain value as the API server checks them.
 */
import { checkFormat } from './formats.js';
import type { JsonSchema } from './json-schema.js';

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}

const patterns = new Map<string, RegExp | null>();
function pattern(p: string): RegExp | null {
  let re = patterns.get(p);
  if (re === undefined) {
    try {
      re = new RegExp(p, 'u');
    } catch {
      re = null;
    }
    patterns.set(p, re);
  }
  return re;
}

/** True when the value satisfies the schema (as far as value validation goes). */
export function matchesValue(v: unknown, s: JsonSchema): boolean {
  const t = jsonType(v);
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.includes(t as never) && !(t === 'integer' && types.includes('number'))) return false;
  }
  if (s.enum && !s.enum.some((e) => e === v)) return false;
  if (typeof v === 'string') {
    if (s.pattern && pattern(s.pattern) && !pattern(s.pattern)!.test(v)) return false;
    if (s.format && checkFormat(s.format, v)) return false;
    const len = [...v].length;
    if (s.minLength !== undefined && len < s.minLength) return false;
    if (s.maxLength !== undefined && len > s.maxLength) return false;
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) return false;
    if (s.maximum !== undefined && v > s.maximum) return false;
  }
  if (t === 'object') {
    const o = v as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o)) return false;
    for (const [k, sub] of Object.entries(s.properties ?? {})) if (k in o && !matchesValue(o[k], sub)) return false;
  }
  if (Array.isArray(v)) {
    if (s.items && !v.every((x) => matchesValue(x, s.items!))) return false;
    if (s.minItems !== undefined && v.length < s.minItems) return false;
    if (s.maxItems !== undefined && v.length > s.maxItems) return false;
  }
  if (s.allOf && !s.allOf.every((b) => matchesValue(v, b))) return false;
  if (s.anyOf && !s.anyOf.some((b) => matchesValue(v, b))) return false;
  if (s.oneOf && s.oneOf.filter((b) => matchesValue(v, b)).length !== 1) return false;
  if (s.not && matchesValue(v, s.not)) return false;
  return true;
}
