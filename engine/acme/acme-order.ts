/**
 * One ACME order from start to certificate, as cert-manager's ACME issuer
 * drives it (RFC 8555): account (with external account binding), order,
 * a solver per authorization chosen with cert-manager's rules, challenges
 * presented all at once, cert-manager's self check, then validation,
 * finalization with the Certificate's CSR, and download with preferredChain.
 * Every TXT record and the HTTP-01 listener are removed afterwards: on
 * success, on failure and on cancel.
 *
 * acme-client does the JWS, nonces (badNonce retried), EAB and resources;
 * its HTTP transport is replaced per Issuer (acme-transport.ts), and its
 * challenge verification (system resolver) is never used.
 */
import * as acme from 'acme-client';
import { pickSolver, type SolverChoice, type SolverSelector } from '../rules/cross/solver-picker.js';
import type { NameserverAddress } from '../dns/nameserver-address.js';
import type { PropagationReport } from '../dns/propagation.js';
import { Resolver } from '../dns/resolver.js';
import { followCnames } from '../dns/cname.js';
import { summarize } from '../dns/explain.js';
import { formatDuration } from '../dns/durations.js';
import { CancelledError, UserError } from '../core/errors.js';
import { asRecord } from '../core/values.js';
import type { AcmeInputs } from './acme-inputs.js';
import { LETS_ENCRYPT_PRODUCTION } from './acme-servers.js';
import { accountKeyFromSecret, FileAccountStore, type AccountKeyStore } from './account-store.js';
import { createAcmeTransport, sleep, type AcmeProblem } from './acme-transport.js';
import { ensureAccount } from './acme-account.js';
import { Http01Responder, formatListenAddress, type ListenAddress } from './http01-responder.js';
import { dnsSelfCheck, httpSelfCheck } from './self-check.js';
import type { Dns01Provider, TxtRecord } from './dns01/dns01-provider.js';
import { createDns01Provider } from './dns01/provider-factory.js';
import { fetchRenewalInfo, type RenewalWindow } from './renewal-info.js';

export interface AcmeIssueOptions {
  inputs: AcmeInputs;
  csrPem: string;
  dnsNames: string[];
  ipAddresses: string[];
  stateDir: string;
  /** Where account keys are kept (default: files under stateDir). */
  accountStore?: AccountKeyStore;
  /** Use this ACME server instead of spec.acme.server (the editor's "staging instead of production"). */
  serverOverride?: string;
  recursiveNameservers: NameserverAddress[];
  recursiveOnly: boolean;
  /** Port of authoritative nameservers for the self check (default 53). */
  authoritativePort?: number;
  http01Listen: ListenAddress;
  /** DNS-01 records are created by the person, not by a provider. */
  dns01Manual: boolean;
  /** Epoch ms: the whole order must be done by then. */
  deadline: number;
  signal?: AbortSignal;
  progress: (message: string) => void;
  /** Manual mode: the records to create (also reported through progress). */
  onManualRecords?: (records: TxtRecord[], phase: 'create' | 'delete') => void;
}

export interface AcmeResult {
  chainPem: string;
  /** The ACME server's suggested renewal window (ARI, RFC 9773), when it offers one. */
  renewalWindow?: RenewalWindow;
  accountKeyOrigin: string;
  /** Per identifier: the solver used and how ("reused" when the CA had a valid authorization). */
  solved: { identifier: string; solver: string }[];
}

interface PendingChallenge {
  identifier: string; // "*.example.com" for wildcards
  authz: { url: string; identifier: { type: string; value: string }; wildcard?: boolean };
  challenge: { type: string; url: string; token: string };
  keyAuthorization: string;
  solverIndex: number;
  dns?: { provider: Dns01Provider; record: TxtRecord; checkName: string };
}


function solverChoices(solvers: unknown[]): SolverChoice[] {
  return solvers.map((s) => {
    const r = asRecord(s);
    const sel = r.selector === undefined ? undefined : (asRecord(r.selector) as SolverSelector);
    return { http01: r.http01 !== undefined && r.http01 !== null, dns01: r.dns01 !== undefined && r.dns01 !== null, selector: sel };
  });
}

/** A poll of an order, authorization or challenge until it leaves pending/processing (RFC 8555 §7.5.1), with Retry-After. */
async function pollStatus(client: acme.Client, url: string, o: AcmeIssueOptions, what: string): Promise<Record<string, unknown>> {
  const api = (client as unknown as { api: { apiRequest(url: string, payload: unknown, codes: number[]): Promise<{ data: Record<string, unknown>; headers: Record<string, string> }> } }).api;
  let interval = 250;
  const started = Date.now();
  for (;;) {
    if (o.signal?.aborted) throw new CancelledError();
    const resp = await api.apiRequest(url, null, [200]);
    const status = String(resp.data.status);
    if (status !== 'pending' && status !== 'processing') return resp.data;
    const after = Number(resp.headers['retry-after']);
    const wait = Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 10_000) : interval;
    if (Date.now() + wait > o.deadline) throw new UserError(`the ACME server did not finish ${what} before the time limit (still ${status} after ${Math.round((Date.now() - started) / 1000)} s)`, 'allow more time with --timeout');
    await sleep(wait, o.signal);
    interval = Math.min(2000, Math.round(interval * 1.5));
  }
}

function problemText(p: unknown): string {
  const r = asRecord(p);
  const detail = typeof r.detail === 'string' ? r.detail : '';
  const type = typeof r.type === 'string' ? r.type.replace('urn:ietf:params:acme:error:', '') : '';
  const subs = Array.isArray(r.subproblems) ? r.subproblems.map((s) => `${asRecord(asRecord(s).identifier).value}: ${asRecord(s).detail}`).join('; ') : '';
  return [type && `${type}:`, detail, subs && `(${subs})`].filter(Boolean).join(' ') || 'no details given';
}

/** acme-client errors carry the ACME problem's text; make them one clear line. */
function acmeError(e: unknown, doing: string): Error {
  if (e instanceof UserError || e instanceof CancelledError) return e;
  const message = (e as Error).message ?? String(e);
  if (/externalAccountRequired|externalAccountBinding|external account/i.test(message)) {
    return new UserError(`the ACME server requires external account binding: ${message}`, 'set spec.acme.externalAccountBinding (keyID and keySecretRef) on the Issuer');
  }
  return new UserError(`${doing} failed: ${message}`);
}

/** "127.0.0.1:53 (NXDOMAIN)" for each nameserver that lacks the record. */
function lagging(report: PropagationReport): string {
  return report.nameservers.filter((n) => !n.matched).map((n) => `${n.server} (${n.rcode === 'NOERROR' ? 'other value' : n.rcode})`).join(', ');
}

export async function issueWithAcme(o: AcmeIssueOptions): Promise<AcmeResult> {
  const issuerLabel = `${o.inputs.issuer.ref.kind} ${o.inputs.issuer.namespace ? `${o.inputs.issuer.namespace}/` : ''}${o.inputs.issuer.ref.name}`;
  const spec = asRecord(asRecord(o.inputs.issuer.spec).acme);
  const server = o.serverOverride ?? (typeof spec.server === 'string' ? spec.server : '');
  if (o.serverOverride && o.serverOverride !== spec.server) o.progress(`using ${o.serverOverride} instead of the Issuer's ${String(spec.server)}`);
  if (!server) throw new UserError(`${issuerLabel} has no spec.acme.server`);
  const keyRef = asRecord(spec.privateKeySecretRef);
  if (typeof keyRef.name !== 'string' || !keyRef.name) throw new UserError(`${issuerLabel} has no spec.acme.privateKeySecretRef.name`);
  const solvers = Array.isArray(spec.solvers) ? spec.solvers : [];
  if (solvers.length === 0) throw new UserError(`${issuerLabel} has no spec.acme.solvers, so no challenge can be solved`);
  if (server === LETS_ENCRYPT_PRODUCTION) o.progress("using Let's Encrypt production: real certificates, real rate limits");

  let caBundlePem: string | undefined;
  if (typeof spec.caBundle === 'string' && spec.caBundle !== '') {
    caBundlePem = Buffer.from(spec.caBundle, 'base64').toString('utf8');
    if (!caBundlePem.includes('-----BEGIN CERTIFICATE-----')) throw new UserError(`${issuerLabel}: spec.acme.caBundle is not base64-encoded PEM certificates`);
  }
  const skipTLSVerify = spec.skipTLSVerify === true;
  if (skipTLSVerify) o.progress(`warning: ${issuerLabel} has skipTLSVerify: the ACME server's certificate is not checked (for this issuer only)`);

  // Account key: the Issuer's Secret when given, else the state directory.
  const secretRef = `${o.inputs.secretNamespace}/${keyRef.name}`;
  const fromSecret = o.inputs.optionalSecret(keyRef.name)?.['tls.key'];
  if (!fromSecret && spec.disableAccountKeyGeneration === true) {
    throw new UserError(`${issuerLabel} sets disableAccountKeyGeneration, so its ACME account key must come from Secret ${secretRef} (key tls.key), which is not in the given files`, 'add that Secret manifest with another -f');
  }
  const accountKey = fromSecret
    ? accountKeyFromSecret(fromSecret.toString('utf8'), secretRef)
    : await (o.accountStore ?? new FileAccountStore(o.stateDir)).load(server, secretRef, (where) => o.progress(`created a new ACME account key in ${where}`));

  let externalAccountBinding: { kid: string; hmacKey: string } | undefined;
  const eab = asRecord(spec.externalAccountBinding);
  if (Object.keys(eab).length) {
    const ref = asRecord(eab.keySecretRef);
    if (typeof eab.keyID !== 'string' || typeof ref.name !== 'string') throw new UserError(`${issuerLabel}: spec.acme.externalAccountBinding needs keyID and keySecretRef.name`);
    const hmac = o.inputs.secretKey(ref.name, typeof ref.key === 'string' ? ref.key : 'secret', 'the external account binding HMAC key');
    externalAccountBinding = { kid: eab.keyID, hmacKey: hmac.toString('utf8').trim() };
  }

  const problems: { last?: AcmeProblem } = {};
  const transport = createAcmeTransport({ caBundlePem, skipTLSVerify, deadline: o.deadline, signal: o.signal, onRetry: o.progress, onProblem: (p) => (problems.last = p) });
  const client = new acme.Client({ directoryUrl: server, accountKey: accountKey.pem, externalAccountBinding, accountUrl: accountKey.accountUrl });
  const http = (client as unknown as { http: { request: unknown; maxBadNonceRetries: number } }).http;
  http.request = transport;
  http.maxBadNonceRetries = 30; // Pebble rejects 5% of nonces by default, and up to 50% (or more) in fault tests.

  const email = typeof spec.email === 'string' && spec.email ? spec.email : undefined;
  o.progress(`ACME account at ${server} (key from ${accountKey.origin})`);
  await ensureAccount(client, accountKey, { server, email, problems, progress: o.progress, explain: acmeError });

  // As cert-manager's ACME issuer: a commonName must also be one of the names (ACME orders carry only SANs).
  const commonName = typeof o.inputs.certificate.spec.commonName === 'string' ? o.inputs.certificate.spec.commonName : '';
  if (commonName && !o.dnsNames.includes(commonName) && !o.ipAddresses.includes(commonName)) {
    throw new UserError(`the Certificate's commonName "${commonName}" is not among its dnsNames or ipAddresses; ACME requires that a commonName is also one of them`, `add "${commonName}" to spec.dnsNames, or remove spec.commonName`);
  }
  const identifiers = [...o.dnsNames.map((value) => ({ type: 'dns', value })), ...o.ipAddresses.map((value) => ({ type: 'ip', value }))];
  if (identifiers.length === 0) throw new UserError('the Certificate has no dnsNames or ipAddresses; an ACME certificate needs at least one');
  o.progress(`creating an order for ${identifiers.map((i) => i.value).join(', ')}`);
  let order: acme.Order;
  try {
    order = await client.createOrder({ identifiers });
  } catch (e) {
    throw acmeError(e, 'creating the order');
  }
  const authorizations = (await client.getAuthorizations(order).catch((e) => Promise.reject(acmeError(e, 'reading the authorizations')))) as unknown as PendingChallenge['authz'][];

  const choices = solverChoices(solvers);
  const providers = new Map<number, Dns01Provider>();
  const pending: PendingChallenge[] = [];
  const solved: AcmeResult['solved'] = [];
  for (const authz of authorizations as (PendingChallenge['authz'] & { status: string; challenges: PendingChallenge['challenge'][] })[]) {
    const identifier = `${authz.wildcard ? '*.' : ''}${authz.identifier.value}`;
    if (authz.status === 'valid') {
      solved.push({ identifier, solver: 'reused (the CA already holds a valid authorization)' });
      continue;
    }
    const offered = { http01: authz.challenges.some((c) => c.type === 'http-01'), dns01: authz.challenges.some((c) => c.type === 'dns-01') };
    const index = pickSolver(identifier, offered, choices, o.inputs.certificate.labels);
    if (index === undefined) {
      throw new UserError(
        `no solver of ${issuerLabel} can solve ${identifier}: the CA offers ${[offered.http01 && 'HTTP-01', offered.dns01 && 'DNS-01'].filter(Boolean).join(' and ')}${authz.wildcard ? ' (a wildcard is validated with DNS-01 only)' : ''}, and no solver of that type has a selector matching it`,
        'add a solver (or widen a selector) for this name',
      );
    }
    const isDns = choices[index]!.dns01 && offered.dns01 && !(choices[index]!.http01 && offered.http01);
    const type = isDns ? 'dns-01' : 'http-01';
    const challenge = authz.challenges.find((c) => c.type === type)!;
    const keyAuthorization = await client.getChallengeKeyAuthorization(challenge as acme.Authorization['challenges'][number]);
    const p: PendingChallenge = { identifier, authz, challenge, keyAuthorization, solverIndex: index };
    if (isDns) {
      let provider = providers.get(index);
      if (!provider) {
        provider = createDns01Provider(asRecord(asRecord(solvers[index]).dns01), { inputs: o.inputs, manual: o.dns01Manual, issuerLabel, solverIndex: index, recursiveNameservers: o.recursiveNameservers, tell: o.progress, onManualRecords: o.onManualRecords });
        providers.set(index, provider);
      }
      const domain = authz.identifier.value;
      const checkName = `_acme-challenge.${domain}`;
      p.dns = { provider, record: { fqdn: checkName, domain, value: keyAuthorization, ttl: 60 }, checkName };
    }
    pending.push(p);
    solved.push({ identifier, solver: isDns ? `DNS-01 via ${p.dns!.provider.description} (solver ${index + 1})` : `HTTP-01 on ${formatListenAddress(o.http01Listen)} (solver ${index + 1})` });
  }

  const presented: PendingChallenge[] = [];
  let responder: Http01Responder | undefined;
  try {
    // cnameStrategy Follow: write where the CNAME chain of _acme-challenge.<domain> ends.
    const resolver = new Resolver({ nameservers: o.recursiveNameservers, timeoutMs: 2000, attempts: 2, signal: o.signal });
    for (const p of pending) {
      if (!p.dns) continue;
      const dns01 = asRecord(asRecord(solvers[p.solverIndex]).dns01);
      if (p.dns.provider.target) p.dns.record.fqdn = p.dns.provider.target(p.dns.record);
      else if (dns01.cnameStrategy === 'Follow') {
        const chain = await followCnames(p.dns.checkName, resolver).catch(() => [] as string[]);
        if (chain.length) p.dns.record.fqdn = chain[chain.length - 1]!;
      }
    }

    if (pending.some((p) => !p.dns)) {
      responder = new Http01Responder(o.http01Listen);
      await responder.start();
      o.progress(`HTTP-01 responder listening on ${formatListenAddress(o.http01Listen)}`);
    }
    await Promise.all(
      pending.map(async (p) => {
        if (p.dns) {
          o.progress(`creating TXT ${p.dns.record.fqdn} for ${p.identifier} (${p.dns.provider.description})`);
          presented.push(p);
          await p.dns.provider.present(p.dns.record, o.signal);
        } else {
          responder!.set(p.challenge.token, p.keyAuthorization);
          presented.push(p);
        }
      }),
    );

    // Self check, as cert-manager does before it asks the CA.
    const byName = new Map<string, string[]>();
    for (const p of pending) if (p.dns) byName.set(p.dns.checkName, [...(byName.get(p.dns.checkName) ?? []), p.keyAuthorization]);
    const remaining = () => Math.max(1000, o.deadline - Date.now());
    await Promise.all([
      ...[...byName].map(([name, values]) => {
        o.progress(`waiting until ${name} TXT is visible at the authoritative and recursive nameservers`);
        return dnsSelfCheck(name, values, {
          recursiveNameservers: o.recursiveNameservers,
          recursiveOnly: o.recursiveOnly,
          authoritativePort: o.authoritativePort,
          deadlineMs: remaining(),
          signal: o.signal,
          endEarly: !o.dns01Manual,
          onProgress: (w) => {
            if (!w.report.propagated) o.progress(`${name}: ${summarize(w.report)}, not yet at ${lagging(w.report)}; checking again in ${formatDuration(w.nextCheckInMs ?? 0)}, ${formatDuration(w.remainingMs)} left`);
          },
        });
      }),
      ...pending
        .filter((p) => !p.dns)
        .map((p) =>
          httpSelfCheck(p.authz.identifier.value, p.challenge.token, p.keyAuthorization, {
            recursiveNameservers: o.recursiveNameservers,
            port: responder!.port,
            deadlineMs: remaining(),
            signal: o.signal,
            onWait: o.progress,
          }),
        ),
    ]);

    if (pending.length) o.progress(`asking the CA to validate ${pending.map((p) => p.identifier).join(', ')}`);
    await Promise.all(
      pending.map(async (p) => {
        try {
          await client.completeChallenge(p.challenge as acme.Authorization['challenges'][number]);
        } catch (e) {
          throw acmeError(e, `answering the challenge for ${p.identifier}`);
        }
        const authz = await pollStatus(client, p.authz.url, o, `validating ${p.identifier}`);
        if (authz.status !== 'valid') {
          const ch = (Array.isArray(authz.challenges) ? authz.challenges : []).map(asRecord).find((c) => c.url === p.challenge.url);
          throw new UserError(`the CA could not validate ${p.identifier} (${p.challenge.type}): ${problemText(ch?.error)}`);
        }
      }),
    );

    o.progress('finalizing the order');
    try {
      order = await client.finalizeOrder(order, o.csrPem);
    } catch (e) {
      throw acmeError(e, 'finalizing the order');
    }
    const done = await pollStatus(client, order.url, o, 'issuing the certificate');
    if (done.status !== 'valid') throw new UserError(`the order ended ${String(done.status)}: ${problemText(done.error)}`);
    const preferredChain = typeof spec.preferredChain === 'string' && spec.preferredChain ? spec.preferredChain : undefined;
    let chainPem: string;
    try {
      chainPem = await client.getCertificate({ ...order, ...done } as acme.Order, preferredChain);
    } catch (e) {
      throw acmeError(e, 'downloading the certificate');
    }
    const renewalWindow = await fetchRenewalInfo(client, transport, chainPem).catch(() => undefined);
    return { chainPem, renewalWindow, accountKeyOrigin: accountKey.origin, solved };
  } catch (e) {
    if (o.signal?.aborted && !(e instanceof CancelledError)) throw new CancelledError();
    throw e;
  } finally {
    // Clean up with a fresh time budget: a cancelled run must still remove its records.
    const cleanup = AbortSignal.timeout(15_000);
    await Promise.all(
      presented.map(async (p) => {
        if (!p.dns) return;
        if (p.dns.provider.keepsValues) {
          o.progress(`${p.dns.provider.description} keeps TXT ${p.dns.record.fqdn} (it has no delete; the next issuance replaces it)`);
          return;
        }
        try {
          await p.dns.provider.cleanUp(p.dns.record, cleanup);
          o.progress(`removed TXT ${p.dns.record.fqdn} for ${p.identifier}`);
        } catch (e) {
          o.progress(`warning: could not remove TXT ${p.dns.record.fqdn} "${p.dns.record.value}": ${(e as Error).message}; delete it by hand`);
        }
      }),
    );
    if (responder) {
      await responder.stop();
      o.progress('HTTP-01 responder stopped');
    }
  }
}
