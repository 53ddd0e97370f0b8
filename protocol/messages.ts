/**
 * Every custom message between the Certsmith language server and its clients,
 * declared once with its parameter and result types. The server
 * (server/lsp), the VS Code extension (client/) and the tests import these;
 * no method name is written as a string anywhere else.
 *
 * The editor actions run in the server (as vscode-eslint does): any LSP
 * client can call these requests, or the plain `workspace/executeCommand`
 * commands in commands.ts. The VS Code extension adds its own interface
 * around them (confirmations, diff editors, panels), nothing more.
 *
 * Results are plain JSON. Failures a person can act on come back as a result
 * field (`error`, `problem`) in words, never as a stack trace.
 */
import { NotificationType, ProgressType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { ChainReport } from '../engine/chain/inspect.js';
import type { CertificateStatusReport } from '../engine/cluster/certificate-status.js';
import type { ClusterOverview } from '../engine/cluster/cluster-overview.js';
import type { Explanation } from '../engine/cluster/explain/explanation.js';
import type { PropagationReport } from '../engine/dns/propagation.js';
import type { IssueSummary } from '../engine/issue/issue-certificate.js';
import type { IssuancePlan } from '../engine/issue/issuance-plan.js';
import type { CertificateEntry } from '../engine/language/certificate-list.js';

/**
 * The parameters of a notification that carries none. vscode-languageserver's
 * connection sends a parameterless notification as `params: [null]`, which a
 * client that registered a NotificationType0 refuses ("defines 0 params but
 * received 1 arguments"); an empty object is understood by every client.
 */
type NoParams = Record<string, never>;

export type { CertificateEntry };

// ---------------------------------------------------------------------------
// Shared shapes
// ---------------------------------------------------------------------------

/** LSP positions: zero-based line and UTF-16 character. */
export interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** A document, or one object of it (a code lens names the object's range). */
export interface DocumentTarget {
  uri: string;
  /** Only the object whose `kind:` line lies in this range. */
  range?: Range;
}

/** A Certificate by name; the namespace defaults to the one in use (cluster) or the document's. */
export interface CertificateRef {
  name: string;
  namespace?: string | null;
  /** The document it is written in, when known. */
  uri?: string;
}

/** A long request's progress token ($/progress WorkDoneProgress begin/report/end), set by the client. */
export interface WorkDone {
  workDoneToken?: string | number;
}

/** A request's partial-result token ($/progress of its partial results), set by the client. */
export interface PartialResult {
  partialResultToken?: string | number;
}

/** Where a resolved setting's value came from, for messages and the status bar. */
export type SettingOrigin = 'setting' | 'workspace choice' | 'environment' | 'kubeconfig' | 'default';

// ---------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------

/** The workspace's choice of cluster context and namespace (Switch Context), kept by the client, never written to the kubeconfig. */
export interface ClusterChoice {
  context?: string;
  namespace?: string;
}

/**
 * client → server: what the editor knows and settings do not say: whether
 * the workspace is trusted (actions that change DNS, listen on ports, write
 * keys or talk to a cluster are refused while it is not), and the workspace's
 * cluster choice. The `certsmith.*` settings themselves come with
 * workspace/didChangeConfiguration (or workspace/configuration).
 */
export interface EditorState {
  trusted?: boolean;
  cluster?: ClusterChoice;
}
export const EditorStateNotification = new NotificationType<EditorState>('certsmith/editorState');

/** server → client: the settings the server uses changed (the client refreshes what shows them: the cluster status bar, the Cluster view). */
export const SettingsAppliedNotification = new NotificationType<NoParams>('certsmith/settingsApplied');

/** The cert-manager release the checks target, and where that choice came from. */
export interface CertManagerTargetResult {
  /** "v1.21", or "next". */
  release: string;
  /** "v1.21.2", or the commit. */
  version: string;
  origin: 'default' | 'setting' | 'flag' | 'cluster';
  /** "setting certsmith.certManagerVersion", "installed in context \"kind\": CRD … label …", "default: the newest bundled release". */
  from: string;
  /** A version that is not bundled: which one is used instead. */
  note?: string;
  /** The setting could not be read as a version. */
  problem?: string;
  /** The bundled releases, oldest first ("next" last). */
  bundled: string[];
}
export const CertManagerTargetRequest = new RequestType0<CertManagerTargetResult, void>('certsmith/certManagerTarget');

/** What changes for the workspace's manifests when cert-manager goes from one release to another. */
export interface UpgradeCheckParams {
  from: string;
  to: string;
}
export interface UpgradeCheckResult {
  from?: string;
  to?: string;
  entries: { kind: 'starts-failing' | 'stops-failing' | 'default-changes'; uri: string; line: number; column: number; code?: string; message: string }[];
  error?: string;
}
export const UpgradeCheckRequest = new RequestType<UpgradeCheckParams, UpgradeCheckResult, void>('certsmith/upgradeCheck');

// ---------------------------------------------------------------------------
// The workspace's Certificates (tree view, code lenses)
// ---------------------------------------------------------------------------

export interface CertificatesResult {
  certificates: CertificateEntry[];
}
export const CertificatesRequest = new RequestType0<CertificatesResult, void>('certsmith/certificates');
/** server → client: the list changed (debounced). */
export const CertificatesChangedNotification = new NotificationType<NoParams>('certsmith/certificatesChanged');

/** The Certificate under the cursor, if any. */
export interface CertificateAtParams {
  uri: string;
  position: { line: number; character: number };
}
export const CertificateAtRequest = new RequestType<CertificateAtParams, CertificateRef | null, void>('certsmith/certificateAt');

// ---------------------------------------------------------------------------
// The cluster
// ---------------------------------------------------------------------------

/** The context, namespace and server the cluster actions use, with where each came from. */
export interface ClusterTarget {
  context: string;
  contextOrigin: SettingOrigin;
  namespace: string;
  namespaceOrigin: SettingOrigin;
  server: string;
  /** The kubeconfig files read, in order, and where that list came from (the setting, KUBECONFIG, ~/.kube/config). */
  kubeconfigFiles: string[];
  kubeconfigOrigin: SettingOrigin;
  /** Per request to the API server (certsmith.cluster.requestTimeoutSeconds). */
  requestTimeoutSeconds: number;
  contexts: { name: string; cluster: string; user: string; namespace?: string }[];
}
export interface ClusterTargetResult {
  target?: ClusterTarget;
  /** Why there is no target (no kubeconfig, no such context, an untrusted workspace), with what to do. */
  problem?: string;
}
export const ClusterTargetRequest = new RequestType0<ClusterTargetResult, void>('certsmith/clusterTarget');

export interface NamespacesParams {
  context: string;
}
export interface NamespacesResult {
  namespaces: string[];
  error?: string;
}
export const ClusterNamespacesRequest = new RequestType<NamespacesParams, NamespacesResult, void>('certsmith/clusterNamespaces');

/** The Cluster view's data: the contexts, and the current one's Certificates and issuers. */
export interface ClusterTreeData {
  contexts: { name: string; current: boolean; server?: string }[];
  overview?: ClusterOverview;
  problem?: string;
}
export const ClusterOverviewRequest = new RequestType0<ClusterTreeData, void>('certsmith/clusterOverview');

/** The server-side dry run of an open document, published as `certsmith-cluster` diagnostics. */
export interface CheckResult {
  context: string;
  namespace: string;
  server: string;
  objects: number;
  rejected: number;
  error?: string;
  /** The document changed during the check: its results were dropped. */
  stale?: true;
}
export const CheckAgainstClusterRequest = new RequestType<{ uri: string }, CheckResult, void>('certsmith/checkAgainstCluster');

export interface InventoryResult {
  issuers: number;
  clusterIssuers: number;
  secrets: number;
  error?: string;
  denied?: string[];
  notes?: string[];
  context?: string;
  namespace?: string;
  server?: string;
}
export const RefreshClusterInventoryRequest = new RequestType0<InventoryResult, void>('certsmith/refreshClusterInventory');

/** What an apply would send, for the confirmation. */
export interface ApplyPlan {
  context: string;
  server: string;
  namespace: string;
  objects: string[];
  /** Why nothing can be sent (the document cannot be read, no object, no cluster). */
  problem?: string;
}
export const ApplyPlanRequest = new RequestType<DocumentTarget, ApplyPlan, void>('certsmith/applyPlan');

export interface ApplyParams extends DocumentTarget {
  /** The context the person confirmed: the apply is refused if the target changed since. */
  context: string;
  dryRun?: boolean;
}
export interface ObjectOutcome {
  label: string;
  namespace?: string;
  outcome: 'created' | 'configured' | 'unchanged' | 'applied' | 'rejected' | 'skipped' | 'not-sent';
  /** The refusal, when rejected. */
  message?: string;
}
export interface ApplyResult {
  context: string;
  server: string;
  results: ObjectOutcome[];
  /** What stopped the run (unreachable, TLS, 401, time limit, the context changed). */
  error?: string;
}
/** Progress: one `report` per object as its result is known ($/progress with the request's workDoneToken). */
export const ApplyRequest = new RequestType<ApplyParams & WorkDone, ApplyResult, void>('certsmith/apply');

interface ObjectDiff {
  label: string;
  /** cert-manager.io/v1/Certificate/NS/NAME: the name of both sides. */
  path: string;
  outcome: 'changed' | 'created' | 'unchanged' | 'rejected' | 'not-checked';
  /** YAML, Secret values masked. */
  before: string;
  after: string;
  diff: string;
}
export interface DiffResult {
  context: string;
  server: string;
  objects: ObjectDiff[];
  error?: string;
}
export const DiffRequest = new RequestType<DocumentTarget & WorkDone, DiffResult, void>('certsmith/diff');

export interface StatusResult {
  report?: CertificateStatusReport;
  /** The report as text (the CLI's `status certificate`). */
  text?: string;
  error?: string;
}
export const CertificateStatusRequest = new RequestType<CertificateRef, StatusResult, void>('certsmith/certificateStatus');

export interface RenewParams extends CertificateRef {
  /** The context the person confirmed. */
  context: string;
}
export interface RenewResult {
  namespace: string;
  name: string;
  outcome: 'triggered' | 'already-issuing' | 'not-found' | 'failed';
  message: string;
  context: string;
  error?: string;
}
export const RenewRequest = new RequestType<RenewParams, RenewResult, void>('certsmith/renew');

export interface WaitParams extends CertificateRef {
  timeoutSeconds?: number;
}
export interface WaitResult {
  outcome: 'ready' | 'failed' | 'deleted' | 'timeout' | 'cancelled';
  message: string;
  /** The Certificate's conditions at the end, in words. */
  state?: string;
  error?: string;
}
/** Follows a Certificate with a watch; progress reports its conditions; cancellable. */
export const WaitForCertificateRequest = new RequestType<WaitParams & WorkDone, WaitResult, void>('certsmith/waitForCertificate');

export interface ExplainResult {
  /** Why it is not Ready (or that it is): the root cause, the objects' states, the status it was made from. */
  explanation?: Explanation;
  /** The same as text (`certsmith explain certificate`), for editors without a webview. */
  text?: string;
  error?: string;
}
export const ExplainCertificateRequest = new RequestType<CertificateRef, ExplainResult, void>('certsmith/explainCertificate');

/** Start (watch: true) or stop following the cluster's Certificates and issuers; the client starts it while its view is visible. */
export interface WatchClusterParams {
  watch: boolean;
}
export interface WatchClusterResult {
  watching: boolean;
  context?: string;
  error?: string;
}
export const WatchClusterRequest = new RequestType<WatchClusterParams, WatchClusterResult, void>('certsmith/watchCluster');
/** server → client: something the Cluster view shows changed (debounced); the client asks for the overview again. */
export interface ClusterChanged {
  context: string;
  kinds: string[];
}
export const ClusterChangedNotification = new NotificationType<ClusterChanged>('certsmith/clusterChanged');

// ---------------------------------------------------------------------------
// Issuance
// ---------------------------------------------------------------------------

export interface IssuePlanResult {
  plan?: IssuancePlan;
  /** The ACME server that will be used (staging instead of Let's Encrypt production unless confirmed). */
  server?: string;
  /** The server's default ACME server (certsmith.acme.defaultServer). */
  defaultServer?: string;
  /** Where the Secret's files will be written. */
  outDir?: string;
  /** The DNS-01 provider needs a person to create the records (--dns01-manual). */
  needsManual?: boolean;
  /** Problems that stop the issuance now. */
  blocking?: string[];
  error?: string;
}
export const IssuePlanRequest = new RequestType<CertificateRef, IssuePlanResult, void>('certsmith/issuePlan');

export interface IssueParams extends CertificateRef {
  /** Let's Encrypt production, confirmed twice by the person. */
  production?: boolean;
  dns01Manual?: boolean;
  /** Renew: the same CA and output directory as the last issuance. */
  renew?: { outDir: string; acmeServer?: string };
}
export interface IssueResult {
  summary?: IssueSummary;
  outDir?: string;
  /** The ACME server used, if ACME. */
  acmeServer?: string;
  cancelled?: true;
  error?: string;
}
/** Progress: each step as a `report` message; cancellable (everything created is removed). */
export const IssueRequest = new RequestType<IssueParams & WorkDone, IssueResult, void>('certsmith/issue');

/** server → client: TXT records a person must create (or may delete) in manual DNS-01 mode. */
export interface ManualRecords {
  records: { fqdn: string; ttl: number; value: string }[];
  phase: 'create' | 'delete';
}
export const ManualRecordsNotification = new NotificationType<ManualRecords>('certsmith/manualRecords');

/**
 * server → client: a Secret value the issuance needs that is in no file (a
 * TSIG key, an EAB HMAC key). The client answers from its secret storage or
 * asks the person once; `value` absent: not given (the issuance stops).
 * Clients that do not answer: the value must be in the workspace's files.
 */
export interface SecretValueParams {
  namespace: string;
  name: string;
  key: string;
  purpose: string;
}
export const SecretValueRequest = new RequestType<SecretValueParams, { value?: string }, void>('certsmith/secretValue');

/**
 * server → client: the ACME account key for (server, privateKeySecretRef),
 * created by the client on first use and kept in its secret storage, and the
 * account URL registered with it. Clients that do not answer: the server keeps
 * keys in its state directory.
 */
export interface AccountKeyParams {
  directoryUrl: string;
  privateKeySecretRef: string;
}
export interface AccountKeyResult {
  pem: string;
  /** Where it is kept, for messages ("VS Code secret storage (ns/name)"). */
  origin: string;
  accountUrl?: string;
  /** What to remove so that a new key is made (for a deactivated account). */
  removeHint: string;
  created?: boolean;
}
export const AccountKeyRequest = new RequestType<AccountKeyParams, AccountKeyResult, void>('certsmith/accountKey');
export const AccountRegisteredNotification = new NotificationType<AccountKeyParams & { accountUrl: string }>('certsmith/accountRegistered');

/** Export: the Secret manifest of a local issuance (it holds the private key) written where the person chose, mode 0600. */
export interface ExportSecretParams {
  outDir: string;
  target: string;
}
export const ExportSecretRequest = new RequestType<ExportSecretParams, { written?: string; error?: string }, void>('certsmith/exportSecret');

// ---------------------------------------------------------------------------
// Chains and DNS
// ---------------------------------------------------------------------------

export interface InspectParams {
  /** A file (PEM, DER, YAML; a local issuance's secret.yaml), or one range of a document (a Secret, a selection). */
  uri?: string;
  range?: Range;
  /** The document's current text, when it differs from the file (an open, edited document). */
  text?: string;
  /** A TLS server: host:port. */
  endpoint?: string;
}
export interface InspectResult {
  report?: ChainReport;
  title: string;
  error?: string;
}
export const InspectChainRequest = new RequestType<InspectParams, InspectResult, void>('certsmith/inspectChain');

export interface DnsCheckParams {
  /** Domain names as in dnsNames; *.example.com is checked at _acme-challenge.example.com. */
  names: string[];
  expected?: string[];
  /** How long to keep checking until propagated (default 120). */
  waitSeconds?: number;
}
export interface DnsCheckEntry {
  name: string;
  report?: PropagationReport;
  /** "propagated", "waiting: next check in 1.2 s", "stopped", an error. */
  status: string;
}
export interface DnsCheckResult {
  entries: DnsCheckEntry[];
  error?: string;
}
/** Progress: after each check the entry, with the request's partialResultToken ($/progress of DnsCheckEntry). */
export const DnsCheckRequest = new RequestType<DnsCheckParams & WorkDone & PartialResult, DnsCheckResult, void>('certsmith/checkDns01');
/** Each check's entry, on the request's partialResultToken. */
export const DnsCheckProgress = new ProgressType<DnsCheckEntry>();
