/**
 * The annotations cert-manager's certificate-shim reads on Ingress and
 * Gateway objects (keys from pkg/apis/certmanager/v1/types.go and
 * pkg/apis/acme/v1/types.go), each with the parse the shim applies to its
 * value (translateAnnotations in pkg/controller/certificate-shim/helper.go),
 * and the other cert-manager annotation keys, so that a key in cert-manager's
 * domains that is none of them can be called unknown.
 */
import { closest, editDistance } from '../../core/suggest.js';
import { KNOWN_USAGES, MAX_RSA_KEY_SIZE, MIN_RSA_KEY_SIZE } from '../webhook/certificate.js';
import { formatGoDuration, HOUR, MINUTE, parseGoDuration } from '../../gocompat/go-duration.js';
import { goParseIP } from '../../gocompat/go-net.js';
import { parseMailAddress } from '../../gocompat/mail-address.js';
import { splitWithEscapeCsv } from '../../gocompat/go-csv.js';
import { goAtoi, goParseInt } from '../../gocompat/go-strconv.js';
import { decodeSecretTemplate } from './secret-template.js';

export const ISSUER = 'cert-manager.io/issuer';
export const CLUSTER_ISSUER = 'cert-manager.io/cluster-issuer';
export const ISSUER_KIND = 'cert-manager.io/issuer-kind';
export const ISSUER_GROUP = 'cert-manager.io/issuer-group';
const COMMON_NAME = 'cert-manager.io/common-name';
const ALT_NAMES = 'cert-manager.io/alt-names';
const IP_SANS = 'cert-manager.io/ip-sans';
const EMAIL_SANS = 'cert-manager.io/email-sans';
export const DURATION = 'cert-manager.io/duration';
export const RENEW_BEFORE = 'cert-manager.io/renew-before';
export const RENEW_BEFORE_PERCENTAGE = 'cert-manager.io/renew-before-percentage';
const USAGES = 'cert-manager.io/usages';
const REVISION_HISTORY_LIMIT = 'cert-manager.io/revision-history-limit';
const PRIVATE_KEY_ALGORITHM = 'cert-manager.io/private-key-algorithm';
const PRIVATE_KEY_ENCODING = 'cert-manager.io/private-key-encoding';
const PRIVATE_KEY_SIZE = 'cert-manager.io/private-key-size';
const PRIVATE_KEY_ROTATION_POLICY = 'cert-manager.io/private-key-rotation-policy';
export const SECRET_TEMPLATE = 'cert-manager.io/secret-template';
export const IGNORE_TLS_LISTENERS = 'cert-manager.io/ignore-tls-listeners';
export const EDIT_IN_PLACE = 'acme.cert-manager.io/http01-edit-in-place';
const HTTP01_INGRESS_CLASS = 'acme.cert-manager.io/http01-ingress-class';
const HTTP01_INGRESS_CLASS_NAME = 'acme.cert-manager.io/http01-ingress-ingressclassname';
/** The default of the controller's --auto-certificate-annotations: Ingresses only. */
export const TLS_ACME = 'kubernetes.io/tls-acme';

const SUBJECT_KEYS: Record<string, string> = {
  'cert-manager.io/subject-organizations': 'organizations',
  'cert-manager.io/subject-organizationalunits': 'organizationalUnits',
  'cert-manager.io/subject-countries': 'countries',
  'cert-manager.io/subject-provinces': 'provinces',
  'cert-manager.io/subject-localities': 'localities',
  'cert-manager.io/subject-streetaddresses': 'streetAddresses',
  'cert-manager.io/subject-postalcodes': 'postalCodes',
};

export type ShimKind = 'Ingress' | 'Gateway';

/** The result of reading one annotation value as the shim does. */
interface ValueProblem {
  /** cert-manager's own error text (after `invalid ingress annotation "<key>": `). */
  error: string;
  /** Advice on the fix, when there is an obvious one. */
  hint?: string;
}

/** All annotation values of the object, by key (the shim reads them as a map[string]string). */
type AnnotationValues = ReadonlyMap<string, string>;

export interface KnownAnnotation {
  key: string;
  /** The kinds whose certificate-shim reads the key. */
  readOn: readonly ShimKind[];
  /** The shim's parse of the value; undefined when it takes any value. */
  parse?: (value: string, all: AnnotationValues) => ValueProblem | undefined;
}

const BOTH: readonly ShimKind[] = ['Ingress', 'Gateway'];

function quoted(s: string): string {
  return JSON.stringify(s);
}

function duration(min: number, what: string) {
  return (value: string): ValueProblem | undefined => {
    const d = parseGoDuration(value);
    if ('error' in d) {
      const days = /^\s*([0-9]+)\s*d\s*$/.exec(value);
      const hint = days
        ? `Go durations have no "d" unit: write ${Number(days[1]) * 24}h for ${days[1]} days.`
        : 'Use a Go duration with the units h, m and s, e.g. 2160h for 90 days.';
      return { error: d.error, hint };
    }
    if (d.ns < min) return { error: `${what} must be greater than or equal to ${formatGoDuration(min)}` };
    return undefined;
  };
}

function oneOf(allowed: readonly string[], what: string) {
  return (value: string): ValueProblem | undefined => {
    if (allowed.includes(value)) return undefined;
    const near = closest(value, allowed);
    return {
      error: `invalid ${what} ${quoted(value)}`,
      hint: near ? `Did you mean "${near}"? (the value is case-sensitive)` : `Use one of ${allowed.map((a) => `"${a}"`).join(', ')}.`,
    };
  };
}

function csvList(value: string): ValueProblem | undefined {
  const r = splitWithEscapeCsv(value);
  if ('error' in r) {
    return {
      error: r.error,
      hint: 'The value is read as one line of CSV: separate entries with commas and quote an entry that contains a comma from its first character, e.g. "Acme, Inc",Example (no space before the quote).',
    };
  }
  return undefined;
}

function ipList(value: string): ValueProblem | undefined {
  if (value === '') return undefined;
  for (const part of value.split(',')) {
    const ip = part.trim();
    if (!goParseIP(ip)) return { error: `${quoted(ip)} is not a valid IP address` };
  }
  return undefined;
}

function emailList(value: string): ValueProblem | undefined {
  if (value === '') return undefined;
  for (const part of value.split(',')) {
    const email = part.trim();
    const parsed = parseMailAddress(email);
    if ('error' in parsed) return { error: `${quoted(email)} is not a valid email address` };
    if (parsed.address !== email) return { error: `${quoted(email)} must only contain the email address itself`, hint: `Write only the address: ${parsed.address}.` };
  }
  return undefined;
}

function usages(value: string): ValueProblem | undefined {
  for (const name of value.split(',')) {
    const usage = name.replace(/^ +| +$/g, '');
    if (!KNOWN_USAGES.has(usage)) {
      const near = closest(usage, KNOWN_USAGES);
      return {
        error: `invalid key usage name ${quoted(name)}`,
        hint: near ? `Did you mean "${near}"?` : 'Usages are comma-separated cert-manager usage names, e.g. "digital signature,key encipherment,server auth".',
      };
    }
  }
  return undefined;
}

function int32(value: string): ValueProblem | undefined {
  const r = goParseInt(value, 32);
  return 'error' in r ? { error: r.error } : undefined;
}

function revisionHistoryLimit(value: string): ValueProblem | undefined {
  const r = goParseInt(value, 32);
  if ('error' in r) return { error: r.error };
  if (r.value < 1) return { error: `revision history limit must be a positive number ${quoted(value)}` };
  return undefined;
}

const ALGORITHMS = ['RSA', 'ECDSA', 'Ed25519'];

function privateKeySize(value: string, all: AnnotationValues): ValueProblem | undefined {
  const r = goAtoi(value);
  if ('error' in r) return { error: r.error };
  // The algorithm annotation is applied first; an invalid one stops the shim before the size is read.
  const algorithm = all.get(PRIVATE_KEY_ALGORITHM) ?? 'RSA';
  if (algorithm === 'RSA' && (r.value < MIN_RSA_KEY_SIZE || r.value > MAX_RSA_KEY_SIZE)) {
    return { error: `invalid private key size for RSA algorithm ${quoted(value)}`, hint: `RSA keys are ${MIN_RSA_KEY_SIZE} to ${MAX_RSA_KEY_SIZE} bits (2048, 3072 or 4096 are usual).` };
  }
  if (algorithm === 'ECDSA' && ![256, 384, 521].includes(r.value)) {
    return { error: `invalid private key size for ECDSA algorithm ${quoted(value)}`, hint: 'ECDSA keys are 256, 384 or 521 bits.' };
  }
  return undefined;
}

function secretTemplate(value: string): ValueProblem | undefined {
  const r = decodeSecretTemplate(value);
  if ('error' in r) {
    return { error: `error parsing secret template JSON: ${r.error}`, hint: 'The value is JSON with only "annotations" and "labels" maps of strings, e.g. {"labels": {"team": "web"}}.' };
  }
  for (const k of Object.keys(r.template.annotations)) {
    if (k.startsWith('cert-manager.io/')) return { error: `secretTemplate must not have cert-manager.io/ annotations: ${quoted(k)}` };
  }
  return undefined;
}

function commonName(value: string): ValueProblem | undefined {
  if (Buffer.byteLength(value) > 64) return { error: 'common name may not be more than 64 bytes', hint: 'Put long names in the tls hosts (dnsNames) instead.' };
  return undefined;
}

/** The annotations the certificate-shim reads, in the order translateAnnotations applies them. */
export const SHIM_ANNOTATIONS: readonly KnownAnnotation[] = [
  { key: ISSUER, readOn: BOTH },
  { key: CLUSTER_ISSUER, readOn: BOTH },
  { key: ISSUER_KIND, readOn: BOTH },
  { key: ISSUER_GROUP, readOn: BOTH },
  { key: COMMON_NAME, readOn: BOTH, parse: commonName },
  { key: ALT_NAMES, readOn: BOTH },
  { key: IP_SANS, readOn: BOTH, parse: ipList },
  { key: EMAIL_SANS, readOn: BOTH, parse: emailList },
  ...Object.keys(SUBJECT_KEYS).map((key) => ({ key, readOn: BOTH, parse: csvList })),
  { key: 'cert-manager.io/subject-serialnumber', readOn: BOTH },
  { key: DURATION, readOn: BOTH, parse: duration(HOUR, 'duration') },
  { key: RENEW_BEFORE, readOn: BOTH, parse: duration(5 * MINUTE, 'renewBefore') },
  { key: RENEW_BEFORE_PERCENTAGE, readOn: BOTH, parse: int32 },
  { key: USAGES, readOn: BOTH, parse: usages },
  { key: REVISION_HISTORY_LIMIT, readOn: BOTH, parse: revisionHistoryLimit },
  { key: PRIVATE_KEY_ALGORITHM, readOn: BOTH, parse: oneOf(ALGORITHMS, 'private key algorithm') },
  { key: PRIVATE_KEY_ENCODING, readOn: BOTH, parse: oneOf(['PKCS1', 'PKCS8'], 'private key encoding') },
  { key: PRIVATE_KEY_SIZE, readOn: BOTH, parse: privateKeySize },
  { key: PRIVATE_KEY_ROTATION_POLICY, readOn: BOTH, parse: oneOf(['Never', 'Always'], 'private key rotation policy') },
  { key: SECRET_TEMPLATE, readOn: BOTH, parse: secretTemplate },
  { key: IGNORE_TLS_LISTENERS, readOn: ['Gateway'] },
  { key: EDIT_IN_PLACE, readOn: BOTH },
  { key: HTTP01_INGRESS_CLASS, readOn: BOTH },
  { key: HTTP01_INGRESS_CLASS_NAME, readOn: BOTH },
];

/**
 * cert-manager's other annotation keys in its two domains: set by cert-manager
 * on Secrets and Certificates, read from other objects, or labels. Not
 * unknown, and (but for the two below) not reported on an Ingress or Gateway.
 */
const OTHER_CERT_MANAGER_KEYS = [
  'cert-manager.io/uri-sans',
  'cert-manager.io/issuer-name',
  'cert-manager.io/certificate-name',
  'cert-manager.io/next-private-key',
  'cert-manager.io/private-key-secret-name',
  'cert-manager.io/certificate-revision',
  'cert-manager.io/issue-temporary-certificate',
  'cert-manager.io/inject-ca-from',
  'cert-manager.io/inject-apiserver-ca',
  'cert-manager.io/inject-ca-from-secret',
  'cert-manager.io/allow-direct-injection',
  'acme.cert-manager.io/http01-override-ingress-name',
  'acme.cert-manager.io/http01-override-ingress-class',
  'acme.cert-manager.io/http01-override-ingress-ingressclassname',
  'acme.cert-manager.io/http-domain',
  'acme.cert-manager.io/http-token',
  'acme.cert-manager.io/http01-solver',
  'acme.cert-manager.io/http01-parentrefname',
  'acme.cert-manager.io/http01-parentrefkind',
  'acme.cert-manager.io/http01-parentrefnamespace',
  'acme.cert-manager.io/http01-parentreffallback',
];

/**
 * Keys users put on an Ingress or Gateway expecting the shim to read them,
 * which it does not: what they are for, and the key that does the job.
 */
const NOT_READ_BY_SHIM: Record<string, { why: string; instead?: string }> = {
  'cert-manager.io/issuer-name': {
    why: 'cert-manager sets it on the Secrets it issues; the certificate-shim does not read it',
    instead: ISSUER,
  },
  'cert-manager.io/uri-sans': {
    why: 'cert-manager sets it on the Secrets it issues; the certificate-shim does not read it, so no URI SAN is added',
  },
};

const BY_KEY = new Map(SHIM_ANNOTATIONS.map((a) => [a.key, a]));
const ALL_KNOWN = new Set([...BY_KEY.keys(), ...OTHER_CERT_MANAGER_KEYS]);
const CM_DOMAIN = 'cert-manager.io';
const ACME_DOMAIN = 'acme.cert-manager.io';
/** The annotation domain of cert-manager before v0.11. */
const LEGACY_DOMAIN = 'certmanager.k8s.io';

/** Old certmanager.k8s.io names whose cert-manager.io successor is not the same name in the new domain. */
const LEGACY_RENAMES: Record<string, string> = {
  'acme-http01-edit-in-place': EDIT_IN_PLACE,
  'acme-http01-ingress-class': HTTP01_INGRESS_CLASS,
};

export function knownShimAnnotation(key: string): KnownAnnotation | undefined {
  return BY_KEY.get(key);
}

export interface KeyProblem {
  message: string;
  /** The key that was probably meant, for a quick fix. */
  suggestion?: string;
}

function domainOf(key: string): { domain: string; name: string } | undefined {
  const slash = key.indexOf('/');
  if (slash <= 0) return undefined;
  return { domain: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Names (after the domain) of the keys the shim reads, by domain. */
function shimNames(domain: string): string[] {
  return SHIM_ANNOTATIONS.filter((a) => a.key.startsWith(`${domain}/`)).map((a) => a.key.slice(domain.length + 1));
}

/**
 * What is wrong with an annotation key on an Ingress or Gateway, if anything:
 * a key in cert-manager's domains that cert-manager does not define, a key in
 * a misspelt cert-manager domain, an old certmanager.k8s.io key, or a key the
 * shim does not read although it looks as if it should.
 */
export function checkAnnotationKey(key: string, kind: ShimKind): KeyProblem | undefined {
  if (ALL_KNOWN.has(key)) {
    const nr = NOT_READ_BY_SHIM[key];
    if (nr) {
      return { message: `"${key}" has no effect on a${kind === 'Ingress' ? 'n' : ''} ${kind}: ${nr.why}.${nr.instead ? ` Did you mean "${nr.instead}"?` : ''}`, suggestion: nr.instead };
    }
    return undefined;
  }
  const parts = domainOf(key);
  if (!parts) return undefined;
  const { domain, name } = parts;
  if (domain === CM_DOMAIN || domain === ACME_DOMAIN) {
    const own = closest(name, shimNames(domain));
    const other = domain === CM_DOMAIN ? ACME_DOMAIN : CM_DOMAIN;
    const elsewhere = shimNames(other).includes(name) ? `${other}/${name}` : undefined;
    const suggestion = elsewhere ?? (own ? `${domain}/${own}` : undefined);
    return {
      message: `Unknown cert-manager annotation "${key}": cert-manager ignores it.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
      suggestion,
    };
  }
  if (domain === LEGACY_DOMAIN) {
    const renamed = LEGACY_RENAMES[name] ?? (BY_KEY.has(`${CM_DOMAIN}/${name}`) ? `${CM_DOMAIN}/${name}` : undefined);
    return {
      message: `"${key}" is an annotation of cert-manager before v0.11; current versions ignore it.${renamed ? ` Use "${renamed}".` : ''}`,
      suggestion: renamed,
    };
  }
  // A misspelt cert-manager domain with a name the shim reads: certmanager.io/cluster-issuer.
  for (const d of [CM_DOMAIN, ACME_DOMAIN]) {
    if (domain !== d && editDistance(domain.toLowerCase(), d, 2) <= 2 && shimNames(d).includes(name)) {
      return { message: `"${key}" is not a cert-manager annotation (the domain is misspelt), so cert-manager ignores it. Did you mean "${d}/${name}"?`, suggestion: `${d}/${name}` };
    }
  }
  return undefined;
}
