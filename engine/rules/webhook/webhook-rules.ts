/**
 * The rules that reproduce cert-manager's admission webhook. They are errors
 * because the webhook rejects the object: `kubectl apply` fails with the same
 * field path.
 */
import type { RuleDefinition } from '../../core/rule-definition.js';

const DOCS = 'https://cert-manager.io/docs';

function rule<const Id extends string>(id: Id, title: string, description: string, docs: string, example: string, severity: RuleDefinition['severity'] = 'error'): RuleDefinition<Id> {
  return { id, family: 'webhook', severity, title, description, docs, example };
}

const CERT = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n';
const ISSUER = 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: le\nspec:\n';

export const WEBHOOK_RULES = [
  rule(
    'issuer-ref',
    'issuerRef without a name, or with a kind cert-manager does not have',
    'Every Certificate and CertificateRequest names its issuer. For the cert-manager.io group (or no group), kind must be Issuer or ClusterIssuer; an external issuer (e.g. AWSPCAClusterIssuer) also needs its own group.',
    `${DOCS}/usage/certificate/`,
    `${CERT}  secretName: web-tls\n  dnsNames: [example.com]\n  issuerRef:\n    name: pca\n    kind: AWSPCAClusterIssuer\n`,
  ),
  rule('certificate-secret-name', 'secretName missing or not a valid Secret name', 'The Secret the certificate is stored in must be named, with a lowercase RFC 1123 name.', `${DOCS}/usage/certificate/`, `${CERT}  secretName: Web_TLS\n`),
  rule(
    'certificate-literal-subject',
    'literalSubject combined with commonName or subject, or not a valid DN',
    'literalSubject replaces the whole subject: it cannot be combined with commonName or subject, must parse as an RFC 4514 DN, and may use only the attribute names cert-manager knows (upper case: CN, O, OU, C, L, ST, STREET, SERIALNUMBER, DC, UID) or dotted OIDs.',
    `${DOCS}/usage/certificate/`,
    `${CERT}  literalSubject: "cn=web,O=Example"\n`,
  ),
  rule(
    'certificate-identity',
    'A Certificate with no name at all',
    'At least one of commonName (or a CN in literalSubject), dnsNames, uris, emailAddresses, ipAddresses or otherNames must be set.',
    `${DOCS}/usage/certificate/`,
    `${CERT}  secretName: web-tls\n  issuerRef: {name: ca}\n`,
  ),
  rule('certificate-common-name', 'commonName longer than 64 bytes', 'X.509 limits the common name to 64 bytes; put long names in dnsNames instead.', `${DOCS}/usage/certificate/`, `${CERT}  commonName: a-very-long-name-that-goes-on-and-on-and-on-beyond-sixty-four-bytes.example.com\n`),
  rule('certificate-ip-address', 'An ipAddresses entry that is not an IP address', 'Each entry must be an IPv4 or IPv6 address (no CIDR, no zone, no leading zeros).', `${DOCS}/usage/certificate/`, `${CERT}  ipAddresses: [10.0.0.300]\n`),
  rule(
    'certificate-email-address',
    'An emailAddresses entry that is not a bare address',
    'Each entry must be only the address (user@example.com), not a display name form like "Jane <jane@example.com>".',
    `${DOCS}/usage/certificate/`,
    `${CERT}  emailAddresses: ["Jane Doe <jane@example.com>"]\n`,
  ),
  rule('certificate-other-names', 'otherNames without a valid oid or utf8Value', 'Each otherNames entry needs a dotted OID and a non-empty utf8Value.', `${DOCS}/usage/certificate/`, `${CERT}  otherNames:\n  - oid: not-an-oid\n`),
  rule(
    'certificate-private-key',
    'A private key size the algorithm does not support',
    'RSA keys must be 2048 to 8192 bits; ECDSA keys 256, 384 or 521; Ed25519 ignores size.',
    `${DOCS}/usage/certificate/`,
    `${CERT}  privateKey:\n    algorithm: ECDSA\n    size: 2048\n`,
  ),
  rule(
    'certificate-signature-algorithm',
    'A signature algorithm that does not fit the key algorithm',
    'RSA keys sign with SHA256WithRSA, SHA384WithRSA or SHA512WithRSA; ECDSA keys with ECDSAWithSHA256/384/512; Ed25519 with PureEd25519.',
    `${DOCS}/usage/certificate/`,
    `${CERT}  privateKey: {algorithm: ECDSA}\n  signatureAlgorithm: SHA256WithRSA\n`,
  ),
  rule(
    'certificate-duration',
    'duration, renewBefore or renewBeforePercentage out of bounds',
    'duration must be at least 1h (default 2160h, 90 days); renewBefore at least 5m and less than duration; renewBefore and renewBeforePercentage are mutually exclusive; a percentage must yield a window within those bounds. Durations use Go syntax (h, m, s): there is no "d" unit.',
    `${DOCS}/usage/certificate/#renewal`,
    `${CERT}  duration: 90d\n`,
  ),
  rule('certificate-usages', 'A usage cert-manager does not know', 'usages are key usages and extended key usages by cert-manager name, e.g. "digital signature", "key encipherment", "server auth", "client auth".', `${DOCS}/usage/certificate/`, `${CERT}  usages: [serverauth]\n`),
  rule('certificate-revision-history-limit', 'revisionHistoryLimit below 1', 'Keep at least one CertificateRequest, or leave the field out for no limit.', `${DOCS}/usage/certificate/`, `${CERT}  revisionHistoryLimit: 0\n`),
  rule(
    'certificate-secret-template',
    'secretTemplate labels or annotations Kubernetes or cert-manager refuses',
    "Labels and annotations must be valid Kubernetes keys and values; cert-manager.io/* annotations are cert-manager's own and cannot be set through the template.",
    `${DOCS}/usage/certificate/#creating-certificate-resources`,
    `${CERT}  secretTemplate:\n    annotations:\n      cert-manager.io/issuer-name: other\n`,
  ),
  rule('certificate-name-constraints', 'nameConstraints on a non-CA, empty, or with a bad CIDR', 'Name constraints need isCA: true and permitted or excluded; ipRanges are CIDRs.', `${DOCS}/usage/certificate/`, `${CERT}  nameConstraints:\n    permitted:\n      dnsDomains: [example.com]\n`),
  rule('certificate-output-formats', 'The same additional output format twice', 'Each additionalOutputFormats type (DER, CombinedPEM) may appear once.', `${DOCS}/usage/certificate/#additional-certificate-output-formats`, `${CERT}  additionalOutputFormats:\n  - type: DER\n  - type: DER\n`),
  rule(
    'certificate-keystores',
    'A JKS or PKCS#12 keystore without exactly one password source',
    'Set exactly one of password and passwordSecretRef for each keystore; a literal password cannot be empty.',
    `${DOCS}/usage/certificate/#keystores`,
    `${CERT}  keystores:\n    pkcs12:\n      create: true\n`,
  ),
  rule(
    'certificate-rotation-policy-default',
    'privateKey.rotationPolicy left to its default, which changed in v1.18',
    'cert-manager v1.18 and v1.19 warn when spec.privateKey.rotationPolicy is not set: its default changed from Never to Always in v1.18, so each renewal now makes a new private key. Set it to say which you mean.',
    `${DOCS}/usage/certificate/`,
    `${CERT}  secretName: web-tls\n  dnsNames: [example.com]\n  issuerRef: {name: ca}\n  privateKey:\n    algorithm: ECDSA\n`,
    'warning',
  ),
  rule('certificate-renewal', 'A renewal policy or window cert-manager cannot use', 'renewal.policy is RenewBefore or Disabled (no windows then); each window needs a windowDuration, a valid cron spec and an IANA time zone.', `${DOCS}/usage/certificate/`, `${CERT}  renewal:\n    policy: RenewBefore\n    windows:\n    - cron: "61 * * * *"\n`),
  rule('issuer-type', 'An issuer with no type or more than one', 'An Issuer or ClusterIssuer configures exactly one of acme, ca, selfSigned, vault or venafi.', `${DOCS}/configuration/`, `${ISSUER}  ca: {secretName: ca}\n  selfSigned: {}\n`),
  rule(
    'acme-issuer',
    'An ACME issuer without server or account key Secret, or with a bad caBundle',
    'spec.acme needs server and privateKeySecretRef.name; caBundle must hold at least one PEM certificate and cannot be combined with skipTLSVerify.',
    `${DOCS}/configuration/acme/`,
    `${ISSUER}  acme:\n    server: https://acme.example.com/directory\n    privateKeySecretRef: {name: acme-key}\n    caBundle: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==   # no certificate in it\n`,
  ),
  rule('acme-external-account-binding', 'externalAccountBinding without keyID or key Secret', 'External account binding needs keyID and keySecretRef (name and key).', `${DOCS}/configuration/acme/#external-account-bindings`, `${ISSUER}  acme:\n    externalAccountBinding:\n      keySecretRef: {name: eab}\n`),
  rule(
    'acme-eab-key-algorithm-deprecated',
    'The deprecated externalAccountBinding.keyAlgorithm',
    'cert-manager ignores keyAlgorithm (the webhook warns about it): remove the field.',
    `${DOCS}/configuration/acme/#external-account-bindings`,
    `${ISSUER}  acme:\n    externalAccountBinding:\n      keyAlgorithm: HS256\n`,
    'warning',
  ),
  rule('acme-solver', 'A solver with no type or both types', 'Each entry of spec.acme.solvers has exactly one of http01 and dns01 (plus an optional selector).', `${DOCS}/configuration/acme/`, `${ISSUER}  acme:\n    solvers:\n    - selector: {}\n`),
  rule(
    'acme-http01',
    'An HTTP-01 solver cert-manager cannot run',
    'An HTTP-01 solver uses exactly one of ingress and gatewayHTTPRoute; an ingress solver sets at most one of ingressClassName, class and name; serviceType is ClusterIP or NodePort; gateway parentRefs need both kind and name.',
    `${DOCS}/configuration/acme/http01/`,
    `${ISSUER}  acme:\n    solvers:\n    - http01:\n        ingress:\n          ingressClassName: nginx\n          class: nginx\n`,
  ),
  rule(
    'acme-dns01',
    'A DNS-01 solver with no provider, two providers, or a provider missing what it needs',
    'A DNS-01 solver configures exactly one provider (acmeDNS, akamai, azureDNS, cloudDNS, cloudflare, digitalocean, rfc2136, route53 or webhook) with its required fields; rfc2136.nameserver is host:port; TSIG algorithms are HMACMD5, HMACSHA1, HMACSHA256 or HMACSHA512; cnameStrategy is None or Follow.',
    `${DOCS}/configuration/acme/dns01/`,
    `${ISSUER}  acme:\n    solvers:\n    - dns01:\n        rfc2136:\n          nameserver: ""\n`,
  ),
  rule('ca-issuer', 'A CA issuer without its Secret, or with an empty URL', 'spec.ca.secretName names the Secret with the CA certificate and key; OCSP and issuing-certificate URLs cannot be empty.', `${DOCS}/configuration/ca/`, `${ISSUER}  ca:\n    secretName: ca-key-pair\n    ocspServers: [""]\n`),
  rule('vault-issuer', 'A Vault issuer missing server, path or an auth method', "spec.vault needs server, path (without '..') and at least one auth method (tokenSecretRef, appRole, kubernetes, clientCertificate or aws) with its required fields.", `${DOCS}/configuration/vault/`, `${ISSUER}  vault:\n    server: https://vault.example.com\n    path: pki/../sign/web\n    auth:\n      tokenSecretRef: {name: vault-token, key: token}\n`),
  rule('venafi-issuer', 'A Venafi issuer missing zone or exactly one of tpp, cloud, ngts', 'spec.venafi needs zone and exactly one of tpp (with url), cloud or ngts (with tsgID and credentialsRef).', `${DOCS}/configuration/venafi/`, `${ISSUER}  venafi:\n    zone: ""\n    cloud:\n      apiTokenSecretRef: {name: venafi-token, key: token}\n`),
  rule(
    'certificate-request',
    'A CertificateRequest whose request is missing, not a CSR, or disagrees with its spec',
    'spec.request is a base64 PEM certificate signing request with a valid signature; if it carries basic constraints or key usages, they must match spec.isCA and spec.usages.',
    `${DOCS}/usage/certificaterequest/`,
    'apiVersion: cert-manager.io/v1\nkind: CertificateRequest\nmetadata:\n  name: cr\nspec:\n  request: bm90IGEgQ1NS\n  issuerRef: {name: ca}\n',
  ),
] as const;
