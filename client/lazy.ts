/**
 * Everything the extension loads on first use rather than at activation: the
 * language client and the command modules over it. Bundled on its own
 * (dist/lazy.js), so activation loads only extension.js.
 */
export { answerServer, createLanguageClient, sendEditorState } from './language-client.js';
export { issueCommand, renewCommand } from './commands/issue-command.js';
export { inspectCommand } from './commands/inspect-command.js';
export { dnsCheckCommand } from './commands/dns-command.js';
export { exportCommand } from './commands/export-command.js';
export { CLUSTER_COMMANDS } from './commands/cluster-commands.js';
export { ChainPanel } from './panels/chain-panel.js';
export { ClusterStatus } from './views/cluster-status.js';
export { VirtualDocuments } from './views/virtual-documents.js';
export { CertificatesChangedNotification, CertificatesRequest, ClusterOverviewRequest, SettingsAppliedNotification } from '../protocol/messages.js';
