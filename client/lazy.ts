/**
 * Everything the extension loads on first use rather than at activation: the
 * language client and the command modules over it. Bundled on its own
 * (dist/lazy.js), so activation loads only extension.js.
 */
import type * as Commands from './commands/all-commands.js';

export { answerServer, createLanguageClient, sendEditorState } from './language-client.js';
export { ClusterStatus } from './views/cluster-status.js';
export { TargetStatus } from './views/target-status.js';
export { VirtualDocuments } from './views/virtual-documents.js';
export { CertificatesChangedNotification, CertificatesRequest, ClusterChangedNotification, ClusterOverviewRequest, SettingsAppliedNotification, WatchClusterRequest } from '../protocol/messages.js';

let commandModules: typeof Commands | undefined;
/** The commands and panels, evaluated on first use: required, not imported, so loading the language client does not evaluate them. */
export function commands(): typeof Commands {
  return (commandModules ??= require('./commands/all-commands.js') as typeof Commands);
}
