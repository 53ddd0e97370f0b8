/**
 * The language server's local actions: planning and running an issuance,
 * the DNS-01 propagation check, and chain inspection. Bundled on its own
 * (dist/lsp-actions.js, with acme-client, the PKI and DNS code) and loaded
 * with require() on first use, so that the server starts without them.
 *
 * Inputs come from the server: the manifests of its workspace index (never a
 * second scan of the disk), its resolved settings, and, for what is in no
 * file, the client's secret storage through the callbacks given.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultStateDir, FileAccountStore, type AccountKeyStore } from '../../engine/acme/account-store.js';
import { LETS_ENCRYPT_PRODUCTION } from '../../engine/acme/acme-servers.js';
import { parseListenAddress } from '../../engine/acme/http01-responder.js';
import { inspect, type InspectOptions } from '../../engine/chain/inspect.js';
import { EndpointError, fetchPresentedChain } from '../../engine/chain/endpoint.js';
import { ChainInputError, extractInput, type ExtractedInput } from '../../engine/chain/pem.js';
import { CancelledError, UserError } from '../../engine/core/errors.js';
import { chooseRecursiveNameservers } from '../../engine/dns/default-nameservers.js';
import { challengeRecordName, DnsNameError } from '../../engine/dns/dns-name.js';
import { summarize } from '../../engine/dns/explain.js';
import { PropagationCheckError, waitForPropagation } from '../../engine/dns/propagation.js';
import { issueCertificate } from '../../engine/issue/issue-certificate.js';
import { planIssuance, type IssuancePlan } from '../../engine/issue/issuance-plan.js';
import { ResourceSet } from '../../engine/issue/resource-set.js';
import { splitDocuments } from '../../engine/manifests/segments.js';
import type { CertificateRef, DnsCheckEntry, DnsCheckResult, InspectParams, InspectResult, IssueParams, IssuePlanResult, IssueResult, ManualRecords } from '../../protocol/messages.js';
import type { ServerSettings } from './settings.js';

export interface ActionInputs {
  settings: ServerSettings;
  /** The manifests of the workspace index and the open documents. */
  manifests: { uri: string; text: string }[];
  log(message: string): void;
}

const describe = (e: unknown): string => (e instanceof UserError ? `${e.message}${e.hint ? ` (${e.hint})` : ''}` : ((e as Error)?.message ?? String(e)).split('\n')[0]!);

/** A workspace-relative name for messages ("issuer.yaml"), from a file URI. */
function shown(uri: string, settings: ServerSettings): string {
  try {
    const path = fileURLToPath(uri);
    const root = settings.outputDirectory.replace(/\/\.certsmith\/issued$/, '');
    return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
  } catch {
    return uri;
  }
}

/** The Secrets of earlier local issuances (so that a CA issuer finds the CA a SelfSigned one made). */
function issuedSecrets(outputDirectory: string): string[] {
  const out: string[] = [];
  if (!existsSync(outputDirectory)) return out;
  for (const ns of readdirSync(outputDirectory, { withFileTypes: true })) {
    if (!ns.isDirectory()) continue;
    for (const s of readdirSync(join(outputDirectory, ns.name), { withFileTypes: true })) {
      const file = join(outputDirectory, ns.name, s.name, 'secret.yaml');
      if (s.isDirectory() && existsSync(file)) out.push(file);
    }
  }
  return out;
}

function resources(i: ActionInputs): { set: ResourceSet; skipped: string[] } {
  const set = new ResourceSet();
  const skipped: string[] = [];
  for (const m of i.manifests) {
    try {
      set.addFile(shown(m.uri, i.settings), m.text);
    } catch (e) {
      skipped.push(describe(e));
    }
  }
  for (const file of issuedSecrets(i.settings.outputDirectory)) {
    try {
      set.addFile(file, readFileSync(file, 'utf8'));
    } catch {
      // An earlier result that was removed meanwhile: nothing to add.
    }
  }
  return { set, skipped };
}

/** The output directory for a Secret, with a .gitignore at the root of the output tree so that keys are never committed. */
function outputDir(settings: ServerSettings, namespace: string, secretName: string): string {
  const base = settings.outputDirectory;
  mkdirSync(base, { recursive: true });
  const ignore = join(base, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# Issued certificates and private keys (written by Certsmith): never commit them.\n*\n');
  return join(base, namespace, secretName);
}

function plan(i: ActionInputs, c: CertificateRef): { plan: IssuancePlan; set: ResourceSet } {
  const { set, skipped } = resources(i);
  for (const s of skipped) i.log(`Certsmith: not read for issuing: ${s}`);
  return { set, plan: planIssuance(set, { certificate: c.name, namespace: c.namespace ?? undefined, clusterResourceNamespace: i.settings.clusterResourceNamespace, http01Listen: i.settings.http01Listen }) };
}

export function issuePlan(i: ActionInputs, c: CertificateRef): IssuePlanResult {
  try {
    const { plan: p } = plan(i, c);
    const server = p.issuer.letsEncryptProduction ? i.settings.defaultAcmeServer : (p.issuer.acmeServer ?? undefined);
    const needsManual = p.problems.some((x) => x.includes('manual mode'));
    return {
      plan: p,
      server,
      defaultServer: i.settings.defaultAcmeServer,
      outDir: join(i.settings.outputDirectory, p.certificate.namespace, p.certificate.secretName || c.name),
      needsManual,
      blocking: p.problems.filter((x) => !x.includes('manual mode')),
    };
  } catch (e) {
    return { error: describe(e) };
  }
}

export interface IssueCallbacks {
  signal: AbortSignal;
  progress(message: string): void;
  manualRecords(m: ManualRecords): void;
  /** A Secret value that is in no file; undefined: not given. Absent: the client cannot supply one. */
  secretValue?: (namespace: string, name: string, key: string, purpose: string) => Promise<string | undefined>;
  /** The client's account key store; absent: keys are kept in the state directory. */
  accountStore?: AccountKeyStore;
}

export async function issue(i: ActionInputs, p: IssueParams, cb: IssueCallbacks): Promise<IssueResult> {
  try {
    const { plan: pl, set } = plan(i, p);
    for (const s of pl.secrets) {
      if (s.present) continue;
      if (!cb.secretValue) throw new UserError(`${s.purpose}: Secret ${s.namespace}/${s.name} key ${s.key} is in none of the workspace's files`, 'add the Secret manifest to the workspace');
      const value = await cb.secretValue(s.namespace, s.name, s.key, s.purpose);
      if (value === undefined) return { cancelled: true, error: `no value was given for Secret ${s.namespace}/${s.name} key ${s.key}` };
      set.addSecret(s.namespace, s.name, { [s.key]: value }, 'the editor\'s secret storage');
    }
    let override: string | undefined;
    let server = pl.issuer.acmeServer ?? undefined;
    if (p.renew) {
      if (pl.issuer.type === 'ACME' && p.renew.acmeServer && p.renew.acmeServer !== pl.issuer.acmeServer) override = server = p.renew.acmeServer;
    } else if (pl.issuer.letsEncryptProduction && !p.production) override = server = i.settings.defaultAcmeServer;
    else if (pl.issuer.letsEncryptProduction) server = LETS_ENCRYPT_PRODUCTION;
    const outDir = p.renew?.outDir ?? outputDir(i.settings, pl.certificate.namespace, pl.certificate.secretName || p.name);
    const started = Date.now();
    const summary = await issueCertificate({
      resources: set,
      certificate: p.name,
      namespace: p.namespace ?? undefined,
      clusterResourceNamespace: i.settings.clusterResourceNamespace,
      outDir,
      stateDir: defaultStateDir(),
      accountStore: cb.accountStore ?? new FileAccountStore(defaultStateDir()),
      acmeServerOverride: override,
      recursiveNameservers: chooseRecursiveNameservers(i.settings.recursiveNameservers, 'certsmith.recursiveNameservers').nameservers,
      recursiveOnly: i.settings.recursiveNameserversOnly,
      authoritativePort: i.settings.authoritativePort,
      http01Listen: parseListenAddress(i.settings.http01Listen),
      dns01Manual: p.dns01Manual === true,
      signal: cb.signal,
      progress: (m) => {
        i.log(`Certsmith: ${m}`);
        cb.progress(`${m} (${Math.round((Date.now() - started) / 1000)} s)`);
      },
      onManualRecords: (records, phase) => cb.manualRecords({ records: records.map((r) => ({ fqdn: r.fqdn, ttl: r.ttl, value: r.value })), phase }),
    });
    i.log(`Certsmith: issued ${summary.dnsNames.join(', ')} by ${summary.issuer}: valid until ${summary.notAfter}, renew at ${summary.renewalTime}, written to ${outDir}`);
    return { summary, outDir, acmeServer: pl.issuer.type === 'ACME' ? server : undefined };
  } catch (e) {
    if (e instanceof CancelledError) return { cancelled: true };
    const message = describe(e);
    i.log(`Certsmith: issuance failed: ${message}`);
    return { error: e instanceof UserError ? message : `unexpected error: ${message}` };
  }
}

export function exportSecret(outDir: string, target: string): { written?: string; error?: string } {
  try {
    copyFileSync(join(outDir, 'secret.yaml'), target);
    chmodSync(target, 0o600);
    return { written: target };
  } catch (e) {
    return { error: describe(e) };
  }
}

export async function checkDns(settings: ServerSettings, names: string[], expected: string[] | undefined, waitMs: number, signal: AbortSignal, onEntry: (e: DnsCheckEntry) => void): Promise<DnsCheckResult> {
  let records: string[];
  try {
    records = [...new Set(names.map((n) => challengeRecordName(n)))];
  } catch (e) {
    return { entries: [], error: e instanceof DnsNameError ? e.message : describe(e) };
  }
  const nameservers = chooseRecursiveNameservers(settings.recursiveNameservers, 'certsmith.recursiveNameservers').nameservers;
  const entries = await Promise.all(
    records.map(async (name): Promise<DnsCheckEntry> => {
      try {
        const report = await waitForPropagation({
          name,
          expected,
          recursiveNameservers: nameservers,
          recursiveOnly: settings.recursiveNameserversOnly,
          authoritativePort: settings.authoritativePort,
          deadlineMs: waitMs,
          signal,
          onProgress: (p) => {
            const status = p.report.propagated ? 'propagated' : p.nextCheckInMs === null ? `not propagated after ${Math.round(waitMs / 1000)} s` : `waiting: next check in ${(p.nextCheckInMs / 1000).toFixed(1)} s (attempt ${p.attempt}): ${summarize(p.report)}`;
            onEntry({ name, report: p.report, status });
          },
        });
        return { name, report, status: report.propagated ? 'propagated' : `not propagated after ${Math.round(waitMs / 1000)} s` };
      } catch (e) {
        const status = signal.aborted ? 'stopped' : e instanceof PropagationCheckError ? e.message : describe(e);
        onEntry({ name, status });
        return { name, status };
      }
    }),
  );
  return { entries };
}

function parseHostPort(s: string): { host: string; port: number } | undefined {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s.trim());
  if (v6) return { host: v6[1]!, port: Number(v6[2] ?? 443) };
  const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(s.trim());
  if (!m) return undefined;
  const port = Number(m[2] ?? 443);
  return port > 0 && port < 65536 ? { host: m[1]!, port } : undefined;
}

/** Chain inspection of a file, a range of a document (a Secret, a selection), or a TLS server. */
export async function inspectChain(settings: ServerSettings, p: InspectParams, documentText: (uri: string) => string | undefined): Promise<InspectResult> {
  const options: InspectOptions = { expiryWarningDays: settings.expiryWarningDays };
  let title = p.endpoint ?? 'selection';
  try {
    if (p.endpoint) {
      const hp = parseHostPort(p.endpoint);
      if (!hp) return { title, error: `"${p.endpoint}" is not HOST:PORT` };
      const presented = await fetchPresentedChain({ host: hp.host, port: hp.port, timeoutMs: 10_000 });
      const input: ExtractedInput = {
        kind: 'der',
        certificates: presented.certificates.map((der, n) => ({ der, origin: 'input', where: `certificate ${n + 1} presented by ${hp.host}:${hp.port}` })),
        caCertificates: [],
        keys: [],
        notes: [],
      };
      options.hostname = hp.host;
      title = `${hp.host}:${hp.port}`;
      return { title, report: inspect(input, options, { host: hp.host, port: hp.port, servername: presented.servername, protocol: presented.protocol }) };
    }
    if (!p.uri) return { title, error: 'nothing to inspect: give a file, a range or a server' };
    let input: string | Uint8Array;
    const open = p.text ?? documentText(p.uri);
    title = shown(p.uri, settings);
    if (p.range) {
      const text = open ?? readFileSync(fileURLToPath(p.uri), 'utf8');
      input = sliceRange(text, p.range);
      title = `${p.range.start.line + 1}: ${title}`;
    } else if (open !== undefined) {
      input = open;
      // In a YAML file of several documents with a Secret, the whole file is read; the caller may give a range instead.
      if (/kind:\s*Secret/.test(open) && splitDocuments(open).length > 1) {
        const withChain = splitDocuments(open).filter((d) => /tls\.crt/.test(d.text));
        if (withChain.length === 1) input = withChain[0]!.text;
      }
    } else input = readFileSync(fileURLToPath(p.uri));
    return { title, report: inspect(extractInput(input), options) };
  } catch (e) {
    const message = e instanceof ChainInputError || e instanceof EndpointError ? e.message : describe(e);
    return { title, error: message };
  }
}

function sliceRange(text: string, r: NonNullable<InspectParams['range']>): string {
  const lines = text.split('\n');
  const out = lines.slice(r.start.line, r.end.line + 1);
  if (!out.length) return '';
  out[out.length - 1] = out[out.length - 1]!.slice(0, r.start.line === r.end.line ? r.end.character : r.end.character);
  out[0] = out[0]!.slice(r.start.character);
  return out.join('\n');
}
