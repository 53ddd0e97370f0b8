/**
 * The Certificate `spec` as this engine reads it: a plain object parsed from
 * YAML, checked field by field into typed values. Only the fields that shape
 * the key, the CSR and the certificate are read (cert-manager's
 * apis/certmanager/v1 CertificateSpec); issuerRef, secretName, renewal and
 * keystore settings belong to other parts of the flow.
 *
 * Type problems (a string where a list belongs) are PkiErrors naming the
 * field. The rules cert-manager's webhook enforces on values live in
 * engine/rules/webhook; this module only refuses what it cannot encode.
 */
import { formatGoDuration, HOUR, parseGoDuration } from '../gocompat/go-duration.js';
import { PkiError, quote } from './errors.js';

export type PrivateKeyAlgorithm = 'RSA' | 'ECDSA' | 'Ed25519';
export type PrivateKeyEncoding = 'PKCS1' | 'PKCS8';

/** cert-manager's default certificate lifetime (apis/certmanager/v1 DefaultCertificateDuration): 90 days. */
const DEFAULT_DURATION_NS = 2160 * HOUR;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The spec object itself; anything else is refused. */
export function specObject(spec: unknown): Record<string, unknown> {
  if (!isRecord(spec)) throw new PkiError(`expected the Certificate's spec as an object, got ${quote(spec)}`, 'spec');
  return spec;
}

/** An optional object field (absent and null read as undefined). */
export function objectField(parent: Record<string, unknown>, key: string, path: string): Record<string, unknown> | undefined {
  const v = parent[key];
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) throw new PkiError(`expected an object, got ${quote(v)}`, `${path}.${key}`);
  return v;
}

/** An optional string field; absent and null read as "". */
export function stringField(parent: Record<string, unknown>, key: string, path: string): string {
  const v = parent[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new PkiError(`expected a string, got ${quote(v)}`, `${path}.${key}`);
  return v;
}

/** An optional list of strings; absent and null read as []. */
export function stringList(parent: Record<string, unknown>, key: string, path: string): string[] {
  const v = parent[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new PkiError(`expected a list of strings, got ${quote(v)}`, `${path}.${key}`);
  v.forEach((item, i) => {
    if (typeof item !== 'string') throw new PkiError(`expected a string, got ${quote(item)}`, `${path}.${key}[${i}]`);
  });
  return v as string[];
}

/** An optional boolean; undefined when absent (so callers can tell false from unset). */
export function booleanField(parent: Record<string, unknown>, key: string, path: string): boolean | undefined {
  const v = parent[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new PkiError(`expected true or false, got ${quote(v)}`, `${path}.${key}`);
  return v;
}

/** An optional integer; 0 when absent (cert-manager's zero value meaning "the default"). */
export function integerField(parent: Record<string, unknown>, key: string, path: string): number {
  const v = parent[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new PkiError(`expected an integer, got ${quote(v)}`, `${path}.${key}`);
  return v;
}

/**
 * spec.duration in nanoseconds (Go duration syntax, "2160h" by default), as
 * apiutil.DefaultCertDuration reads it. The webhook requires at least 1h; the
 * engine only refuses what cannot be a lifetime.
 */
export function certificateDuration(spec: Record<string, unknown>): number {
  const raw = spec.duration;
  if (raw === undefined || raw === null) return DEFAULT_DURATION_NS;
  if (typeof raw !== 'string') throw new PkiError(`expected a Go duration such as "2160h" or "90m", got ${quote(raw)}`, 'spec.duration');
  const d = parseGoDuration(raw);
  if ('error' in d) throw new PkiError(`${d.error}; use a Go duration such as "2160h", "8760h" or "1h30m"`, 'spec.duration');
  if (d.ns <= 0) throw new PkiError(`a certificate lifetime must be positive, got ${formatGoDuration(d.ns)}`, 'spec.duration');
  return d.ns;
}
