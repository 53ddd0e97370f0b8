/**
 * Navigation between related objects: from an issuerRef (or an issuer
 * annotation) to the Issuer or ClusterIssuer it names, from an issuer to what
 * uses it, from a Certificate's secretName to the Ingress or Gateway that
 * mounts the Secret. cert-manager's namespace rules decide what matches.
 */
import type { Position, Range } from '../core/position.js';
import type { Located } from '../rules/cross/object-facts.js';
import type { Workspace, WorkspaceEntry } from '../workspace/workspace.js';

export interface Location {
  uri: string;
  range: Range;
}

function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

function rangeOf(e: WorkspaceEntry, start: number, end: number): Range {
  return e.file.toFileRange(e.doc, e.doc.checked.lines.rangeOf(start, end));
}

function nameLocation(e: WorkspaceEntry): Location {
  return { uri: e.uri, range: rangeOf(e, e.object.labelStart, e.object.labelEnd) };
}

function within(l: Located<unknown> | undefined, offset: number): boolean {
  return !!l && l.start <= offset && offset <= l.end;
}

/** The entry under a position, and the offset inside its document. */
function entryAt(ws: Workspace, uri: string, pos: Position): { entry: WorkspaceEntry; offset: number } | undefined {
  const file = ws.get(uri);
  const doc = file?.documentAtLine(pos.line);
  if (!file || !doc) return undefined;
  const offset = doc.checked.lines.offsetAt({ line: pos.line - doc.segment.line, character: pos.character });
  for (const e of ws.entries()) {
    if (e.uri === uri && e.doc === doc && e.object.start <= offset && offset <= e.object.end) return { entry: e, offset };
  }
  return undefined;
}

/** What an issuer reference at a position points to: kind, name, namespace of the referrer. */
function referenceAt(entry: WorkspaceEntry, offset: number): { kind: string; name: string; namespace?: string } | undefined {
  const f = entry.object.facts;
  if (!f) return undefined;
  if (f.type === 'Certificate' && within(f.issuerName, offset)) {
    if (f.issuerGroup && f.issuerGroup !== 'cert-manager.io') return undefined;
    return { kind: f.issuerKind?.value ?? 'Issuer', name: f.issuerName!.value, namespace: entry.object.namespace };
  }
  if ((f.type === 'Ingress' || f.type === 'Gateway') && (!f.issuerGroup || f.issuerGroup === 'cert-manager.io')) {
    if (within(f.issuer, offset)) return { kind: f.issuerKind ?? 'Issuer', name: f.issuer!.value, namespace: entry.object.namespace };
    if (within(f.clusterIssuer, offset)) return { kind: 'ClusterIssuer', name: f.clusterIssuer!.value, namespace: entry.object.namespace };
  }
  return undefined;
}

function issuersMatching(ws: Workspace, kind: string, name: string, namespace: string | undefined): WorkspaceEntry[] {
  const out: WorkspaceEntry[] = [];
  for (const e of ws.entries()) {
    if (e.object.group !== 'cert-manager.io' || e.object.kind !== kind || e.object.name !== name) continue;
    if (kind === 'Issuer' && !sameNamespace(e.object.namespace, namespace)) continue;
    out.push(e);
  }
  return out;
}

export function definition(ws: Workspace, uri: string, pos: Position): Location[] {
  const at = entryAt(ws, uri, pos);
  if (!at) return [];
  const ref = referenceAt(at.entry, at.offset);
  if (!ref) return [];
  return issuersMatching(ws, ref.kind, ref.name, ref.namespace).map(nameLocation);
}

export function references(ws: Workspace, uri: string, pos: Position, includeDeclaration: boolean): Location[] {
  const at = entryAt(ws, uri, pos);
  if (!at) return [];
  const { entry, offset } = at;
  const s = entry.object;
  const out: Location[] = [];

  // From an issuer's name (or a reference to it): everything that uses that issuer.
  let target: { kind: string; name: string; namespace?: string } | undefined;
  if (s.group === 'cert-manager.io' && (s.kind === 'Issuer' || s.kind === 'ClusterIssuer') && s.name && s.labelStart <= offset && offset <= s.labelEnd) {
    target = { kind: s.kind, name: s.name, namespace: s.kind === 'Issuer' ? s.namespace : undefined };
  } else {
    const ref = referenceAt(entry, offset);
    if (ref) target = { kind: ref.kind, name: ref.name, namespace: ref.kind === 'Issuer' ? ref.namespace : undefined };
  }
  if (target) {
    if (includeDeclaration) out.push(...issuersMatching(ws, target.kind, target.name, target.namespace).map(nameLocation));
    for (const e of ws.entries()) {
      const f = e.object.facts;
      const nsOk = target.kind === 'ClusterIssuer' || sameNamespace(e.object.namespace, target.namespace);
      if (!f || !nsOk) continue;
      if (f.type === 'Certificate' && f.issuerName?.value === target.name && (f.issuerKind?.value ?? 'Issuer') === target.kind && (!f.issuerGroup || f.issuerGroup === 'cert-manager.io')) {
        out.push({ uri: e.uri, range: rangeOf(e, f.issuerName.start, f.issuerName.end) });
      }
      if (f.type === 'Ingress' || f.type === 'Gateway') {
        const l = target.kind === 'ClusterIssuer' ? f.clusterIssuer : (f.issuerKind ?? 'Issuer') === 'Issuer' ? f.issuer : undefined;
        if (l?.value === target.name) out.push({ uri: e.uri, range: rangeOf(e, l.start, l.end) });
      }
    }
    return out;
  }

  // From a Certificate's secretName: the Ingresses and Gateways that mount that Secret.
  const f = s.facts;
  if (f?.type === 'Certificate' && within(f.secretName, offset)) {
    const secret = f.secretName!.value;
    if (includeDeclaration) out.push({ uri: entry.uri, range: rangeOf(entry, f.secretName!.start, f.secretName!.end) });
    for (const e of ws.entries()) {
      const g = e.object.facts;
      if ((g?.type === 'Ingress' || g?.type === 'Gateway') && sameNamespace(e.object.namespace, s.namespace)) {
        for (const l of g.secretNames) if (l.value === secret) out.push({ uri: e.uri, range: rangeOf(e, l.start, l.end) });
      }
    }
  }
  return out;
}
