/**
 * The root cause of a Certificate that is not Ready, from what was read
 * (explain-certificate.ts gathers it): one cause, the first that holds in
 * the order cert-manager itself depends on things:
 *
 *   1. healthy (Ready for the current spec, not issuing): no cause
 *   2. nothing processed it (no conditions at all)
 *   3. the issuer: an external kind nobody serves, missing, not Ready (ACME
 *      account registration, a CA issuer's Secret), checked before the
 *      request because a request waits for its issuer
 *   4. the CertificateRequest: denied, or never approved
 *   5. the ACME Order: refused or failed, with the CA's problem document
 *   6. the Challenges: a refused DNS update (the nameserver's answer), a
 *      record cert-manager's resolvers do not see, another failure
 *   7. a failed issuance waiting for its next attempt (backoff)
 *   8. a failed request; issuance in progress; nothing found
 *
 * Pure: no reads, no clock (the caller passes `now`), so that each rule is
 * tested on its own.
 */
import { isUnreadable, type CertificateRequestSection, type CertificateStatusReport, type ChallengeSection, type ConditionSummary, type EventSummary, type OrderSection } from '../certificate-status.js';
import { acmeProblemIn, problemName } from './acme-problem.js';
import { CAUSES, type CauseCode, type Evidence, type Explanation, type RootCause, type SecretFact } from './explanation.js';
import { formatWait, issuanceBackoff, type BackoffBounds, type IssuanceBackoff } from './issuance-backoff.js';
import { reissueReason } from './reissue-reasons.js';

export interface ExplainFacts {
  report: CertificateStatusReport;
  now: Date;
  backoff: BackoffBounds;
  clusterResourceNamespace: string;
  /** The Secrets the issuer names, read for their keys. */
  issuerSecrets: SecretFact[];
  /** Namespaces holding a Secret named like the CA issuer's, when it is missing where cert-manager looks. */
  caSecretElsewhere?: string[];
  /** An external issuerRef: whether the API server serves its group and kind. */
  externalIssuer?: { served: boolean; message?: string };
  /** The Order named after the current request when none is owned by it (a request made again after a failure reuses its name). */
  orderByName?: OrderSection;
  /** How the user runs renew (for the next action). */
  renewCommand: string;
}

export type Diagnosis = Pick<Explanation, 'verdict' | 'headline' | 'cause' | 'renewal' | 'retry' | 'reissue'>;

const q = (s: string) => JSON.stringify(s);

function cond(list: ConditionSummary[], type: string): ConditionSummary | undefined {
  return list.find((c) => c.type === type);
}

function since(c: ConditionSummary | undefined, now: Date): string {
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(t) ? '' : ` (for ${formatWait(Math.max(0, now.getTime() - t))})`;
}

function cause(code: CauseCode, o: Omit<RootCause, 'code' | 'title'>): RootCause {
  return { code, title: CAUSES[code], ...o };
}

const warnings = (events: EventSummary[] | { error: string } | undefined): EventSummary[] => (Array.isArray(events) ? events.filter((e) => e.type === 'Warning') : []);

function eventEvidence(source: string, events: EventSummary[] | { error: string } | undefined, pattern?: RegExp): Evidence[] {
  const list = warnings(events).filter((e) => !pattern || pattern.test(e.message));
  const last = list.at(-1);
  return last ? [{ source, field: 'events', value: `Warning ${last.reason}${last.count > 1 ? ` (x${last.count})` : ''}: ${last.message}` }] : [];
}

/** The nameserver's answer in a cert-manager rfc2136 error: "Server replied: REFUSED", or miekg/dns's "bad authentication" (the reply's RCODE was NOTAUTH). */
export function dnsUpdateAnswer(reason: string): { answer: string; meaning: string } | undefined {
  const replied = /Server replied: ([A-Z]+)/.exec(reason);
  if (replied) {
    const rcode = replied[1]!;
    const meaning: Record<string, string> = {
      REFUSED: 'the nameserver refuses updates from this key or for this zone (its update policy, e.g. allow-update / update-policy, does not grant it)',
      NOTAUTH: 'the nameserver is not authoritative for the zone, or rejected the TSIG signature',
      NOTZONE: 'the record is outside the zone the update named',
      SERVFAIL: 'the nameserver failed to apply the update',
      NOTIMP: 'the nameserver does not implement dynamic updates',
    };
    return { answer: rcode, meaning: meaning[rcode] ?? `the nameserver answered ${rcode}` };
  }
  if (/bad authentication/i.test(reason)) return { answer: 'NOTAUTH', meaning: 'the nameserver rejected the TSIG signature (BADSIG or BADKEY): the key secret, key name or algorithm does not match its key' };
  if (/bad signature/i.test(reason)) return { answer: 'BADSIG', meaning: "the nameserver's reply did not verify with this key" };
  if (/bad time/i.test(reason)) return { answer: 'BADTIME', meaning: 'the clocks of cert-manager and the nameserver differ by more than the TSIG fudge (300 s)' };
  if (/bad key/i.test(reason)) return { answer: 'BADKEY', meaning: 'the nameserver does not know the TSIG key name' };
  return undefined;
}

function secretFactLine(s: SecretFact): string {
  if (s.error) return `not readable: ${s.error}`;
  if (!s.found) return 'does not exist';
  return `exists, keys: ${s.keys.join(', ') || '(none)'}${s.key && !s.keys.includes(s.key) ? ` (no ${q(s.key)})` : ''}`;
}

function issuerLabel(r: CertificateStatusReport): string {
  const i = r.issuer;
  if (!i) return 'the issuer';
  return `${i.kind} ${i.namespace ? `${i.namespace}/` : ''}${i.name}`;
}

function issuerCause(f: ExplainFacts): RootCause | undefined {
  const r = f.report;
  const i = r.issuer;
  if (!i) return undefined;
  const source = issuerLabel(r);
  const nodeId = 'issuer';
  const cr = r.certificateRequest && !isUnreadable(r.certificateRequest) ? r.certificateRequest : undefined;

  if (i.external) {
    const ref = `${i.kind}.${i.group}`;
    if (f.externalIssuer && !f.externalIssuer.served) {
      return cause('external-issuer-not-installed', {
        summary: `spec.issuerRef names ${i.kind} "${i.name}" in group ${i.group}, which the API server does not serve: the external issuer (its CRDs and controller) is not installed, or the kind or group is misspelt. cert-manager leaves such requests to that issuer's controller, so nothing signs ${cr ? `CertificateRequest ${cr.name}` : 'the request'}.`,
        evidence: [
          { source: `Certificate ${r.namespace}/${r.name}`, field: 'spec.issuerRef', value: `name ${i.name}, kind ${i.kind}, group ${i.group}` },
          ...(f.externalIssuer.message ? [{ source: 'API discovery', value: f.externalIssuer.message }] : []),
          ...(cr ? [{ source: `CertificateRequest ${r.namespace}/${cr.name}`, field: 'status.conditions', value: cr.conditions.map((c) => `${c.type}=${c.status}`).join(', ') || '(none)' }] : []),
        ],
        nextAction: `Install the issuer that serves ${ref} (its CRDs and controller), or correct spec.issuerRef.kind/group (cert-manager's own issuers are Issuer or ClusterIssuer in group cert-manager.io).`,
        node: nodeId,
      });
    }
    if (cr && !cond(cr.conditions, 'Ready') && !cr.denied && cr.approved) {
      return cause('external-issuer-not-responding', {
        summary: `${ref} is served, but nothing has set a Ready condition on the approved CertificateRequest ${cr.name}: the external issuer's controller is not running, or does not watch namespace "${r.namespace}".`,
        evidence: [{ source: `CertificateRequest ${r.namespace}/${cr.name}`, field: 'status.conditions', value: cr.conditions.map((c) => `${c.type}=${c.status}`).join(', ') }],
        nextAction: `Check the external issuer's controller (its pods and logs) and that a "${i.name}" ${i.kind} exists where it looks.`,
        node: 'request',
      });
    }
    return undefined;
  }
  if (i.error) return undefined; // not readable: the request's own state tells the rest
  if (!i.found) {
    return cause('issuer-not-found', {
      summary: `There is no ${i.kind} "${i.name}"${i.namespace ? ` in namespace "${i.namespace}"` : ''}; cert-manager waits for it.`,
      evidence: [
        { source: `Certificate ${r.namespace}/${r.name}`, field: 'spec.issuerRef', value: `name ${i.name}, kind ${i.kind}` },
        ...(cr ? [{ source: `CertificateRequest ${r.namespace}/${cr.name}`, field: 'status.conditions[Ready]', value: cond(cr.conditions, 'Ready')?.message ?? '(no Ready condition)' }] : []),
      ],
      nextAction: i.kind === 'ClusterIssuer' ? `Create ClusterIssuer "${i.name}", or correct spec.issuerRef (an Issuer needs kind: Issuer and lives in the Certificate's namespace).` : `Create Issuer "${i.name}" in namespace "${r.namespace}" (an Issuer serves only its own namespace), or set spec.issuerRef.kind: ClusterIssuer if it is one.`,
      node: nodeId,
    });
  }
  if (i.ready) return undefined;
  const ready = cond(i.conditions, 'Ready');
  const message = ready?.message ?? '';
  const readyEvidence: Evidence[] = ready
    ? [{ source, field: 'status.conditions[Ready]', value: `False, ${ready.reason ?? ''}${ready.reason ? ': ' : ''}${message}` }]
    : [{ source, field: 'status.conditions', value: '(none: no cert-manager controller has looked at it)' }];

  if (i.type === 'acme' && (ready?.reason === 'ErrRegisterACMEAccount' || /register ACME account|initializing issuer/i.test(message))) {
    const problem = acmeProblemIn(message);
    const eab = f.issuerSecrets.find((s) => s.role === 'EAB HMAC key');
    const eabLine: Evidence[] = eab ? [{ source: `Secret ${eab.namespace}/${eab.name}`, field: `EAB HMAC key${eab.key ? ` (key ${q(eab.key)})` : ''}`, value: secretFactLine(eab) }] : [];
    if (problem && (/external ?account|EAB/i.test(problem.detail) || problemName(problem.type) === 'externalAccountRequired')) {
      const required = problemName(problem.type) === 'externalAccountRequired';
      return cause('acme-account-eab-rejected', {
        summary: required
          ? `The CA at ${i.acmeServer ?? '(its server)'} requires an external account binding (EAB), and the Issuer has none.`
          : `The CA at ${i.acmeServer ?? '(its server)'} refuses the Issuer's external account binding: the EAB key ID or its HMAC key does not match what the CA issued.`,
        evidence: [...readyEvidence, ...eabLine],
        nextAction: required
          ? 'Add spec.acme.externalAccountBinding (keyID and keySecretRef) with the EAB credentials from the CA\'s account page.'
          : `Check spec.acme.externalAccountBinding.keyID and the HMAC key in the Secret it names (base64url, as the CA shows it; EAB credentials are often single-use: ask the CA for new ones if they were used before). cert-manager does not retry a refused registration on its own: change the Issuer (or its Secret) to make it try again.`,
        node: nodeId,
        problem,
      });
    }
    if (!problem && /dial tcp|connection refused|no such host|i\/o timeout|timeout|deadline exceeded|x509:|tls:|certificate signed by unknown authority|EOF|network is unreachable/i.test(message)) {
      const tls = /x509:|tls:|certificate signed by unknown authority/i.test(message);
      return cause('acme-account-ca-unreachable', {
        summary: tls
          ? `cert-manager cannot establish TLS with the ACME server ${i.acmeServer ?? ''}: its certificate is not trusted (a private CA needs spec.acme.caBundle).`
          : `cert-manager cannot reach the ACME server ${i.acmeServer ?? ''}: ${/connection refused/i.test(message) ? 'nothing listens there (connection refused)' : /no such host/i.test(message) ? 'the host name does not resolve' : 'the connection fails'}.`,
        evidence: readyEvidence,
        nextAction: tls
          ? 'Set spec.acme.caBundle to the PEM (base64) of the CA that signed the ACME server\'s certificate, or correct spec.acme.server.'
          : `Check spec.acme.server (${i.acmeServer ?? 'the directory URL'}) and that the controller's network (proxy, egress rules, DNS) reaches it; cert-manager retries with backoff.`,
        node: nodeId,
      });
    }
    return cause('acme-account-rejected', {
      summary: `The ACME server ${i.acmeServer ?? ''} refuses to register the Issuer's account${problem ? ` (${problemName(problem.type)})` : ''}.`,
      evidence: readyEvidence,
      nextAction: problem
        ? `Read the CA's problem document below and correct the Issuer (email, terms of service, account key Secret); cert-manager does not retry a refused registration until the Issuer changes.`
        : 'Correct the Issuer according to the message; cert-manager retries with backoff.',
      node: nodeId,
      ...(problem ? { problem } : {}),
    });
  }

  if (i.type === 'ca') {
    const secret = f.issuerSecrets.find((s) => s.role === 'CA key pair');
    const where = i.kind === 'ClusterIssuer' ? `the cluster resource namespace "${f.clusterResourceNamespace}"` : `namespace "${i.namespace}"`;
    if (secret && !secret.found && !secret.error) {
      const elsewhere = (f.caSecretElsewhere ?? []).filter((ns) => ns !== secret.namespace);
      if (elsewhere.length) {
        return cause('ca-secret-wrong-namespace', {
          summary: `The ${i.kind} reads Secret "${secret.name}" from ${where}, but it is in namespace${elsewhere.length > 1 ? 's' : ''} ${elsewhere.map((n) => `"${n}"`).join(', ')}.${i.kind === 'ClusterIssuer' ? ' A ClusterIssuer reads Secrets only from the controller\'s --cluster-resource-namespace.' : ' An Issuer reads Secrets only from its own namespace.'}`,
          evidence: [...readyEvidence, { source: `Secret ${secret.namespace}/${secret.name}`, value: 'does not exist' }, ...elsewhere.map((ns) => ({ source: `Secret ${ns}/${secret.name}`, value: 'exists' }))],
          nextAction: `Create the Secret in ${where} (copy it, or issue the CA Certificate there), or, for a ClusterIssuer, run cert-manager with --cluster-resource-namespace=${elsewhere[0]}. (A different namespace? certsmith explain takes --cluster-resource-namespace.)`,
          node: `secret:${secret.namespace}/${secret.name}`,
        });
      }
      return cause('ca-secret-missing', {
        summary: `The ${i.kind}'s key pair Secret "${secret.name}" does not exist in ${where}.`,
        evidence: [...readyEvidence, { source: `Secret ${secret.namespace}/${secret.name}`, value: 'does not exist' }],
        nextAction: `Create Secret "${secret.name}" in ${where} with tls.crt (the CA certificate) and tls.key (its private key), e.g. from a self-signed Certificate with isCA: true, or correct spec.ca.secretName.`,
        node: `secret:${secret.namespace}/${secret.name}`,
      });
    }
    if (secret?.found && (!secret.keys.includes('tls.key') || !secret.keys.includes('tls.crt'))) {
      const missing = ['tls.crt', 'tls.key'].filter((k) => !secret.keys.includes(k));
      return cause('ca-secret-incomplete', {
        summary: `Secret ${secret.namespace}/${secret.name} has no ${missing.join(' and no ')}: a CA issuer needs the CA certificate (tls.crt) and its private key (tls.key).`,
        evidence: [...readyEvidence, { source: `Secret ${secret.namespace}/${secret.name}`, field: 'data keys', value: secret.keys.join(', ') || '(none)' }],
        nextAction: `Put ${missing.join(' and ')} into Secret ${secret.namespace}/${secret.name} (type kubernetes.io/tls), or point spec.ca.secretName at a Secret that has both.`,
        node: `secret:${secret.namespace}/${secret.name}`,
      });
    }
    if (ready?.reason === 'ErrInvalidKeyPair' || /not a CA/i.test(message)) {
      return cause('ca-secret-not-ca', {
        summary: `The certificate in ${secret ? `Secret ${secret.namespace}/${secret.name}` : 'the CA issuer\'s Secret'} is not a CA certificate (basicConstraints CA:FALSE), so it may not sign others.`,
        evidence: readyEvidence,
        nextAction: 'Use a CA certificate (isCA: true on the Certificate that makes it, or a CA from your PKI) in the Secret.',
        node: secret ? `secret:${secret.namespace}/${secret.name}` : nodeId,
      });
    }
  }
  return cause('issuer-not-ready', {
    summary: ready ? `${source} is not Ready: ${message || ready.reason || 'no message'}` : `${source} has no Ready condition: no cert-manager controller has processed it (is the controller running, with the issuers${i.kind === 'ClusterIssuer' ? ' and clusterissuers' : ''} controller?).`,
    evidence: [...readyEvidence, ...f.issuerSecrets.filter((s) => !s.found || s.error).map((s) => ({ source: `Secret ${s.namespace}/${s.name}`, field: s.role, value: secretFactLine(s) }))],
    nextAction: ready ? `Fix what the Issuer's message says; the Certificate is issued once ${source} is Ready.` : 'Check that cert-manager\'s controller runs and its logs.',
    node: nodeId,
  });
}

function requestCause(f: ExplainFacts, cr: CertificateRequestSection): RootCause | undefined {
  const r = f.report;
  const source = `CertificateRequest ${r.namespace}/${cr.name}`;
  if (cr.denied) {
    const d = cond(cr.conditions, 'Denied');
    return cause('request-denied', {
      summary: `${source} was denied${d?.reason ? ` by ${d.reason}` : ''}: nothing will sign it.${d?.message ? ` ${d.message}` : ''}`,
      evidence: [{ source, field: 'status.conditions[Denied]', value: `True, ${d?.reason ?? ''}: ${d?.message ?? ''}` }],
      nextAction: `Find out why the approver denied it (an approver-policy CertificateRequestPolicy, or a person); change the Certificate so that a policy allows it, then renew (${f.renewCommand}).`,
      node: 'request',
    });
  }
  if (!cr.approved) {
    const waiting = cr.events.filter((e) => e.reason === 'WaitingForApproval').length;
    return cause('request-not-approved', {
      summary: `${source} has been neither approved nor denied: cert-manager's issuers sign only approved requests. cert-manager's own approver (the certificaterequests-approver controller) is disabled, or an external approver (approver-policy) has no policy that matches.`,
      evidence: [{ source, field: 'status.conditions', value: cr.conditions.length ? cr.conditions.map((c) => `${c.type}=${c.status}`).join(', ') : '(none: no Approved or Denied condition)' }, ...(waiting ? [{ source, field: 'events', value: 'Normal WaitingForApproval: Not signing CertificateRequest until it is Approved' }] : [])],
      nextAction: 'Enable an approver: run cert-manager with its approver (do not disable certificaterequests-approver in --controllers), or add an approver-policy CertificateRequestPolicy (and RBAC) that allows this request. A person may approve it once with `cmctl approve`.',
      node: 'request',
    });
  }
  return undefined;
}

function orderCause(f: ExplainFacts, cr: CertificateRequestSection | undefined, order: OrderSection | undefined, challenges: ChallengeSection[]): RootCause | undefined {
  const r = f.report;
  const crReady = cr ? cond(cr.conditions, 'Ready') : undefined;
  const failedState = (s: string | undefined) => s === 'errored' || s === 'invalid';
  if (order && failedState(order.state)) {
    const source = `Order ${r.namespace}/${order.name}`;
    const invalidChallenge = challenges.find((c) => failedState(c.state) && c.reason);
    const problem = acmeProblemIn(order.reason) ?? acmeProblemIn(invalidChallenge?.reason);
    return cause('acme-order-failed', {
      summary: `The ACME CA ${order.state === 'invalid' ? 'marked the order invalid' : 'refused the order'}${problem ? ` (${problemName(problem.type)})` : ''}: ${problem?.detail ?? order.reason ?? 'no reason given'}`,
      evidence: [
        { source, field: 'status.state', value: order.state! },
        ...(order.reason ? [{ source, field: 'status.reason', value: order.reason }] : []),
        ...(invalidChallenge ? [{ source: `Challenge ${r.namespace}/${invalidChallenge.name}`, field: 'status.reason', value: invalidChallenge.reason! }] : []),
      ],
      nextAction: `${problem ? `Fix what the CA says (${problemName(problem.type)}): ` : ''}${orderAdvice(problem?.type, problem?.detail ?? order.reason ?? '')} cert-manager tries a changed spec at once; otherwise renew (${f.renewCommand}).`,
      node: 'order',
      ...(problem ? { problem } : {}),
    });
  }
  // The request failed because of an order that is not (or no longer) owned by it.
  if (cr && crReady?.reason === 'Failed' && /order is in "(errored|invalid)" state/.test(crReady.message ?? '')) {
    const problem = acmeProblemIn(crReady.message);
    return cause('acme-order-failed', {
      summary: `The ACME CA refused the order${problem ? ` (${problemName(problem.type)})` : ''}: ${problem?.detail ?? crReady.message}`,
      evidence: [{ source: `CertificateRequest ${r.namespace}/${cr.name}`, field: 'status.conditions[Ready].message', value: crReady.message ?? '' }],
      nextAction: `${problem ? `Fix what the CA says (${problemName(problem.type)}): ` : ''}${orderAdvice(problem?.type, problem?.detail ?? crReady.message ?? '')} cert-manager tries a changed spec at once; otherwise renew (${f.renewCommand}).`,
      node: 'request',
      ...(problem ? { problem } : {}),
    });
  }
  return undefined;
}

function orderAdvice(type: string | undefined, detail: string): string {
  const name = type ? problemName(type) : '';
  if (name === 'rejectedIdentifier' || /forbidden by policy|blocked/i.test(detail)) return 'the CA will not issue for one of the names (its policy or blocklist); remove that name from spec.dnsNames or use another CA.';
  if (name === 'malformed' && /identifier|character|DNS name/i.test(detail)) return 'one of spec.dnsNames is not a valid DNS name for this CA; correct it.';
  if (name === 'caa') return 'a CAA record of the domain does not allow this CA; add a CAA record for it or remove the one that forbids it.';
  if (name === 'rateLimited') return 'the CA\'s rate limit is reached; wait for the time it names, and use a staging server for tests.';
  if (name === 'unauthorized' || name === 'incorrectResponse' || name === 'dns' || name === 'connection') return 'the CA could not validate the challenge; check what the challenge published against what the CA sees.';
  return 'correct the Certificate or the Issuer accordingly.';
}

function challengeCause(f: ExplainFacts, challenges: ChallengeSection[]): RootCause | undefined {
  const r = f.report;
  for (const ch of challenges) {
    if (ch.state === 'valid' || !ch.reason) continue;
    const source = `Challenge ${r.namespace}/${ch.name}`;
    const node = `challenge:${ch.name}`;
    const isDns = /dns-01/i.test(ch.type ?? '') || ch.solver?.startsWith('dns01');
    if (isDns && /DNS update failed/i.test(ch.reason)) {
      const a = dnsUpdateAnswer(ch.reason);
      const tsig = f.issuerSecrets.find((s) => /tsigSecret/i.test(s.role));
      return cause('dns01-update-refused', {
        summary: `cert-manager cannot create the TXT record for ${ch.domain ?? 'the name'}: the nameserver ${ch.nameserver ?? ''} answered ${a?.answer ?? 'with an error'}${a ? ` (${a.meaning})` : ''}.`,
        evidence: [
          { source, field: 'status.reason', value: ch.reason },
          ...(ch.tsigKeyName ? [{ source, field: 'spec.solver.dns01.rfc2136', value: `nameserver ${ch.nameserver ?? '?'}, tsigKeyName ${ch.tsigKeyName}, tsigAlgorithm ${ch.tsigAlgorithm ?? 'HMACMD5 (default)'}` }] : []),
          ...(tsig ? [{ source: `Secret ${tsig.namespace}/${tsig.name}`, field: tsig.role, value: secretFactLine(tsig) }] : []),
          ...eventEvidence(source, ch.events, /DNS update failed/),
        ],
        nextAction: a?.answer === 'REFUSED'
          ? `Allow this key to update the zone on ${ch.nameserver ?? 'the nameserver'} (bind9: allow-update { key "${ch.tsigKeyName ?? 'NAME'}"; } or an update-policy grant for _acme-challenge names).`
          : `Compare the TSIG key in Secret ${tsig ? `${tsig.namespace}/${tsig.name}` : '(tsigSecretSecretRef)'} (key ${q(tsig?.key ?? 'its key')}), tsigKeyName "${ch.tsigKeyName ?? '?'}" and tsigAlgorithm with the key the nameserver has (bind9: the key clause in named.conf); the secret must be the same base64 value. cert-manager retries with backoff once it is corrected.`,
        node,
        ...(a ? { answer: a.answer } : {}),
      });
    }
    if (isDns && ch.presented && /propagat/i.test(ch.reason)) {
      return cause('dns01-not-propagated', {
        summary: `cert-manager created the TXT record for ${ch.domain ?? 'the name'}, but its self check does not see it through the recursive nameservers it asks (--dns01-recursive-nameservers), so it never tells the CA to validate.`,
        evidence: [{ source, field: 'status.reason', value: ch.reason }, ...(ch.key ? [{ source, field: 'spec.key (the TXT value)', value: ch.key }] : [])],
        nextAction: 'See the table: if the authoritative nameservers hold the value and the recursive ones do not, cert-manager\'s resolvers see another copy of the zone (split horizon) or a stale cache. Point the controller\'s --dns01-recursive-nameservers (with --dns01-recursive-nameservers-only) at resolvers that see the public zone, or set waitInsteadOfSelfCheck on the solver to skip the self check.',
        node,
      });
    }
    if (ch.state === 'invalid' || ch.state === 'errored') continue; // the Order's failure says it with the problem document
    return cause('challenge-failing', {
      summary: `${ch.type ?? 'The'} challenge for ${ch.domain ?? 'a name'} does not complete: ${ch.reason}`,
      evidence: [{ source, field: 'status.reason', value: ch.reason }, ...eventEvidence(source, ch.events)],
      nextAction: /HTTP-01/i.test(ch.type ?? '') ? 'Check that the solver\'s pod, Service and Ingress (or Gateway route) serve /.well-known/acme-challenge/ for this name from where the controller asks.' : 'Fix what the challenge\'s reason says; cert-manager retries with backoff.',
      node,
    });
  }
  return undefined;
}

/** The one root cause, the verdict and the retry and reissue facts. */
export function diagnose(f: ExplainFacts): Diagnosis {
  const r = f.report;
  const retry: IssuanceBackoff | undefined = issuanceBackoff(r.status, f.backoff, f.now);
  const ready = cond(r.conditions, 'Ready');
  const issuing = cond(r.conditions, 'Issuing');
  const reasonSource = issuing?.status === 'True' ? issuing : ready?.status === 'False' ? ready : undefined;
  const why = reissueReason(reasonSource?.reason);
  const reissue = why ? { ...why, ...(reasonSource?.message ? { message: reasonSource.message } : {}) } : undefined;
  const base = { ...(retry ? { retry } : {}), ...(reissue && r.secret?.found ? { reissue } : {}) };

  if (r.ready && !r.issuing) {
    return {
      verdict: 'healthy',
      headline: `Certificate ${r.namespace}/${r.name} is Ready${r.status.renewalTime ? `; cert-manager renews it at ${r.status.renewalTime}` : ''}${r.status.notAfter ? ` (valid until ${r.status.notAfter})` : ''}.`,
      renewal: { ...(r.status.notAfter ? { notAfter: r.status.notAfter } : {}), ...(r.status.renewalTime ? { renewalTime: r.status.renewalTime } : {}) },
    };
  }
  const done = (c: RootCause, verdict: Diagnosis['verdict'] = 'not-ready'): Diagnosis => {
    let nextAction = c.nextAction;
    if (retry?.waiting && c.code !== 'issuance-backoff') nextAction += ` cert-manager tries again at ${retry.nextAttemptAt} (in ${formatWait(retry.remainingMs)}); to try sooner: ${f.renewCommand}.`;
    return { ...base, verdict, headline: `${c.title}.`, cause: { ...c, nextAction } };
  };

  if (!r.conditions.length) {
    const none = Array.isArray(r.events) && r.events.length === 0;
    return done(cause('certificate-not-processed', {
      summary: `The Certificate has no conditions${none ? ' and no events' : ''}: cert-manager's controller has not looked at it. It is not running, cannot reach the API server, or does not watch namespace "${r.namespace}" (--namespace).`,
      evidence: [{ source: `Certificate ${r.namespace}/${r.name}`, field: 'status.conditions', value: '(none)' }],
      nextAction: 'Check that cert-manager\'s controller runs (its pods and logs), and that its CRDs and version match.',
      node: 'certificate',
    }));
  }

  const issuerProblem = issuerCause(f);
  if (issuerProblem) return done(issuerProblem);

  const cr = r.certificateRequest && !isUnreadable(r.certificateRequest) ? r.certificateRequest : undefined;
  if (cr) {
    const c = requestCause(f, cr);
    if (c) return done(c);
  }
  const order = r.order && !isUnreadable(r.order) ? r.order : f.orderByName;
  const challenges = r.challenges && !isUnreadable(r.challenges) ? r.challenges : [];
  const o = orderCause(f, cr, order, challenges);
  if (o) return done(o);
  const ch = challengeCause(f, challenges);
  if (ch) return done(ch);

  const crReady = cr ? cond(cr.conditions, 'Ready') : undefined;
  const failure = issuing?.status === 'False' ? issuing : undefined;
  if (retry && (failure || crReady?.reason === 'Failed' || retry.waiting)) {
    const why = failure?.message ?? crReady?.message ?? 'no message';
    const problem = acmeProblemIn(why);
    const attempts = retry.failedIssuanceAttempts ?? 1;
    return done(cause('issuance-backoff', {
      summary: `Issuance failed ${attempts === 1 ? 'once' : `${attempts} times`}${failure?.reason ? ` (${failure.reason})` : ''}: ${why.replace(/^The certificate request has failed to complete and will be retried: /, '')}. ${retry.waiting ? `cert-manager waits ${formatWait(retry.delayMs)} after the last failure (${retry.lastFailureTime}) and tries again at ${retry.nextAttemptAt}, in ${formatWait(retry.remainingMs)}.` : `Its wait of ${formatWait(retry.delayMs)} ended at ${retry.nextAttemptAt}: the next attempt is due now.`}`,
      evidence: [
        { source: `Certificate ${r.namespace}/${r.name}`, field: 'status.lastFailureTime', value: retry.lastFailureTime },
        { source: `Certificate ${r.namespace}/${r.name}`, field: 'status.failedIssuanceAttempts', value: String(retry.failedIssuanceAttempts ?? '(unset)') },
        ...(failure ? [{ source: `Certificate ${r.namespace}/${r.name}`, field: 'status.conditions[Issuing]', value: `False, ${failure.reason ?? ''}: ${failure.message ?? ''}` }] : []),
        ...(cr && crReady?.reason === 'Failed' ? [{ source: `CertificateRequest ${r.namespace}/${cr.name}`, field: 'status.conditions[Ready]', value: `False, Failed: ${crReady.message ?? ''}` }] : []),
        { source: 'cert-manager backoff', value: `${formatWait(retry.bounds.minimumMs)} × 2^(${attempts} − 1), at most ${formatWait(retry.bounds.maximumMs)} = ${formatWait(retry.delayMs)}` },
      ],
      nextAction: `Fix the cause above, then renew now (${f.renewCommand}) instead of waiting${retry.waiting ? ` until ${retry.nextAttemptAt}` : ''}. A change to the Certificate's spec is also tried at once.`,
      node: cr && crReady?.reason === 'Failed' ? 'request' : 'certificate',
      ...(problem ? { problem } : {}),
    }));
  }
  if (cr && crReady?.reason === 'Failed') {
    return done(cause('request-failed', {
      summary: `CertificateRequest ${cr.name} failed: ${crReady.message ?? 'no message'}`,
      evidence: [{ source: `CertificateRequest ${r.namespace}/${cr.name}`, field: 'status.conditions[Ready]', value: `False, Failed: ${crReady.message ?? ''}` }, ...eventEvidence(`CertificateRequest ${r.namespace}/${cr.name}`, cr.events)],
      nextAction: `Fix what the message says, then renew (${f.renewCommand}).`,
      node: 'request',
    }));
  }
  if (issuing?.status === 'True') {
    const step = crReady?.message ?? (cr ? 'the CertificateRequest has no Ready condition yet' : 'cert-manager is creating the CertificateRequest');
    return done(
      cause('issuing', {
        summary: `cert-manager is issuing (${issuing.reason ?? ''}${issuing.message ? `: ${issuing.message}` : ''})${since(issuing, f.now)}; now: ${step}. Nothing has failed so far.`,
        evidence: [{ source: `Certificate ${r.namespace}/${r.name}`, field: 'status.conditions[Issuing]', value: `True, ${issuing.reason ?? ''}: ${issuing.message ?? ''}` }, ...(crReady ? [{ source: `CertificateRequest ${r.namespace}/${cr!.name}`, field: 'status.conditions[Ready]', value: `${crReady.status}, ${crReady.reason ?? ''}: ${crReady.message ?? ''}` }] : [])],
        nextAction: `Wait for it (certsmith status certificate ${r.name} -n ${r.namespace} --wait), and explain again if it takes longer than expected.`,
        node: cr ? 'request' : 'certificate',
      }),
      'progressing',
    );
  }
  return done(cause('unknown', {
    summary: `The Certificate is not Ready${ready ? ` (${ready.reason ?? ''}: ${ready.message ?? ''})` : ''}, and no failure was found in its request, order, challenges or issuer.`,
    evidence: ready ? [{ source: `Certificate ${r.namespace}/${r.name}`, field: 'status.conditions[Ready]', value: `${ready.status}, ${ready.reason ?? ''}: ${ready.message ?? ''}` }] : [],
    nextAction: `Look at cert-manager's controller log for this Certificate; renew (${f.renewCommand}) to start a new issuance.`,
    node: 'certificate',
  }));
}
