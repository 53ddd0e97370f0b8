/**
 * "Why isn't it Ready?": the shape of an explanation and its stable cause
 * codes. A cause code names one root cause; tools and tests match on it, so
 * a code is never renamed (new causes get new codes).
 */
import type { CertificateStatusReport, EventSummary } from '../certificate-status.js';
import type { IssuanceBackoff } from './issuance-backoff.js';
import type { ReissueReason } from './reissue-reasons.js';

/** Each root cause Certsmith can name, with the one-line title it is shown under. */
export const CAUSES = {
  'certificate-not-processed': 'cert-manager has not processed this Certificate',
  'issuer-not-found': 'The issuer it names does not exist',
  'external-issuer-not-installed': 'No controller serves the issuerRef’s kind and group',
  'external-issuer-not-responding': 'The external issuer does not answer its CertificateRequest',
  'acme-account-ca-unreachable': 'The ACME account cannot register: the CA is unreachable',
  'acme-account-eab-rejected': 'The ACME account cannot register: the CA refuses the external account binding',
  'acme-account-rejected': 'The ACME account cannot register: the CA refuses it',
  'ca-secret-missing': 'The CA issuer’s Secret does not exist',
  'ca-secret-wrong-namespace': 'The CA issuer’s Secret is in another namespace',
  'ca-secret-incomplete': 'The CA issuer’s Secret lacks its key pair',
  'ca-secret-not-ca': 'The CA issuer’s certificate is not a CA',
  'issuer-not-ready': 'The issuer is not Ready',
  'request-not-approved': 'The CertificateRequest is not approved',
  'request-denied': 'The CertificateRequest was denied',
  'acme-order-failed': 'The ACME CA refused the order',
  'dns01-update-refused': 'The DNS server refuses the DNS-01 record update',
  'dns01-not-propagated': 'The DNS-01 record is not visible to cert-manager’s resolvers',
  'challenge-failing': 'An ACME challenge cannot be completed',
  'issuance-backoff': 'The last issuance failed; cert-manager waits before trying again',
  'request-failed': 'The CertificateRequest failed',
  'issuing': 'Issuance is in progress',
  'unknown': 'No cause found',
} as const;

export type CauseCode = keyof typeof CAUSES;

/** What Certsmith saw that supports the cause: one fact, where it was read. */
export interface Evidence {
  /** "Issuer default/ca", "Challenge default/x-1-2-3", "Secret cert-manager/root-ca". */
  source: string;
  /** "status.conditions[Ready].message", "data keys", "events". */
  field?: string;
  /** Quoted as read (never a Secret value). */
  value: string;
}

/** An ACME problem document (RFC 8555 §6.7) as the CA sent it, found in a cert-manager message. */
export interface AcmeProblem {
  status?: number;
  type: string;
  detail: string;
  /** The text as cert-manager recorded it, unchanged. */
  verbatim: string;
}

/** What one nameserver answers for the DNS-01 record (from the caller's propagation check). */
interface RecordAnswer {
  server: string;
  role: 'authoritative' | 'recursive';
  /** The NS host name of an authoritative server. */
  nameserver: string | null;
  rcode: string;
  values: string[];
  matched: boolean;
  /** ok, stale, missing, timeout, error */
  status: string;
  /** In one sentence. */
  reason: string;
}

export interface RecordCheck {
  name: string;
  expected: string[];
  propagated: boolean;
  zone: string;
  nameservers: RecordAnswer[];
  /** The recursive nameservers asked, and where that list came from. */
  recursiveNameservers: string[];
  checkedAt: string;
  /** The check could not be done. */
  error?: string;
}

/** Runs Certsmith's propagation check for a TXT record (injected: the DNS code lives in engine/dns). */
export type RecordChecker = (record: { name: string; expected: string[] }, signal?: AbortSignal) => Promise<RecordCheck>;

export interface RootCause {
  code: CauseCode;
  title: string;
  /** What is wrong, in a sentence or two. */
  summary: string;
  evidence: Evidence[];
  /** What to do next. */
  nextAction: string;
  /** The graph node it is about (see ExplanationNode.id). */
  node?: string;
  /** DNS-01 update refused: the nameserver's answer (NOTAUTH, REFUSED, BADSIG...). */
  answer?: string;
  problem?: AcmeProblem;
  recordCheck?: RecordCheck;
}

export type NodeState = 'ok' | 'progress' | 'waiting' | 'failed' | 'missing' | 'unknown';

/** One box of the picture: Certificate → CertificateRequest → Order → Challenges, the issuer, the Secrets. */
export interface ExplanationNode {
  id: string;
  kind: string;
  name: string;
  namespace?: string;
  state: NodeState;
  /** One line: "Ready", "Pending: Waiting on certificate issuance from order ...". */
  summary: string;
  /** More lines (conditions, keys, solver). */
  details: string[];
  events: EventSummary[];
  /** The root cause lies here. */
  cause?: boolean;
}

/** A Secret the Certificate or its issuer uses: existence and key names, never values. */
export interface SecretFact {
  role: string;
  name: string;
  namespace: string;
  /** The key the reference names, if any. */
  key?: string;
  found: boolean;
  keys: string[];
  error?: string;
}

type ExplainVerdict = 'healthy' | 'not-ready' | 'progressing';

export interface Explanation {
  context: string;
  server: string;
  namespace: string;
  name: string;
  verdict: ExplainVerdict;
  /** One sentence: the answer to "why isn't it Ready?" (or that it is). */
  headline: string;
  cause?: RootCause;
  /** When healthy: validity and the next renewal. */
  renewal?: { notAfter?: string; renewalTime?: string };
  /** The last failure and when cert-manager tries again. */
  retry?: IssuanceBackoff;
  /** cert-manager is issuing again (or will), and why. */
  reissue?: ReissueReason & { message?: string };
  nodes: ExplanationNode[];
  secrets: SecretFact[];
  /** The status the explanation was made from. */
  status: CertificateStatusReport;
  checkedAt: string;
}
