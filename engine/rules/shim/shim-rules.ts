/**
 * The rules that reproduce cert-manager's certificate-shim (ingress-shim and
 * gateway-shim, pkg/controller/certificate-shim): how it reads the
 * annotations of an Ingress or a Gateway and turns its TLS entries or
 * listeners into Certificates.
 *
 * Errors are configurations the shim refuses: it creates no Certificate for
 * the object at all. Warnings are things it skips or ignores, often silently,
 * so that part (or all) of what the manifest asks for is never issued.
 */
import type { RuleDefinition } from '../../core/rule-definition.js';

const INGRESS_DOCS = 'https://cert-manager.io/docs/usage/ingress/';
const GATEWAY_DOCS = 'https://cert-manager.io/docs/usage/gateway/';

function rule<const Id extends string>(id: Id, severity: RuleDefinition['severity'], title: string, description: string, docs: string, example: string): RuleDefinition<Id> {
  return { id, family: 'shim', severity, title, description, docs, example };
}

const INGRESS = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n';
const GATEWAY = 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: web\n  annotations:\n    cert-manager.io/cluster-issuer: letsencrypt\nspec:\n  gatewayClassName: istio\n  listeners:\n';

export const SHIM_RULES = [
  rule(
    'shim-annotation-unknown',
    'warning',
    'A cert-manager annotation that cert-manager does not know or does not read here',
    'The key is in one of cert-manager\'s annotation domains (cert-manager.io, acme.cert-manager.io) but is none of its annotations, usually a typo (`cert-manager.io/cluster-isuer`); or its domain is misspelt (`certmanager.io/cluster-issuer`); or it is a pre-v0.11 `certmanager.k8s.io/` annotation; or it is a key cert-manager sets on Secrets (`cert-manager.io/issuer-name`) that the certificate-shim does not read. cert-manager ignores it — a misspelt issuer annotation means no Certificate at all.',
    `${INGRESS_DOCS}#supported-annotations`,
    `${INGRESS}    cert-manager.io/cluster-isuer: letsencrypt\n`,
  ),
  rule(
    'shim-annotation-invalid',
    'error',
    'An annotation value the certificate-shim cannot parse',
    "The certificate-shim copies these annotations into the Certificate it creates, parsing each as cert-manager does: durations with Go's time.ParseDuration (`2160h`, not `90d`) and at least 1h (duration) or 5m (renew-before), integers with strconv, usages by cert-manager name, private key algorithm (RSA, ECDSA, Ed25519), encoding (PKCS1, PKCS8), size (2048-8192 for RSA; 256, 384 or 521 for ECDSA) and rotation policy (Never, Always) case-sensitively, subject fields as one line of CSV, IP and email SANs, secret-template as JSON. A value it cannot parse stops it: it logs the error, retries, and creates no Certificate for the object.",
    `${INGRESS_DOCS}#supported-annotations`,
    `${INGRESS}    cert-manager.io/cluster-issuer: letsencrypt\n    cert-manager.io/duration: 90d\n`,
  ),
  rule(
    'shim-certificate-rejected',
    'error',
    "Annotation values that make a Certificate cert-manager's webhook rejects",
    'Each value parses, but together they make a Certificate that cert-manager\'s admission webhook refuses: renew-before not less than duration (2160h when not set), renew-before together with renew-before-percentage, a percentage leaving less than 5m, or secret-template labels Kubernetes rejects. The shim cannot create the Certificate and keeps retrying.',
    `${INGRESS_DOCS}#supported-annotations`,
    `${INGRESS}    cert-manager.io/cluster-issuer: letsencrypt\n    cert-manager.io/duration: 24h\n    cert-manager.io/renew-before: 48h\n`,
  ),
  rule(
    'shim-annotation-ignored-value',
    'warning',
    'An annotation value the certificate-shim silently ignores',
    'Some annotations take effect only for exact values: `acme.cert-manager.io/http01-edit-in-place` only for "true" (anything else, "True" included, means false); `kubernetes.io/tls-acme` only for a value Go reads as true ("true", "1", "t", ...). Listener names in `cert-manager.io/ignore-tls-listeners` must match a listener of the Gateway exactly.',
    `${INGRESS_DOCS}#supported-annotations`,
    `${INGRESS}    cert-manager.io/cluster-issuer: letsencrypt\n    acme.cert-manager.io/http01-edit-in-place: "True"\n`,
  ),
  rule(
    'shim-issuer-and-cluster-issuer',
    'error',
    'Both cert-manager.io/issuer and cert-manager.io/cluster-issuer',
    'The shim cannot tell which issuer to use: it emits a BadConfig warning Event ("Could not determine issuer for ingress due to bad annotations") and creates no Certificate. Keep one of the two.',
    `${INGRESS_DOCS}#supported-annotations`,
    `${INGRESS}    cert-manager.io/issuer: ca\n    cert-manager.io/cluster-issuer: letsencrypt\n`,
  ),
  rule(
    'shim-cluster-issuer-with-kind',
    'error',
    'cert-manager.io/cluster-issuer with cert-manager.io/issuer-kind or issuer-group',
    'cert-manager.io/cluster-issuer always means a cert-manager.io ClusterIssuer; the shim refuses it together with issuer-kind or issuer-group (BadConfig Event, no Certificate). For an external issuer, cluster-scoped or not, use cert-manager.io/issuer with issuer-kind and issuer-group.',
    `${INGRESS_DOCS}#supported-annotations`,
    `${INGRESS}    cert-manager.io/cluster-issuer: pca\n    cert-manager.io/issuer-kind: AWSPCAClusterIssuer\n    cert-manager.io/issuer-group: awspca.cert-manager.io\n`,
  ),
  rule(
    'shim-issuer-name-empty',
    'error',
    'An issuer annotation with an empty name',
    'An empty cert-manager.io/issuer or cert-manager.io/cluster-issuer overrides any default issuer with no name: the shim fails to determine the issuer (BadConfig Event) and creates no Certificate.',
    `${INGRESS_DOCS}#supported-annotations`,
    `${INGRESS}    cert-manager.io/cluster-issuer: ""\n`,
  ),
  rule(
    'shim-no-issuer',
    'warning',
    'Certificate annotations without an issuer annotation',
    'The object carries annotations for the Certificate (duration, common-name, private-key-*, ...) but neither cert-manager.io/issuer nor cert-manager.io/cluster-issuer (nor, on an Ingress, kubernetes.io/tls-acme: "true" with a default issuer): the certificate-shim does not process it and nothing is issued.',
    `${INGRESS_DOCS}#troubleshooting`,
    `${INGRESS}    cert-manager.io/duration: 2160h\n`,
  ),
  rule(
    'shim-no-tls',
    'warning',
    'An issuer annotation but nothing to issue for',
    'The shim creates one Certificate per secretName in spec.tls (Ingress) or per certificateRef of an HTTPS or TLS listener in Terminate mode (Gateway). An Ingress without spec.tls, or a Gateway whose listeners are all HTTP, TCP, UDP or TLS passthrough, gets no Certificate, silently.',
    `${INGRESS_DOCS}#how-it-works`,
    `${INGRESS}    cert-manager.io/cluster-issuer: letsencrypt\nspec:\n  rules:\n    - host: example.com\n`,
  ),
  rule(
    'shim-tls-no-secret-name',
    'warning',
    'A TLS entry without secretName',
    'The shim names the Certificate and its Secret after secretName; it skips an entry without one (BadConfig Event "Skipped a TLS block"), so its hosts get no certificate.',
    `${INGRESS_DOCS}#how-it-works`,
    `${INGRESS}    cert-manager.io/cluster-issuer: letsencrypt\nspec:\n  tls:\n    - hosts: [example.com]\n`,
  ),
  rule(
    'shim-tls-no-hosts',
    'warning',
    'A TLS entry without hosts',
    'The hosts of a TLS entry become the Certificate\'s dnsNames; the shim skips an entry without any (BadConfig Event "Skipped a TLS block"), even if the ingress controller would use the Secret as a default certificate.',
    `${INGRESS_DOCS}#how-it-works`,
    `${INGRESS}    cert-manager.io/cluster-issuer: letsencrypt\nspec:\n  tls:\n    - secretName: web-tls\n`,
  ),
  rule(
    'shim-tls-duplicate-secret-name',
    'error',
    'Two TLS entries with the same secretName',
    'The shim makes one Certificate per TLS entry, named after its secretName, so two entries may not share one: it refuses the whole Ingress (BadConfig Event) and creates no Certificate. Put all the hosts in one entry.',
    `${INGRESS_DOCS}#generate-multiple-certificates-with-multiple-ingresses`,
    `${INGRESS}    cert-manager.io/cluster-issuer: letsencrypt\nspec:\n  tls:\n    - hosts: [example.com]\n      secretName: web-tls\n    - hosts: [www.example.com]\n      secretName: web-tls\n`,
  ),
  rule(
    'shim-tls-host-not-served',
    'warning',
    'A TLS host that no rule of the Ingress serves',
    'cert-manager puts every TLS host in the certificate, but the ingress controller serves only the hosts of the rules: a TLS host no rule matches (often a typo of a rule host) gets a certificate nobody uses, while the rule host is served without one. Not reported when a rule has no host or a wildcard host covers it, for the www. twin of a rule host, or for an Ingress with no rules.',
    `${INGRESS_DOCS}#how-it-works`,
    `${INGRESS}    cert-manager.io/cluster-issuer: letsencrypt\nspec:\n  tls:\n    - hosts: [exmaple.com]\n      secretName: web-tls\n  rules:\n    - host: example.com\n`,
  ),
  rule(
    'shim-gateway-listener-skipped',
    'warning',
    'A Gateway listener the gateway-shim skips',
    'For an HTTPS or TLS listener in Terminate mode, cert-manager needs a hostname (it becomes the dnsName), a tls block with certificateRefs, each a Secret (kind Secret, group "" or core) in the Gateway\'s own namespace. It skips any other listener with a BadConfig Event ("Skipped a listener block") and issues nothing for it. Protocols are compared case-sensitively ("https" is not HTTPS). To leave a listener to another tool on purpose, list it in cert-manager.io/ignore-tls-listeners.',
    `${GATEWAY_DOCS}#generate-tls-certs-for-selected-tls-blocks`,
    `${GATEWAY}    - name: https\n      port: 443\n      protocol: HTTPS\n      tls:\n        certificateRefs:\n          - name: web-tls\n`,
  ),
] as const;
