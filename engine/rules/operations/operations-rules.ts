/**
 * Mistakes that cert-manager's admission accepts but that fail, or hurt, once
 * the objects run: a solver nothing reaches, a credential with a line break,
 * a namespace that depends on how the files are applied, TLS checks turned
 * off, and what Let's Encrypt's profiles and rate limits do to a setup.
 * Errors only where the failure is certain from the files.
 */
import type { RuleDefinition } from '../../core/rule-definition.js';

const DOCS = 'https://cert-manager.io/docs';
const LE = 'https://letsencrypt.org/docs';

function rule<const Id extends string>(id: Id, severity: RuleDefinition['severity'], title: string, description: string, docs: string, example: string): RuleDefinition<Id> {
  return { id, family: 'operations', severity, title, description, docs, example };
}

export const OPERATIONS_RULES = [
  rule(
    'acme-solver-unreachable',
    'warning',
    'An ACME solver that cert-manager never picks',
    "cert-manager picks one solver per name: the best selector match (dnsNames, then the longest dnsZones, then the most matchLabels), the first on a tie, and a solver without selector only when nothing else matches. A solver that loses to an earlier one with an equal or broader selector for every name it could serve is never used: whatever it configures (a DNS provider, an ingress class) has no effect. Remove it, or narrow the earlier solver's selector.",
    `${DOCS}/configuration/acme/#adding-multiple-solver-types`,
    'solvers:\n  - dns01: {cloudflare: {...}}          # no selector: serves every name\n  - selector: {}\n    http01: {ingress: {}}              # never chosen\n',
  ),
  rule(
    'secret-trailing-newline',
    'warning',
    'A credential an issuer reads from a Secret ends in a line break',
    'The value was most likely made with `echo` without `-n` (or a `|` block in stringData). cert-manager passes these credentials on byte for byte, so the DNS provider, the ACME server or Venafi sees a different token or password and refuses it. The quick fix removes the line break (re-encoding the base64 value). Credentials cert-manager trims or decodes leniently (RFC 2136 TSIG secrets, DigitalOcean and Vault tokens, Route 53 secret access keys) are not reported.',
    `${DOCS}/configuration/acme/dns01/`,
    'kind: Secret\ndata:\n  api-token: c2VjcmV0Cg==   # "secret\\n"\n',
  ),
  rule(
    'certificate-namespace-implicit',
    'warning',
    "A Certificate without a namespace whose Issuer, next to it, is in a namespace of its own",
    'Without metadata.namespace the Certificate lands in whatever namespace it is applied to (kubectl\'s -n or the context\'s default). An Issuer serves only its own namespace, so the Certificate works only when applied with -n set to the Issuer\'s. Issuers in the same folder, or in a folder above or below, are considered (elsewhere in a repository they are likely another app\'s), and files that a kustomization gives a namespace are left alone. The quick fix writes that namespace into the Certificate (an Ingress or Gateway naming an Issuer is reported the same way).',
    `${DOCS}/concepts/issuer/#namespaces`,
    'metadata:\n  name: web            # no namespace; the Issuer "ca" is in namespace "shop"\nspec:\n  issuerRef: {name: ca}\n',
  ),
  rule(
    'acme-skip-tls-verify',
    'warning',
    "An ACME issuer that does not verify the ACME server's certificate",
    "With skipTLSVerify: true cert-manager accepts any certificate from the ACME server, so anyone between the cluster and the server can pose as the CA and see every order. To trust a private CA, put its certificate in spec.acme.caBundle instead.",
    `${DOCS}/configuration/acme/#private-acme-servers`,
    'spec:\n  acme:\n    skipTLSVerify: true\n',
  ),
  rule(
    'vault-plain-http',
    'warning',
    'A Vault issuer that talks to Vault over plain HTTP',
    "cert-manager sends its Vault token (or AppRole secret, or service account token) and every certificate request to spec.vault.server; with http:// they cross the network unencrypted. Serve Vault over https and set spec.vault.caBundle for a private CA.",
    `${DOCS}/configuration/vault/`,
    'spec:\n  vault:\n    server: http://vault.vault.svc:8200\n',
  ),
  rule(
    'acme-renew-before-lifetime',
    'warning',
    "renewBefore that does not fit the lifetime of the certificates Let's Encrypt issues",
    "Let's Encrypt decides a certificate's lifetime by its ACME profile (classic, tlsserver, shortlived), whatever spec.duration says, and shortens them on announced dates. When renewBefore is not shorter than that lifetime, cert-manager ignores it and renews after two thirds of the lifetime; when it leaves less than a day and a half between renewals, production's limit of 5 certificates per week for the same names refuses renewals.",
    `${LE}/profiles/`,
    'spec:\n  renewBefore: 200h   # the issuer uses profile: shortlived (160-hour certificates)\n',
  ),
  rule(
    'acme-duration-ignored',
    'information',
    "spec.duration on a Certificate from Let's Encrypt, which ignores it",
    "Let's Encrypt issues every certificate of a profile with the same lifetime; the duration cert-manager asks for is not used. cert-manager plans the renewal from the certificate it gets, so nothing breaks, but the duration written is not the one users get.",
    `${LE}/profiles/`,
    'spec:\n  duration: 8760h   # Let\'s Encrypt: 90 days with the classic profile\n',
  ),
  rule(
    'acme-ip-needs-shortlived',
    'error',
    "IP addresses in a Certificate for a Let's Encrypt issuer without the shortlived profile",
    "Let's Encrypt issues certificates for IP addresses only under its shortlived profile (and validates them over HTTP-01 or TLS-ALPN-01, never DNS-01). Any other profile refuses the order. Set spec.acme.profile: shortlived on the issuer (cert-manager v1.18 or later) or issue IP certificates from another issuer.",
    `${LE}/profiles/`,
    'spec:\n  ipAddresses: [203.0.113.10]   # issuer: Let\'s Encrypt, no profile\n',
  ),
  rule(
    'letsencrypt-rate-limit',
    'warning',
    "More new certificates for one registered domain than Let's Encrypt production issues in a week",
    "Let's Encrypt production issues at most 50 new certificates per registered domain (example.com, as the Public Suffix List defines it) in 7 days; renewals of an identical name set do not count. A cluster built from these files at once asks for more: the rest fail with \"too many certificates already issued\" and cert-manager retries with a backoff of up to 32 hours. Combine names into fewer Certificates, use a wildcard, or bring the cluster up in stages.",
    `${LE}/rate-limits/`,
    '# 51 Certificates with different names under example.com, all from Let\'s Encrypt production\n',
  ),
  rule(
    'letsencrypt-duplicate-certificates',
    'warning',
    "Several Certificates for exactly the same names from Let's Encrypt production",
    "Each Certificate is issued and renewed on its own, so the same set of names is certified once per Certificate on every renewal. Let's Encrypt production allows 5 certificates per identical set of names in 7 days: more than 5 such Certificates cannot all be issued, and fewer still spend the allowance a retry needs. Let one Certificate write the Secret and share it (or use distinct names).",
    `${LE}/rate-limits/`,
    '# Certificates web-a and web-b in namespace web, both for [www.example.com]\n',
  ),
  rule(
    'account-key-secret-conflict',
    'error',
    "An ACME issuer's account key Secret that a Certificate also writes",
    "spec.acme.privateKeySecretRef names the Secret that holds the ACME account's private key. A Certificate (or an Ingress through ingress-shim) with the same secretName overwrites it with a certificate's key, or signs its request with the account key, which Let's Encrypt refuses (\"certificate public key must be different than account key\"). Give the account key its own Secret.",
    `${DOCS}/configuration/acme/#creating-a-basic-acme-issuer`,
    'spec:\n  acme:\n    privateKeySecretRef: {name: web-tls}   # a Certificate has secretName: web-tls\n',
  ),
  rule(
    'account-key-shared',
    'information',
    'ACME issuers that share one account key Secret but differ in server or email',
    "The key is registered as an account at each ACME server. That works, but the issuers are not independent: deleting the Secret to reset one account (the usual fix for a CA that forgot it) resets the other too, and on one server the account's contact email becomes that of whichever issuer registered last. Give each issuer its own privateKeySecretRef unless sharing is the point.",
    `${DOCS}/configuration/acme/`,
    '# ClusterIssuers letsencrypt-staging and letsencrypt-prod, both with privateKeySecretRef: {name: acme-key}\n',
  ),
] as const;

export type OperationsRuleId = (typeof OPERATIONS_RULES)[number]['id'];
