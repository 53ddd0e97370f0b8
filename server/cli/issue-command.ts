/**
 * `certsmith issue -f FILE [-f FILE ...] --certificate NAME --out DIR [...]`
 *
 * An adapter over engine/issue: reads the manifests, issues the Certificate
 * as cert-manager would (SelfSigned, CA, or a real ACME order), writes the
 * Secret's files. Progress goes to stderr, the result to stdout.
 * Exit status: 0 issued, 1 the issuance failed, 2 usage or unreadable input,
 * 130 cancelled (Ctrl-C; everything created on the way is removed first).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ResourceSet } from '../../engine/issue/resource-set.js';
import { CancelledError, UserError } from '../../engine/core/errors.js';
import { DEFAULT_ISSUE_TIMEOUT_MS, issueCertificate, type IssueSummary } from '../../engine/issue/issue-certificate.js';
import { defaultStateDir } from '../../engine/acme/account-store.js';
import { parseListenAddress } from '../../engine/acme/http01-responder.js';
import { PUBLIC_FALLBACK_NAMESERVERS, RESOLV_CONF } from '../../engine/dns/default-nameservers.js';
import { DurationSyntaxError, formatDuration, parseDuration } from '../../engine/dns/durations.js';
import { ioReason, outputFormat, parseCommandArgs, recursiveNameserversOption, recursiveOnlyOption, RECURSIVE_NAMESERVER_OPTIONS, UsageError, type CommandIO } from './command-io.js';

const ISSUE_USAGE = `Usage: certsmith issue -f FILE [-f FILE ...] --certificate NAME --out DIR [options]

Issues the Certificate NAME from the manifests in the files, the way
cert-manager would: the Issuer (in the Certificate's namespace) or
ClusterIssuer it references, and the Secrets that issuer needs, must be in the
files too. SelfSigned and CA issuers sign locally; ACME issuers run a real
order against spec.acme.server (HTTP-01 with a built-in responder, DNS-01 with
the rfc2136 or acmeDNS provider, or --dns01-manual).

Writes what cert-manager would put in the Secret to DIR: tls.crt (leaf, then
intermediates), tls.key, ca.crt (SelfSigned and CA), the additionalOutputFormats
(key.der, tls-combined.pem), and secret.yaml, a kubernetes.io/tls Secret with
cert-manager's annotations. Nothing is written unless issuance succeeded; key
files are 0600.

Options:
  -f, --filename FILE                  a manifest file (repeatable; - for standard input)
  --certificate NAME                   the Certificate to issue
  --namespace NS                       its namespace (default: its metadata.namespace, else "default")
  --out DIR                            where to write the result
  --format text|json                   result on stdout (default text)
  --state DIR                          ACME account keys (default: ${defaultStateDir()})
  --cluster-resource-namespace NS      where a ClusterIssuer's Secrets are (default cert-manager)
  --recursive-nameservers LIST         HOST:PORT or https:// resolvers for every self check
                                       (DNS-01 records and zones, HTTP-01 names), as
                                       cert-manager's --dns01-recursive-nameservers, which is
                                       accepted too (default: ${RESOLV_CONF}, else
                                       ${PUBLIC_FALLBACK_NAMESERVERS.join(', ')})
  --recursive-nameservers-only         DNS-01 self check at the recursive nameservers only
                                       (also --dns01-recursive-nameservers-only)
  --dns01-authoritative-port PORT      port of the zones' authoritative nameservers (default 53)
  --dns01-manual                       do not change DNS: show the TXT records to create and
                                       wait until they are visible
  --http01-listen HOST:PORT            address of the HTTP-01 responder (default :80); the
                                       HTTP-01 self check uses its port
  --timeout DURATION                   give up after DURATION (default ${formatDuration(DEFAULT_ISSUE_TIMEOUT_MS)})

JSON: {"notBefore","notAfter","renewalTime","dnsNames","issuer","chainLength","elapsedMs", ...}

Exit status: 0 issued, 1 the issuance failed, 2 usage error or unreadable input,
130 cancelled (TXT records and the HTTP-01 listener are removed first).`;

export interface IssueIO extends CommandIO {
  /** Registers a handler for Ctrl-C; returns a function that removes it. */
  onInterrupt?: (handler: () => void) => () => void;
}

export async function runIssue(argv: string[], io: IssueIO): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
      filename: { type: 'string', short: 'f', multiple: true },
      certificate: { type: 'string' },
      namespace: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string', default: 'text' },
      state: { type: 'string' },
      'cluster-resource-namespace': { type: 'string' },
      ...RECURSIVE_NAMESERVER_OPTIONS,
      'dns01-authoritative-port': { type: 'string' },
      'dns01-manual': { type: 'boolean' },
      'http01-listen': { type: 'string' },
      timeout: { type: 'string' },
    },
    ISSUE_USAGE,
    io,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const format = outputFormat(values.format);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}" (manifest files go after -f)`);
  if (!values.filename?.length) throw new UsageError(`no manifest files given (-f FILE)\n\n${ISSUE_USAGE}`);
  if (!values.certificate) throw new UsageError('no --certificate NAME given');
  if (!values.out) throw new UsageError('no --out DIR given');
  const abs = (p: string) => (isAbsolute(p) ? p : join(io.cwd, p));

  const { nameservers } = recursiveNameserversOption(values);
  let authoritativePort: number | undefined;
  if (values['dns01-authoritative-port'] !== undefined) {
    authoritativePort = Number(values['dns01-authoritative-port']);
    if (!Number.isInteger(authoritativePort) || authoritativePort < 1 || authoritativePort > 65535) throw new UsageError('--dns01-authoritative-port must be a port number');
  }
  let timeoutMs = DEFAULT_ISSUE_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    try {
      timeoutMs = parseDuration(values.timeout);
    } catch (e) {
      if (e instanceof DurationSyntaxError) throw new UsageError(`--timeout: ${e.message}`);
      throw e;
    }
  }
  let http01Listen;
  try {
    http01Listen = parseListenAddress(values['http01-listen'] ?? ':80');
  } catch (e) {
    throw new UsageError(`--http01-listen: ${(e as Error).message}`);
  }

  const resources = new ResourceSet();
  let stdinUsed = false;
  for (const f of values.filename) {
    let text: string;
    try {
      if (f === '-') {
        if (stdinUsed) throw new UsageError('standard input (-) can be given only once');
        stdinUsed = true;
        text = io.readStdin().toString('utf8');
      } else {
        text = readFileSync(abs(f), 'utf8');
      }
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`cannot read ${f}: ${ioReason(e)}`);
    }
    try {
      resources.addFile(f === '-' ? '(stdin)' : f, text);
    } catch (e) {
      if (e instanceof UserError) throw new UsageError(e.message);
      throw e;
    }
  }

  const started = performance.now();
  const stamp = () => `[${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s]`;
  const progress = (m: string) => io.stderr(`${stamp()} ${m}\n`);
  const controller = new AbortController();
  const removeInterrupt = io.onInterrupt?.(() => {
    if (controller.signal.aborted) return;
    io.stderr(`${stamp()} cancelling: removing what was created so far (Ctrl-C again to quit at once)\n`);
    controller.abort();
  });
  let summary: IssueSummary;
  try {
    summary = await issueCertificate({
      resources,
      certificate: values.certificate,
      namespace: values.namespace,
      clusterResourceNamespace: values['cluster-resource-namespace'],
      outDir: abs(values.out),
      stateDir: values.state ? abs(values.state) : defaultStateDir(),
      recursiveNameservers: nameservers,
      recursiveOnly: recursiveOnlyOption(values),
      authoritativePort,
      http01Listen,
      dns01Manual: values['dns01-manual'] ?? false,
      timeoutMs,
      signal: controller.signal,
      progress,
    });
  } catch (e) {
    if (e instanceof CancelledError) {
      io.stderr(`certsmith: cancelled; nothing was written\n`);
      return 130;
    }
    if (e instanceof UserError) {
      io.stderr(`certsmith: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
      return 1;
    }
    throw e;
  } finally {
    removeInterrupt?.();
  }

  if (format === 'json') {
    const { notBefore, notAfter, renewalTime, dnsNames, issuer, chainLength, elapsedMs } = summary;
    io.stdout(JSON.stringify({ notBefore, notAfter, renewalTime, dnsNames, issuer, chainLength, elapsedMs, secretName: summary.secretName, namespace: summary.namespace, files: summary.files, solved: summary.solved ?? [], renewalInfo: summary.renewalInfo ?? null }, null, 2) + '\n');
  } else {
    const lines = [
      `Issued ${summary.issuerType === 'ACME' ? 'by ACME' : `by the ${summary.issuerType} issuer`} ${summary.issuer} in ${(summary.elapsedMs / 1000).toFixed(1)} s`,
      `  names:        ${summary.dnsNames.join(', ') || '(no DNS names)'}`,
      `  valid:        ${summary.notBefore} → ${summary.notAfter}`,
      `  renew at:     ${summary.renewalTime} (cert-manager's rule)`,
      ...(summary.renewalInfo ? [`  CA suggests:  renewing between ${summary.renewalInfo.start} and ${summary.renewalInfo.end} (ARI)`] : []),
      `  chain:        ${summary.chainLength} certificate${summary.chainLength === 1 ? '' : 's'} in tls.crt`,
      ...(summary.solved ?? []).map((s) => `  ${s.identifier}: ${s.solver}`),
      `  Secret ${summary.namespace}/${summary.secretName} written to ${abs(values.out)}: ${summary.files.map((f) => f.slice(f.lastIndexOf('/') + 1)).join(', ')}`,
    ];
    io.stdout(lines.join('\n') + '\n');
  }
  return 0;
}
