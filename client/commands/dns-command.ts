/**
 * "Certsmith: Check DNS-01 Propagation": for each name, what every
 * authoritative and recursive nameserver answers at _acme-challenge.<name>,
 * refreshed until all agree or the time is up (cancellable), in the DNS-01
 * panel. The check runs in the language server (certsmith/checkDns01, with
 * the resolvers of its settings); each round comes back as a partial result.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { challengeRecordName, DnsNameError } from '../../engine/dns/dns-name.js';
import { DnsCheckProgress, DnsCheckRequest, type DnsCheckEntry } from '../../protocol/messages.js';
import type { Log } from '../log.js';
import { DnsPanel } from '../panels/dns-panel.js';
import { requireTrust, runWithProgress } from './command-support.js';

export async function dnsCheckCommand(arg: unknown, deps: { log: Log; client: () => Promise<LanguageClient> }): Promise<DnsCheckEntry[] | undefined> {
  if (!requireTrust('DNS checks')) return undefined;
  const a = arg as { names?: string[]; expected?: string[] } | undefined;
  let names = (a?.names ?? []).filter((n) => typeof n === 'string' && n);
  if (names.length === 0) {
    const input = await vscode.window.showInputBox({
      title: 'Certsmith: check DNS-01 propagation',
      prompt: "Domain names (comma-separated), as in a Certificate's dnsNames; *.example.com is checked at _acme-challenge.example.com",
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
  const client = await deps.client();
  const panel = DnsPanel.open(records);
  deps.log.info(`DNS-01 check of ${records.join(', ')}`);
  const partialResultToken = randomUUID();
  const sub = client.onProgress(DnsCheckProgress, partialResultToken, (entry) => panel.update(entry.name, { report: entry.report ?? null, status: entry.status }));
  try {
    const r = await runWithProgress(client, deps.log, 'Certsmith: checking DNS-01 propagation', (token, workDoneToken) => client.sendRequest(DnsCheckRequest, { names, expected: a?.expected, workDoneToken, partialResultToken }, token));
    if (r.error) {
      void vscode.window.showErrorMessage(`Certsmith: ${r.error}`);
      return undefined;
    }
    for (const e of r.entries) {
      panel.update(e.name, e.report ? { report: e.report, status: e.status } : { status: e.status });
      deps.log.info(`${e.name}: ${e.status}`);
    }
    return r.entries;
  } finally {
    sub.dispose();
  }
}
