/**
 * The status bar item "cert-manager v1.21": the release the checks target,
 * as the language server chose it (certsmith/certManagerTarget), with where
 * the choice came from in its tooltip. Clicking it opens the setting.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CertManagerTargetRequest } from '../../protocol/messages.js';

export class TargetStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('certsmith.target', vscode.StatusBarAlignment.Right, 99);
    this.item.name = 'Certsmith: cert-manager version';
    this.item.command = { command: 'workbench.action.openSettings', title: 'Open the setting', arguments: ['certsmith.certManagerVersion'] };
  }

  async refresh(client: LanguageClient): Promise<void> {
    const t = await client.sendRequest(CertManagerTargetRequest);
    this.item.text = `$(checklist) cert-manager ${t.release}${t.note || t.problem ? ' $(warning)' : ''}`;
    this.item.tooltip = [`Certsmith checks against cert-manager ${t.release} (${t.version}): ${t.from}.`, t.note, t.problem, 'Click to choose another release (certsmith.certManagerVersion).'].filter(Boolean).join('\n');
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
