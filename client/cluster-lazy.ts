/**
 * The editor's cluster features, bundled on their own (dist/cluster.js, with
 * @kubernetes/client-node) and loaded on first use: when the Cluster view
 * is shown, a cluster command runs, or after the language server started.
 */
import * as vscode from 'vscode';
import { ClusterReader } from '../engine/cluster/cluster-reader.js';
import { clusterOverview } from '../engine/cluster/cluster-overview.js';
import { ClusterError } from '../engine/cluster/cluster-error.js';
import type { Log } from './log.js';
import { ClusterSession } from './cluster/cluster-session.js';
import { ClusterDocuments } from './cluster/cluster-documents.js';
import { applyCommand, diffCommand, dryRunCommand, renewClusterCommand, statusCommand, type CheckResult, type ClusterDeps } from './cluster/cluster-commands.js';
import type { ClusterTreeData } from './views/cluster-view.js';

export interface ClusterFeatures {
  session: ClusterSession;
  commands: Record<string, (arg: unknown) => Promise<unknown>>;
  treeData(): Promise<ClusterTreeData>;
}

export function createClusterFeatures(
  context: vscode.ExtensionContext,
  log: Log,
  checkAgainstCluster: (uri: string) => Promise<CheckResult>,
  refreshView: () => void,
): ClusterFeatures {
  const session = new ClusterSession(context.workspaceState, log);
  const documents = new ClusterDocuments();
  const applyDiagnostics = vscode.languages.createDiagnosticCollection('certsmith-cluster-apply');
  context.subscriptions.push(session, documents, applyDiagnostics);
  // Diagnostics of an apply or diff refer to the text at that moment: an edit makes them stale.
  context.subscriptions.push(vscode.workspace.onDidChangeTextDocument((e) => (e.contentChanges.length && applyDiagnostics.has(e.document.uri) ? applyDiagnostics.delete(e.document.uri) : undefined)));
  const deps: ClusterDeps = { log, session, documents, applyDiagnostics, checkAgainstCluster, refreshView };
  return {
    session,
    commands: {
      'certsmith.cluster.apply': (arg) => applyCommand(arg, deps),
      'certsmith.cluster.dryRun': (arg) => dryRunCommand(arg, deps),
      'certsmith.cluster.diff': (arg) => diffCommand(arg, deps),
      'certsmith.cluster.showStatus': (arg) => statusCommand(arg, deps),
      'certsmith.cluster.renew': (arg) => renewClusterCommand(arg, deps),
      'certsmith.cluster.switchContext': (arg) => session.switchContext(arg),
    },
    async treeData(): Promise<ClusterTreeData> {
      const { target, problem } = session.tryTarget();
      if (!target) return { contexts: [], problem };
      const contexts = target.contexts.map((c) => ({ name: c.name, current: c.name === target.context, ...(c.name === target.context ? { server: target.server } : {}) }));
      try {
        const overview = await session.withConnection((conn) => clusterOverview(new ClusterReader(conn), target.namespace));
        log.info(`cluster view: ${overview.certificates.length} Certificates, ${overview.issuers.length} issuers from "${overview.context}" in ${overview.ms} ms`);
        return { contexts, overview };
      } catch (e) {
        const message = e instanceof ClusterError ? e.message : (e as Error).message;
        log.warn(`cluster view: ${message}`);
        return { contexts, problem: message };
      }
    },
  };
}
