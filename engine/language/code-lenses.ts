/**
 * Code lenses: actions shown above the objects of a manifest file, with their
 * arguments. The language server names each action's command
 * (protocol/commands.ts: the editor's own, or the server's for any LSP
 * client); the actions and their arguments are:
 *
 * - above each cert-manager Certificate (its first line):
 *   - "Issue (staging)" (ACME issuer on Let's Encrypt, production or staging),
 *     "Issue" (other ACME servers, issuer not found, Vault, Venafi),
 *     "Issue (local)" (SelfSigned, CA) → issue
 *     `[{ uri, name, namespace }]`;
 *   - "Inspect" → inspect `[{ kind: 'certificate', uri, name, namespace }]`;
 *   - with an ACME issuer that would solve at least one of its names with
 *     DNS-01: "Check DNS-01" → checkDns01 `[{ names }]` (those names);
 * - above each v1 Secret whose data or stringData holds tls.crt:
 *   "Inspect chain" → inspect `[{ kind: 'secret', uri, range }]`
 *   (range: the Secret object);
 * - above each `dns01:` key of an ACME issuer's solver: "Check DNS-01
 *   propagation" → checkDns01 `[{ names }]`, the names of the
 *   workspace's Certificates that this issuer and this solver would validate.
 *
 * - with `cluster` (a cluster is configured), above every object that has a
 *   kind and a name: "Apply" → apply and "Diff" → diff `[{ uri, range }]`
 *   (range: that object), and above Certificates "Status" → status and
 *   "Why not Ready?" → explain `[{ name, namespace }]`.
 *
 * Issuers are resolved and solvers picked as the cross-resource checks do
 * (certificate-list.ts); positions come from the facts each object's check
 * extracted from its YAML nodes, so no document is re-parsed.
 */
import type { Range } from '../core/position.js';
import type { ObjectSummary } from '../rules/check-document.js';
import type { Workspace, WorkspaceEntry } from '../workspace/workspace.js';
import { dns01Names, isLetsEncrypt, objectRange, resolveWorkspace, type LspRange, type ResolvedCertificate, type WorkspaceIssuer } from './certificate-list.js';

interface ClusterObjectArgs {
  uri: string;
  /** The object in the document. */
  range: LspRange;
}

export interface CodeLensOptions {
  /** A cluster is configured: add Apply, Diff, Status and Why not Ready?. */
  cluster?: boolean;
}

interface IssueCertificateArgs {
  uri: string;
  name: string;
  /** metadata.namespace, or null when unset. */
  namespace: string | null;
}

type InspectChainArgs =
  | { kind: 'certificate'; uri: string; name: string; namespace: string | null }
  /** range: the Secret object in the document. */
  | { kind: 'secret'; uri: string; range: LspRange };

interface CheckDns01Args {
  /** Names whose DNS-01 records to check (may be empty). */
  names: string[];
}

type LensAction =
  | { title: 'Issue' | 'Issue (staging)' | 'Issue (local)'; action: 'issue'; arguments: [IssueCertificateArgs] }
  | { title: 'Inspect' | 'Inspect chain'; action: 'inspect'; arguments: [InspectChainArgs] }
  | { title: 'Check DNS-01' | 'Check DNS-01 propagation'; action: 'checkDns01'; arguments: [CheckDns01Args] }
  | { title: 'Apply'; action: 'apply'; arguments: [ClusterObjectArgs] }
  | { title: 'Diff'; action: 'diff'; arguments: [ClusterObjectArgs] }
  | { title: 'Status'; action: 'status'; arguments: [{ name: string; namespace: string | null }] }
  | { title: 'Why not Ready?'; action: 'explain'; arguments: [{ name: string; namespace: string | null }] };

export interface ActionLens {
  /** A single line, in file positions. */
  range: Range;
  command: LensAction;
}

function issueTitle(c: ResolvedCertificate): 'Issue' | 'Issue (staging)' | 'Issue (local)' {
  const f = c.issuer?.facts;
  if (f?.issuerType === 'acme') return isLetsEncrypt(f.acmeServer?.value) ? 'Issue (staging)' : 'Issue';
  if (f?.issuerType === 'selfSigned' || f?.issuerType === 'ca') return 'Issue (local)';
  return 'Issue';
}

/** The code lenses of one file of the workspace, in file order. */
export function codeLenses(ws: Workspace, uri: string, options: CodeLensOptions = {}): ActionLens[] {
  const file = ws.get(uri);
  if (!file || file.documents.length === 0) return [];
  const resolved = resolveWorkspace(ws);
  const certificates = new Map<ObjectSummary, ResolvedCertificate>();
  for (const c of resolved.certificates) if (c.entry.uri === uri) certificates.set(c.entry.object, c);
  const issuers = new Map<ObjectSummary, WorkspaceIssuer>();
  for (const i of resolved.issuers) if (i.entry.uri === uri) issuers.set(i.entry.object, i);
  /** The names each solver of this file's issuers would validate, by issuer and solver index. */
  const solverNames = new Map<WorkspaceIssuer, Map<number, Set<string>>>();
  if (issuers.size > 0) {
    for (const c of resolved.certificates) {
      if (!c.issuer || c.issuer.entry.uri !== uri) continue;
      let bySolver = solverNames.get(c.issuer);
      if (!bySolver) solverNames.set(c.issuer, (bySolver = new Map()));
      for (const { name, solver } of c.solverByName) {
        if (solver === undefined) continue;
        let names = bySolver.get(solver);
        if (!names) bySolver.set(solver, (names = new Set()));
        names.add(name);
      }
    }
  }

  const out: ActionLens[] = [];
  for (const doc of file.documents) {
    for (const object of doc.checked.objects) {
      const f = object.facts;
      if (!f) continue;
      const entry: WorkspaceEntry = { uri, file, doc, object };
      const at = (offset: number): Range => objectRange(entry, offset, offset);
      if (options.cluster && object.kind && object.name) {
        const args: ClusterObjectArgs = { uri, range: objectRange(entry, object.start, object.end) };
        out.push({ range: at(object.start), command: { title: 'Apply', action: 'apply', arguments: [args] } });
        out.push({ range: at(object.start), command: { title: 'Diff', action: 'diff', arguments: [args] } });
        if (f.type === 'Certificate') {
          const crt = { name: object.name, namespace: object.namespace ?? null };
          out.push({ range: at(object.start), command: { title: 'Status', action: 'status', arguments: [crt] } });
          out.push({ range: at(object.start), command: { title: 'Why not Ready?', action: 'explain', arguments: [{ ...crt }] } });
        }
      }
      if (f.type === 'Certificate') {
        const c = certificates.get(object);
        if (!c) continue; // no name: nothing to issue or inspect yet
        const namespace = object.namespace ?? null;
        const range = at(object.start);
        out.push({ range, command: { title: issueTitle(c), action: 'issue', arguments: [{ uri, name: c.name, namespace }] } });
        out.push({ range, command: { title: 'Inspect', action: 'inspect', arguments: [{ kind: 'certificate', uri, name: c.name, namespace }] } });
        const names = dns01Names(c);
        if (names.length > 0) out.push({ range, command: { title: 'Check DNS-01', action: 'checkDns01', arguments: [{ names }] } });
      } else if (f.type === 'Secret') {
        if (!f.hasTlsCrt) continue;
        out.push({
          range: at(object.start),
          command: { title: 'Inspect chain', action: 'inspect', arguments: [{ kind: 'secret', uri, range: objectRange(entry, object.start, object.end) }] },
        });
      } else if (f.type === 'Issuer') {
        const issuer = issuers.get(object);
        f.solvers.forEach((s, k) => {
          if (!s.dns01Key) return;
          const names = [...(issuer ? solverNames.get(issuer)?.get(k) ?? [] : [])];
          out.push({ range: at(s.dns01Key.start), command: { title: 'Check DNS-01 propagation', action: 'checkDns01', arguments: [{ names }] } });
        });
      }
    }
  }
  return out;
}
