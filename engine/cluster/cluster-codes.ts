/**
 * The diagnostic codes of what a cluster says about a manifest. They are not
 * rules of engine/rules/registry.ts: a rule there is something `certsmith lint`
 * finds in a file on its own (every rule has a positive and a negative lint
 * case in test/semantics/rule-coverage.test.ts), while these come only from
 * an API server's answer. They carry their own `source`, so that an editor
 * shows them apart from the local diagnostics.
 */
import type { Range } from '../core/position.js';
import type { Diagnostic, Severity } from '../core/diagnostic.js';

export const CLUSTER_SOURCE = 'certsmith-cluster';

export interface ClusterCode {
  id: string;
  severity: Severity;
  title: string;
  docs: string;
}

const SSA = 'https://kubernetes.io/docs/reference/using-api/server-side-apply/';

export const CLUSTER_CODES = {
  /** The API server rejects a field (schema, CEL rule, immutable field, unknown field, admission). */
  rejected: {
    id: 'cluster-rejected',
    severity: 'error',
    title: 'The API server rejects the object',
    docs: 'https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation',
  },
  /** RBAC (or an admission plugin answering 403) does not let this user write the object. */
  forbidden: {
    id: 'cluster-forbidden',
    severity: 'error',
    title: 'The user may not write this object',
    docs: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
  },
  /** The cluster does not serve the object's apiVersion/kind (CRDs not installed, version not served). */
  kindNotServed: {
    id: 'cluster-kind-not-served',
    severity: 'error',
    title: 'The cluster does not serve this kind',
    docs: 'https://cert-manager.io/docs/installation/',
  },
  /** The object's namespace does not exist in the cluster. */
  namespaceMissing: {
    id: 'cluster-namespace-missing',
    severity: 'error',
    title: 'The namespace does not exist',
    docs: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/',
  },
  /** Server-side apply: another field manager owns a field this manifest sets. */
  conflict: {
    id: 'cluster-conflict',
    severity: 'error',
    title: 'Another field manager owns this field',
    docs: `${SSA}#conflicts`,
  },
  /** metadata.namespace differs from --namespace (kubectl refuses this too). */
  namespaceMismatch: {
    id: 'cluster-namespace-mismatch',
    severity: 'error',
    title: 'metadata.namespace differs from --namespace',
    docs: 'https://kubernetes.io/docs/reference/kubectl/generated/kubectl_apply/',
  },
  /** The object cannot be sent: no apiVersion, kind or metadata.name. */
  incomplete: {
    id: 'cluster-object-incomplete',
    severity: 'error',
    title: 'The object lacks apiVersion, kind or metadata.name',
    docs: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/#required-fields',
  },
  /** Not checked in a dry run: its namespace is created by the same apply. */
  notChecked: {
    id: 'cluster-not-checked',
    severity: 'information',
    title: 'Not checked by the dry run',
    docs: `${SSA}`,
  },
} as const satisfies Record<string, ClusterCode>;

export function clusterDiagnostic(code: ClusterCode, range: Range, message: string, path?: string): Diagnostic {
  const d: Diagnostic = { range, severity: code.severity, code: code.id, message, href: code.docs, source: CLUSTER_SOURCE };
  if (path) d.path = path;
  return d;
}
