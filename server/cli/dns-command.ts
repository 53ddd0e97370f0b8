/**
 * `certsmith dns check NAME [--expect VALUE ...] [--recursive-nameservers HOST:PORT,...]
 *   [--recursive-nameservers-only] [--wait DURATION] [--format text|json]`
 *
 * An adapter over engine/dns. Exit status: 0 propagated, 1 not propagated,
 * 2 usage error or a check that could not be done (no resolver answered, no zone).
 */
import { challengeRecordName, DnsNameError } from '../../engine/dns/dns-name.js';
import { formatNameserver } from '../../engine/dns/nameserver-address.js';
import { PUBLIC_FALLBACK_NAMESERVERS, RESOLV_CONF } from '../../engine/dns/default-nameservers.js';
import { DurationSyntaxError, formatDuration, parseDuration } from '../../engine/dns/durations.js';
import { checkPropagation, PropagationCheckError, waitForPropagation, type PropagationReport } from '../../engine/dns/propagation.js';
import { renderPropagationText, summarize } from '../../engine/dns/explain.js';
import { DEFAULT_ATTEMPTS, DEFAULT_TIMEOUT_MS } from '../../engine/dns/dns-client.js';
import { outputFormat, parseCommandArgs, recursiveNameserversOption, recursiveOnlyOption, RECURSIVE_NAMESERVER_OPTIONS, UsageError, type CommandIO } from './command-io.js';

const DNS_USAGE = `Usage: certsmith dns check NAME [options]

Shows, nameserver by nameserver, what each one answers for the DNS-01 TXT
record of NAME, and whether the record has propagated. NAME is a domain as in
a Certificate's dnsNames (example.com, *.example.com: both are checked at
_acme-challenge.example.com) or the record name itself (_acme-challenge....).
CNAMEs are followed (cnameStrategy Follow, acme-dns delegation). The zone and
its authoritative nameservers are found through the recursive nameservers;
each authoritative server is asked directly (no recursion, AA flag checked),
and each recursive nameserver is asked too.

Options:
  --expect VALUE                   a value that must be present (repeatable; apex +
                                   wildcard have two). Without it: any TXT value.
  --recursive-nameservers LIST     HOST:PORT or https:// (DNS over HTTPS) URLs,
                                   comma-separated (cert-manager's
                                   --dns01-recursive-nameservers). Default: the
                                   nameservers in ${RESOLV_CONF}, else ${PUBLIC_FALLBACK_NAMESERVERS.join(', ')}.
  --recursive-nameservers-only     ask only the recursive nameservers, not the
                                   authoritative ones (--dns01-recursive-nameservers-only)
  --wait DURATION                  check again until propagated or DURATION has
                                   passed (e.g. 90s, 5m); progress on stderr
  --timeout DURATION               per-query timeout (default ${DEFAULT_TIMEOUT_MS / 1000}s; ${DEFAULT_ATTEMPTS} UDP tries, then TCP)
  --authoritative-port PORT        port of the authoritative nameservers (default 53)
  --format text|json               output format (default text)

JSON: {"name","propagated","zone","cname":[...],"nameservers":[{"server","role",
"values","matched","ttl","rcode","error","elapsedMs",...}],"elapsedMs"}; rcode is
NOERROR, NODATA, NXDOMAIN, SERVFAIL, REFUSED, ..., TIMEOUT or ERROR; ttl is how
long a resolver may keep serving the answer (for NXDOMAIN/NODATA: the negative TTL).

Exit status: 0 propagated, 1 not propagated, 2 usage error or the check could not be done.`;

export async function runDns(argv: string[], io: CommandIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(DNS_USAGE + '\n');
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'check') throw new UsageError(`unknown dns command "${sub}" (expected "check")\n\n${DNS_USAGE}`);
  return runDnsCheck(rest, io);
}

async function runDnsCheck(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
        expect: { type: 'string', multiple: true },
        ...RECURSIVE_NAMESERVER_OPTIONS,
        wait: { type: 'string' },
        timeout: { type: 'string' },
        'authoritative-port': { type: 'string' },
        format: { type: 'string', default: 'text' },
    },
    DNS_USAGE,
    io,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const format = outputFormat(values.format);
  if (positionals.length === 0) throw new UsageError(`no NAME given\n\n${DNS_USAGE}`);
  if (positionals.length > 1) throw new UsageError(`one NAME at a time (got ${positionals.length}: ${positionals.join(' ')})`);

  let name: string;
  try {
    name = challengeRecordName(positionals[0]!);
  } catch (e) {
    if (e instanceof DnsNameError) throw new UsageError(`invalid NAME: ${e.message}`);
    throw e;
  }

  const expected = values.expect ?? [];
  for (const v of expected) {
    if (v === '') throw new UsageError('--expect needs a non-empty value');
    if (Buffer.byteLength(v) > 4000) throw new UsageError('--expect value is too long for a TXT record');
  }

  const { nameservers, source } = recursiveNameserversOption(values);

  const durationOption = (flag: string, text: string | undefined, min: number): number | undefined => {
    if (text === undefined) return undefined;
    try {
      const ms = parseDuration(text);
      if (ms < min) throw new DurationSyntaxError(`"${text}" is too short (at least ${formatDuration(min)})`);
      return ms;
    } catch (e) {
      if (e instanceof DurationSyntaxError) throw new UsageError(`${flag}: ${e.message}`);
      throw e;
    }
  };
  const waitMs = durationOption('--wait', values.wait, 0);
  const timeoutMs = durationOption('--timeout', values.timeout, 10);
  let authoritativePort: number | undefined;
  if (values['authoritative-port'] !== undefined) {
    const text = values['authoritative-port'];
    authoritativePort = Number(text);
    if (!/^\d+$/.test(text) || authoritativePort < 1 || authoritativePort > 65535) throw new UsageError(`--authoritative-port must be a port from 1 to 65535, not "${text}"`);
  }

  const options = {
    name,
    expected,
    recursiveNameservers: nameservers,
    recursiveOnly: recursiveOnlyOption(values),
    timeoutMs,
    authoritativePort,
  };

  let report: PropagationReport;
  try {
    if (waitMs !== undefined && waitMs > 0) {
      report = await waitForPropagation({
        ...options,
        deadlineMs: waitMs,
        onProgress: ({ report: r, attempt, nextCheckInMs }) => {
          if (format !== 'text' || nextCheckInMs === null) return;
          io.stderr(`check ${attempt}: ${summarize(r)}; next check in ${formatDuration(nextCheckInMs)}\n`);
        },
      });
    } else {
      report = await checkPropagation(options);
    }
  } catch (e) {
    if (e instanceof PropagationCheckError) {
      throw new UsageError(`cannot check ${name}: ${e.message} (recursive nameservers: ${nameservers.map(formatNameserver).join(', ')}, from ${source})`);
    }
    throw e;
  }

  // Nothing answered at all: the servers are unreachable, which is an error, not "not yet propagated".
  if (report.nameservers.length > 0 && report.nameservers.every((n) => n.rcode === 'TIMEOUT' || n.rcode === 'ERROR')) {
    throw new UsageError(`cannot check ${name}: no nameserver answered (${report.nameservers.map((n) => `${n.server}: ${n.error}`).join('; ')})`);
  }

  if (format === 'json') io.stdout(JSON.stringify(report) + '\n');
  else io.stdout(renderPropagationText(report));
  return report.propagated ? 0 : 1;
}
