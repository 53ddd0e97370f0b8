/**
 * Kubernetes name rules (k8s.io/apimachinery/pkg/util/validation). Each check
 * returns undefined when the value is valid, else the reasons, worded for a person.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function describeBadChars(value: string, allowed: RegExp): string {
  const bad = [...new Set([...value].filter((c) => !allowed.test(c)))];
  if (bad.length === 0) return '';
  const upper = bad.filter((c) => /[A-Z]/.test(c));
  const others = bad.filter((c) => !/[A-Z]/.test(c)).slice(0, 5).map((c) => (c === ' ' ? 'a space' : `"${c}"`));
  const parts = [...(upper.length ? ['uppercase letters'] : []), ...others];
  return ` (it has ${parts.join(', ')})`;
}

/** A DNS-1123 subdomain: names of most objects (Certificates, Issuers, Secrets, Ingresses). */
export function checkDns1123Subdomain(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 253) return `must be at most 253 characters (it has ${value.length})`;
  if (DNS1123_SUBDOMAIN.test(value)) return undefined;
  if (/[A-Z]/.test(value) && DNS1123_SUBDOMAIN.test(value.toLowerCase())) {
    return `must be lowercase: "${value.toLowerCase()}" would be valid`;
  }
  return `must consist of lowercase letters, digits, "-" and ".", and start and end with a letter or digit${describeBadChars(value, /[a-z0-9.-]/)}`;
}

/** A DNS-1123 label: namespace names. */
export function checkDns1123Label(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 63) return `must be at most 63 characters (it has ${value.length})`;
  if (DNS1123_LABEL.test(value)) return undefined;
  if (/[A-Z]/.test(value) && DNS1123_LABEL.test(value.toLowerCase())) {
    return `must be lowercase: "${value.toLowerCase()}" would be valid`;
  }
  return `must consist of lowercase letters, digits and "-", and start and end with a letter or digit${describeBadChars(value, /[a-z0-9-]/)}`;
}

/** A qualified name: label and annotation keys (`prefix/name`). */
export function checkQualifiedName(value: string): string | undefined {
  const parts = value.split('/');
  let name = value;
  if (parts.length > 2) return 'may contain at most one "/" (an optional DNS-subdomain prefix, then a name)';
  if (parts.length === 2) {
    const [prefix, n] = parts;
    if (prefix.length === 0) return 'has an empty prefix before "/"';
    const p = checkDns1123Subdomain(prefix);
    if (p) return `has a prefix that ${p}`;
    name = n;
  }
  if (name.length === 0) return 'has an empty name part';
  if (name.length > 63) return `has a name part of ${name.length} characters (at most 63)`;
  if (!QUALIFIED_NAME_PART.test(name)) {
    return `name part must consist of letters, digits, "-", "_" and ".", and start and end with a letter or digit${describeBadChars(name, /[A-Za-z0-9_.-]/)}`;
  }
  return undefined;
}

export function checkLabelValue(value: string): string | undefined {
  if (value.length > 63) return `must be at most 63 characters (it has ${value.length})`;
  if (!LABEL_VALUE.test(value)) {
    return `must be empty or consist of letters, digits, "-", "_" and ".", and start and end with a letter or digit${describeBadChars(value, /[A-Za-z0-9_.-]/)}`;
  }
  return undefined;
}
