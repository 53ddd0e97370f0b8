/**
 * cert-manager's CertificateRequest validation (certificaterequest.go): the
 * issuerRef, and the CSR in spec.request — it must decode, its signature must
 * verify, and any basic-constraints or key-usage extensions it carries must
 * match spec.isCA and spec.usages (pkg/util/pki/certificatetemplate.go).
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type * as Asn1Schema from '@peculiar/asn1-schema';
import type * as Asn1Csr from '@peculiar/asn1-csr';
import type * as Asn1X509 from '@peculiar/asn1-x509';
import { validateIssuerRef } from './certificate.js';
import { type FieldErrors } from './field-error.js';
import { parseGoDuration } from '../../gocompat/go-duration.js';
import { list, str, type Json } from './values.js';

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';

/** Key usage bits as Go's x509.KeyUsage (same order as the ASN.1 bit string). */
const KEY_USAGE_BITS: Record<string, number> = {
  signing: 1 << 0,
  'digital signature': 1 << 0,
  'content commitment': 1 << 1,
  'key encipherment': 1 << 2,
  'data encipherment': 1 << 3,
  'key agreement': 1 << 4,
  'cert sign': 1 << 5,
  'crl sign': 1 << 6,
  'encipher only': 1 << 7,
  'decipher only': 1 << 8,
};
const KEY_USAGE_NAMES = ['digital signature', 'content commitment', 'key encipherment', 'data encipherment', 'key agreement', 'cert sign', 'crl sign', 'encipher only', 'decipher only'];

/** Extended key usages by cert-manager name, as OIDs (Go's x509.ExtKeyUsage). */
const EXT_KEY_USAGE_OIDS: Record<string, string> = {
  any: '2.5.29.37.0',
  'server auth': '1.3.6.1.5.5.7.3.1',
  'client auth': '1.3.6.1.5.5.7.3.2',
  'code signing': '1.3.6.1.5.5.7.3.3',
  'email protection': '1.3.6.1.5.5.7.3.4',
  's/mime': '1.3.6.1.5.5.7.3.4',
  'ipsec end system': '1.3.6.1.5.5.7.3.5',
  'ipsec tunnel': '1.3.6.1.5.5.7.3.6',
  'ipsec user': '1.3.6.1.5.5.7.3.7',
  timestamping: '1.3.6.1.5.5.7.3.8',
  'ocsp signing': '1.3.6.1.5.5.7.3.9',
  'microsoft sgc': '1.3.6.1.4.1.311.10.3.3',
  'netscape sgc': '2.16.840.1.113730.4.1',
};
const EKU_NAME_BY_OID = new Map<string, string>(
  Object.entries(EXT_KEY_USAGE_OIDS)
    .filter(([n]) => n !== 's/mime')
    .map(([n, o]) => [o, n]),
);

/** Signature algorithms of CSRs, by OID: the digest for node:crypto (null for Ed25519). */
const SIGNATURE_DIGESTS: Record<string, string | null> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.3.101.112': null,
};
const RSA_PSS = '1.2.840.113549.1.1.10';

interface ParsedCsr {
  basicConstraints?: { isCA: boolean };
  keyUsage?: number;
  extKeyUsage?: string[];
  hasKeyUsageExtension: boolean;
}

type CertificationRequest = Asn1Csr.CertificationRequest;

/** The ASN.1 libraries, loaded on the first CSR: few manifests hold one, and loading them takes a noticeable part of start-up. */
let asn1: typeof Asn1Schema & typeof Asn1Csr & typeof Asn1X509 | undefined;
function asn1Lib(): NonNullable<typeof asn1> {
  asn1 ??= { ...(require('@peculiar/asn1-schema') as typeof Asn1Schema), ...(require('@peculiar/asn1-csr') as typeof Asn1Csr), ...(require('@peculiar/asn1-x509') as typeof Asn1X509) };
  return asn1;
}

function decodePem(pem: string): Buffer | undefined {
  const m = /-----BEGIN (NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END (NEW )?CERTIFICATE REQUEST-----/.exec(pem);
  if (!m) return undefined;
  return Buffer.from(m[2].replace(/\s+/g, ''), 'base64');
}

function checkSignature(csr: CertificationRequest): string | undefined {
  const { AsnConvert } = asn1Lib();
  const tbs = Buffer.from(AsnConvert.serialize(csr.certificationRequestInfo));
  const spki = Buffer.from(AsnConvert.serialize(csr.certificationRequestInfo.subjectPKInfo));
  const sig = Buffer.from(csr.signature);
  const oid = csr.signatureAlgorithm.algorithm;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch (e) {
    return `x509: failed to parse public key: ${(e as Error).message}`;
  }
  try {
    if (oid === RSA_PSS) {
      // Go verifies PSS with the hash from the parameters; SHA-256 is what cert-manager issues.
      const ok = ['sha256', 'sha384', 'sha512'].some((h) =>
        cryptoVerify(h, tbs, { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: -2 /* auto */ }, sig),
      );
      return ok ? undefined : 'x509: signature verification failure';
    }
    if (!(oid in SIGNATURE_DIGESTS)) return 'x509: cannot verify signature: algorithm unimplemented';
    const digest = SIGNATURE_DIGESTS[oid];
    if (digest === 'sha1') return 'x509: cannot verify signature: insecure algorithm SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)';
    return cryptoVerify(digest, tbs, key, sig) ? undefined : 'crypto/rsa: verification error';
  } catch (e) {
    return `x509: signature verification failure: ${(e as Error).message}`;
  }
}

function parseCsr(der: Buffer): ParsedCsr & { csr: CertificationRequest } {
  const { AsnConvert, CertificationRequest, Extensions, BasicConstraints, KeyUsage, ExtendedKeyUsage, id_ce_basicConstraints, id_ce_keyUsage, id_ce_extKeyUsage } = asn1Lib();
  const csr = AsnConvert.parse(der, CertificationRequest);
  const out: ParsedCsr & { csr: CertificationRequest } = { csr, hasKeyUsageExtension: false };
  for (const attr of csr.certificationRequestInfo.attributes) {
    if (attr.type !== EXTENSION_REQUEST) continue;
    for (const value of attr.values) {
      const exts = AsnConvert.parse(value, Extensions);
      for (const ext of exts) {
        const raw = ext.extnValue.buffer;
        if (ext.extnID === id_ce_basicConstraints) {
          out.basicConstraints = { isCA: AsnConvert.parse(raw, BasicConstraints).cA };
        } else if (ext.extnID === id_ce_keyUsage) {
          out.hasKeyUsageExtension = true;
          out.keyUsage = Number(AsnConvert.parse(raw, KeyUsage).toNumber());
        } else if (ext.extnID === id_ce_extKeyUsage) {
          out.hasKeyUsageExtension = true;
          out.extKeyUsage = [...AsnConvert.parse(raw, ExtendedKeyUsage)].map(String);
        }
      }
    }
  }
  return out;
}

function usageNames(bits: number): string {
  const names = KEY_USAGE_NAMES.filter((_, i) => bits & (1 << i));
  return names.length ? `[ ${names.map((n) => `'${n}'`).join(', ')} ]` : '[]';
}

function ekuNames(oids: string[]): string {
  const names = oids.map((o) => EKU_NAME_BY_OID.get(o) ?? 'unknown');
  return names.length ? `[ ${names.map((n) => `'${n}'`).join(', ')} ]` : '[]';
}

/**
 * ValidateCertificateRequestApprovalCondition: at most one Approved and one
 * Denied condition, each only True, never both. (On create the API server
 * drops status, so this matters for status updates.)
 */
export function validateApprovalConditions(status: Json | undefined, errs: FieldErrors): void {
  const conditions = list(status, 'conditions').filter((c): c is Json => typeof c === 'object' && c !== null && !Array.isArray(c));
  const at = ['status', 'conditions'];
  const approved = conditions.filter((c) => c.type === 'Approved');
  const denied = conditions.filter((c) => c.type === 'Denied');
  for (const [type, found] of [
    ['Approved', approved],
    ['Denied', denied],
  ] as const) {
    if (found.length === 0) continue;
    if (found.length > 1) {
      errs.add('certificate-request', 'Forbidden', at, `multiple "${type}" conditions present`);
      continue;
    }
    if (found[0].status !== 'True') {
      errs.add('certificate-request', 'Invalid', [...at, conditions.indexOf(found[0]), 'status'], `"${type}" condition may only be set to True`, `status.conditions.${type}`);
    }
  }
  if (denied.length > 0 && approved.length > 0) errs.add('certificate-request', 'Forbidden', at, "both 'Denied' and 'Approved' conditions cannot coexist");
}

export function validateCertificateRequestSpec(spec: Json, errs: FieldErrors): void {
  // spec.duration is a metav1.Duration: text Go's time.ParseDuration refuses
  // makes the webhook's decoder fail, and the admission request with it.
  const duration = spec.duration;
  if (typeof duration === 'string') {
    const d = parseGoDuration(duration);
    if ('error' in d) errs.add('certificate-request', 'Invalid', ['spec', 'duration'], `${d.error}: use Go duration syntax with the units h, m and s, e.g. 2160h for 90 days`);
  }
  validateIssuerRef(spec, errs);
  const request = str(spec, 'request');
  if (request === '') {
    errs.add('certificate-request', 'Required', ['spec', 'request'], 'must be specified');
    return;
  }
  if (request === undefined) return;

  // Expected usages: cert-manager's defaults when none are given; cert sign for a CA.
  // An empty list item (null) reaches the webhook as "" (Go's JSON decoder), an unknown usage.
  const usages = list(spec, 'usages')
    .map((u) => (u === null ? '' : u))
    .filter((u): u is string => typeof u === 'string');
  const isCA = spec.isCA === true;
  let ku = isCA ? KEY_USAGE_BITS['cert sign'] : 0;
  const eku: string[] = [];
  const unknown: string[] = [];
  for (const u of usages.length ? usages : ['digital signature', 'key encipherment']) {
    if (u in KEY_USAGE_BITS) ku |= KEY_USAGE_BITS[u];
    else if (u in EXT_KEY_USAGE_OIDS) eku.push(EXT_KEY_USAGE_OIDS[u]);
    else unknown.push(u);
  }
  if (unknown.length) {
    errs.add('certificate-request', 'Invalid', ['spec', 'usages'], `unknown key usages: [${unknown.join(' ')}]`);
    return;
  }

  const invalid = (detail: string) => errs.add('certificate-request', 'Invalid', ['spec', 'request'], detail);
  const der = decodePem(Buffer.from(request, 'base64').toString('latin1'));
  if (!der) return invalid('error decoding certificate request PEM block');
  let parsed: ReturnType<typeof parseCsr>;
  try {
    parsed = parseCsr(der);
  } catch (e) {
    return invalid(`error parsing certificate request: ${(e as Error).message}`);
  }
  const sigError = checkSignature(parsed.csr);
  if (sigError) return invalid(sigError);
  if (parsed.basicConstraints && parsed.basicConstraints.isCA !== isCA) {
    return invalid(`encoded CSR error: IsCA ${parsed.basicConstraints.isCA} does not match expected value ${isCA}`);
  }
  if (parsed.hasKeyUsageExtension) {
    const csrKu = parsed.keyUsage ?? 0;
    if (csrKu !== ku) return invalid(`encoded CSR error: the KeyUsages ${usageNames(csrKu)} do not match the expected KeyUsages ${usageNames(ku)}`);
    const csrEku = (parsed.extKeyUsage ?? []).filter((o) => EKU_NAME_BY_OID.has(o));
    if (csrEku.join() !== eku.join()) {
      return invalid(`encoded CSR error: the ExtKeyUsages ${ekuNames(csrEku)} do not match the expected ExtKeyUsages ${ekuNames(eku)}`);
    }
  }
}
