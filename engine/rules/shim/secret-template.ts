/**
 * The cert-manager.io/secret-template annotation: JSON read by Go's
 * json.Decoder with DisallowUnknownFields into a CertificateSecretTemplate
 * ({annotations: map[string]string, labels: map[string]string}), then
 * refused when it sets cert-manager.io/ annotations.
 *
 * Go's decoder reads the first JSON value only (what follows it is not
 * read), matches field names without regard to case, and accepts null for
 * the whole template or either map.
 */

export interface SecretTemplate {
  annotations: Record<string, string>;
  labels: Record<string, string>;
}

/** The text of the first JSON value in `s` (as json.Decoder.Decode reads it), or undefined if there is none. */
function firstJsonValue(s: string): string | undefined {
  let i = 0;
  while (i < s.length && ' \t\r\n'.includes(s[i])) i++;
  if (i >= s.length) return undefined;
  const start = i;
  const open = s[i];
  if (open === '{' || open === '[') {
    let depth = 0;
    let inString = false;
    for (; i < s.length; i++) {
      const c = s[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return s.slice(start, i + 1);
      }
    }
    return s.slice(start);
  }
  if (open === '"') {
    for (i++; i < s.length; i++) {
      if (s[i] === '\\') i++;
      else if (s[i] === '"') return s.slice(start, i + 1);
    }
    return s.slice(start);
  }
  const m = /^[^\s{}[\],:"]+/.exec(s.slice(start));
  return m ? m[0] : s.slice(start, start + 1);
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v; // string, number, boolean
}

function decodeStringMap(v: unknown, field: string): { map: Record<string, string> } | { error: string } {
  if (v === null) return { map: {} };
  if (jsonKind(v) !== 'object') {
    return { error: `json: cannot unmarshal ${jsonKind(v)} into Go struct field CertificateSecretTemplate.${field} of type map[string]string` };
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (val === null) out[k] = '';
    else if (typeof val !== 'string') {
      return { error: `json: cannot unmarshal ${jsonKind(val)} into Go struct field CertificateSecretTemplate.${field} of type string` };
    } else out[k] = val;
  }
  return { map: out };
}

/** The template, or the error text cert-manager reports (after "error parsing secret template JSON: "). */
export function decodeSecretTemplate(s: string): { template: SecretTemplate } | { error: string } {
  const text = firstJsonValue(s);
  if (text === undefined) return { error: 'EOF' };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { error: (e as Error).message };
  }
  const template: SecretTemplate = { annotations: {}, labels: {} };
  if (v === null) return { template };
  if (jsonKind(v) !== 'object') return { error: `json: cannot unmarshal ${jsonKind(v)} into Go value of type v1.CertificateSecretTemplate` };
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    const field = k.toLowerCase() === 'annotations' ? 'annotations' : k.toLowerCase() === 'labels' ? 'labels' : undefined;
    if (!field) return { error: `json: unknown field ${JSON.stringify(k)}` };
    const m = decodeStringMap(val, field);
    if ('error' in m) return m;
    template[field] = m.map;
  }
  return { template };
}
