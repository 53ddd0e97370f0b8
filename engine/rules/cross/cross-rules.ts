/**
 * Rules about the set of manifests as a whole: what cert-manager will do with
 * them together. Most are warnings, because the cluster may hold objects the
 * files do not; errors only where the outcome is certain from the files.
 */
import type { RuleDefinition } from '../../core/rule-definition.js';

const DOCS = 'https://cert-manager.io/docs';

function rule<const Id extends string>(id: Id, severity: RuleDefinition['severity'], title: string, description: string, docs: string, example: string): RuleDefinition<Id> {
  return { id, family: 'cross', severity, title, description, docs, example };
}

export const CROSS_RULES = [
  rule(
    'issuer-not-found',
    'warning',
    'An issuerRef (or issuer annotation) that names no Issuer or ClusterIssuer in the files',
    'The files checked define issuers, but no Issuer of that name in the Certificate\'s namespace and no ClusterIssuer of that name. If it exists only in the cluster this is fine; otherwise the Certificate stays not Ready with "issuer not found". (When the files define no issuers at all, nothing is reported.) With certsmith.cluster.checkAgainstCluster on, the cluster\'s Issuers and ClusterIssuers count too: a name found there is fine, and one found neither in the files nor in the cluster is an error that names the context.',
    `${DOCS}/usage/certificate/`,
    'spec:\n  issuerRef:\n    name: letsencrypt-prod   # defined nowhere\n',
  ),
  rule(
    'issuer-kind-mismatch',
    'warning',
    'issuerRef names an Issuer that exists only as a ClusterIssuer (or the other way round)',
    'issuerRef.kind defaults to Issuer. A name that exists only as a ClusterIssuer needs kind: ClusterIssuer (and the other way round), or cert-manager will not find it. The quick fix sets the kind.',
    `${DOCS}/usage/certificate/`,
    'spec:\n  issuerRef:\n    name: letsencrypt   # only a ClusterIssuer has this name\n',
  ),
  rule(
    'issuer-wrong-namespace',
    'warning',
    "An Issuer of that name exists, but not in the Certificate's namespace",
    "An Issuer is namespaced: a Certificate can use only an Issuer in its own namespace. Use a ClusterIssuer to share one issuer across namespaces, or move the Certificate.",
    `${DOCS}/concepts/issuer/#namespaces`,
    'metadata:\n  namespace: web\nspec:\n  issuerRef:\n    name: ca   # the Issuer "ca" is in namespace "shop"\n',
  ),
  rule(
    'acme-wildcard-http01',
    'error',
    'A wildcard name with an ACME issuer whose matching solvers are HTTP-01 only',
    'ACME servers validate wildcard names (*.example.com) with DNS-01 only (RFC 8555 §7.1.3). With no DNS-01 solver matching the name, the order can never be completed. Add a dns01 solver (for the zone) to the issuer.',
    `${DOCS}/configuration/acme/#dns-zones`,
    'spec:\n  dnsNames: ["*.example.com"]\n  issuerRef:\n    name: letsencrypt-http01-only\n',
  ),
  rule(
    'acme-no-solver',
    'error',
    "A name that none of the ACME issuer's solvers selects",
    "cert-manager picks a solver per name by its selector (dnsNames, then the longest dnsZones match, then matchLabels; a solver without selector catches the rest). A name no solver selects makes the order fail. Widen a selector or add a solver without one.",
    `${DOCS}/configuration/acme/#adding-multiple-solver-types`,
    'spec:\n  dnsNames: [shop.example.org]   # the only solver selects dnsZones: [example.com]\n',
  ),
  rule(
    'acme-production-server',
    'information',
    "An ACME issuer that uses Let's Encrypt production",
    "Production has strict rate limits (a handful of failed validations per hour, 50 certificates per domain per week). While testing, use Let's Encrypt staging; the quick fix switches the server.",
    `${DOCS}/tutorials/acme/nginx-ingress/#step-6---configure-a-lets-encrypt-issuer`,
    'spec:\n  acme:\n    server: https://acme-v02.api.letsencrypt.org/directory\n',
  ),
  rule(
    'secret-name-conflict',
    'warning',
    'Two Certificates write the same Secret',
    'Certificates in one namespace with the same secretName overwrite each other\'s Secret on every renewal, and cert-manager reports a conflict. Give each its own secretName.',
    `${DOCS}/usage/certificate/`,
    '# two Certificates in namespace web, both with secretName: web-tls\n',
  ),
  rule(
    'ca-secret-not-produced',
    'information',
    "A CA issuer's Secret that no Certificate in the files produces",
    "The CA issuer signs with the Secret named in spec.ca.secretName (in the Issuer's namespace, or the cluster resource namespace — cert-manager by default — for a ClusterIssuer). No Certificate here writes that Secret; make sure it exists, for example from a SelfSigned bootstrap Certificate. With certsmith.cluster.checkAgainstCluster on, a Secret that exists in the cluster is fine, and one that exists nowhere is an error.",
    `${DOCS}/configuration/ca/`,
    'spec:\n  ca:\n    secretName: my-ca   # no Certificate has secretName: my-ca\n',
  ),
] as const;

export type CrossRuleId = (typeof CROSS_RULES)[number]['id'];
