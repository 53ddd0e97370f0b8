/**
 * What changes for *these* manifests when the cluster's cert-manager goes from
 * one release to another: the same files checked against both releases
 * (schemas and webhook rules), and the defaults that change under objects
 * that do not set them, from the CRDs' own history (a `default` keyword, or
 * a default their descriptions state, as "Default is `Always`" for a
 * Certificate's privateKey.rotationPolicy since v1.18). Each entry names the
 * file and line, as a diagnostic does.
 */
import { withoutByteOrderMark } from '../manifests/file-limits.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { CertManagerTarget } from '../schema/cert-manager-target.js';
import { releaseSchemas, type FieldChange, type Json } from '../schema/release-schemas.js';
import { CERT_MANAGER_GROUPS, schemaStore } from '../schema/schema-store.js';
import { ParsedDocument } from '../manifests/parsed-document.js';
import { objectsOf } from '../manifests/kube-object.js';
import { splitDocuments } from '../manifests/segments.js';
import { Workspace } from './workspace.js';

type UpgradeEntryKind = 'starts-failing' | 'stops-failing' | 'default-changes';

export interface UpgradeEntry {
  kind: UpgradeEntryKind;
  file: string;
  /** 1-based, as a person reads it. */
  line: number;
  column: number;
  /** The rule id, for failures. */
  code?: string;
  message: string;
}

export interface UpgradeReport {
  from: string;
  to: string;
  entries: UpgradeEntry[];
}

const key = (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character}:${d.code}`;

function errorsOf(files: readonly { uri: string; text: string }[], target: CertManagerTarget): Map<string, Diagnostic[]> {
  const ws = new Workspace(schemaStore(target));
  for (const f of files) ws.set(f.uri, f.text);
  const out = new Map<string, Diagnostic[]>();
  for (const f of files) out.set(f.uri, ws.diagnostics(f.uri).filter((d) => d.severity === 'error'));
  return out;
}

/** The values at a path ("spec.privateKey.rotationPolicy", "[]" for every list item) of a plain object: undefined where absent. */
function valuesAt(value: unknown, segments: string[]): { parentExists: boolean; set: boolean }[] {
  if (!segments.length) return [{ parentExists: true, set: value !== undefined }];
  const [head, ...rest] = segments;
  if (head === '[]') return Array.isArray(value) ? value.flatMap((v) => valuesAt(v, rest)) : [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const child = (value as Record<string, unknown>)[head!];
  if (rest.length === 0) return [{ parentExists: true, set: child !== undefined }];
  // An absent object leaves the field unset too (the default applies); absent lists have no items to default.
  if (child === undefined) return rest.includes('[]') ? [] : [{ parentExists: true, set: false }];
  return valuesAt(child, rest);
}

/** The default a change gives in a release ("Never"), or undefined when it sets none there. */
function defaultIn(change: FieldChange, release: string, order: string[]): Json | undefined {
  const i = order.indexOf(release);
  const run = change.runs.find((r) => order.indexOf(r.from) <= i && i <= order.indexOf(r.to));
  return run?.value;
}

export function upgradeCheck(files: readonly { uri: string; display: string; text: string }[], from: CertManagerTarget, to: CertManagerTarget): UpgradeReport {
  const entries: UpgradeEntry[] = [];
  const before = errorsOf(files, from);
  const after = errorsOf(files, to);
  for (const f of files) {
    const a = new Map((before.get(f.uri) ?? []).map((d) => [key(d), d]));
    const b = new Map((after.get(f.uri) ?? []).map((d) => [key(d), d]));
    for (const [k, d] of b) if (!a.has(k)) entries.push({ kind: 'starts-failing', file: f.display, line: d.range.start.line + 1, column: d.range.start.character + 1, code: d.code, message: `with ${to.release}: ${d.message}` });
    for (const [k, d] of a) if (!b.has(k)) entries.push({ kind: 'stops-failing', file: f.display, line: d.range.start.line + 1, column: d.range.start.character + 1, code: d.code, message: `accepted with ${to.release}, refused with ${from.release}: ${d.message}` });
  }

  // Defaults that change under objects that rely on them.
  const releases = releaseSchemas();
  const order = releases.releases().map((r) => r.id);
  const changesByKind = new Map<string, FieldChange[]>();
  for (const f of files) {
    const text = withoutByteOrderMark(f.text);
    for (const segment of splitDocuments(text)) {
      const doc = new ParsedDocument(segment.text);
      if (!doc.yaml || doc.problems.some((p) => p.severity === 'error')) continue;
      for (const obj of objectsOf(doc)) {
        if (!obj.kind || !CERT_MANAGER_GROUPS.has(obj.group)) continue;
        const k = `${obj.group}/${obj.version}/${obj.kind}`;
        let changes = changesByKind.get(k);
        if (!changes) changesByKind.set(k, (changes = releases.changes(obj.group, obj.version, obj.kind).filter((c) => c.what === 'default' || c.what === 'described default')));
        const plain = obj.toPlain();
        for (const c of changes) {
          const was = defaultIn(c, from.release, order);
          const now = defaultIn(c, to.release, order);
          if (JSON.stringify(was) === JSON.stringify(now)) continue;
          const segments = c.path.replace(/\[\]/g, '.[]').split('.').filter(Boolean);
          const unset = valuesAt(plain, segments).filter((v) => v.parentExists && !v.set);
          if (!unset.length) continue;
          const line = segment.line + doc.lines.positionAt(obj.node.range?.[0] ?? 0).line + 1;
          const show = (v: Json | undefined) => (v === undefined ? 'none' : typeof v === 'string' ? v : JSON.stringify(v));
          entries.push({
            kind: 'default-changes',
            file: f.display,
            line,
            column: 1,
            message: `${obj.kind} ${obj.name ?? ''}: ${c.path} is not set, and its default changes from ${show(was)} (${from.release}) to ${show(now)} (${to.release})${c.what === 'described default' ? ', applied by the controller' : ''}; set it to keep today's behaviour`,
          });
        }
      }
    }
  }
  entries.sort((x, y) => x.file.localeCompare(y.file) || x.line - y.line || x.column - y.column);
  return { from: from.release, to: to.release, entries };
}
