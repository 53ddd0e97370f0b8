/**
 * The chain inspector's report: which certificates were given, the path from
 * the leaf to a root, whether it is trusted at the evaluation instant, whether
 * it is valid for a hostname, and findings a person can act on. Built for the
 * CLI (text and JSON) and for an editor panel that renders the path as a tree
 * with a status per certificate.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { KU_KEY_CERT_SIGN, OID, parseCertificate, type CertificateDetails, type CertificateInfo, type ParsedCertificate } from './certificate-info.js';
import { makeFinding, type Finding, type FindingCode, type FindingParams, type Severity } from './findings.js';
import { matchHostname } from './hostname.js';
import { checkNameConstraints } from './name-constraints.js';
import { PathBuilder, pickLeaf, type BuiltPath, type TrustStore } from './path-builder.js';
import { ChainInputError, extractInput, type CertificateBlob, type ExtractedInput, type KeyBlob } from './pem.js';
import { renewalTime, type RenewalPolicy } from './renewal.js';
import { verifySignature } from './signature.js';

export const DEFAULT_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;
/** CA/Browser Forum ballot SC31: 398-day maximum for certificates issued from this date. */
const MAX_VALIDITY_EFFECTIVE = Date.UTC(2020, 8, 1);

interface RootsOption {
  /** DER certificates (a roots file as read by extractInput). */
  certificates: CertificateBlob[];
  description: string;
  /** Treat them as the public web PKI (the 398-day rule applies). */
  isPublic?: boolean;
}

export interface InspectOptions {
  /** The evaluation instant (default: now). */
  at?: Date;
  /** Check the leaf against this hostname or IP address. */
  hostname?: string;
  /** Trusted roots; Node.js's bundled Mozilla roots when absent. */
  roots?: RootsOption;
  expiryWarningDays?: number;
  renewal?: RenewalPolicy;
}

export interface EndpointSource {
  host: string;
  port: number;
  servername: string | null;
  protocol: string | null;
}

interface PathElement {
  /** Index into certificates. */
  certificate: number;
  /** Worst severity of the findings about this certificate. */
  status: 'ok' | Severity;
  /** Whether the next certificate on the path (its issuer) verifies its signature; null at the top. */
  signatureValid: boolean | null;
  /** The top of a path that ends at a trusted root. */
  trustAnchor: boolean;
  /** Valid at the evaluation instant. */
  timeValid: boolean;
}

export interface ChainReport {
  /** The input's certificates in input order, then a Secret's ca.crt, then the trusted root used (if not in the input). */
  certificates: CertificateInfo[];
  details: CertificateDetails[];
  /** Indices into certificates, leaf first. */
  chain: number[];
  /** A path to a trusted root exists and every certificate on it is valid at the evaluation instant. */
  trusted: boolean;
  hostnameMatches: boolean | null;
  findings: Finding[];
  /** The chain with a status per certificate, for a tree view. */
  path: PathElement[];
  /** How the path ends. */
  pathEnd: BuiltPath['end'];
  evaluatedAt: string;
  hostname: string | null;
  trustSource: string;
  renewal: { time: string; rule: string } | null;
  source: { kind: ExtractedInput['kind'] | 'endpoint'; secret?: string; endpoint?: EndpointSource };
  summary: { errors: number; warnings: number; infos: number };
}

let bundledRoots: ParsedCertificate[] | undefined;
function nodeRoots(): ParsedCertificate[] {
  if (!bundledRoots) {
    bundledRoots = [];
    rootCertificates.forEach((pem, i) => {
      try {
        const blob = extractInput(pem).certificates[0];
        bundledRoots!.push(parseCertificate({ der: blob.der, origin: 'roots', where: `bundled root ${i + 1}` }));
      } catch {
        // a root Node.js ships but we cannot read: it cannot anchor anything here
      }
    });
  }
  return bundledRoots;
}

/** Inspects certificates read from bytes (PEM, DER, base64, or a Secret manifest). */
export function inspectBytes(input: Uint8Array | string, options: InspectOptions = {}): ChainReport {
  return inspect(extractInput(input), options);
}

export function inspect(input: ExtractedInput, options: InspectOptions = {}, endpoint?: EndpointSource): ChainReport {
  const at = options.at ?? new Date();
  if (Number.isNaN(at.getTime())) throw new ChainInputError('the evaluation time is not a valid date');
  const threshold = options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS;

  // Certificates, in report order.
  const all: ParsedCertificate[] = [];
  for (const b of input.certificates) all.push(parseCertificate(b));
  const inputCount = all.length;
  for (const b of input.caCertificates) all.push(parseCertificate(b));
  if (inputCount === 0) throw new ChainInputError('no certificate to inspect');

  let trust: TrustStore;
  if (options.roots) {
    const anchors = options.roots.certificates.map((b, i) => parseCertificate({ der: b.der, origin: 'roots', where: `${options.roots!.description}, ${b.where || `certificate ${i + 1}`}` }));
    trust = { anchors, description: options.roots.description, isPublic: options.roots.isPublic ?? false };
  } else {
    trust = { anchors: nodeRoots(), description: "Node.js's bundled Mozilla roots", isPublic: true };
  }

  const findings: Finding[] = [];
  const add = <C extends FindingCode>(code: C, params: FindingParams<C>, cert: number | null) => findings.push(makeFinding(code, params, cert));

  // Duplicates (first occurrence stays).
  const firstIndex = new Map<string, number>();
  const unique: ParsedCertificate[] = [];
  all.forEach((c, i) => {
    const first = firstIndex.get(c.id);
    if (first === undefined) {
      firstIndex.set(c.id, i);
      unique.push(c);
    } else if (i < inputCount && first < inputCount) {
      add('chain-duplicate-certificate', { name: label(c), first }, i);
    }
  });
  const indexOf = (c: ParsedCertificate) => firstIndex.get(c.id) ?? -1;

  const inputUnique = unique.filter((c) => indexOf(c) < inputCount);
  const pool = [...unique, ...trust.anchors.filter((a) => !firstIndex.has(a.id))];
  const builder = new PathBuilder(pool, trust, at);
  const leaf = pickLeaf(inputUnique);
  const built = builder.build(leaf);
  const path = built.certificates;

  // The trusted root used, when it is not in the input.
  for (const c of path) {
    if (!firstIndex.has(c.id)) {
      firstIndex.set(c.id, all.length);
      all.push(c);
    }
  }
  const chain = path.map(indexOf);
  const top = path[path.length - 1];
  const topIndex = chain[chain.length - 1];

  // --- Bundle structure ---
  const firstInput = all[0];
  if (firstInput.id !== leaf.id) add('chain-leaf-not-first', { name: label(leaf), first: label(firstInput) }, indexOf(leaf));
  else {
    const onPathInInputOrder = inputUnique.filter((c) => path.some((p) => p.id === c.id));
    const inPathOrder = path.filter((p) => onPathInInputOrder.some((c) => c.id === p.id));
    if (onPathInInputOrder.some((c, i) => c.id !== inPathOrder[i].id)) {
      add('chain-wrong-order', { expected: path.filter((p) => indexOf(p) < inputCount && !(p === top && builder.isSelfSigned(p) && path.length > 1)).map(label).join(' → ') }, null);
    }
  }
  if (built.end === 'dead-end') {
    if (built.keyIdMismatches.length) {
      const cand = built.keyIdMismatches[0];
      add('chain-aki-ski-mismatch', { name: label(top), candidate: label(cand), aki: top.details.authorityKeyId ?? '', ski: cand.details.subjectKeyId ?? '' }, topIndex);
    } else {
      add('chain-missing-intermediate', { name: label(top), issuer: top.info.issuer, aia: top.details.caIssuers, isCA: top.info.isCA }, topIndex);
    }
  }
  if (path.length > 1 && built.end !== 'dead-end' && topIndex < inputCount && builder.isSelfSigned(top) && all[topIndex].details.origin === 'input') {
    add('chain-root-included', { name: label(top) }, topIndex);
  }
  if (built.end === 'self-signed') add('chain-untrusted-root', { name: label(top), trust: trust.description }, topIndex);
  for (const c of inputUnique) {
    if (path.some((p) => p.id === c.id)) continue;
    if (builder.related(c, path)) add('chain-unused-certificate', { name: label(c) }, indexOf(c));
    else add('chain-unrelated-certificate', { name: label(c) }, indexOf(c));
  }

  // --- Each certificate on the path ---
  let pathOk = built.end === 'anchor';
  const sigValid: (boolean | null)[] = [];
  const timeValid: boolean[] = [];
  path.forEach((c, i) => {
    const idx = chain[i];
    const name = label(c);
    const issuer = path[i + 1];
    if (issuer) {
      const s = verifySignature(c, issuer);
      sigValid.push(s.valid);
      if (!s.valid) {
        pathOk = false;
        add('chain-bad-signature', { name, issuer: label(issuer), reason: s.reason ?? 'invalid signature' }, idx);
      }
    } else sigValid.push(null);

    // Validity at the evaluation instant.
    const tv = c.notBefore.getTime() <= at.getTime() && at.getTime() <= c.notAfter.getTime();
    timeValid.push(tv);
    if (c.notAfter.getTime() < at.getTime()) add('cert-expired', { name, notAfter: c.info.notAfter, ago: Math.floor((at.getTime() - c.notAfter.getTime()) / DAY_MS) }, idx);
    else if (c.notBefore.getTime() > at.getTime()) add('cert-not-yet-valid', { name, notBefore: c.info.notBefore }, idx);
    else if (c.notAfter.getTime() - at.getTime() < threshold * DAY_MS) add('cert-expiring-soon', { name, notAfter: c.info.notAfter, left: Math.floor((c.notAfter.getTime() - at.getTime()) / DAY_MS), threshold }, idx);
    if (!tv) pathOk = false;

    // As an issuer: CA, keyCertSign, path length, name constraints.
    if (i > 0) {
      const child = label(path[i - 1]);
      const v1Root = i === path.length - 1 && c.details.version === 1 && built.end !== 'dead-end';
      if (!c.basicConstraints?.ca && !v1Root) {
        pathOk = false;
        add('chain-issuer-not-ca', { name, child }, idx);
      } else if (c.keyUsageFlags !== null && !(c.keyUsageFlags & KU_KEY_CERT_SIGN)) {
        pathOk = false;
        add('chain-issuer-key-usage', { name, child }, idx);
      }
      const pathLen = c.basicConstraints?.pathLen;
      if (pathLen !== null && pathLen !== undefined) {
        const below = path.slice(1, i).filter((p) => !p.details.selfIssued).length;
        if (below > pathLen) {
          pathOk = false;
          add('chain-path-length-exceeded', { name, pathLen, below }, idx);
        }
      }
      if (c.nameConstraints) {
        for (let j = 0; j < i; j++) {
          const sub = path[j];
          if (j > 0 && sub.details.selfIssued) continue;
          const hasDnsSan = sub.sans.some((n) => n.type === 'dns');
          const cnAsDns = j === 0 && !hasDnsSan && sub.details.commonName && /^[a-z0-9*_-]+(\.[a-z0-9_-]+)+\.?$/i.test(sub.details.commonName) ? [sub.details.commonName] : [];
          const violations = checkNameConstraints(c.nameConstraints, { names: sub.sans, subjectRdns: sub.subjectRdns, cnAsDns });
          if (violations.length) {
            pathOk = false;
            add('chain-name-constraints-violated', { name: label(sub), ca: name, violations }, chain[j]);
          }
        }
      }
    }
    if (c.unknownCriticalExtensions.length) {
      pathOk = false;
      add('cert-unknown-critical-extension', { name, oids: c.unknownCriticalExtensions }, idx);
    }
    if (c.extensionProblems.length) add('cert-unreadable-extension', { name, problems: c.extensionProblems }, idx);

    // Strength.
    if (c.info.keyAlgorithm === 'RSA' && c.info.keySize < 2048) add('cert-weak-key', { name, key: `${c.info.keySize}-bit RSA`, min: '2048-bit RSA' }, idx);
    else if (c.info.keyAlgorithm === 'ECDSA' && c.info.keySize > 0 && c.info.keySize < 224) add('cert-weak-key', { name, key: `${c.info.keySize}-bit EC`, min: 'a 224-bit curve (P-256 recommended)' }, idx);
    else if (c.info.keyAlgorithm === 'DSA') add('cert-weak-key', { name, key: `${c.info.keySize}-bit DSA`, min: 'RSA 2048 or ECDSA (DSA is not used for TLS certificates)' }, idx);
    const selfSignedTop = i === path.length - 1 && builder.isSelfSigned(c);
    if (!selfSignedTop && (c.signatureHash === 'sha1' || c.signatureHash === 'md5' || c.signatureHash === 'md2')) {
      add('cert-weak-signature-hash', { name, algorithm: c.info.signatureAlgorithm }, idx);
    }

    // Purpose: every certificate with an EKU extension must allow serverAuth.
    if (c.ekuOids !== null && !c.ekuOids.includes(OID.serverAuth) && !c.ekuOids.includes(OID.anyExtendedKeyUsage) && !(i === 0 && c.info.isCA && path.length === 1)) {
      add('eku-no-server-auth', { name, ekus: c.info.extendedKeyUsage }, idx);
    }
  });

  // --- The leaf as a TLS server certificate ---
  const leafIndex = chain[0];
  const leafName = label(leaf);
  const serverLeaf = !leaf.info.isCA;
  if (serverLeaf) {
    if (!leaf.hasSanExtension || leaf.sans.length === 0) add('leaf-no-san', { name: leafName }, leafIndex);
    else {
      const cn = leaf.details.commonName;
      const inSans = (n: string) => leaf.sans.some((s) => (s.type === 'dns' || s.type === 'ip' || s.type === 'email' || s.type === 'uri') && s.value.toLowerCase() === n.toLowerCase());
      if (cn && !inSans(cn)) add('leaf-cn-not-in-sans', { name: leafName, cn }, leafIndex);
    }
    if (path.length === 1 && builder.isSelfSigned(leaf)) add('leaf-self-signed', { name: leafName }, leafIndex);
    const lifetimeDays = (leaf.notAfter.getTime() - leaf.notBefore.getTime()) / DAY_MS;
    const publicChain = trust.isPublic && built.end === 'anchor';
    if (publicChain && leaf.notBefore.getTime() >= MAX_VALIDITY_EFFECTIVE && lifetimeDays > 398) add('leaf-validity-too-long', { name: leafName, days: Math.floor(lifetimeDays) }, leafIndex);
  }
  const renewal = renewalTime(leaf.notBefore, leaf.notAfter, options.renewal);
  const rule = ruleText(renewal.rule, options.renewal);
  if (at.getTime() < leaf.notAfter.getTime() && at.getTime() >= leaf.notBefore.getTime()) {
    if (at.getTime() >= renewal.renewalTime.getTime()) {
      add('leaf-renewal-overdue', { name: leafName, renewal: renewal.renewalTime.toISOString(), rule, ago: Math.floor((at.getTime() - renewal.renewalTime.getTime()) / DAY_MS) }, leafIndex);
    } else {
      add('leaf-renewal-time', { name: leafName, renewal: renewal.renewalTime.toISOString(), rule, inDays: Math.floor((renewal.renewalTime.getTime() - at.getTime()) / DAY_MS) }, leafIndex);
    }
  }

  let hostnameMatches: boolean | null = null;
  if (options.hostname !== undefined) {
    const m = matchHostname(options.hostname, leaf.sans);
    hostnameMatches = m.matches;
    if (!m.matches) {
      const sans = leaf.sans.flatMap((s) => (s.type === 'dns' ? [`DNS:${s.value}`] : s.type === 'ip' ? [`IP:${s.value}`] : []));
      add('hostname-mismatch', { name: leafName, hostname: options.hostname, sans }, leafIndex);
    }
  }

  // --- Secret-specific: the key and ca.crt ---
  for (const k of input.keys) checkKey(k, leaf, all.slice(0, inputCount), leafIndex, add);
  if (input.caCertificates.length) {
    const cas = all.slice(inputCount, inputCount + input.caCertificates.length);
    const topIsRoot = built.end !== 'dead-end';
    for (const ca of cas) {
      const idx = indexOf(ca);
      const onPath = path.some((p) => p.id === ca.id || (p.info.subject === ca.info.subject && Buffer.compare(Buffer.from(p.spkiDer), Buffer.from(ca.spkiDer)) === 0));
      const isTop = top.id === ca.id || (top.info.subject === ca.info.subject && Buffer.compare(Buffer.from(top.spkiDer), Buffer.from(ca.spkiDer)) === 0);
      if (isTop && topIsRoot) continue;
      if (!topIsRoot && !onPath && cas.length > 0) {
        // The chain is incomplete: ca.crt may well be the missing root; only say something if it is clearly unrelated.
        if (builder.related(ca, path)) continue;
      }
      add('secret-ca-not-root', { name: label(ca), root: topIsRoot ? label(top) : null, onChain: onPath }, idx);
    }
  }

  for (const note of input.notes) add('input-note', { note }, null);

  const trusted = pathOk;
  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  const position = (f: Finding) => (f.certificate === null ? -1 : chain.includes(f.certificate) ? chain.indexOf(f.certificate) : 100 + f.certificate);
  findings.sort((a, b) => order[a.severity] - order[b.severity] || position(a) - position(b));

  const worst = (idx: number): PathElement['status'] => {
    const fs = findings.filter((f) => f.certificate === idx);
    return fs.some((f) => f.severity === 'error') ? 'error' : fs.some((f) => f.severity === 'warning') ? 'warning' : fs.some((f) => f.severity === 'info') ? 'info' : 'ok';
  };
  return {
    certificates: all.map((c) => c.info),
    details: all.map((c) => c.details),
    chain,
    trusted,
    hostnameMatches,
    findings,
    path: chain.map((idx, i) => ({ certificate: idx, status: worst(idx), signatureValid: sigValid[i], trustAnchor: built.end === 'anchor' && i === chain.length - 1, timeValid: timeValid[i] })),
    pathEnd: built.end,
    evaluatedAt: at.toISOString(),
    hostname: options.hostname ?? null,
    trustSource: trust.description,
    renewal: { time: renewal.renewalTime.toISOString(), rule },
    source: endpoint ? { kind: 'endpoint', endpoint } : { kind: input.kind, secret: input.secret },
    summary: {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      infos: findings.filter((f) => f.severity === 'info').length,
    },
  };
}

/** "CN=www.example.com" (or the whole subject when it has no CN). */
function label(c: ParsedCertificate): string {
  return c.details.commonName ? `"${c.details.commonName}"` : c.info.subject ? `"${c.info.subject}"` : `the certificate with serial ${c.info.serialNumber}`;
}

function ruleText(rule: string, policy?: RenewalPolicy): string {
  if (rule === 'renewBefore') return `spec.renewBefore ${Math.round((policy?.renewBeforeMs ?? 0) / 3_600_000)}h before expiry`;
  if (rule === 'renewBeforePercentage') return `spec.renewBeforePercentage ${policy?.renewBeforePercentage}%`;
  return '2/3 of its lifetime, the default';
}

function readPrivateKey(k: KeyBlob): KeyObject {
  if (k.format === 'pem') return createPrivateKey({ key: k.key as string, format: 'pem' });
  const der = Buffer.from(k.key as Uint8Array);
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  throw new Error('not a PKCS#8, PKCS#1 or SEC 1 private key');
}

function checkKey(
  k: KeyBlob,
  leaf: ParsedCertificate,
  inputCerts: ParsedCertificate[],
  leafIndex: number,
  add: <C extends FindingCode>(code: C, params: FindingParams<C>, cert: number | null) => void,
): void {
  let spki: Buffer;
  try {
    const priv = readPrivateKey(k);
    spki = createPublicKey(priv).export({ type: 'spki', format: 'der' });
  } catch (e) {
    const msg = (e as Error).message ?? '';
    const reason = /passphrase|encrypted|bad decrypt/i.test(msg) || (typeof k.key === 'string' && k.key.includes('ENCRYPTED')) ? 'it is encrypted' : 'not a private key Node.js can read';
    add('key-unreadable', { where: k.where, reason }, null);
    return;
  }
  if (Buffer.compare(spki, Buffer.from(leaf.spkiDer)) === 0) return;
  const other = inputCerts.find((c) => Buffer.compare(spki, Buffer.from(c.spkiDer)) === 0);
  add('key-mismatch', { name: label(leaf), where: k.where, other: other ? label(other) : null }, leafIndex);
}
