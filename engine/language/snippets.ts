/**
 * Snippets for the setups people build again and again. Placeholders use the
 * LSP snippet syntax (${1:default}); the server marks them as snippets.
 */

export interface Snippet {
  label: string;
  description: string;
  body: string;
}

const LE_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';
const LE_PRODUCTION = 'https://acme-v02.api.letsencrypt.org/directory';

const acmeHttp01 = (name: string, server: string) => `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: \${1:${name}}
spec:
  acme:
    server: ${server}
    email: \${2:you@example.com}
    privateKeySecretRef:
      name: \${1:${name}}-account-key
    solvers:
      - http01:
          ingress:
            ingressClassName: \${3:nginx}
`;

export const SNIPPETS: Snippet[] = [
  {
    label: "ClusterIssuer: Let's Encrypt staging (HTTP-01)",
    description: "An ACME ClusterIssuer for Let's Encrypt staging that solves HTTP-01 through an Ingress class. Start here: staging certificates are untrusted but its rate limits are generous.",
    body: acmeHttp01('letsencrypt-staging', LE_STAGING),
  },
  {
    label: "ClusterIssuer: Let's Encrypt production (HTTP-01)",
    description: "An ACME ClusterIssuer for Let's Encrypt production with the HTTP-01 solver. Switch to it once staging works.",
    body: acmeHttp01('letsencrypt-production', LE_PRODUCTION),
  },
  {
    label: 'ClusterIssuer: DNS-01 with acme-dns (CNAME delegation)',
    description:
      'DNS-01 through an acme-dns server: create _acme-challenge.<domain> as a CNAME to the acme-dns subdomain, and keep the account JSON (from acme-dns /register) in a Secret.',
    body: `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: \${1:letsencrypt-acme-dns}
spec:
  acme:
    server: ${LE_STAGING}
    email: \${2:you@example.com}
    privateKeySecretRef:
      name: \${1:letsencrypt-acme-dns}-account-key
    solvers:
      - dns01:
          cnameStrategy: Follow
          acmeDNS:
            host: \${3:https://auth.acme-dns.io}
            accountSecretRef:
              name: \${4:acme-dns}
              key: \${5:acmedns.json}
`,
  },
  {
    label: 'Issuer: DNS-01 with RFC 2136 (BIND and friends)',
    description: 'DNS-01 through dynamic DNS updates signed with a TSIG key (kept in a Secret in the Issuer\'s namespace).',
    body: `apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: \${1:letsencrypt-rfc2136}
  namespace: \${2:default}
spec:
  acme:
    server: ${LE_STAGING}
    email: \${3:you@example.com}
    privateKeySecretRef:
      name: \${1:letsencrypt-rfc2136}-account-key
    solvers:
      - dns01:
          rfc2136:
            nameserver: \${4:10.0.0.53:53}
            tsigKeyName: \${5:acme-update}
            tsigAlgorithm: HMACSHA256
            tsigSecretSecretRef:
              name: \${6:tsig-secret}
              key: tsig-secret-key
`,
  },
  {
    label: 'Self-signed CA bootstrap (SelfSigned issuer, CA Certificate, CA ClusterIssuer)',
    description: 'A private CA in three objects: a SelfSigned ClusterIssuer signs a CA Certificate in the cert-manager namespace; a CA ClusterIssuer then signs with it.',
    body: `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: selfsigned-bootstrap
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: \${1:internal-root-ca}
  namespace: cert-manager
spec:
  isCA: true
  commonName: \${2:Internal Root CA}
  secretName: \${1:internal-root-ca}
  duration: 87600h
  privateKey:
    algorithm: ECDSA
    size: 256
  issuerRef:
    name: selfsigned-bootstrap
    kind: ClusterIssuer
    group: cert-manager.io
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: \${3:internal-ca}
spec:
  ca:
    secretName: \${1:internal-root-ca}
`,
  },
  {
    label: 'Certificate',
    description: 'A Certificate stored in a Secret, issued by a ClusterIssuer.',
    body: `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: \${1:example-com}
  namespace: \${2:default}
spec:
  secretName: \${1:example-com}-tls
  dnsNames:
    - \${3:example.com}
  privateKey:
    algorithm: ECDSA
    size: 256
  issuerRef:
    name: \${4:letsencrypt-staging}
    kind: ClusterIssuer
    group: cert-manager.io
`,
  },
  {
    label: 'Ingress with cert-manager annotation and TLS',
    description: "An Ingress that cert-manager's ingress-shim turns into a Certificate for its tls hosts.",
    body: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: \${1:web}
  namespace: \${2:default}
  annotations:
    cert-manager.io/cluster-issuer: \${3:letsencrypt-staging}
spec:
  ingressClassName: \${4:nginx}
  tls:
    - hosts:
        - \${5:example.com}
      secretName: \${1:web}-tls
  rules:
    - host: \${5:example.com}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: \${6:web}
                port:
                  number: \${7:80}
`,
  },
];
