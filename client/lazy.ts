/**
 * Everything the extension loads on first use rather than at activation: the
 * language client and the command modules with the engine behind them.
 * Bundled on its own (dist/lazy.js), so activation loads only extension.js.
 */
export { createLanguageClient } from './language-client.js';
export { issueCommand, renewCommand } from './issuance/issue-command.js';
export { inspectCommand } from './commands/inspect-command.js';
export { dnsCheckCommand } from './commands/dns-command.js';
export { exportCommand } from './commands/export-command.js';
export { ChainPanel } from './panels/chain-panel.js';
