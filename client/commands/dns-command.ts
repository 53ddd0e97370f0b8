/**
 * "Certsmith: Check DNS-01 Propagation": for each name, what every
 * authoritative and recursive nameserver answers at _acme-challenge.<name>,
 * refreshed until all agree or the time is up (cancellable), in the DNS-01
 * panel. The same engine module the issuance self check uses.
 */
import * as vscode from 'vscode';
import { challengeRecordName, DnsNameError } from '../../engine/dns/dns-name.js';
import { chooseRecursiveNameservers } from '../../engine/dns/default-nameservers.js';
import { PropagationCheckError, waitForPropagation, type PropagationReport } from '../../engine/dns/propagation.js';
import { summarize } from '../../engine/dns/explain.js';
import type { Log } from '../log.js';
import { readSettings } from '../settings.js';
import { DnsPanel } from '../panels/dns-panel.js';

const WAIT_MS = 120_000;

export async function dnsCheckCommand(arg: unknown, deps: { log: Log }): Promise<PropagationReport[] | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Certsmith: DNS checks are not available in an untrusted workspace (they query the nameservers the workspace settings name).');
    return undefined;
  }
  const a = arg as { names?: string[]; expected?: string[] } | undefined;
  let names = (a?.names ?? []).filter((n) => typeof n === 'string' && n);
  if (names.length === 0) {
    const input = await vscode.window.showInputBox({
      title: 'Certsmith: check DNS-01 propagation',
      prompt: 'Domain names (comma-separated), as in a Certificate\'s dnsNames; *.example.com is checked at _acme-challenge.example.com',
      validateInput: (v) => {
        try {
          v.split(',').map((s) => s.trim()).filter(Boolean).forEach((s) => challengeRecordName(s));
          return v.trim() ? undefined : 'Enter at least one name';
        } catch (e) {
          return e instanceof DnsNameError ? e.message : String(e);
        }
      },
    });
    if (!input) return undefined;
    names = input.split(',').map((s) => s.trim()).filter(Boolean);
  }
  const records = [...new Set(names.map((n) => challengeRecordName(n)))];
  const settings = readSettings();
  const nameservers = chooseRecursiveNameservers(settings.recursiveNameservers, 'certsmith.recursiveNameservers').nameservers;
  const panel = DnsPanel.open(records);
  deps.log.info(`DNS-01 check of ${records.join(', ')} through ${settings.recursiveNameservers.join(', ') || 'the system resolvers'}`);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Certsmith: checking DNS-01 propagation', cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      return await Promise.all(
        records.map(async (name) => {
          try {
            const report = await waitForPropagation({
              name,
              expected: a?.expected,
              recursiveNameservers: nameservers,
              recursiveOnly: settings.recursiveNameserversOnly,
              authoritativePort: settings.authoritativePort,
              deadlineMs: WAIT_MS,
              signal: controller.signal,
              onProgress: (p) => {
                const status = p.report.propagated ? 'propagated' : p.nextCheckInMs === null ? `not propagated after ${Math.round(WAIT_MS / 1000)} s` : `waiting: next check in ${(p.nextCheckInMs / 1000).toFixed(1)} s (attempt ${p.attempt})`;
                panel.update(name, { report: p.report, status });
                progress.report({ message: `${name}: ${summarize(p.report)}` });
              },
            });
            deps.log.info(`${name}: ${report.propagated ? 'propagated' : 'not propagated'} (${summarize(report)})`);
            return report;
          } catch (e) {
            const message = controller.signal.aborted ? 'stopped' : e instanceof PropagationCheckError ? e.message : (e as Error).message;
            panel.update(name, { status: message });
            deps.log.warn(`${name}: ${message}`);
            throw e;
          }
        }),
      );
    } catch {
      return undefined;
    } finally {
      sub.dispose();
    }
  });
}
