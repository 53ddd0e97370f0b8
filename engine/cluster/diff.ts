/**
 * What an apply would change, as `kubectl diff --server-side` shows it: for
 * each object, the live object (GET) against the result of a server-side
 * apply dry run (the server merges, defaults and validates exactly as a real
 * apply would), both without the fields the server owns (managedFields,
 * resourceVersion, generation, uid, creationTimestamp, status), as YAML
 * with sorted keys, in unified diff form.
 *
 * Secret values never appear: like kubectl, each value of data is shown as
 * "***", or "*** (before)" / "*** (after)" when it changes.
 */
import { stringify } from 'yaml';
import { applyObjects, FIELD_MANAGER, type ObjectResult } from './apply.js';
import { ClusterError } from './cluster-error.js';
import { ClusterReader, type KubeJson } from './cluster-reader.js';
import { isSecret } from './secret-redaction.js';
import { resourcePath } from './resource-path.js';
import type { ClusterConnection } from './connection.js';
import type { SourceObject } from './source-objects.js';
import { unifiedDiff } from './unified-diff.js';

type DiffOutcome = 'changed' | 'created' | 'unchanged' | 'rejected' | 'not-checked';

interface ObjectDiff {
  source: SourceObject;
  label: string;
  namespace?: string;
  outcome: DiffOutcome;
  /** The unified diff ('' when unchanged or rejected). */
  diff: string;
  /** Both sides as compared (YAML, Secret values masked): for a side-by-side diff editor. '' for an object that does not exist. */
  before: string;
  after: string;
  /** The path in the diff labels: cert-manager.io/v1/Certificate/NS/NAME. */
  path: string;
  /** The apply dry run's result (diagnostics when rejected). */
  result: ObjectResult;
}

export interface DiffReport {
  context: string;
  server: string;
  objects: ObjectDiff[];
  fatal?: ClusterError;
  notSent: SourceObject[];
}

const SERVER_OWNED_METADATA = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink'];

/** The object without server-owned fields (a copy). */
function withoutServerFields(o: KubeJson): KubeJson {
  const copy: KubeJson = JSON.parse(JSON.stringify(o));
  delete copy.status;
  if (copy.metadata) for (const k of SERVER_OWNED_METADATA) delete copy.metadata[k];
  return copy;
}

/** kubectl's masking of Secret values in diffs (on copies). */
function maskSecretValues(before: KubeJson | undefined, after: KubeJson | undefined): void {
  const b: Record<string, string> = before?.data ?? {};
  const a: Record<string, string> = after?.data ?? {};
  for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const changed = k in b && k in a && b[k] !== a[k];
    if (k in b) b[k] = changed ? '*** (before)' : '***';
    if (k in a) a[k] = changed ? '*** (after)' : '***';
  }
  for (const o of [before, after]) {
    if (o?.stringData) for (const k of Object.keys(o.stringData)) o.stringData[k] = '***';
  }
}

function yamlOf(o: KubeJson | undefined): string {
  return o ? stringify(o, { sortMapEntries: true, lineWidth: 0 }) : '';
}

export interface DiffOptions {
  forceConflicts?: boolean;
  signal?: AbortSignal;
  concurrency?: number;
}

export async function diffObjects(conn: ClusterConnection, objects: readonly SourceObject[], options: DiffOptions = {}): Promise<DiffReport> {
  const reader = new ClusterReader(conn);
  const report = await applyObjects(conn, objects, { dryRun: true, keepObjects: true, forceConflicts: options.forceConflicts, fieldManager: FIELD_MANAGER, signal: options.signal, concurrency: options.concurrency });
  const out: DiffReport = { context: report.context, server: report.server, objects: [], fatal: report.fatal, notSent: report.notSent };
  for (const r of report.results) {
    const so = r.source;
    const base = { source: so, label: r.label, namespace: r.namespace, result: r };
    if (r.outcome === 'rejected') {
      out.objects.push({ ...base, outcome: 'rejected', diff: '', before: '', after: '', path: '' });
      continue;
    }
    const secret = isSecret(so.apiVersion, so.kind);
    const path = `${so.apiVersion.includes('/') ? so.apiVersion : `core/${so.apiVersion}`}/${so.kind}/${r.namespace ? `${r.namespace}/` : ''}${so.name}`;
    if (r.outcome === 'skipped') {
      // Its namespace is created by the same apply: the server could not check it; show the manifest as it stands.
      const local = withoutServerFields(so.object.toPlain() ?? {});
      if (secret) maskSecretValues(undefined, local);
      const after = yamlOf(local);
      out.objects.push({ ...base, outcome: 'not-checked', diff: unifiedDiff('', after, `live/${path}`, `merged/${path}`), before: '', after, path });
      continue;
    }
    let live: KubeJson | undefined;
    try {
      const lookup = await reader.discovery.lookup(so.apiVersion, so.kind);
      if (lookup.served) {
        const resp = await conn.request('GET', resourcePath(lookup.info, r.namespace, so.name), { signal: options.signal, what: `to get ${r.label}` });
        if (resp.status === 200) live = JSON.parse(resp.text);
        else if (resp.status !== 404) throw reader.refusal(resp, 'get', lookup.info, r.namespace);
      }
    } catch (e) {
      if (e instanceof ClusterError) {
        out.fatal ??= e;
        break;
      }
      throw e;
    }
    const before = live ? withoutServerFields(live) : undefined;
    const after = r.object ? withoutServerFields(r.object) : undefined;
    if (secret) maskSecretValues(before, after);
    const beforeText = yamlOf(before);
    const afterText = yamlOf(after);
    const diff = unifiedDiff(beforeText, afterText, `live/${path}`, `merged/${path}`);
    out.objects.push({ ...base, outcome: !live ? 'created' : diff ? 'changed' : 'unchanged', diff, before: beforeText, after: afterText, path });
  }
  return out;
}

