/**
 * The editor actions for any LSP client, through workspace/executeCommand
 * (protocol/commands.ts SERVER_COMMANDS; code lenses name them when the
 * client has no commands of its own). They run the same requests as the VS
 * Code extension does, with the protocol's own interface:
 * window/showMessageRequest to confirm, server-initiated work-done progress
 * (cancellable), window/showMessage for the outcome, and window/showDocument
 * for a longer result (a diff, a status, a chain), written to a temporary
 * file outside the workspace.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageType, type WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { renderChainText } from '../../../engine/chain/chain-text.js';
import { renderPropagationText } from '../../../engine/dns/explain.js';
import { SERVER_COMMANDS, type LensArguments } from '../../../protocol/commands.js';
import type { CertificateRef, DocumentTarget } from '../../../protocol/messages.js';
import type { ServerState } from '../server-state.js';
import type { ClusterActions } from './cluster-actions.js';
import type { ClusterChecks } from './cluster-checks.js';
import type { LocalActions } from './local-actions.js';

let resultsDir: string | undefined;
function resultFile(name: string, text: string): string {
  resultsDir ??= mkdtempSync(join(tmpdir(), 'certsmith-results-'));
  const file = join(resultsDir, name.replace(/[^\w.-]+/g, '_'));
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
  return pathToFileURL(file).href;
}

export function registerExecuteCommand(state: ServerState, cluster: ClusterActions, checks: ClusterChecks, local: LocalActions): void {
  const { connection } = state;
  const say = (type: MessageType, message: string) => void connection.sendNotification('window/showMessage', { type, message: `Certsmith: ${message}` });
  const ask = async (message: string, action: string): Promise<boolean> => {
    const r = (await connection.sendRequest('window/showMessageRequest', { type: MessageType.Warning, message: `Certsmith: ${message}`, actions: [{ title: action }, { title: 'Cancel' }] })) as { title: string } | null;
    return r?.title === action;
  };
  const show = (name: string, text: string) => void connection.sendRequest('window/showDocument', { uri: resultFile(name, text), takeFocus: true }).catch(() => undefined);
  /** Runs fn with server-initiated progress when the client supports it (cancellable). */
  const progress = async <T>(title: string, fn: (signal: AbortSignal, report: (m: string) => void) => Promise<T>): Promise<T> => {
    let reporter: WorkDoneProgressServerReporter | undefined;
    try {
      reporter = await connection.window.createWorkDoneProgress();
    } catch {
      reporter = undefined;
    }
    const ac = new AbortController();
    reporter?.begin(`Certsmith: ${title}`, undefined, undefined, true);
    reporter?.token.onCancellationRequested(() => ac.abort());
    try {
      return await fn(ac.signal, (m) => reporter?.report(m));
    } finally {
      reporter?.done();
    }
  };

  const commands: Record<string, (arg: unknown) => Promise<void>> = {
    [SERVER_COMMANDS.apply]: async (arg) => {
      const target = arg as DocumentTarget;
      const plan = await cluster.applyPlan(target);
      if (plan.problem) return say(MessageType.Error, plan.problem);
      if (!(await ask(`Apply ${plan.objects.join(', ')} to context "${plan.context}" (${plan.server})?`, 'Apply'))) return;
      const r = await progress(`applying to ${plan.context}`, (signal, report) => cluster.apply({ ...target, context: plan.context }, { signal, progress: report }));
      if (r.error) return say(MessageType.Error, `apply to "${r.context}": ${r.error}`);
      const rejected = r.results.filter((x) => x.outcome === 'rejected').length;
      say(rejected ? MessageType.Error : MessageType.Info, `${rejected ? `${rejected} refused by` : 'applied to'} "${r.context}": ${r.results.map((x) => `${x.label} ${x.outcome}`).join(', ')}`);
    },
    [SERVER_COMMANDS.dryRun]: async (arg) => {
      const r = await checks.check((arg as DocumentTarget).uri);
      say(r.error ? MessageType.Error : r.rejected ? MessageType.Warning : MessageType.Info, r.error ? `dry run against "${r.context}" failed: ${r.error}` : `dry run against "${r.context}": ${r.objects - r.rejected} of ${r.objects} accepted`);
    },
    [SERVER_COMMANDS.diff]: async (arg) => {
      const r = await progress('comparing with the cluster', (signal) => cluster.diff(arg as DocumentTarget, { signal }));
      if (r.error) return say(MessageType.Error, r.error);
      const text = r.objects.map((o) => o.diff).filter(Boolean).join('\n');
      if (!text) return say(MessageType.Info, `no differences with context "${r.context}"`);
      show(`diff-${r.context}.diff`, text);
    },
    [SERVER_COMMANDS.status]: async (arg) => {
      const r = await cluster.status(arg as CertificateRef);
      if (r.error || !r.text) return say(MessageType.Error, r.error ?? 'no status');
      show(`status-${r.report?.namespace}-${r.report?.name}.txt`, r.text);
    },
    [SERVER_COMMANDS.explain]: async (arg) => {
      const r = await progress('explaining the Certificate', (signal) => cluster.explain(arg as CertificateRef, { signal }));
      if (r.error || !r.text) return say(MessageType.Error, r.error ?? 'no explanation');
      show(`explain-${r.explanation?.namespace}-${r.explanation?.name}.txt`, r.text);
    },
    [SERVER_COMMANDS.renew]: async (arg) => {
      const crt = arg as CertificateRef;
      const t = await cluster.target();
      if (!t.target) return say(MessageType.Error, t.problem ?? 'no cluster');
      if (!(await ask(`Renew Certificate ${crt.namespace || t.target.namespace}/${crt.name} in context "${t.target.context}"?`, 'Renew'))) return;
      const r = await cluster.renew({ ...crt, context: t.target.context });
      if (r.outcome !== 'triggered') return say(MessageType.Warning, r.message);
      const w = await progress(`waiting for ${crt.name}`, (signal, report) => cluster.wait(crt, { signal, progress: report }));
      say(w.outcome === 'ready' ? MessageType.Info : MessageType.Warning, `${crt.name}: ${w.message}`);
    },
    [SERVER_COMMANDS.issue]: async (arg) => {
      const crt = arg as CertificateRef;
      const p = await local.issuePlan(crt);
      if (p.error || !p.plan) return say(MessageType.Error, p.error ?? 'no plan');
      if (p.blocking?.length) return say(MessageType.Error, p.blocking.join('; '));
      let production = false;
      if (p.plan.issuer.letsEncryptProduction) {
        production = await ask(`The Issuer points at Let's Encrypt production. Use it (real certificates, real rate limits)? Otherwise ${p.defaultServer} is used.`, 'Use production');
      }
      const names = p.plan.names.map((n) => `${n.name}: ${n.solver}`).join('; ');
      if (!(await ask(`Issue ${p.plan.certificate.namespace}/${p.plan.certificate.name} with ${p.plan.issuer.label} (${names})${production ? ' at Let\'s Encrypt production' : p.server ? ` at ${p.server}` : ''}?`, 'Issue'))) return;
      const r = await progress(`issuing ${p.plan.certificate.name}`, (signal, report) => local.issue({ ...crt, production, dns01Manual: p.needsManual }, { signal, progress: report }));
      if (r.cancelled) return say(MessageType.Info, 'issuance cancelled; everything it created was removed and nothing was written');
      if (r.error || !r.summary) return say(MessageType.Error, r.error ?? 'not issued');
      say(MessageType.Info, `issued ${r.summary.dnsNames.join(', ')}, valid until ${r.summary.notAfter.slice(0, 10)}; the Secret's files are in ${r.outDir}`);
    },
    [SERVER_COMMANDS.inspect]: async (arg) => {
      const a = arg as LensArguments['inspect'];
      if (a.kind !== 'secret') return say(MessageType.Info, `issue it first; the issued Secret's files are in ${state.settings.outputDirectory}, which \`certsmith inspect\` reads`);
      const r = await local.inspect({ uri: a.uri, range: a.range });
      if (r.error || !r.report) return say(MessageType.Error, `cannot inspect ${r.title}: ${r.error}`);
      show(`chain-${r.title}.txt`, renderChainText(r.report));
    },
    [SERVER_COMMANDS.checkDns01]: async (arg) => {
      const names = (arg as LensArguments['checkDns01'] | undefined)?.names ?? [];
      const r = await progress('checking DNS-01 propagation', (signal, report) => local.checkDns({ names }, { signal, progress: report }));
      if (r.error) return say(MessageType.Error, r.error);
      show('dns01.txt', r.entries.map((e) => (e.report ? renderPropagationText(e.report) : `${e.name}: ${e.status}\n`)).join('\n'));
    },
  };

  connection.onExecuteCommand(async (params) => {
    const fn = commands[params.command];
    if (!fn) return say(MessageType.Error, `unknown command ${params.command}`);
    try {
      await fn(params.arguments?.[0]);
    } catch (e) {
      state.logError(params.command, e);
      say(MessageType.Error, `${params.command} failed: ${((e as Error)?.message ?? String(e)).split('\n')[0]}`);
    }
  });
}
