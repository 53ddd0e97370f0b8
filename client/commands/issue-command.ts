/**
 * "Certsmith: Issue Certificate…" and "Certsmith: Renew Certificate".
 *
 * Issue: find the Certificate (code lens argument, the cursor, or a pick),
 * read the workspace's manifests, show the plan (issuer, CA, solver per name,
 * the TXT records or HTTP listener that will exist for a while, where the
 * result goes), default to Let's Encrypt staging instead of production and ask
 * before production, fetch missing Secret values from the secret storage (or
 * ask once), then issue with a cancellable progress notification. Renew:
 * the same Certificate again, to the same CA, without the questions; the
 * private key follows rotationPolicy (Never keeps it).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { issueCertificate, type IssueSummary } from '../../engine/issue/issue-certificate.js';
import { planIssuance, type IssuancePlan } from '../../engine/issue/issuance-plan.js';
import { LETS_ENCRYPT_PRODUCTION } from '../../engine/acme/acme-servers.js';
import { CancelledError, UserError } from '../../engine/core/errors.js';
import { certificateAt } from '../../engine/issue/certificate-at.js';
import { parseListenAddress } from '../../engine/acme/http01-responder.js';
import type { NameserverAddress } from '../../engine/dns/nameserver-address.js';
import { chooseRecursiveNameservers } from '../../engine/dns/default-nameservers.js';
import type { ResourceSet } from '../../engine/issue/resource-set.js';
import type { Log } from '../log.js';
import { readSettings, type Settings } from '../settings.js';
import type { SecretStore } from '../secret-store.js';
import { IssuedStore, outputDirFor } from './issued-store.js';
import { workspaceResources } from './workspace-resources.js';

export interface CertificateTarget {
  uri?: string;
  name: string;
  namespace: string | null;
}

export interface IssueDeps {
  log: Log;
  secrets: SecretStore;
  issued: IssuedStore;
  storageUri: vscode.Uri;
}

/** The Certificate to act on: the argument, the one under the cursor, or one picked from the workspace. */
export async function chooseCertificate(arg: unknown, deps: IssueDeps): Promise<CertificateTarget | undefined> {
  const a = arg as Partial<CertificateTarget> | undefined;
  if (a && typeof a.name === 'string') return { uri: a.uri, name: a.name, namespace: a.namespace ?? null };
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.languageId === 'yaml') {
    const hit = certificateAt(editor.document.getText(), editor.document.offsetAt(editor.selection.active));
    if (hit) return { uri: editor.document.uri.toString(), ...hit };
  }
  const { resources } = await workspaceResources(deps.issued);
  const all = resources.ofKind('Certificate', 'cert-manager.io');
  if (all.length === 0) {
    void vscode.window.showWarningMessage('Certsmith: there is no cert-manager Certificate in this workspace.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    all.map((r) => ({ label: r.name, description: r.namespace ?? '(default namespace)', detail: r.source, target: { name: r.name, namespace: r.namespace ?? null } })),
    { title: 'Certsmith: which Certificate?', matchOnDescription: true },
  );
  return pick?.target;
}

function nameservers(s: Settings): NameserverAddress[] {
  return chooseRecursiveNameservers(s.recursiveNameservers, 'certsmith.recursiveNameservers').nameservers;
}

function describePlan(plan: IssuancePlan, server: string | null, outDir: string): string {
  const lines = [
    `Issuer: ${plan.issuer.label} (${plan.issuer.type})`,
    ...(server ? [`CA: ${server}`] : []),
    ...plan.names.map((n) => `• ${n.name}: ${n.solver}`),
    ...(plan.dnsRecords.length ? [`TXT records created, then removed: ${plan.dnsRecords.join(', ')}`] : []),
    ...(plan.httpListener ? [`HTTP-01 listener while validating: ${plan.httpListener}`] : []),
    `Result: Secret ${plan.certificate.namespace}/${plan.certificate.secretName} in ${outDir}`,
    ...plan.problems.map((p) => `⚠ ${p}`),
  ];
  return lines.join('\n');
}

/** Adds the values of the Secrets the plan needs that are not in the workspace; false if the person cancelled. */
async function supplySecrets(plan: IssuancePlan, resources: ResourceSet, deps: IssueDeps): Promise<boolean> {
  const missing = new Map<string, Record<string, string>>();
  for (const s of plan.secrets) {
    if (s.present) continue;
    const value = (await deps.secrets.secretValue(s.namespace, s.name, s.key)) ?? (await deps.secrets.askSecretValue(s.namespace, s.name, s.key, s.purpose));
    if (value === undefined) return false;
    const id = `${s.namespace}/${s.name}`;
    missing.set(id, { ...(missing.get(id) ?? {}), [s.key]: value });
  }
  for (const [id, data] of missing) {
    const [namespace, name] = id.split('/') as [string, string];
    resources.addSecret(namespace, name, data, 'VS Code secret storage');
  }
  return true;
}

interface RunOptions {
  target: CertificateTarget;
  resources: ResourceSet;
  settings: Settings;
  outDir: string;
  acmeServerOverride?: string;
  dns01Manual: boolean;
  title: string;
}

async function run(o: RunOptions, deps: IssueDeps): Promise<IssueSummary | undefined> {
  const { log } = deps;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: o.title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => {
      log.info('cancel requested: removing what was created so far');
      controller.abort();
    });
    const started = Date.now();
    try {
      const summary = await issueCertificate({
        resources: o.resources,
        certificate: o.target.name,
        namespace: o.target.namespace ?? undefined,
        clusterResourceNamespace: o.settings.clusterResourceNamespace,
        outDir: o.outDir,
        stateDir: deps.storageUri.fsPath,
        accountStore: deps.secrets,
        acmeServerOverride: o.acmeServerOverride,
        recursiveNameservers: nameservers(o.settings),
        recursiveOnly: o.settings.recursiveNameserversOnly,
        authoritativePort: o.settings.authoritativePort,
        http01Listen: parseListenAddress(o.settings.http01Listen),
        dns01Manual: o.dns01Manual,
        signal: controller.signal,
        progress: (m) => {
          log.info(m);
          progress.report({ message: `${m} (${Math.round((Date.now() - started) / 1000)} s)` });
        },
        onManualRecords: (records, phase) => {
          if (phase !== 'create') return;
          const text = records.map((r) => `${r.fqdn}. ${r.ttl} IN TXT "${r.value}"`).join('\n');
          void vscode.window.showInformationMessage(`Certsmith: create this TXT record; issuance continues once it is visible:\n${text}`, 'Copy').then((b) => {
            if (b === 'Copy') void vscode.env.clipboard.writeText(text);
          });
        },
      });
      log.info(`issued ${summary.dnsNames.join(', ')} by ${summary.issuer}: valid until ${summary.notAfter}, renew at ${summary.renewalTime}, written to ${o.outDir}`);
      return summary;
    } catch (e) {
      if (e instanceof CancelledError) {
        log.info('issuance cancelled; nothing was written');
        void vscode.window.showInformationMessage('Certsmith: issuance cancelled. Everything it had created was removed; nothing was written.');
        return undefined;
      }
      const message = e instanceof UserError ? `${e.message}${e.hint ? ` (${e.hint})` : ''}` : `unexpected error: ${(e as Error).message}`;
      log.error(`issuance failed: ${message}`);
      void vscode.window.showErrorMessage(`Certsmith: ${log.redact(message)}`, 'Show Log').then((b) => {
        if (b) deps.log.channel.show(true);
      });
      return undefined;
    } finally {
      sub.dispose();
    }
  });
}

function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`Certsmith: ${what} is not available in an untrusted workspace (it changes DNS, opens ports and writes keys). Diagnostics and chain inspection still work.`);
  return false;
}

async function record(target: CertificateTarget, summary: IssueSummary, outDir: string, server: string | undefined, deps: IssueDeps): Promise<void> {
  await deps.issued.put({
    certificate: target.name,
    namespace: summary.namespace,
    secretName: summary.secretName,
    outDir,
    notBefore: summary.notBefore,
    notAfter: summary.notAfter,
    renewalTime: summary.renewalTime,
    issuer: summary.issuer,
    issuedAt: new Date().toISOString(),
    acmeServer: server,
    uri: target.uri ?? '',
  });
}

export async function issueCommand(arg: unknown, deps: IssueDeps): Promise<IssueSummary | undefined> {
  if (!requireTrust('issuing certificates')) return undefined;
  const target = await chooseCertificate(arg, deps);
  if (!target) return undefined;
  const settings = readSettings();
  const { resources, skipped } = await workspaceResources(deps.issued);
  for (const s of skipped) deps.log.warn(`not read: ${s}`);
  const folder = target.uri ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(target.uri)) : vscode.workspace.workspaceFolders?.[0];
  let plan: IssuancePlan;
  try {
    plan = planIssuance(resources, { certificate: target.name, namespace: target.namespace ?? undefined, clusterResourceNamespace: settings.clusterResourceNamespace, http01Listen: settings.http01Listen });
  } catch (e) {
    const message = e instanceof UserError ? `${e.message}${e.hint ? ` (${e.hint})` : ''}` : (e as Error).message;
    deps.log.error(message);
    void vscode.window.showErrorMessage(`Certsmith: ${message}`);
    return undefined;
  }
  const outDir = outputDirFor(folder, deps.storageUri, settings.outputDirectory, plan.certificate.namespace, plan.certificate.secretName || target.name);

  // Let's Encrypt production only when asked for explicitly.
  let server = plan.issuer.acmeServer ?? undefined;
  let override: string | undefined;
  if (plan.issuer.letsEncryptProduction) {
    override = settings.defaultAcmeServer;
    server = override;
  }
  let manual = false;
  const needsManual = plan.problems.some((p) => p.includes('manual mode'));
  const title = `Issue ${plan.certificate.namespace}/${plan.certificate.name}?`;
  const buttons: string[] = [];
  if (plan.issuer.letsEncryptProduction) buttons.push('Issue with staging', 'Use production…');
  else if (needsManual) buttons.push('Create the TXT records myself');
  else buttons.push('Issue');
  const blocking = plan.problems.filter((p) => !p.includes('manual mode'));
  deps.log.info(`plan for ${plan.certificate.namespace}/${plan.certificate.name}:\n${describePlan(plan, server ?? null, outDir)}`);
  const choice = await vscode.window.showInformationMessage(title, { modal: true, detail: describePlan(plan, server ?? null, outDir) + (plan.issuer.letsEncryptProduction ? `\n\nThe Issuer points at Let's Encrypt production; Certsmith uses ${settings.defaultAcmeServer} unless you choose production.` : '') }, ...(blocking.length ? [] : buttons));
  if (!choice) return undefined;
  if (choice === 'Use production…') {
    const sure = await vscode.window.showWarningMessage(
      'Request a real, publicly trusted certificate from Let\'s Encrypt production?',
      { modal: true, detail: 'It counts against Let\'s Encrypt\'s rate limits and is logged in Certificate Transparency for the names in it.' },
      'Use production',
    );
    if (sure !== 'Use production') return undefined;
    override = undefined;
    server = LETS_ENCRYPT_PRODUCTION;
  }
  if (choice === 'Create the TXT records myself') manual = true;
  if (!(await supplySecrets(plan, resources, deps))) return undefined;

  const summary = await run({ target, resources, settings, outDir, acmeServerOverride: override, dns01Manual: manual, title: `Certsmith: issuing ${plan.certificate.namespace}/${plan.certificate.name}` }, deps);
  if (!summary) return undefined;
  await record(target, summary, outDir, plan.issuer.type === 'ACME' ? server : undefined, deps);
  void vscode.window.showInformationMessage(`Certsmith: issued ${summary.dnsNames.join(', ') || plan.certificate.name}, valid until ${summary.notAfter.slice(0, 10)}; Secret written to ${path.relative(folder?.uri.fsPath ?? '', outDir) || outDir}.`, 'Inspect', 'Export Secret Manifest').then((b) => {
    if (b === 'Inspect') void vscode.commands.executeCommand('certsmith.inspectChain', { kind: 'certificate', name: target.name, namespace: summary.namespace });
    if (b === 'Export Secret Manifest') void vscode.commands.executeCommand('certsmith.exportSecretManifest', { name: target.name, namespace: summary.namespace });
  });
  return summary;
}

export async function renewCommand(arg: unknown, deps: IssueDeps): Promise<IssueSummary | undefined> {
  if (!requireTrust('renewing certificates')) return undefined;
  const target = await chooseCertificate(arg, deps);
  if (!target) return undefined;
  const settings = readSettings();
  const { resources } = await workspaceResources(deps.issued);
  const ns = target.namespace ?? resources.find('Certificate', target.name, undefined, 'cert-manager.io')?.namespace ?? 'default';
  const previous = deps.issued.get(ns, target.name);
  if (!previous) {
    const b = await vscode.window.showInformationMessage(`Certsmith: ${ns}/${target.name} has not been issued here yet.`, 'Issue…');
    if (b) return issueCommand(target, deps);
    return undefined;
  }
  let plan: IssuancePlan;
  try {
    plan = planIssuance(resources, { certificate: target.name, namespace: target.namespace ?? undefined, clusterResourceNamespace: settings.clusterResourceNamespace, http01Listen: settings.http01Listen });
  } catch (e) {
    void vscode.window.showErrorMessage(`Certsmith: ${(e as Error).message}`);
    return undefined;
  }
  if (!(await supplySecrets(plan, resources, deps))) return undefined;
  const override = plan.issuer.type === 'ACME' && previous.acmeServer && previous.acmeServer !== plan.issuer.acmeServer ? previous.acmeServer : undefined;
  const summary = await run({ target, resources, settings, outDir: previous.outDir, acmeServerOverride: override, dns01Manual: false, title: `Certsmith: renewing ${ns}/${target.name}` }, deps);
  if (!summary) return undefined;
  await record(target, summary, previous.outDir, previous.acmeServer, deps);
  void vscode.window.showInformationMessage(`Certsmith: renewed ${ns}/${target.name}${summary.keyReused ? ' with the same private key (rotationPolicy: Never)' : ' with a new private key'}; valid until ${summary.notAfter.slice(0, 10)}.`);
  return summary;
}

