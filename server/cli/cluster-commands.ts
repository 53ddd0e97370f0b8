/**
 * The commands that talk to a cluster. They are bundled on their own
 * (dist/cluster-commands.js, with @kubernetes/client-node) and loaded only
 * when one of them runs, so that `lint` and the other commands do not parse
 * the Kubernetes client at start-up.
 */
export { runApply } from './apply-command.js';
export { runDiff } from './diff-command.js';
export { runStatus } from './status-command.js';
export { runExplain } from './explain-command.js';
export { runRenew } from './renew-command.js';
