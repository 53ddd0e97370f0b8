/**
 * Where Certsmith deliberately answers differently from cert-manager's
 * admission webhook or the API server, and why. The differential test
 * (test/oracle/) compares Certsmith's diagnostics with both on thousands of
 * documents, for each cert-manager release with that release's webhook and
 * CRDs (Certsmith targeting it), and fails on any difference not matched by an entry here;
 * docs/rules.md renders this list ("Deliberate differences from cert-manager").
 */
import { RULES } from './registry.js';

/**
 * What the differential test found:
 * - `missed`: an oracle rejects the document and Certsmith reports no error;
 * - `certsmith-only`: Certsmith reports an error and neither oracle rejects the document;
 * - `path-elsewhere`: both reject it, but this error's field path has no counterpart on the other side;
 * - `missed-warning`: cert-manager's webhook warns and Certsmith does not;
 * - `certsmith-only-warning`: Certsmith warns and neither oracle does.
 */
export type DifferenceCategory = 'missed' | 'certsmith-only' | 'path-elsewhere' | 'missed-warning' | 'certsmith-only-warning';

export interface DeliberateDifference {
  id: string;
  categories: DifferenceCategory[];
  /** Certsmith rule ids this applies to (for differences on Certsmith's side). */
  rules?: string[];
  /** Which oracle's answer this applies to (for differences on the oracle's side). */
  oracle?: 'webhook' | 'apiserver';
  /** The field path (Certsmith's or the oracle's). */
  path?: RegExp;
  /** The oracle's message (or Certsmith's, for Certsmith-side differences). */
  message?: RegExp;
  /** Only for objects of these kinds. */
  kinds?: string[];
  /** Only when cert-manager's webhook could not decode the object (a value of the wrong type), so its rules never ran. */
  whenWebhookCannotDecode?: boolean;
  /** Why the difference is right. */
  reason: string;
}

const SHIM_RULES = RULES.filter((r) => r.family === 'shim').map((r) => r.id);
const WEBHOOK_RULES = RULES.filter((r) => r.family === 'webhook').map((r) => r.id);

export const DELIBERATE_DIFFERENCES: readonly DeliberateDifference[] = [
  {
    id: 'certificate-shim',
    categories: ['certsmith-only', 'certsmith-only-warning', 'path-elsewhere'],
    rules: SHIM_RULES,
    reason:
      "The certificate-shim is part of cert-manager's controller, not of admission: the API server and the webhook accept an Ingress or Gateway whose cert-manager annotations the shim will refuse or ignore later (with an Event, and no Certificate). Certsmith reports it while you write; these rules are checked against the shim's own code paths in test/semantics/shim.test.ts instead.",
  },
  {
    id: 'null-values',
    categories: ['certsmith-only-warning'],
    rules: ['schema-null-value'],
    reason: 'The API server drops a field whose value is null without a word; a key with no value is almost always a value someone forgot, so Certsmith warns.',
  },
  {
    id: 'webhook-rules-despite-type-errors',
    categories: ['path-elsewhere', 'certsmith-only-warning'],
    rules: WEBHOOK_RULES,
    whenWebhookCannotDecode: true,
    reason:
      "When a value has the wrong type the API server rejects the object before the webhook is called, and the webhook's decoder could not read it anyway. Certsmith still applies the webhook's rules to the fields it can read, so that one pass shows every problem instead of one layer at a time.",
  },
  {
    id: 'built-in-kinds-beyond-ingress',
    categories: ['missed'],
    oracle: 'apiserver',
    kinds: ['NetworkPolicy', 'IngressClass'],
    reason:
      "Kubernetes kinds other than Ingress (e.g. NetworkPolicy in a networking.k8s.io/v1 file) are checked against their OpenAPI schema only; the API server's hand-written validation of them (such as endPort with a named port) is not cert-manager's and not Certsmith's subject.",
  },
];
