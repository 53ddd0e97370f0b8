/**
 * The commands besides `lint` that do not talk to a cluster: the language
 * server, inspection, issuance and the upgrade check. Bundled on their own
 * (dist/more-commands.js) and loaded only when one of them runs, so that
 * `lint` and `--version` start without parsing them.
 */
export { runLsp } from './lsp-command.js';
export { runInspect } from './inspect-command.js';
export { runIssue } from './issue-command.js';
export { runUpgradeCheck } from './upgrade-check-command.js';
