/**
 * The one X.509 reader. A certificate is decoded once, with @peculiar/asn1-x509
 * (and @peculiar/x509 for DN text and RSA-PSS parameters), into the facts
 * every caller uses: what a person looks at (CertificateInfo, what
 * `certsmith inspect --format json` prints per certificate) and the pieces
 * path building, signature checks, cert-manager's chain rules, Secret
 * annotations and ACME renewal information need (ParsedCertificate).
 * Nothing else in the engine takes certificates apart.
 */
import 'reflect-metadata'; // @peculiar/x509's dependency tsyringe needs the Reflect metadata API before it loads
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { AsnArray, AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  GeneralName,
  GeneralSubtree,
  KeyUsage,
  Name as AsnName,
  NameConstraints as AsnNameConstraints,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  type Extension,
} from '@peculiar/asn1-x509';
import { GeneralName as X509GeneralName, Name, RsaAlgorithm } from '@peculiar/x509';
import { formatIp, type GeneralNameValue } from './general-names.js';
import type { NameConstraints } from './name-constraints.js';
import { ChainInputError, derElementEnd, extractInput, type CertificateBlob, type Origin } from './pem.js';

type KeyAlgorithm = 'RSA' | 'ECDSA' | 'Ed25519' | 'Ed448' | 'DSA' | 'unknown';

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
  info: CertificateInfo;
  details: CertificateDetails;
  /** Lower-case hex SHA-256 of the DER, for identity. */
  id: string;
  /** The signed TBSCertificate bytes, as they are in the certificate. */
  tbs: Uint8Array;
  signature: Uint8Array;
  signatureOid: string;
  /** Hash of the signature algorithm (sha1, sha256, ...; null for Ed25519/Ed448). */
  signatureHash: string | null;
  pssSaltLength?: number;
  /** The serial number's INTEGER content bytes, as encoded. */
  serialBytes: Uint8Array;
  /** Subject and issuer names byte for byte, as Go's RawSubject / RawIssuer. */
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  /** The subject's attributes in order (type OID, value as text), as Go's pkix.Name fields are filled. */
  subjectAttributes: { type: string; value: string }[];
  /** The DER of each RDN of the subject, for DN name constraints. */
  subjectRdns: Uint8Array[];
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
  /** AIA OCSP responder URLs. */
  ocspServers: string[];
  /** CRL distribution point URLs. */
  crlDistributionPoints: string[];
  unknownCriticalExtensions: string[];
  /** Extensions present but unreadable. */
  extensionProblems: string[];
}

export const OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlDistributionPoints: '2.5.29.31',
  nameConstraints: '2.5.29.30',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  anyExtendedKeyUsage: '2.5.29.37.0',
  commonName: '2.5.4.3',
  rsassaPss: '1.2.840.113549.1.1.10',
} as const;

/** Extensions whose meaning verification takes into account (criticality is fine for these). */
const HANDLED_EXTENSIONS = new Set<string>([
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
  OID.crlDistributionPoints,
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
  [OID.rsassaPss]: { name: 'rsassaPss', hash: 'sha1' /* the default; parameters override */ },
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

/** RSA-PSS hash algorithms: WebCrypto names as @peculiar/x509 gives them, and OIDs it has no name for. */
const PSS_HASHES: Record<string, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
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

/*
 * asn1-x509's schemas, changed where Certsmith needs the bytes as encoded and
 * declared here as subclasses (the library's own classes stay as they are):
 *  - the issuer, subject and public key of a certificate: Go compares
 *    RawIssuer/RawSubject byte for byte, and node:crypto reads the
 *    SubjectPublicKeyInfo itself;
 *  - the RDNs of a name, and a GeneralName's directoryName, which DN name
 *    constraints compare RDN by RDN;
 *  - a GeneralName's iPAddress: the library turns it into text, and an
 *    address+mask into CIDR notation, which loses what name constraints
 *    compare (masks that are not a prefix, odd lengths).
 * Nothing is encoded again: re-encoding a parsed value can fail or differ
 * from what was signed. The decorators are applied as functions (legacy
 * decorators are not enabled in this project).
 */
/** The parser sets `<field>Raw` beside each field declared with `raw: true`. */
class TbsCertificateBytes extends TBSCertificate {
  declare issuerRaw?: ArrayBuffer;
  declare subjectRaw?: ArrayBuffer;
  declare subjectPublicKeyInfoRaw?: ArrayBuffer;
}
AsnProp({ type: AsnName, raw: true })(TbsCertificateBytes.prototype, 'issuer');
AsnProp({ type: AsnName, raw: true })(TbsCertificateBytes.prototype, 'subject');
AsnProp({ type: SubjectPublicKeyInfo, raw: true })(TbsCertificateBytes.prototype, 'subjectPublicKeyInfo');

class CertificateBytes extends Certificate {
  declare tbsCertificate: TbsCertificateBytes;
}
AsnProp({ type: TbsCertificateBytes, raw: true })(CertificateBytes.prototype, 'tbsCertificate');

/** Name ::= SEQUENCE OF RelativeDistinguishedName, each RDN as its DER. */
class RdnSequenceBytes extends AsnArray<ArrayBuffer> {
  constructor(items?: ArrayBuffer[]) {
    super(items);
    Object.setPrototypeOf(this, RdnSequenceBytes.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: AsnPropTypes.Any })(RdnSequenceBytes);

/** GeneralName with iPAddress and directoryName (the Name's DER) as bytes. */
class GeneralNameBytes extends GeneralName {}
AsnType({ type: AsnTypeTypes.Choice })(GeneralNameBytes);
AsnProp({ type: AsnPropTypes.Any, context: 4 })(GeneralNameBytes.prototype, 'directoryName');
AsnProp({ type: AsnPropTypes.OctetString, context: 7, implicit: true })(GeneralNameBytes.prototype, 'iPAddress');

class GeneralNamesBytes extends AsnArray<GeneralNameBytes> {
  constructor(items?: GeneralNameBytes[]) {
    super(items);
    Object.setPrototypeOf(this, GeneralNamesBytes.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: GeneralNameBytes })(GeneralNamesBytes);

class GeneralSubtreeBytes extends GeneralSubtree {
  declare base: GeneralNameBytes;
}
AsnProp({ type: GeneralNameBytes })(GeneralSubtreeBytes.prototype, 'base');

class GeneralSubtreesBytes extends AsnArray<GeneralSubtreeBytes> {
  constructor(items?: GeneralSubtreeBytes[]) {
    super(items);
    Object.setPrototypeOf(this, GeneralSubtreesBytes.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: GeneralSubtreeBytes })(GeneralSubtreesBytes);

class NameConstraintsBytes extends AsnNameConstraints {
  declare permittedSubtrees?: GeneralSubtreesBytes;
  declare excludedSubtrees?: GeneralSubtreesBytes;
}
AsnProp({ type: GeneralSubtreesBytes, context: 0, implicit: true, optional: true })(NameConstraintsBytes.prototype, 'permittedSubtrees');
AsnProp({ type: GeneralSubtreesBytes, context: 1, implicit: true, optional: true })(NameConstraintsBytes.prototype, 'excludedSubtrees');

const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString('hex');
const bytes = (b: ArrayBuffer | undefined): Uint8Array => (b ? new Uint8Array(b) : new Uint8Array(0));

/** "AB:CD:..." as `openssl x509 -fingerprint` prints it. */
function colonHex(h: string): string {
  return (h.toUpperCase().match(/../g) ?? []).join(':');
}

/** Parses one certificate; throws ChainInputError when it is not a readable X.509 certificate. */
export function parseCertificate(blob: CertificateBlob | { der: Uint8Array; origin: Origin | 'roots'; where: string }): ParsedCertificate {
  const der = blob.der;
  let cert: CertificateBytes;
  let tbs: TbsCertificateBytes;
  let notBefore: Date;
  let notAfter: Date;
  let subject: string;
  let issuer: string;
  try {
    if (derElementEnd(der, 0) !== der.length) throw new Error('trailing bytes after DER value');
    cert = AsnConvert.parse(der, CertificateBytes);
    tbs = cert.tbsCertificate;
    notBefore = tbs.validity.notBefore.getTime();
    notAfter = tbs.validity.notAfter.getTime();
    subject = new Name(tbs.subject).toString();
    issuer = new Name(tbs.issuer).toString();
  } catch (e) {
    throw new ChainInputError(`${blob.where} is not a readable X.509 certificate (${shortReason(e)})`);
  }
  const id = createHash('sha256').update(der).digest('hex');
  const extensionProblems: string[] = [];
  const unknownCritical: string[] = [];
  const present = new Map<string, Extension>();
  for (const e of tbs.extensions ?? []) {
    if (e.critical && !HANDLED_EXTENSIONS.has(e.extnID)) unknownCritical.push(e.extnID);
    if (!present.has(e.extnID)) present.set(e.extnID, e);
  }
  /** An extension's value decoded, null when absent; an unreadable one is noted and counts as absent. */
  const ext = <T>(oid: string, what: string, decode: (value: ArrayBuffer) => T): T | null => {
    const e = present.get(oid);
    if (!e) return null;
    try {
      return decode(e.extnValue.buffer);
    } catch (err) {
      extensionProblems.push(`${what}: ${shortReason(err)}`);
      return null;
    }
  };
  const as =
    <T>(type: new () => T) =>
    (value: ArrayBuffer): T =>
      AsnConvert.parse(value, type);

  const bc = ext(OID.basicConstraints, 'basic constraints', as(BasicConstraints));
  const ku = ext(OID.keyUsage, 'key usage', as(KeyUsage));
  const eku = ext(OID.extKeyUsage, 'extended key usage', as(ExtendedKeyUsage));
  const ski = ext(OID.subjectKeyIdentifier, 'subject key identifier', as(SubjectKeyIdentifier));
  const aki = ext(OID.authorityKeyIdentifier, 'authority key identifier', as(AuthorityKeyIdentifier));
  const aia = ext(OID.authorityInfoAccess, 'authority information access', (v) => {
    const descriptions = AsnConvert.parse(v, AuthorityInfoAccessSyntax);
    // Locations as @peculiar/x509 writes them (a URL as is, a directory name as a DN string, ...).
    const of = (method: string) => Array.from(descriptions).filter((a) => a.accessMethod === method).map((a) => new X509GeneralName(a.accessLocation).value);
    return { caIssuers: of(OID.caIssuers), ocsp: of(OID.ocsp) };
  });
  const sans = ext(OID.subjectAltName, 'subject alternative name', (v) => Array.from(AsnConvert.parse(v, GeneralNamesBytes), generalNameValue)) ?? [];
  const nameConstraints: NameConstraints | null = ext(OID.nameConstraints, 'name constraints', (v) => {
    const nc = AsnConvert.parse(v, NameConstraintsBytes);
    const bases = (subtrees: GeneralSubtreeBytes[] = []) => Array.from(subtrees, (s) => generalNameValue(s.base));
    return { permitted: bases(nc.permittedSubtrees), excluded: bases(nc.excludedSubtrees) };
  });
  const crlDistributionPoints =
    ext(OID.crlDistributionPoints, 'CRL distribution points', (v) =>
      Array.from(AsnConvert.parse(v, CRLDistributionPoints)).flatMap((p) => Array.from(p.distributionPoint?.fullName ?? []).flatMap((g) => (g.uniformResourceIdentifier !== undefined ? [g.uniformResourceIdentifier] : []))),
    ) ?? [];

  const spkiDer = bytes(tbs.subjectPublicKeyInfoRaw);
  let publicKey: KeyObject | null = null;
  let keyAlgorithm: KeyAlgorithm = 'unknown';
  let keySize = 0;
  let curve: string | null = null;
  try {
    publicKey = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
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

  const signatureOid = cert.signatureAlgorithm.algorithm;
  const sig = SIGNATURE_ALGORITHMS[signatureOid];
  let signatureHash = sig ? sig.hash : null;
  let signatureAlgorithm = sig ? sig.name : signatureOid;
  let pssSaltLength: number | undefined;
  if (signatureOid === OID.rsassaPss && cert.signatureAlgorithm.parameters) {
    try {
      const pss = new RsaAlgorithm().toWebAlgorithm(cert.signatureAlgorithm) as { hash?: { name: string }; saltLength?: number };
      const hash = PSS_HASHES[pss.hash?.name ?? ''] ?? 'unknown';
      signatureHash = hash;
      pssSaltLength = pss.saltLength;
      signatureAlgorithm = `rsassaPss (${hash.toUpperCase().replace('SHA', 'SHA-')})`;
    } catch (e) {
      extensionProblems.push(`RSASSA-PSS parameters: ${shortReason(e)}`);
    }
  }

  const subjectDer = bytes(tbs.subjectRaw);
  let subjectRdns: Uint8Array[] = [];
  try {
    subjectRdns = rdnsOf(subjectDer);
  } catch {
    // as read already, the subject is a Name; if its RDNs still cannot be split, no DN constraint applies to it
  }
  const issuerDer = bytes(tbs.issuerRaw);
  const subjectAttributes = Array.from(tbs.subject).flatMap((rdn) => Array.from(rdn, (atv) => ({ type: atv.type, value: atv.value.toString() })));
  const commonName = subjectAttributes.find((a) => a.type === OID.commonName)?.value ?? null;
  const keyUsageFlags = ku ? ku.toNumber() : null;
  const ekuOids = eku ? Array.from(eku, String) : null;
  const selfIssued = Buffer.compare(Buffer.from(subjectDer), Buffer.from(issuerDer)) === 0 || normalizeDn(subject) === normalizeDn(issuer);
  const serialBytes = bytes(tbs.serialNumber);

  const info: CertificateInfo = {
    subject,
    issuer,
    serialNumber: formatSerial(hex(serialBytes)),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    dnsNames: sans.flatMap((n) => (n.type === 'dns' ? [n.value] : [])),
    ipAddresses: sans.flatMap((n) => (n.type === 'ip' ? [n.value] : [])),
    emailAddresses: sans.flatMap((n) => (n.type === 'email' ? [n.value] : [])),
    uris: sans.flatMap((n) => (n.type === 'uri' ? [n.value] : [])),
    isCA: bc?.cA ?? false,
    pathLen: bc?.cA && bc.pathLenConstraint !== undefined ? bc.pathLenConstraint : null,
    keyAlgorithm,
    keySize,
    signatureAlgorithm,
    keyUsage: keyUsageFlags === null ? [] : KEY_USAGE_NAMES.filter(([bit]) => keyUsageFlags & bit).map(([, n]) => n),
    extendedKeyUsage: (ekuOids ?? []).map((o) => EKU_NAMES[o] ?? o),
    sha256Fingerprint: colonHex(id),
  };
  const details: CertificateDetails = {
    commonName,
    version: tbs.version + 1,
    curve,
    subjectKeyId: ski ? hex(ski.buffer) : null,
    authorityKeyId: aki?.keyIdentifier ? hex(aki.keyIdentifier.buffer) : null,
    caIssuers: aia?.caIssuers ?? [],
    selfIssued,
    hasNameConstraints: nameConstraints !== null,
    origin: blob.origin,
    where: blob.where,
  };
  return {
    der,
    info,
    details,
    id,
    tbs: bytes(cert.tbsCertificateRaw),
    signature: bytes(cert.signatureValue),
    signatureOid,
    signatureHash,
    pssSaltLength,
    serialBytes,
    subjectDer,
    issuerDer,
    subjectAttributes,
    subjectRdns,
    spkiDer,
    publicKey,
    notBefore,
    notAfter,
    basicConstraints: bc ? { ca: bc.cA, pathLen: bc.pathLenConstraint ?? null } : null,
    keyUsageFlags,
    ekuOids,
    hasSanExtension: present.has(OID.subjectAltName),
    sans,
    nameConstraints,
    ocspServers: aia?.ocsp ?? [],
    crlDistributionPoints,
    unknownCriticalExtensions: unknownCritical,
    extensionProblems,
  };
}

/** The certificates of PEM, DER or base64 input (extractInput's rules), each read by parseCertificate. */
export function readCertificates(input: Uint8Array | string): ParsedCertificate[] {
  return extractInput(input).certificates.map(parseCertificate);
}

/** The subjectPublicKey bits of a SubjectPublicKeyInfo (what key identifiers hash). */
export function subjectPublicKeyBits(spki: Uint8Array): Uint8Array {
  return new Uint8Array(AsnConvert.parse(spki, SubjectPublicKeyInfo).subjectPublicKey);
}

function generalNameValue(g: GeneralNameBytes): GeneralNameValue {
  if (g.dNSName !== undefined) return { type: 'dns', value: g.dNSName };
  if (g.rfc822Name !== undefined) return { type: 'email', value: g.rfc822Name };
  if (g.uniformResourceIdentifier !== undefined) return { type: 'uri', value: g.uniformResourceIdentifier };
  // GeneralNameBytes keeps these two as bytes (the declared types are the library's).
  if (g.iPAddress !== undefined) {
    const ip = new Uint8Array(g.iPAddress as unknown as ArrayBuffer);
    return { type: 'ip', bytes: ip, value: formatIp(ip) };
  }
  if (g.directoryName !== undefined) return { type: 'dn', rdns: rdnsOf(new Uint8Array(g.directoryName as unknown as ArrayBuffer)) };
  // The identifier octet of the types not interpreted: otherName, x400Address, ediPartyName, registeredID.
  return { type: 'other', tag: g.otherName ? 0xa0 : g.x400Address ? 0xa3 : g.ediPartyName ? 0xa5 : 0x88 };
}

/** The DER of each RDN of a Name's DER. */
function rdnsOf(name: Uint8Array): Uint8Array[] {
  return Array.from(AsnConvert.parse(name, RdnSequenceBytes), (rdn) => new Uint8Array(rdn));
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
