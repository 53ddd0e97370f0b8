/**
 * The Certificates of a workspace, each with the issuer it resolves to under
 * cert-manager's namespace rules (the same resolution as the cross-resource
 * checks, engine/rules/cross/check-workspace.ts), and which of its names go to
 * a DNS-01 solver. Backs the language server's list of Certificates (a tree
 * view in the editor) and the code lenses (code-lenses.ts).
 *
 * Everything here is computed from the facts each object's check extracted
 * (engine/rules/cross/object-facts.ts): no document is re-parsed.
 */
import type { Range } from '../core/position.js';
import { LETS_ENCRYPT_PRODUCTION, LETS_ENCRYPT_STAGING } from '../acme/acme-servers.js';
import { certificateIssuerRef, issuerIdentity, issuerLookup, solverForName, type IssuerIdentity } from '../rules/cross/check-workspace.js';
import type { CertificateFacts } from '../rules/cross/object-facts.js';
import type { Workspace, WorkspaceEntry } from '../workspace/workspace.js';


/** Zero-based, UTF-16 code units, as in LSP. */
interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

type IssuerType = 'SelfSigned' | 'CA' | 'ACME' | 'Vault' | 'Venafi' | 'unknown';

/** The Issuer or ClusterIssuer a Certificate's issuerRef resolves to. */
interface CertificateIssuer {
  kind: 'Issuer' | 'ClusterIssuer';
  name: string;
  uri: string;
  /** The issuer object. */
  range: LspRange;
  /** 'unknown': none or several of acme, ca, selfSigned, vault, venafi are set. */
  type: IssuerType;
  /** spec.acme.server as written (ACME issuers), else null. */
  acmeServer: string | null;
}

export interface CertificateEntry {
  uri: string;
  name: string;
  namespace: string | null;
  secretName: string | null;
  /** spec.dnsNames (without commonName). */
  dnsNames: string[];
  /** The Certificate object. */
  range: LspRange;
  /** As written, with cert-manager's defaults: name "" when unset, kind "Issuer", group "cert-manager.io". */
  issuerRef: { name: string; kind: string; group: string };
  /** null: not found in the workspace, ambiguous (several match), or an external issuer's group. */
  issuer: CertificateIssuer | null;
}


/** An issuer of the workspace, with where it is. */
export interface WorkspaceIssuer extends IssuerIdentity {
  entry: WorkspaceEntry;
}

/** A named Certificate of the workspace and what it resolves to. */
export interface ResolvedCertificate {
  entry: WorkspaceEntry;
  name: string;
  facts: CertificateFacts;
  /** The issuer its issuerRef resolves to, when exactly one matches. */
  issuer?: WorkspaceIssuer;
  /**
   * For an ACME issuer: each distinct name of the order (dnsNames, commonName)
   * with the index of the solver cert-manager picks for it (undefined: none).
   */
  solverByName: { name: string; solver: number | undefined }[];
}

export interface ResolvedWorkspace {
  issuers: WorkspaceIssuer[];
  certificates: ResolvedCertificate[];
}

const LETS_ENCRYPT = new Set([LETS_ENCRYPT_PRODUCTION, LETS_ENCRYPT_STAGING]);

/** True for Let's Encrypt's production or staging directory. */
export function isLetsEncrypt(server: string | undefined): boolean {
  return !!server && LETS_ENCRYPT.has(server.trim().replace(/\/+$/, ''));
}

/** The names of an ACME order that go to a DNS-01 solver. */
export function dns01Names(c: ResolvedCertificate): string[] {
  const solvers = c.issuer?.facts.solvers ?? [];
  return c.solverByName.filter((s) => s.solver !== undefined && solvers[s.solver]?.dns01).map((s) => s.name);
}

/**
 * Every named Certificate and issuer of the workspace, files ordered by URI,
 * Certificates resolved to their issuers.
 */
export function resolveWorkspace(ws: Workspace): ResolvedWorkspace {
  const issuers: WorkspaceIssuer[] = [];
  const certs: { entry: WorkspaceEntry; name: string; facts: CertificateFacts }[] = [];
  for (const entry of ws.entries()) {
    const f = entry.object.facts;
    if (!f || (f.type !== 'Issuer' && f.type !== 'Certificate') || !entry.object.name) continue;
    const issuer = issuerIdentity(entry.object);
    if (issuer) issuers.push({ entry, ...issuer });
    else if (f.type === 'Certificate') certs.push({ entry, name: entry.object.name, facts: f });
  }
  const find = issuerLookup(issuers);
  const certificates = certs.map(({ entry, name, facts }): ResolvedCertificate => {
    const ref = certificateIssuerRef(facts);
    const matches = ref && (ref.kind === 'Issuer' || ref.kind === 'ClusterIssuer') ? find(ref.kind, ref.name.value, entry.object.namespace) : [];
    const issuer = matches.length === 1 ? matches[0] : undefined;
    const solverByName: ResolvedCertificate['solverByName'] = [];
    if (issuer?.facts.issuerType === 'acme') {
      const seen = new Set<string>();
      for (const n of facts.dnsNames) {
        if (seen.has(n.value)) continue;
        seen.add(n.value);
        solverByName.push({ name: n.value, solver: solverForName(n.value, issuer.facts.solvers, facts.labels) });
      }
    }
    return { entry, name, facts, issuer, solverByName };
  });
  // Stable: within a file, objects keep their order.
  certificates.sort((a, b) => (a.entry.uri < b.entry.uri ? -1 : a.entry.uri > b.entry.uri ? 1 : 0));
  return { issuers, certificates };
}

/** A range of an object's document, in file positions. */
export function objectRange(e: WorkspaceEntry, start: number, end: number): Range {
  return e.file.toFileRange(e.doc, e.doc.checked.lines.rangeOf(start, end));
}

const ISSUER_TYPE: Record<string, IssuerType> = { acme: 'ACME', ca: 'CA', selfSigned: 'SelfSigned', vault: 'Vault', venafi: 'Venafi' };

function wholeObject(e: WorkspaceEntry): Range {
  return objectRange(e, e.object.start, e.object.end);
}

/** The `certsmith/certificates` entries, ordered by URI, then position in the file. */
export function listCertificates(ws: Workspace, resolved: ResolvedWorkspace = resolveWorkspace(ws)): CertificateEntry[] {
  return [...certificateEntries(resolved)];
}

/**
 * The same entries one at a time: a workspace of tens of thousands of
 * Certificates can be compared with the last list sent (a hash of each
 * entry) without holding the whole list, and its JSON, at once.
 */
export function* certificateEntries(resolved: ResolvedWorkspace): Iterable<CertificateEntry> {
  for (const { entry, name, facts, issuer: i } of resolved.certificates) {
    yield {
      uri: entry.uri,
      name,
      namespace: entry.object.namespace ?? null,
      secretName: facts.secretName?.value ?? null,
      dnsNames: facts.dnsNames.filter((d) => d !== facts.commonName).map((d) => d.value),
      range: wholeObject(entry),
      issuerRef: {
        name: facts.issuerName?.value ?? '',
        kind: facts.issuerKind?.value ?? 'Issuer',
        group: facts.issuerGroup ?? 'cert-manager.io',
      },
      issuer: i
        ? {
            kind: i.kind,
            name: i.name,
            uri: i.entry.uri,
            range: wholeObject(i.entry),
            type: (i.facts.issuerType && ISSUER_TYPE[i.facts.issuerType]) || 'unknown',
            acmeServer: i.facts.issuerType === 'acme' ? (i.facts.acmeServer?.value ?? null) : null,
          }
        : null,
    };
  }
}
