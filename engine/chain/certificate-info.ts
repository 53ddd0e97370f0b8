/**
 * One certificate taken apart: the facts a person looks at (CertificateInfo,
 * what `certsmith inspect --format json` prints per certificate) and the
 * raw pieces path building and verification need (ParsedCertificate).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import {
  AuthorityInfoAccessExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
} from './x509.js';
import { DerError, TAG, bytesOf, children, oidAt, readSingle, valueOf, type Tlv } from './der.js';
import { readGeneralNames, type GeneralNameValue } from './general-names.js';
import { readNameConstraints, type NameConstraints } from './name-constraints.js';
import { ChainInputError, type CertificateBlob, type Origin } from './pem.js';

export type KeyAlgorithm = 'RSA' | 'ECDSA' | 'Ed25519' | 'Ed448' | 'DSA' | 'unknown';

/** The per-certificate facts of the report (the JSON's `certificates[]`). */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  isCA: boolean;
  pathLen: number | null;
  keyAlgorithm: KeyAlgorithm;
  keySize: number;
  signatureAlgorithm: string;
  keyUsage: string[];
  extendedKeyUsage: string[];
  sha256Fingerprint: string;
}

/** Extra facts for a UI (not part of the CLI's JSON). */
export interface CertificateDetails {
  commonName: string | null;
  version: number;
  /** EC curve name (P-256, ...) for ECDSA keys. */
  curve: string | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  /** AIA caIssuers URLs (shown, never fetched). */
  caIssuers: string[];
  selfIssued: boolean;
  hasNameConstraints: boolean;
  /** Where the certificate came from: the input, a Secret's ca.crt, or the trusted roots. */
  origin: Origin | 'roots';
  where: string;
}

export interface ParsedCertificate {
  der: Uint8Array;
  x509: X509Certificate;
  info: CertificateInfo;
  details: CertificateDetails;
  /** Lower-case hex SHA-256 of the DER, for identity. */
  id: string;
  tbs: Uint8Array;
  signature: Uint8Array;
  signatureOid: string;
  /** Hash of the signature algorithm (sha1, sha256, ...; null for Ed25519/Ed448). */
  signatureHash: string | null;
  pssSaltLength?: number;
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  spkiDer: Uint8Array;
  publicKey: KeyObject | null;
  notBefore: Date;
  notAfter: Date;
  basicConstraints: { ca: boolean; pathLen: number | null } | null;
  /** Key usage bits (KeyUsageFlags) or null when the extension is absent. */
  keyUsageFlags: number | null;
  /** EKU OIDs, or null when the extension is absent. */
  ekuOids: string[] | null;
  hasSanExtension: boolean;
  sans: GeneralNameValue[];
  nameConstraints: NameConstraints | null;
  unknownCriticalExtensions: string[];
  /** Extensions present but unreadable. */
  extensionProblems: string[];
}

export const OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  anyExtendedKeyUsage: '2.5.29.37.0',
  commonName: '2.5.4.3',
} as const;

/** Extensions whose meaning verification takes into account (criticality is fine for these). */
const HANDLED_EXTENSIONS = new Set([
  OID.subjectKeyIdentifier,
  OID.keyUsage,
  OID.subjectAltName,
  OID.basicConstraints,
  OID.nameConstraints,
  OID.authorityKeyIdentifier,
  OID.extKeyUsage,
  OID.authorityInfoAccess,
  '2.5.29.32', // certificatePolicies
  '2.5.29.33', // policyMappings
  '2.5.29.36', // policyConstraints
  '2.5.29.54', // inhibitAnyPolicy
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.18', // issuerAltName
]);

const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash: string | null }> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'md2' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  '1.2.840.113549.1.1.10': { name: 'rsassaPss', hash: 'sha1' /* the default; parameters override */ },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  '1.3.101.112': { name: 'ED25519', hash: null },
  '1.3.101.113': { name: 'ED448', hash: null },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa_with_SHA256', hash: 'sha256' },
};

const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const KEY_USAGE_NAMES: [number, string][] = [
  [1, 'digitalSignature'],
  [2, 'nonRepudiation'],
  [4, 'keyEncipherment'],
  [8, 'dataEncipherment'],
  [16, 'keyAgreement'],
  [32, 'keyCertSign'],
  [64, 'cRLSign'],
  [128, 'encipherOnly'],
  [256, 'decipherOnly'],
];
export const KU_KEY_CERT_SIGN = 32;

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.4.1.311.10.3.3': 'msSGC',
  '2.16.840.1.113730.4.1': 'nsSGC',
};

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256, secp224r1: 224, prime192v1: 192 };
const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp224r1: 'P-224', prime192v1: 'P-192' };

const hex = (b: Uint8Array | ArrayBuffer) => Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString('hex');

/** "AB:CD:..." as `openssl x509 -fingerprint` prints it. */
export function colonHex(h: string): string {
  return (h.toUpperCase().match(/../g) ?? []).join(':');
}

/** Parses one certificate; throws ChainInputError when it is not a readable X.509 certificate. */
export function parseCertificate(blob: CertificateBlob | { der: Uint8Array; origin: Origin | 'roots'; where: string }): ParsedCertificate {
  const der = blob.der;
  let x509: X509Certificate;
  let parts: ReturnType<typeof splitCertificate>;
  try {
    parts = splitCertificate(der);
    x509 = new X509Certificate(Buffer.from(der));
  } catch (e) {
    throw new ChainInputError(`${blob.where} is not a readable X.509 certificate (${shortReason(e)})`);
  }
  const id = createHash('sha256').update(der).digest('hex');
  const extensionProblems: string[] = [];
  const ext = <T>(what: string, f: () => T): T | null => {
    try {
      return f();
    } catch (e) {
      extensionProblems.push(`${what}: ${shortReason(e)}`);
      return null;
    }
  };

  let notBefore: Date;
  let notAfter: Date;
  let subject: string;
  let issuer: string;
  let serial: string;
  try {
    notBefore = x509.notBefore;
    notAfter = x509.notAfter;
    subject = x509.subject;
    issuer = x509.issuer;
    serial = x509.serialNumber;
  } catch (e) {
    throw new ChainInputError(`${blob.where} is not a readable X.509 certificate (${shortReason(e)})`);
  }

  const bc = ext('basic constraints', () => x509.getExtension(BasicConstraintsExtension));
  const ku = ext('key usage', () => x509.getExtension(KeyUsagesExtension));
  const eku = ext('extended key usage', () => x509.getExtension(ExtendedKeyUsageExtension));
  const ski = ext('subject key identifier', () => x509.getExtension(SubjectKeyIdentifierExtension));
  const akiExt = parts.extensions.find((e) => e.oid === OID.authorityKeyIdentifier);
  const aki = akiExt ? ext('authority key identifier', () => readAuthorityKeyId(akiExt.value)) : null;
  const aia = ext('authority information access', () => x509.getExtension(AuthorityInfoAccessExtension));

  let sans: GeneralNameValue[] = [];
  let hasSanExtension = false;
  let nameConstraints: NameConstraints | null = null;
  const unknownCritical: string[] = [];
  for (const e of parts.extensions) {
    if (e.critical && !HANDLED_EXTENSIONS.has(e.oid)) unknownCritical.push(e.oid);
    if (e.oid === OID.subjectAltName) {
      hasSanExtension = true;
      sans = ext('subject alternative name', () => readGeneralNames(e.value)) ?? [];
    } else if (e.oid === OID.nameConstraints) {
      nameConstraints = ext('name constraints', () => readNameConstraints(e.value));
    }
  }

  let publicKey: KeyObject | null = null;
  let keyAlgorithm: KeyAlgorithm = 'unknown';
  let keySize = 0;
  let curve: string | null = null;
  try {
    publicKey = createPublicKey({ key: Buffer.from(parts.spki), format: 'der', type: 'spki' });
    const t = publicKey.asymmetricKeyType;
    const d = publicKey.asymmetricKeyDetails ?? {};
    if (t === 'rsa' || t === 'rsa-pss') {
      keyAlgorithm = 'RSA';
      keySize = d.modulusLength ?? 0;
    } else if (t === 'ec') {
      keyAlgorithm = 'ECDSA';
      keySize = CURVE_BITS[d.namedCurve ?? ''] ?? 0;
      curve = CURVE_NAMES[d.namedCurve ?? ''] ?? d.namedCurve ?? null;
    } else if (t === 'ed25519') {
      keyAlgorithm = 'Ed25519';
      keySize = 256;
    } else if (t === 'ed448') {
      keyAlgorithm = 'Ed448';
      keySize = 456;
    } else if (t === 'dsa') {
      keyAlgorithm = 'DSA';
      keySize = d.modulusLength ?? 0;
    }
  } catch {
    extensionProblems.push('public key: not a key Node.js can read');
  }

  const sig = SIGNATURE_ALGORITHMS[parts.signatureOid];
  let signatureHash = sig ? sig.hash : null;
  let signatureAlgorithm = sig ? sig.name : parts.signatureOid;
  let pssSaltLength: number | undefined;
  if (parts.signatureOid === '1.2.840.113549.1.1.10' && parts.signatureParams) {
    const pss = ext('RSASSA-PSS parameters', () => readPssParams(parts.signatureParams!));
    if (pss) {
      signatureHash = pss.hash;
      pssSaltLength = pss.saltLength;
      signatureAlgorithm = `rsassaPss (${pss.hash.toUpperCase().replace('SHA', 'SHA-')})`;
    }
  }

  const keyUsageFlags = ku ? ku.usages : null;
  const ekuOids = eku ? eku.usages.map((u) => String(u)) : null;
  const commonNames = readCommonNames(parts.subject);
  const selfIssued = Buffer.compare(Buffer.from(parts.subject), Buffer.from(parts.issuer)) === 0 || normalizeDn(subject) === normalizeDn(issuer);

  const info: CertificateInfo = {
    subject,
    issuer,
    serialNumber: formatSerial(serial),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    dnsNames: sans.flatMap((n) => (n.type === 'dns' ? [n.value] : [])),
    ipAddresses: sans.flatMap((n) => (n.type === 'ip' ? [n.value] : [])),
    emailAddresses: sans.flatMap((n) => (n.type === 'email' ? [n.value] : [])),
    uris: sans.flatMap((n) => (n.type === 'uri' ? [n.value] : [])),
    isCA: bc?.ca ?? false,
    pathLen: bc?.ca && bc.pathLength !== undefined ? bc.pathLength : null,
    keyAlgorithm,
    keySize,
    signatureAlgorithm,
    keyUsage: keyUsageFlags === null ? [] : KEY_USAGE_NAMES.filter(([bit]) => keyUsageFlags & bit).map(([, n]) => n),
    extendedKeyUsage: (ekuOids ?? []).map((o) => EKU_NAMES[o] ?? o),
    sha256Fingerprint: colonHex(id),
  };
  const details: CertificateDetails = {
    commonName: commonNames[0] ?? null,
    version: parts.version,
    curve,
    subjectKeyId: ski ? ski.keyId.toLowerCase() : null,
    authorityKeyId: aki,
    caIssuers: aia ? aia.caIssuers.map((g) => g.value) : [],
    selfIssued,
    hasNameConstraints: nameConstraints !== null,
    origin: blob.origin,
    where: blob.where,
  };
  return {
    der,
    x509,
    info,
    details,
    id,
    tbs: parts.tbs,
    signature: parts.signature,
    signatureOid: parts.signatureOid,
    signatureHash,
    pssSaltLength,
    subjectDer: parts.subject,
    issuerDer: parts.issuer,
    spkiDer: parts.spki,
    publicKey,
    notBefore,
    notAfter,
    basicConstraints: bc ? { ca: bc.ca, pathLen: bc.pathLength ?? null } : null,
    keyUsageFlags,
    ekuOids,
    hasSanExtension,
    sans,
    nameConstraints,
    unknownCriticalExtensions: unknownCritical,
    extensionProblems,
  };
}

function shortReason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split('\n')[0] || 'unknown error').slice(0, 160);
}

/** Upper-case hex without leading zero bytes, as `openssl x509 -serial` prints it. */
function formatSerial(h: string): string {
  let s = h.toUpperCase();
  while (s.length > 2 && s.startsWith('00')) s = s.slice(2);
  return s || '00';
}

/** Case- and space-insensitive form of a DN string, for comparing names encoded differently. */
export function normalizeDn(dn: string): string {
  return dn.toLowerCase().replace(/\s+/g, ' ').trim();
}

interface CertificateParts {
  tbs: Uint8Array;
  version: number;
  signatureOid: string;
  signatureParams: Uint8Array | null;
  signature: Uint8Array;
  issuer: Uint8Array;
  subject: Uint8Array;
  spki: Uint8Array;
  extensions: { oid: string; critical: boolean; value: Uint8Array }[];
}

function splitCertificate(der: Uint8Array): CertificateParts {
  const cert = readSingle(der);
  if (cert.tag !== TAG.SEQUENCE) throw new DerError('not a SEQUENCE');
  const [tbsT, algT, sigT, ...extra] = children(der, cert);
  if (!tbsT || !algT || !sigT || extra.length) throw new DerError('a certificate has three parts');
  if (tbsT.tag !== TAG.SEQUENCE || algT.tag !== TAG.SEQUENCE || sigT.tag !== TAG.BIT_STRING) throw new DerError('unexpected certificate structure');
  const alg = children(der, algT);
  if (alg.length === 0) throw new DerError('empty signature algorithm');
  const signatureOid = oidAt(der, alg[0]);
  const sigBits = valueOf(der, sigT);
  if (sigBits.length < 1) throw new DerError('empty signature');
  const tbsParts = children(der, tbsT);
  let i = 0;
  let version = 1;
  if (tbsParts[0]?.tag === 0xa0) {
    const v = children(der, tbsParts[0])[0];
    if (v?.tag === TAG.INTEGER) version = valueOf(der, v)[0] + 1;
    i++;
  }
  // serial, signature, issuer, validity, subject, spki
  const need = tbsParts.slice(i, i + 6);
  if (need.length < 6) throw new DerError('truncated TBSCertificate');
  const [, , issuerT, , subjectT, spkiT] = need;
  const extensions: CertificateParts['extensions'] = [];
  for (const t of tbsParts.slice(i + 6)) {
    if (t.tag !== 0xa3) continue;
    const seq = children(der, t)[0];
    if (!seq) continue;
    for (const e of children(der, seq)) {
      const f = children(der, e);
      if (f.length < 2) throw new DerError('malformed extension');
      const oid = oidAt(der, f[0]);
      const critical = f.length === 3 && f[1].tag === TAG.BOOLEAN && valueOf(der, f[1])[0] !== 0;
      const valueT = f[f.length - 1];
      extensions.push({ oid, critical, value: valueOf(der, valueT) });
    }
  }
  return {
    tbs: bytesOf(der, tbsT),
    version,
    signatureOid,
    signatureParams: alg[1] ? bytesOf(der, alg[1]) : null,
    signature: sigBits.subarray(1),
    issuer: bytesOf(der, issuerT),
    subject: bytesOf(der, subjectT),
    spki: bytesOf(der, spkiT),
    extensions,
  };
}

function readPssParams(p: Uint8Array): { hash: string; saltLength: number } {
  const seq = readSingle(p);
  let hash = 'sha1';
  let saltLength = 20;
  for (const f of children(p, seq)) {
    if (f.tag === 0xa0) {
      const alg = children(p, f)[0];
      const oidT = alg && children(p, alg)[0];
      if (oidT) hash = HASH_OIDS[oidAt(p, oidT)] ?? 'unknown';
    } else if (f.tag === 0xa2) {
      const n = children(p, f)[0];
      if (n?.tag === TAG.INTEGER) saltLength = Array.from(valueOf(p, n)).reduce((a, b) => a * 256 + b, 0);
    }
  }
  return { hash, saltLength };
}

function readCommonNames(name: Uint8Array): string[] {
  const out: string[] = [];
  try {
    const seq = readSingle(name);
    for (const rdn of children(name, seq)) {
      for (const atv of children(name, rdn)) {
        const [oidT, valT] = children(name, atv);
        if (!oidT || !valT || oidAt(name, oidT) !== OID.commonName) continue;
        out.push(decodeString(name, valT));
      }
    }
  } catch {
    // names are shown as @peculiar/x509 prints them; a CN we cannot read is simply absent
  }
  return out;
}

function decodeString(buf: Uint8Array, t: Tlv): string {
  const v = Buffer.from(valueOf(buf, t));
  if (t.tag === 0x1e) {
    // BMPString: UTF-16BE
    const sw = Buffer.from(v);
    sw.swap16();
    return sw.toString('utf16le');
  }
  return t.tag === 0x0c ? v.toString('utf8') : v.toString('latin1');
}

/** The key identifier value of the AKI extension (its [0] field), as lower-case hex. */
export function readAuthorityKeyId(value: Uint8Array): string | null {
  const seq = readSingle(value);
  for (const f of children(value, seq)) if (f.tag === 0x80) return hex(valueOf(value, f));
  return null;
}
