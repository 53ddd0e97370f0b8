/**
 * The commands besides `lint` and `lsp` that do not talk to a cluster:
 * inspection, issuance and the upgrade check. Bundled on their own
 * (dist/more-commands.js) and loaded only when one of them runs, so that
 * `lint` and `--version` start without parsing them.
 */
export { runInspect } from './inspect-command.js';
export { runIssue } from './issue-command.js';
export { runUpgradeCheck } from './upgrade-check-command.js';
