/**
 * The status bar item "context / namespace" of the cluster the actions use,
 * as the language server resolves it (certsmith/clusterTarget), with where
 * each came from in its tooltip. Clicking it switches context or namespace.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EDITOR_COMMANDS } from '../../protocol/commands.js';
import { ClusterTargetRequest } from '../../protocol/messages.js';

export class ClusterStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('certsmith.cluster', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Certsmith: cluster context';
    this.item.command = EDITOR_COMMANDS.clusterSwitchContext;
  }

  async refresh(client: LanguageClient): Promise<void> {
    const { target, problem } = await client.sendRequest(ClusterTargetRequest);
    if (!target) {
      this.item.text = '$(cloud) no cluster';
      this.item.tooltip = `Certsmith: ${problem ?? 'no kubeconfig'}`;
    } else {
      this.item.text = `$(cloud) ${target.context} / ${target.namespace}`;
      this.item.tooltip = [
        `Certsmith cluster: context "${target.context}" (${target.contextOrigin}), ${target.server}`,
        `namespace "${target.namespace}" (${target.namespaceOrigin})`,
        `kubeconfig: ${target.kubeconfigFiles.join(', ')} (${target.kubeconfigOrigin})`,
        `request time limit: ${target.requestTimeoutSeconds} s`,
        'Click to switch.',
      ].join('\n');
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
