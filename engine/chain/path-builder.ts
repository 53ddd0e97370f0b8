/**
 * Builds the certification path from a leaf up to a root: the leaf is picked
 * from a bundle in any order, issuers are found by name (and key identifier
 * when both sides have one) among the bundle, a Secret's ca.crt and the
 * trusted roots, and when several paths exist (cross-signed intermediates,
 * renewed CAs with the same name) the best one wins: one ending at a trusted
 * root, then one whose signatures verify, then one valid at the evaluation
 * instant, then the shortest.
 */
import { normalizeDn, type ParsedCertificate } from './certificate-info.js';
import { verifySignature } from './signature.js';

export interface TrustStore {
  anchors: ParsedCertificate[];
  /** "the roots in roots.pem", "Node.js's bundled Mozilla roots". */
  description: string;
  /** True for the public web PKI (Node's bundled roots): public-TLS rules apply. */
  isPublic: boolean;
}

type PathEnd = 'anchor' | 'self-signed' | 'dead-end';

export interface BuiltPath {
  certificates: ParsedCertificate[];
  end: PathEnd;
  /** For a dead end: certificates named like the missing issuer but for another key (AKI/SKI mismatch). */
  keyIdMismatches: ParsedCertificate[];
}

const MAX_DEPTH = 12;
const MAX_PATHS = 64;

const nameKey = (c: ParsedCertificate, which: 'subject' | 'issuer') =>
  which === 'subject' ? normalizeDn(c.info.subject) : normalizeDn(c.info.issuer);

const sameEntity = (a: ParsedCertificate, b: ParsedCertificate) =>
  a.id === b.id || (nameKey(a, 'subject') === nameKey(b, 'subject') && Buffer.compare(Buffer.from(a.spkiDer), Buffer.from(b.spkiDer)) === 0);

export class PathBuilder {
  private bySubject = new Map<string, ParsedCertificate[]>();
  private anchorIds = new Set<string>();
  private anchorKeys = new Set<string>();

  constructor(
    /** Bundle, ca.crt and anchors, in order of preference, without duplicates. */
    pool: ParsedCertificate[],
    readonly trust: TrustStore,
    private readonly at: Date,
  ) {
    for (const c of pool) this.index(c);
    for (const a of trust.anchors) {
      this.anchorIds.add(a.id);
      this.anchorKeys.add(`${nameKey(a, 'subject')}|${Buffer.from(a.spkiDer).toString('hex')}`);
    }
  }

  private index(c: ParsedCertificate): void {
    const k = nameKey(c, 'subject');
    const list = this.bySubject.get(k);
    if (!list) this.bySubject.set(k, [c]);
    else if (!list.some((x) => x.id === c.id)) list.push(c);
  }

  isAnchor(c: ParsedCertificate): boolean {
    return this.anchorIds.has(c.id) || this.anchorKeys.has(`${nameKey(c, 'subject')}|${Buffer.from(c.spkiDer).toString('hex')}`);
  }

  isSelfSigned(c: ParsedCertificate): boolean {
    return c.details.selfIssued && verifySignature(c, c).valid;
  }

  /** Certificates that may have issued c: same name, compatible key identifiers. */
  candidateIssuers(c: ParsedCertificate): { candidates: ParsedCertificate[]; keyIdMismatches: ParsedCertificate[] } {
    const named = (this.bySubject.get(nameKey(c, 'issuer')) ?? []).filter((x) => x.id !== c.id);
    const candidates: ParsedCertificate[] = [];
    const keyIdMismatches: ParsedCertificate[] = [];
    for (const x of named) {
      const aki = c.details.authorityKeyId;
      const ski = x.details.subjectKeyId;
      if (aki && ski && aki !== ski) keyIdMismatches.push(x);
      else candidates.push(x);
    }
    // Verifying issuers first; among them the pool's order (bundle, ca.crt, roots).
    candidates.sort((a, b) => Number(verifySignature(c, b).valid) - Number(verifySignature(c, a).valid));
    return { candidates, keyIdMismatches };
  }

  /** True when some other certificate in the pool issued c or was issued by it, or is the same entity. */
  related(c: ParsedCertificate, path: ParsedCertificate[]): boolean {
    return path.some(
      (p) =>
        sameEntity(p, c) ||
        (nameKey(p, 'issuer') === nameKey(c, 'subject') && verifySignature(p, c).valid) ||
        (nameKey(c, 'issuer') === nameKey(p, 'subject') && verifySignature(c, p).valid),
    );
  }

  build(leaf: ParsedCertificate): BuiltPath {
    const results: BuiltPath[] = [];
    let steps = 0;
    const dfs = (path: ParsedCertificate[]) => {
      if (results.length >= MAX_PATHS || ++steps > 4000) return;
      const c = path[path.length - 1];
      const { candidates, keyIdMismatches } = this.candidateIssuers(c);
      const fresh = candidates.filter((x) => !path.some((p) => sameEntity(p, x)));
      if (this.isSelfSigned(c) || (c.details.selfIssued && fresh.length === 0)) {
        results.push({ certificates: path, end: this.isAnchor(c) ? 'anchor' : 'self-signed', keyIdMismatches: [] });
        return;
      }
      if (fresh.length === 0 || path.length >= MAX_DEPTH) {
        results.push({ certificates: path, end: 'dead-end', keyIdMismatches });
        return;
      }
      for (const x of fresh) dfs([...path, x]);
    };
    dfs([leaf]);
    let best = results[0];
    let bestScore = -Infinity;
    for (const r of results) {
      const s = this.score(r);
      if (s > bestScore) {
        best = r;
        bestScore = s;
      }
    }
    return best ?? { certificates: [leaf], end: 'dead-end', keyIdMismatches: [] };
  }

  private score(r: BuiltPath): number {
    const p = r.certificates;
    let sigs = true;
    let times = true;
    let cas = true;
    for (let i = 0; i < p.length; i++) {
      if (i + 1 < p.length && !verifySignature(p[i], p[i + 1]).valid) sigs = false;
      if (p[i].notBefore > this.at || p[i].notAfter < this.at) times = false;
      if (i > 0 && !(p[i].basicConstraints?.ca || (i === p.length - 1 && p[i].details.version === 1))) cas = false;
    }
    return (r.end === 'anchor' ? 1e6 : 0) + (sigs ? 1e5 : 0) + (times ? 1e4 : 0) + (cas ? 1e3 : 0) + (r.end === 'self-signed' ? 100 : 0) - p.length;
  }
}

/**
 * The leaf of a bundle: a certificate that issued none of the others,
 * preferring non-CA certificates, then the earliest in the input.
 */
export function pickLeaf(certs: ParsedCertificate[]): ParsedCertificate {
  const issuesAnother = (c: ParsedCertificate) =>
    certs.some((d) => d.id !== c.id && !sameEntity(c, d) && nameKey(d, 'issuer') === nameKey(c, 'subject') && (!d.details.authorityKeyId || !c.details.subjectKeyId || d.details.authorityKeyId === c.details.subjectKeyId));
  const candidates = certs.filter((c) => !issuesAnother(c));
  const pool = candidates.length ? candidates : certs;
  return pool.find((c) => !c.info.isCA) ?? pool[0];
}
