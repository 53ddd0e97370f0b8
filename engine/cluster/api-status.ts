/**
 * The API server's metav1.Status (the body of every failed request) and what
 * can be read out of it: the causes with their field paths, an RBAC denial's
 * user, verb, resource and namespace, server-side apply's conflicting field
 * managers, structured-merge-diff's typed-patch errors.
 */

interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] };
}

export function asStatus(body: unknown): ApiStatus | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as ApiStatus;
  return b.kind === 'Status' || typeof b.message === 'string' ? b : undefined;
}

/** What RBAC denied, as the server says it. */
export interface ForbiddenDetails {
  user: string;
  verb: string;
  resource: string;
  group: string;
  /** Undefined at the cluster scope. */
  namespace?: string;
}

const FORBIDDEN = /User "([^"]*)" cannot (\S+) resource "([^"]*)" in API group "([^"]*)"(?: in the namespace "([^"]*)"| at the cluster scope)?/;

export function parseForbidden(message: string | undefined): ForbiddenDetails | undefined {
  const m = message ? FORBIDDEN.exec(message) : null;
  if (!m) return undefined;
  return { user: m[1], verb: m[2], resource: m[3], group: m[4], ...(m[5] !== undefined ? { namespace: m[5] } : {}) };
}

/** The field manager named in a FieldManagerConflict cause ("conflict with \"other\" using v1"). */
export function conflictManager(message: string | undefined): string {
  return /conflict with "([^"]*)"/.exec(message ?? '')?.[1] ?? '(unknown manager)';
}

export interface TypedPatchError {
  /** Merge-diff path: .spec.bogus */
  path: string;
  message: string;
}

/**
 * Server-side apply checks the patch against the schema before anything else
 * and answers with one message (HTTP 500, no causes):
 *   failed to create typed patch object (ns/name; gvk): .spec.bogus: field not declared in schema
 *   failed to create typed patch object (...): errors:\n  .spec.a: expected string, got ...\n  .spec.b: ...
 */
export function parseTypedPatchErrors(message: string | undefined): TypedPatchError[] | undefined {
  if (!message) return undefined;
  const m = /^failed to create typed (?:patch|live) object \([^)]*\):\s*([\s\S]*)$/.exec(message);
  if (!m) return undefined;
  let rest = m[1].trim();
  if (rest.startsWith('errors:')) rest = rest.slice('errors:'.length);
  const out: TypedPatchError[] = [];
  for (const line of rest.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    const cut = pathEnd(t);
    if (cut > 0 && t.startsWith('.')) out.push({ path: t.slice(0, cut), message: t.slice(cut + 2) });
    else if (out.length) out[out.length - 1].message += ` ${t}`;
    else out.push({ path: '', message: t });
  }
  return out.length ? out : undefined;
}

/** Where a merge-diff path ends in "PATH: message" (the first ": " outside brackets and quotes). */
function pathEnd(s: string): number {
  let quote = false;
  let depth = 0;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ':' && s[i + 1] === ' ' && depth === 0) return i;
  }
  return -1;
}

/** structured-merge-diff's Go rendering of a value ("&value.valueUnstructured{Value:5}") as the value. */
export function tidyTypedPatchMessage(message: string): string {
  return message.replace(/&value\.valueUnstructured\{Value:([^}]*)\}/g, '$1');
}

/** Fields named by a strict-decoding error: `strict decoding error: unknown field "spec.x", unknown field "y"`. */
export function unknownFields(message: string | undefined): string[] {
  const out: string[] = [];
  for (const m of (message ?? '').matchAll(/unknown field "([^"]+)"/g)) out.push(m[1]);
  return out;
}
