/**
 * What the extension itself keeps or reads of settings. Every setting that
 * drives an action (ACME server, resolvers, listen address, output
 * directory, the cluster) is read and resolved by the language server
 * (server/lsp/settings.ts); the extension only shows things.
 */
import * as vscode from 'vscode';
import type { ClusterChoice } from '../protocol/messages.js';

/** Days before expiry that the views show as a warning (certsmith.expiryWarningDays). */
export function expiryWarningDays(): number {
  return vscode.workspace.getConfiguration('certsmith').get<number>('expiryWarningDays') ?? 30;
}

/** The workspace's choice of context and namespace (Switch Context), kept in workspace state, never in the kubeconfig. */
const CLUSTER_CHOICE_KEY = 'certsmith.cluster.choice';

export function clusterChoice(state: vscode.Memento): ClusterChoice {
  return state.get<ClusterChoice>(CLUSTER_CHOICE_KEY) ?? {};
}

export function setClusterChoice(state: vscode.Memento, choice: ClusterChoice): Thenable<void> {
  return state.update(CLUSTER_CHOICE_KEY, choice);
}
