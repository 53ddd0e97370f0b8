/**
 * Secret values never leave the engine in a message. The API server repeats
 * a rejected value in its message ("Invalid value: ...", structured-merge-diff's
 * "got &value.valueUnstructured{Value:...}"); for a Secret that value may be
 * a password or a private key. Messages about a Secret are cleaned of every
 * value of its data and stringData (as written, and base64-decoded or
 * -encoded), and of the values the server quotes for fields under them.
 */
import type { KubeObject } from '../manifests/kube-object.js';

const HIDDEN = '(secret value hidden)';

export function isSecret(apiVersion: string | undefined, kind: string | undefined): boolean {
  return apiVersion === 'v1' && kind === 'Secret';
}

/** The strings that must not appear in output for this object (none unless it is a Secret). */
function secretValues(obj: KubeObject): string[] {
  if (!isSecret(obj.apiVersion, obj.kind)) return [];
  const plain = obj.toPlain() ?? {};
  const out = new Set<string>();
  const add = (s: string) => {
    if (s.length >= 3) out.add(s);
  };
  for (const field of ['data', 'stringData'] as const) {
    const m = plain[field];
    if (!m || typeof m !== 'object') continue;
    for (const v of Object.values(m as Record<string, unknown>)) {
      if (v === null || v === undefined || typeof v === 'object') continue;
      const s = String(v);
      add(s);
      if (field === 'data') {
        const decoded = Buffer.from(s, 'base64').toString('utf8');
        if (decoded) add(decoded);
        for (const line of decoded.split(/\r?\n/)) if (line.trim().length >= 8) add(line.trim());
      } else {
        add(Buffer.from(s, 'utf8').toString('base64'));
        for (const line of s.split(/\r?\n/)) if (line.trim().length >= 8) add(line.trim());
      }
    }
  }
  // Longest first, so that a value containing another is replaced whole.
  return [...out].sort((a, b) => b.length - a.length);
}

/**
 * A server message about `field` of this object, safe to show: for a Secret,
 * the values the server quotes are replaced when the field is under data or
 * stringData (or when it names no field), and every known secret value is replaced anywhere.
 */
export function redactMessage(message: string, obj: KubeObject, field?: string): string {
  if (!isSecret(obj.apiVersion, obj.kind)) return message;
  let out = message;
  const underData = field === undefined || /^\.?(data|stringData)\b/.test(field);
  if (underData) {
    out = out
      .replace(/Invalid value: "(?:[^"\\]|\\.)*"/g, `Invalid value: ${HIDDEN}`)
      .replace(/Invalid value: (?!\(secret value hidden\))\S+/g, `Invalid value: ${HIDDEN}`)
      .replace(/&value\.valueUnstructured\{Value:[^}]*\}/g, HIDDEN);
  }
  // The values themselves, wherever they appear (the message may quote them in other words).
  for (const v of secretValues(obj)) out = out.split(v).join(HIDDEN);
  return out;
}
