/**
 * `certsmith inspect [--format text|json] [--roots FILE] [--hostname NAME]
 *   [--at ISO-8601] [--expiry-warning DAYS] (FILE | - | --host HOST:PORT [--servername NAME])`
 *
 * Exit status: 0 the chain is trusted (and matches --hostname) with no error
 * findings, 1 otherwise, 2 for unreadable input, usage or connection problems.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fetchPresentedChain, EndpointError } from '../../engine/chain/endpoint.js';
import { renderChainText } from '../../engine/chain/chain-text.js';
import { inspect, DEFAULT_EXPIRY_WARNING_DAYS, type ChainReport, type InspectOptions } from '../../engine/chain/inspect.js';
import { ChainInputError, extractInput, type ExtractedInput } from '../../engine/chain/pem.js';
import { ioReason, outputFormat, parseCommandArgs, UsageError, type CommandIO } from './command-io.js';

const INSPECT_USAGE = `Usage: certsmith inspect [options] (FILE | - | --host HOST:PORT [--servername NAME])

Shows the certificates in FILE (PEM bundle in any order, DER, or a Kubernetes
TLS Secret manifest with tls.crt / ca.crt / tls.key), on standard input (-),
or presented by a TLS server, as a chain from the leaf to its root, and checks
it: signatures, validity, CA constraints, key usages, name constraints, trust,
hostname, and what cert-manager would do.

  --format text|json     text: a tree and the findings (default); json: the report
  --roots FILE           trust only the roots in FILE (PEM); default: Node.js's
                         bundled Mozilla roots
  --hostname NAME        check that the leaf is valid for NAME (DNS name or IP)
  --at ISO-8601          evaluate validity at this instant (default: now)
  --expiry-warning DAYS  warn about certificates expiring within DAYS (default ${DEFAULT_EXPIRY_WARNING_DAYS})
  --host HOST:PORT       connect to a TLS server (port 443 when omitted) and
                         inspect the chain exactly as it is presented
  --servername NAME      SNI to send with --host (default: HOST); also the
                         hostname checked unless --hostname is given
  --timeout SECONDS      connection timeout for --host (default 10)

The private key of a Secret (tls.key) is only compared with the leaf's public
key; it is never printed.

Exit status: 0 trusted (and the hostname matches) with no errors, 1 problems
found, 2 unreadable input, usage or connection problem.`;

export async function runInspect(argv: string[], io: CommandIO, readStdin: () => Buffer = () => readFileSync(0)): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
        format: { type: 'string', default: 'text' },
        roots: { type: 'string' },
        hostname: { type: 'string' },
        at: { type: 'string' },
        'expiry-warning': { type: 'string' },
        host: { type: 'string' },
        servername: { type: 'string' },
        timeout: { type: 'string' },
    },
    INSPECT_USAGE,
    io,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const format = outputFormat(values.format);
  if (values.host !== undefined && positionals.length) throw new UsageError('give either FILE (or -) or --host, not both');
  if (values.host === undefined && positionals.length !== 1) throw new UsageError(`${positionals.length ? 'only one FILE may be given' : 'no FILE, - or --host given'}\n\n${INSPECT_USAGE}`);
  if (values.servername !== undefined && values.host === undefined) throw new UsageError('--servername needs --host');

  const options: InspectOptions = {};
  if (values.at !== undefined) {
    const at = new Date(values.at);
    if (!/^\d{4}-\d{2}-\d{2}/.test(values.at) || Number.isNaN(at.getTime())) throw new UsageError(`--at must be an ISO-8601 date or time (e.g. 2025-06-01 or 2025-06-01T12:00:00Z), not "${values.at}"`);
    options.at = at;
  }
  if (values['expiry-warning'] !== undefined) {
    const n = Number(values['expiry-warning']);
    if (!Number.isFinite(n) || n < 0) throw new UsageError('--expiry-warning must be a number of days');
    options.expiryWarningDays = n;
  }
  let timeoutMs = 10_000;
  if (values.timeout !== undefined) {
    const n = Number(values.timeout);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError('--timeout must be a positive number of seconds');
    timeoutMs = n * 1000;
  }
  if (values.roots !== undefined) {
    const roots = readInput(values.roots, io, readStdin, '--roots ');
    options.roots = { certificates: [...roots.certificates, ...roots.caCertificates], description: `the roots in ${values.roots}` };
  }
  if (values.hostname !== undefined) {
    if (!values.hostname.trim()) throw new UsageError('--hostname must not be empty');
    options.hostname = values.hostname;
  }

  let report: ChainReport;
  try {
    if (values.host !== undefined) {
      const { host, port } = parseHostPort(values.host);
      const presented = await fetchPresentedChain({ host, port, servername: values.servername, timeoutMs });
      if (options.hostname === undefined) options.hostname = values.servername ?? host;
      const input: ExtractedInput = {
        kind: 'der',
        certificates: presented.certificates.map((der, i) => ({ der, origin: 'input', where: `certificate ${i + 1} presented by ${values.host}` })),
        caCertificates: [],
        keys: [],
        notes: [],
      };
      report = inspect(input, options, { host, port, servername: presented.servername, protocol: presented.protocol });
    } else {
      const input = readInput(positionals[0], io, readStdin, '');
      report = inspect(input, options);
    }
  } catch (e) {
    if (e instanceof ChainInputError || e instanceof EndpointError) throw new UsageError(e.message);
    throw e;
  }

  io.stdout(format === 'json' ? JSON.stringify(toJson(report), null, 2) + '\n' : renderChainText(report));
  const ok = report.trusted && report.hostnameMatches !== false && report.summary.errors === 0;
  return ok ? 0 : 1;
}

function readInput(path: string, io: CommandIO, readStdin: () => Buffer, prefix: string): ExtractedInput {
  let bytes: Buffer;
  const shown = path === '-' ? 'standard input' : path;
  try {
    bytes = path === '-' ? readStdin() : readFileSync(isAbsolute(path) ? path : join(io.cwd, path));
  } catch (e) {
    throw new UsageError(`${prefix}cannot read ${shown}: ${ioReason(e)}`);
  }
  try {
    return extractInput(bytes);
  } catch (e) {
    if (e instanceof ChainInputError) throw new UsageError(`${prefix}${shown}: ${e.message}`);
    throw e;
  }
}

function parseHostPort(s: string): { host: string; port: number } {
  let host = s;
  let port = 443;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    host = v6[1];
    if (v6[2]) port = Number(v6[2]);
  } else if (/^[^:]+:\d+$/.test(s)) {
    const i = s.lastIndexOf(':');
    host = s.slice(0, i);
    port = Number(s.slice(i + 1));
  } else if (s.includes(':') && !/^[0-9a-f:]+$/i.test(s)) {
    throw new UsageError(`--host must be HOST:PORT, not "${s}"`);
  }
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--host must be HOST:PORT with a port from 1 to 65535, not "${s}"`);
  return { host, port };
}

/** The documented JSON report of `certsmith inspect --format json`. */
export type InspectJsonReport = ReturnType<typeof toJson>;

/** Exactly the documented JSON report (CertificateInfo is the JSON's certificates[] as is). */
export function toJson(r: ChainReport) {
  return {
    certificates: r.certificates,
    chain: r.chain,
    trusted: r.trusted,
    hostnameMatches: r.hostnameMatches,
    findings: r.findings.map((f) => ({ severity: f.severity, code: f.code, message: f.message, certificate: f.certificate })),
  };
}

