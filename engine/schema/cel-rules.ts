/**
 * The CRDs' CEL rules (x-kubernetes-validations), evaluated as the API server
 * does after defaulting: `self` is the field's value with schema defaults
 * filled in, integers are CEL ints. Rules that compare with `oldSelf` apply
 * only to updates and are skipped. A definite `false` is a rejection, and so
 * is a rule that reads a field the object does not have (the API server
 * rejects with "no such key: X evaluating rule: ..."); any other evaluation
 * error is not reported (it may be this evaluator's, not the API server's).
 */
import type * as Cel from '@bufbuild/cel';
import type * as CelExt from '@bufbuild/cel/ext';
import type { ParsedDocument } from '../manifests/parsed-document.js';
import { defaultedValue } from './defaulted-value.js';
import { typesOf, type JsonSchema } from './json-schema.js';

type Rule = NonNullable<JsonSchema['x-kubernetes-validations']>[number];
type CelInput = Cel.CelInput;
type Program = (ctx: { self: CelInput }) => unknown;

/**
 * @bufbuild/cel, loaded on the first rule: most manifests never reach one
 * (only Gateway API kinds and a few issuer fields have rules), and loading it
 * takes about 40 ms of every start-up.
 */
let cel: { lib: typeof Cel; env: ReturnType<typeof Cel.celEnv> } | undefined;
function celLib(): NonNullable<typeof cel> {
  if (!cel) {
    const lib = require('@bufbuild/cel') as typeof Cel;
    const { strings } = require('@bufbuild/cel/ext') as typeof CelExt;
    cel = { lib, env: lib.celEnv({ funcs: strings }) };
  }
  return cel;
}
const programs = new Map<string, Program | null>();

function program(expr: string): Program | null {
  let p = programs.get(expr);
  if (p === undefined) {
    try {
      const { lib, env } = celLib();
      p = lib.plan(env, lib.parse(expr)) as unknown as Program;
    } catch {
      p = null; // not a rule this evaluator understands: never reported
    }
    programs.set(expr, p);
  }
  return p;
}

/** Converts a YAML node to a CEL value, after defaulting like the API server. */
function celValueOf(doc: ParsedDocument, raw: unknown, schema: JsonSchema | undefined): CelInput {
  return plainToCel(defaultedValue(doc, raw, schema), schema);
}

function plainToCel(v: unknown, schema: JsonSchema | undefined): CelInput {
  if (typeof v === 'number') {
    const types = schema ? typesOf(schema) : [];
    return Number.isInteger(v) && !types.includes('number') ? BigInt(v) : v;
  }
  if (typeof v === 'bigint' || typeof v === 'string' || typeof v === 'boolean' || v === null) return v as CelInput;
  if (Array.isArray(v)) return v.map((x) => plainToCel(x, schema?.items));
  if (typeof v === 'object') {
    const m = new Map<string, CelInput>();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(k, plainToCel(x, schema?.properties?.[k]));
    return m;
  }
  return null;
}

export interface CelFailure {
  rule: Rule;
  message: string;
}

/** The rules of a schema node that the value fails. */
export function failingCelRules(doc: ParsedDocument, node: unknown, schema: JsonSchema): CelFailure[] {
  const rules = schema['x-kubernetes-validations'];
  if (!rules) return [];
  let self: CelInput | undefined;
  const out: CelFailure[] = [];
  for (const rule of rules) {
    if (/\boldSelf\b/.test(rule.rule)) continue;
    const p = program(rule.rule);
    if (!p) continue;
    self ??= celValueOf(doc, node, schema);
    let result: unknown;
    try {
      result = p({ self });
    } catch {
      continue;
    }
    if (celLib().lib.isCelError(result)) {
      // A missing field is an error in the API server's CEL too, and it rejects the object.
      const missing = /^field not found: (.+)$/.exec(result.message)?.[1];
      if (missing) out.push({ rule, message: `no such key: ${missing} evaluating rule: ${rule.message ?? rule.rule}` });
      continue;
    }
    if (result !== false) continue;
    let message = rule.message;
    if (!message && rule.messageExpression) {
      const mp = program(rule.messageExpression);
      try {
        const m = mp?.({ self });
        if (typeof m === 'string') message = m;
      } catch {
        // fall back below
      }
    }
    out.push({ rule, message: message ?? `failed rule: ${rule.rule}` });
  }
  return out;
}
