/**
 * `certsmith explain certificate NAME [options]`: why a Certificate is not
 * Ready (engine/cluster/explain): one root cause with a stable code, its
 * evidence and the next action; the CA's problem document verbatim; for a
 * DNS-01 record cert-manager does not see, Certsmith's own propagation
 * check, nameserver by nameserver; when a failed issuance is tried again.
 * A healthy Certificate is said to be healthy, with its renewal time.
 * Exit status: 0 healthy, 1 not Ready (a cause found, or issuing), 2 usage,
 * kubeconfig, connection, authentication or RBAC problem. Secret values are
 * never shown (only Secret names and key names).
 */
import { ClusterError } from '../../engine/cluster/cluster-error.js';
import { ClusterReader } from '../../engine/cluster/cluster-reader.js';
import type { ClusterConnection } from '../../engine/cluster/connection.js';
import { explainCertificate } from '../../engine/cluster/explain/explain-certificate.js';
import type { Explanation } from '../../engine/cluster/explain/explanation.js';
import { renderExplanation } from '../../engine/cluster/explain/explanation-text.js';
import { DEFAULT_MAXIMUM_BACKOFF_MS, DEFAULT_MINIMUM_BACKOFF_MS } from '../../engine/cluster/explain/issuance-backoff.js';
import type { ClusterTarget } from '../../engine/cluster/kubeconfig.js';
import { outputFormat, parseCommandArgs, recursiveNameserversOption, recursiveOnlyOption, RECURSIVE_NAMESERVER_OPTIONS, UsageError, type CommandIO } from './command-io.js';
import { CLUSTER_OPTIONS, CLUSTER_OPTIONS_USAGE, clusterTarget, durationOption, openConnection, reportClusterError } from './cluster-options.js';
import { toJson as chainJson } from './inspect-command.js';
import { recordChecker } from './record-check.js';

const EXPLAIN_USAGE = `Usage: certsmith explain certificate NAME [options]

Says why a Certificate is not Ready: it follows the Certificate to its
CertificateRequest (approved? denied?), ACME Order and Challenges, its Issuer
or ClusterIssuer and the Secrets they name (existence and key names, never
values), with their Events, and names one root cause with its evidence and
the next step. The cause has a stable code (--format json: cause.code). A
healthy Certificate is reported healthy, with its renewal time.

For a DNS-01 record cert-manager's self check does not see, Certsmith checks
the record itself, at the zone's authoritative nameservers and at the
recursive nameservers given here (give the ones the controller uses).

  --recursive-nameservers LIST      as the controller's --dns01-recursive-nameservers
                                    (HOST:PORT or https:// URLs, comma-separated;
                                    default: this machine's resolvers)
  --recursive-nameservers-only      ask only those, as --dns01-recursive-nameservers-only
  --authoritative-port PORT         port of the authoritative nameservers (default 53)
  --cluster-resource-namespace NS   the controller's --cluster-resource-namespace,
                                    where ClusterIssuers' Secrets live (default cert-manager)
  --certificate-request-minimum-backoff-duration DURATION
  --certificate-request-maximum-backoff-duration DURATION
                                    the controller's backoff after a failed issuance
                                    (default 1h and 32h), to say when it tries again
${CLUSTER_OPTIONS_USAGE}
  --format FORMAT                   text (default) or json

Exit status: 0 healthy, 1 not Ready (the cause is printed), 2 usage,
kubeconfig, connection, authentication or RBAC problem.`;

export async function runExplain(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
      ...CLUSTER_OPTIONS,
      ...RECURSIVE_NAMESERVER_OPTIONS,
      'authoritative-port': { type: 'string' },
      'cluster-resource-namespace': { type: 'string' },
      'certificate-request-minimum-backoff-duration': { type: 'string' },
      'certificate-request-maximum-backoff-duration': { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
    EXPLAIN_USAGE,
    io,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const format = outputFormat(values.format);
  const [what, name, ...extra] = positionals;
  if (what === undefined) throw new UsageError(`say what to explain: explain certificate NAME\n\n${EXPLAIN_USAGE}`);
  if (!/^(certificate|certificates|cert|certs)$/.test(what)) throw new UsageError(`certsmith explain explains Certificates only ("explain certificate NAME"), not "${what}"`);
  if (!name) throw new UsageError(`no Certificate name given\n\n${EXPLAIN_USAGE}`);
  if (extra.length) throw new UsageError(`one Certificate at a time; unexpected "${extra.join(' ')}"`);
  let authoritativePort: number | undefined;
  if (values['authoritative-port'] !== undefined) {
    authoritativePort = Number(values['authoritative-port']);
    if (!Number.isInteger(authoritativePort) || authoritativePort < 1 || authoritativePort > 65535) throw new UsageError(`--authoritative-port must be a port number (1-65535), not "${values['authoritative-port']}"`);
  }
  const crn = values['cluster-resource-namespace'];
  if (crn !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(crn)) throw new UsageError(`--cluster-resource-namespace must be a namespace name, not "${crn}"`);
  const minimumMs = durationOption('certificate-request-minimum-backoff-duration', values['certificate-request-minimum-backoff-duration'], DEFAULT_MINIMUM_BACKOFF_MS);
  const maximumMs = durationOption('certificate-request-maximum-backoff-duration', values['certificate-request-maximum-backoff-duration'], DEFAULT_MAXIMUM_BACKOFF_MS);
  const nameservers = recursiveNameserversOption(values);
  const given = (values['recursive-nameservers']?.length ?? 0) + (values['dns01-recursive-nameservers']?.length ?? 0) > 0;

  let target: ClusterTarget | undefined;
  let conn: ClusterConnection | undefined;
  try {
    target = clusterTarget(values);
    conn = await openConnection(target, values);
    const namespace = target.namespace;
    const x = await explainCertificate(new ClusterReader(conn), namespace, name, {
      clusterResourceNamespace: crn,
      backoff: { minimumMs, maximumMs },
      renewCommand: `certsmith renew ${name} -n ${namespace}${values.context ? ` --context ${values.context}` : ''}`,
      checkRecord: recordChecker({ recursiveNameservers: nameservers.nameservers, source: given ? '--recursive-nameservers' : nameservers.source, recursiveOnly: recursiveOnlyOption(values), authoritativePort }),
    });
    if (format === 'json') io.stdout(JSON.stringify(explanationJson(x), null, 2) + '\n');
    else io.stdout(renderExplanation(x));
    return x.verdict === 'healthy' ? 0 : 1;
  } catch (e) {
    if (e instanceof ClusterError) return reportClusterError(e, format, target?.context, io);
    throw e;
  } finally {
    conn?.close();
  }
}

/** The JSON form: the explanation, its status with the chain in `certsmith inspect`'s documented JSON. */
function explanationJson(x: Explanation) {
  const { status, ...rest } = x;
  const { secret, ...st } = status;
  return { ...rest, status: { ...st, ...(secret ? { secret: { ...secret, chain: secret.chain ? chainJson(secret.chain) : undefined } } : {}) } };
}
