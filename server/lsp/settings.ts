/**
 * The language server's settings, resolved in exactly one place: the
 * `certsmith.*` settings the client sends (workspace/didChangeConfiguration),
 * the workspace's choice of cluster context and namespace (Switch Context,
 * certsmith/editorState), the workspace folder for relative paths, and the
 * environment (HOME, KUBECONFIG). Every action, check, lens and view of the
 * server reads the result; nothing else looks at raw settings.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, isAbsolute } from 'node:path';
import { expandKubeconfigPath } from '../../engine/cluster/kubeconfig-path.js';
import { DEFAULT_MAX_FILE_BYTES } from '../../engine/manifests/file-limits.js';
import { LETS_ENCRYPT_STAGING } from '../../engine/acme/acme-servers.js';
import type { ClusterChoice, SettingOrigin } from '../../protocol/messages.js';

/** certsmith.* as VS Code's package.json declares them (any LSP client may send them). */
export interface RawSettings {
  acme?: { defaultServer?: unknown };
  recursiveNameservers?: unknown;
  recursiveNameserversOnly?: unknown;
  /** The old names (certsmith.dns01.*), still read. */
  dns01?: { recursiveNameservers?: unknown; recursiveNameserversOnly?: unknown; authoritativePort?: unknown };
  expiryWarningDays?: unknown;
  clusterResourceNamespace?: unknown;
  http01?: { listen?: unknown };
  outputDirectory?: unknown;
  maxFileSize?: unknown;
  certManagerVersion?: unknown;
  cluster?: { kubeconfig?: unknown; context?: unknown; namespace?: unknown; checkAgainstCluster?: unknown; checkOnSave?: unknown; requestTimeoutSeconds?: unknown };
}

export interface ClusterSettings {
  /** The opt-in checks: the dry run on save and the live issuers in cross checks. */
  checkAgainstCluster: boolean;
  checkOnSave: boolean;
  /** An absolute path, or undefined: KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  context?: string;
  contextOrigin: SettingOrigin;
  namespace?: string;
  namespaceOrigin: SettingOrigin;
  requestTimeoutMs: number;
}

export interface ServerSettings {
  defaultAcmeServer: string;
  recursiveNameservers: string[];
  recursiveNameserversOnly: boolean;
  authoritativePort: number;
  expiryWarningDays: number;
  clusterResourceNamespace: string;
  http01Listen: string;
  /** Absolute: the setting, relative to the first workspace folder. */
  outputDirectory: string;
  maxFileBytes: number;
  /** certsmith.certManagerVersion as written ("1.17", "next"); undefined: detect in the cluster, else the newest bundled release. */
  certManagerVersion?: string;
  cluster: ClusterSettings;
  /** The workspace is trusted (a client that says nothing is). */
  trusted: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const num = (v: unknown, min: number, max: number): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : []);

export interface ResolveContext {
  /** The workspace folders (the first is the base of relative paths). */
  folders: string[];
  choice: ClusterChoice;
  trusted: boolean;
  home?: string;
}

export function resolveSettings(raw: RawSettings | undefined, c: ResolveContext): ServerSettings {
  const r = raw ?? {};
  const base = c.folders[0];
  const cl = r.cluster ?? {};
  const out = str(r.outputDirectory) ?? '.certsmith/issued';
  const newNs = strings(r.recursiveNameservers);
  const contextSetting = str(cl.context);
  const namespaceSetting = str(cl.namespace);
  return {
    defaultAcmeServer: str(r.acme?.defaultServer) ?? LETS_ENCRYPT_STAGING,
    recursiveNameservers: newNs.length ? newNs : strings(r.dns01?.recursiveNameservers),
    recursiveNameserversOnly: r.recursiveNameserversOnly === true || r.dns01?.recursiveNameserversOnly === true,
    authoritativePort: num(r.dns01?.authoritativePort, 1, 65535) ?? 53,
    expiryWarningDays: num(r.expiryWarningDays, 0, 3650) ?? 30,
    clusterResourceNamespace: str(r.clusterResourceNamespace) ?? 'cert-manager',
    http01Listen: str(r.http01?.listen) ?? ':80',
    outputDirectory: isAbsolute(out) ? out : join(base ?? process.cwd(), out),
    certManagerVersion: str(r.certManagerVersion),
    maxFileBytes: Math.round((num(r.maxFileSize, 0.001, 1024) ?? DEFAULT_MAX_FILE_BYTES / (1024 * 1024)) * 1024 * 1024),
    cluster: {
      checkAgainstCluster: cl.checkAgainstCluster === true,
      checkOnSave: cl.checkOnSave !== false,
      kubeconfig: expandKubeconfigPath(str(cl.kubeconfig), base, c.home),
      context: c.choice.context || contextSetting,
      contextOrigin: c.choice.context ? 'workspace choice' : contextSetting ? 'setting' : 'kubeconfig',
      namespace: c.choice.namespace || namespaceSetting,
      namespaceOrigin: c.choice.namespace ? 'workspace choice' : namespaceSetting ? 'setting' : 'kubeconfig',
      requestTimeoutMs: (num(cl.requestTimeoutSeconds, 1, 600) ?? 30) * 1000,
    },
    trusted: c.trusted,
  };
}

/** What the cluster code needs to pick a target, and how its messages name the settings. */
export const SETTING_NAMES = { kubeconfig: 'setting certsmith.cluster.kubeconfig', context: 'setting certsmith.cluster.context or Switch Context' };

/** Whether a kubeconfig is there to use (the setting's file, a KUBECONFIG file, or ~/.kube/config), without reading it. */
export function kubeconfigPresent(kubeconfig: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (kubeconfig) return existsSync(kubeconfig);
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).some((f) => f && existsSync(f));
  return existsSync(join(env.HOME || homedir(), '.kube', 'config'));
}
