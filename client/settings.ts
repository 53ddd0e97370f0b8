/** The extension's settings (package.json contributes.configuration), read fresh each time. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import type { ClusterSettings as ClusterSettingsParams } from '../engine/language/cluster-protocol.js';

export interface Settings {
  defaultAcmeServer: string;
  recursiveNameservers: string[];
  recursiveNameserversOnly: boolean;
  authoritativePort: number;
  expiryWarningDays: number;
  clusterResourceNamespace: string;
  http01Listen: string;
  outputDirectory: string;
}

export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('certsmith', scope);
  return {
    defaultAcmeServer: c.get<string>('acme.defaultServer') || 'https://acme-staging-v02.api.letsencrypt.org/directory',
    // certsmith.dns01.* are the settings' old names, still read.
    recursiveNameservers: c.get<string[]>('recursiveNameservers')?.length ? c.get<string[]>('recursiveNameservers')! : (c.get<string[]>('dns01.recursiveNameservers') ?? []),
    recursiveNameserversOnly: (c.get<boolean>('recursiveNameserversOnly') || c.get<boolean>('dns01.recursiveNameserversOnly')) ?? false,
    authoritativePort: c.get<number>('dns01.authoritativePort') ?? 53,
    expiryWarningDays: c.get<number>('expiryWarningDays') ?? 30,
    clusterResourceNamespace: c.get<string>('clusterResourceNamespace') || 'cert-manager',
    http01Listen: c.get<string>('http01.listen') || ':80',
    outputDirectory: c.get<string>('outputDirectory') ?? '.certsmith/issued',
  };
}

/** certsmith.cluster.* */
export interface ClusterSettings {
  /** The language server's opt-in dry run and live issuers. */
  enabled: boolean;
  kubeconfig: string;
  context: string;
  namespace: string;
  checkOnSave: boolean;
  requestTimeoutSeconds: number;
}

export function readClusterSettings(): ClusterSettings {
  const c = vscode.workspace.getConfiguration('certsmith.cluster');
  return {
    enabled: c.get<boolean>('checkAgainstCluster') ?? false,
    kubeconfig: c.get<string>('kubeconfig') ?? '',
    context: c.get<string>('context') ?? '',
    namespace: c.get<string>('namespace') ?? '',
    checkOnSave: c.get<boolean>('checkOnSave') ?? true,
    requestTimeoutSeconds: c.get<number>('requestTimeoutSeconds') ?? 30,
  };
}

/** The workspace's choice of context and namespace (Switch Context), kept in workspace state, never in the kubeconfig. */
export const CLUSTER_CHOICE_KEY = 'certsmith.cluster.choice';

export interface ClusterChoice {
  context?: string;
  namespace?: string;
}

/** Whether a kubeconfig is there to use (the setting's file, a KUBECONFIG file, or ~/.kube/config), without reading it. */
export function kubeconfigPresent(setting: string): boolean {
  const home = process.env.HOME || homedir();
  const expand = (p: string) => (p.startsWith('~/') ? join(home, p.slice(2)) : p);
  if (setting) return existsSync(expand(setting));
  const env = process.env.KUBECONFIG;
  if (env) return env.split(delimiter).some((f) => f && existsSync(f));
  return existsSync(join(home, '.kube', 'config'));
}

/** What the language server is told (notification certsmith/clusterSettings); read without loading the Kubernetes client. */
export function serverClusterSettings(state: vscode.Memento): ClusterSettingsParams {
  const s = readClusterSettings();
  const choice = state.get<ClusterChoice>(CLUSTER_CHOICE_KEY) ?? {};
  return {
    enabled: s.enabled,
    kubeconfig: s.kubeconfig || undefined,
    context: choice.context || s.context || undefined,
    namespace: choice.namespace || s.namespace || undefined,
    checkOnSave: s.checkOnSave,
    lenses: vscode.workspace.isTrusted && kubeconfigPresent(s.kubeconfig),
  };
}
