/**
 * Command ids, declared once.
 *
 * - EDITOR_COMMANDS: what the VS Code extension registers (palette, menus,
 *   code lenses, tree items). Each wraps one or more requests of
 *   messages.ts in the editor's interface.
 * - SERVER_COMMANDS: what the language server executes through
 *   `workspace/executeCommand`, for any LSP editor: the same actions with
 *   the protocol's own interface (window/showMessageRequest to confirm,
 *   work-done progress, window/showMessage and window/showDocument for the
 *   result).
 *
 * Code lenses name EDITOR_COMMANDS when the client says it has them
 * (initializationOptions.editorCommands), else SERVER_COMMANDS.
 */
import type { CertificateRef, DocumentTarget } from './messages.js';

export const EDITOR_COMMANDS = {
  issueCertificate: 'certsmith.issueCertificate',
  renewCertificate: 'certsmith.renewCertificate',
  inspectChain: 'certsmith.inspectChain',
  checkDns01: 'certsmith.checkDns01',
  exportSecretManifest: 'certsmith.exportSecretManifest',
  refreshCertificates: 'certsmith.refreshCertificates',
  showLog: 'certsmith.showLog',
  forgetSecret: 'certsmith.forgetSecret',
  upgradeCheck: 'certsmith.upgradeCheck',
  clusterApply: 'certsmith.cluster.apply',
  clusterDryRun: 'certsmith.cluster.dryRun',
  clusterDiff: 'certsmith.cluster.diff',
  clusterShowStatus: 'certsmith.cluster.showStatus',
  clusterExplain: 'certsmith.cluster.explain',
  clusterRenew: 'certsmith.cluster.renew',
  clusterSwitchContext: 'certsmith.cluster.switchContext',
  clusterRefresh: 'certsmith.cluster.refresh',
} as const;

export const SERVER_COMMANDS = {
  apply: 'certsmith.server.apply',
  dryRun: 'certsmith.server.dryRun',
  diff: 'certsmith.server.diff',
  status: 'certsmith.server.status',
  explain: 'certsmith.server.explain',
  renew: 'certsmith.server.renew',
  issue: 'certsmith.server.issue',
  inspect: 'certsmith.server.inspect',
  checkDns01: 'certsmith.server.checkDns01',
} as const;

/** The argument a code lens passes to each action (both command sets take the same). */
export interface LensArguments {
  apply: DocumentTarget;
  diff: DocumentTarget;
  status: CertificateRef;
  explain: CertificateRef;
  issue: CertificateRef;
  inspect: { kind: 'secret'; uri: string; range: DocumentTarget['range'] } | { kind: 'certificate'; name: string; namespace: string | null; uri?: string };
  checkDns01: { names: string[] };
}

/** The commands a code lens of each action names, for a client with or without the editor's own. */
export function lensCommands(editorCommands: boolean): Record<keyof LensArguments, string> {
  return editorCommands
    ? { apply: EDITOR_COMMANDS.clusterApply, diff: EDITOR_COMMANDS.clusterDiff, status: EDITOR_COMMANDS.clusterShowStatus, explain: EDITOR_COMMANDS.clusterExplain, issue: EDITOR_COMMANDS.issueCertificate, inspect: EDITOR_COMMANDS.inspectChain, checkDns01: EDITOR_COMMANDS.checkDns01 }
    : { apply: SERVER_COMMANDS.apply, diff: SERVER_COMMANDS.diff, status: SERVER_COMMANDS.status, explain: SERVER_COMMANDS.explain, issue: SERVER_COMMANDS.issue, inspect: SERVER_COMMANDS.inspect, checkDns01: SERVER_COMMANDS.checkDns01 };
}

/** An internal command of the extension: shows a chain report in the one chain panel. */
export const SHOW_CHAIN_REPORT_COMMAND = 'certsmith.internal.showChainReport';
