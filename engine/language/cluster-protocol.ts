/**
 * The language server's cluster protocol, shared by the server
 * (server/lsp/cluster-checks.ts), the editor extension and the tests:
 *
 *   notification certsmith/clusterSettings (client → server)   ClusterSettings
 *   request certsmith/checkAgainstCluster { uri }              → CheckResult
 *   request certsmith/refreshClusterInventory                   → InventoryResult
 *
 * See server/lsp/cluster-checks.ts for what the server does with each.
 */

export const CLUSTER_SETTINGS_NOTIFICATION = 'certsmith/clusterSettings';
export const CHECK_AGAINST_CLUSTER_REQUEST = 'certsmith/checkAgainstCluster';
export const REFRESH_CLUSTER_INVENTORY_REQUEST = 'certsmith/refreshClusterInventory';

/** The params of certsmith/clusterSettings. */
export interface ClusterSettings {
  /** The opt-in checks: the dry run on save and the live Issuers, ClusterIssuers and Secrets in cross checks. */
  enabled: boolean;
  /** A kubeconfig file (~ and paths relative to the first workspace folder allowed); default KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  /** Default: the kubeconfig's current-context. */
  context?: string;
  /** For objects that name none; default: the context's namespace, else "default". */
  namespace?: string;
  /** Dry-run a document when it is saved (default true). */
  checkOnSave?: boolean;
  /** A cluster is configured (a kubeconfig exists): show the Apply / Diff / Status code lenses (default false). */
  lenses?: boolean;
}

/** The result of certsmith/checkAgainstCluster. */
export interface CheckResult {
  context: string;
  namespace: string;
  server: string;
  /** Objects of the document sent (or that would have been). */
  objects: number;
  rejected: number;
  /** What stopped the check, in words (unreachable, TLS, 401, time limit), with what to do. */
  error?: string;
  /** The document changed during the check: its results were dropped. */
  stale?: true;
}

/** The result of certsmith/refreshClusterInventory. */
export interface InventoryResult {
  issuers: number;
  clusterIssuers: number;
  secrets: number;
  error?: string;
  /** One sentence per list RBAC denied. */
  denied?: string[];
  notes?: string[];
  context?: string;
  namespace?: string;
  server?: string;
}
