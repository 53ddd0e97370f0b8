/**
 * The editor's commands and the panels they open, as one module that
 * dist/lazy.js evaluates on the first command rather than when the language
 * client loads: they bring the certificate parser (@peculiar/x509 and its
 * ASN.1 schemas), whose start-up work would otherwise delay the server's start.
 */
export { issueCommand, renewCommand } from './issue-command.js';
export { inspectCommand } from './inspect-command.js';
export { dnsCheckCommand } from './dns-command.js';
export { exportCommand } from './export-command.js';
export { upgradeCheckCommand } from './upgrade-command.js';
export { CLUSTER_COMMANDS } from './cluster-commands.js';
export { ChainPanel } from '../panels/chain-panel.js';
