/**
 * Manual renewal, exactly as cmctl's `renew` does it: the Certificate's
 * Issuing condition is set to True with reason ManuallyTriggered and message
 * "Certificate re-issuance manually triggered" (observedGeneration = the
 * Certificate's generation; lastTransitionTime now, unless the condition was
 * already True), and the whole object is written back through the status
 * subresource (PUT .../certificates/NAME/status, with the resourceVersion read,
 * so a concurrent change is a conflict, not lost). cert-manager's issuing
 * controller then issues a new revision.
 *
 * Unlike cmctl, a Certificate whose Issuing condition is already True is not
 * touched: it is reported as already issuing.
 */
import { ClusterError } from './cluster-error.js';
import { jsonBody } from './connection.js';
import type { ClusterReader, KubeJson } from './cluster-reader.js';
import { isIssuing } from './certificate-status.js';
import { NAMESPACES, KNOWN, resourcePath } from './resource-path.js';

const MANUAL_REASON = 'ManuallyTriggered';
const MANUAL_MESSAGE = 'Certificate re-issuance manually triggered';

export type RenewSelection = { names: string[] } | { all: true } | { labelSelector: string };

export interface RenewOptions {
  /** Every namespace (only with all or labelSelector, as cmctl). */
  allNamespaces?: boolean;
  signal?: AbortSignal;
  /** The clock (tests). */
  now?: () => Date;
  onResult?: (r: RenewResult) => void;
}

type RenewOutcome = 'triggered' | 'already-issuing' | 'not-found' | 'failed';

export interface RenewResult {
  namespace: string;
  name: string;
  outcome: RenewOutcome;
  message: string;
  resourceVersion?: string;
}

/** metav1.Time: RFC 3339 in UTC, whole seconds. */
function kubeTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** cert-manager's apiutil.SetCertificateCondition on a JSON Certificate (changes it in place). */
function setCertificateCondition(crt: KubeJson, type: string, status: string, reason: string, message: string, now: Date): void {
  crt.status ??= {};
  const conditions: KubeJson[] = Array.isArray(crt.status.conditions) ? crt.status.conditions : (crt.status.conditions = []);
  const next: KubeJson = { type, status, lastTransitionTime: kubeTime(now), reason, message, observedGeneration: crt.metadata?.generation ?? 0 };
  const i = conditions.findIndex((c) => c.type === type);
  if (i === -1) {
    conditions.push(next);
    return;
  }
  if (conditions[i].status === status && conditions[i].lastTransitionTime) next.lastTransitionTime = conditions[i].lastTransitionTime;
  conditions[i] = next;
}

/** Triggers renewal of the selected Certificates in `namespace` (or every namespace). Fatal problems (unreachable, 401, not installed, a list denied) throw. */
export async function renewCertificates(reader: ClusterReader, namespace: string, selection: RenewSelection, options: RenewOptions = {}): Promise<RenewResult[]> {
  const info = await reader.resource(KNOWN.certificate.apiVersion, KNOWN.certificate.kind);
  const now = options.now ?? (() => new Date());
  const results: RenewResult[] = [];
  const done = (r: RenewResult) => {
    results.push(r);
    options.onResult?.(r);
  };

  let targets: KubeJson[] = [];
  if ('names' in selection) {
    if (options.allNamespaces) throw new ClusterError('config', 'Certificate names cannot be given with --all-namespaces');
    for (const name of selection.names) {
      const crt = await reader.get(info, namespace, name, options.signal);
      if (crt) targets.push(crt);
      else done({ namespace, name, outcome: 'not-found', message: `Certificate "${name}" not found in namespace "${namespace}" (context "${reader.context}")` });
    }
  } else {
    const labelSelector = 'labelSelector' in selection ? selection.labelSelector : undefined;
    const namespaces = options.allNamespaces ? (await reader.list(NAMESPACES, undefined, { metadataOnly: true, signal: options.signal })).items.map((n) => n.metadata.name as string) : [namespace];
    for (const ns of namespaces) targets.push(...(await reader.list(info, ns, { labelSelector, signal: options.signal })).items);
    targets = targets.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  }

  for (const crt of targets) {
    const ns: string = crt.metadata.namespace;
    const name: string = crt.metadata.name;
    if (isIssuing(crt)) {
      done({ namespace: ns, name, outcome: 'already-issuing', message: `Certificate ${ns}/${name} is already being issued (its Issuing condition is True); not triggered again` });
      continue;
    }
    setCertificateCondition(crt, 'Issuing', 'True', MANUAL_REASON, MANUAL_MESSAGE, now());
    const r = await reader.conn.request('PUT', resourcePath(info, ns, name, 'status'), { body: JSON.stringify(crt), signal: options.signal, what: `to update the status of certificate ${ns}/${name}` });
    if (r.status === 200) {
      done({ namespace: ns, name, outcome: 'triggered', message: `Manually triggered issuance of Certificate ${ns}/${name}`, resourceVersion: jsonBody(r)?.metadata?.resourceVersion });
      continue;
    }
    const err = reader.refusal(r, 'update', { ...info, resource: `${info.resource}/status` }, ns);
    if (err.kind === 'forbidden') throw err;
    const conflict = r.status === 409 ? ': it changed while being renewed; run renew again' : '';
    done({ namespace: ns, name, outcome: 'failed', message: `failed to trigger issuance of Certificate ${ns}/${name}${conflict || `: ${err.message}`}` });
  }
  return results;
}
