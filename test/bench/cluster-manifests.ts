/**
 * Deterministic input of the cluster benchmark (cluster.bench.ts): N valid
 * cert-manager.io/v1 Certificates in one YAML file, without
 * metadata.namespace, so that the same file lands in a fresh namespace each
 * round with `-n` (certsmith apply and kubectl apply alike); the Issuers and
 * ClusterIssuers they name; and the status cert-manager's controller would
 * write for an issued certificate (no controller runs in the test world).
 *
 * generate-certificates.ts (the language-server input) does not fit here: it
 * spreads its documents over 24 fixed namespaces and holds one invalid
 * document on purpose, which the API server would reject.
 */
import { stringify } from 'yaml';

const TEAMS = ['payments', 'search', 'identity', 'catalog', 'checkout', 'media', 'billing', 'platform'] as const;

/** The issuers the Certificates name, in turn: two ClusterIssuers, two Issuers. */
const BENCH_ISSUERS = [
  { name: 'letsencrypt-prod', kind: 'ClusterIssuer' },
  { name: 'letsencrypt-staging', kind: 'ClusterIssuer' },
  { name: 'internal-ca', kind: 'Issuer' },
  { name: 'selfsigned', kind: 'Issuer' },
] as const;

function pick<T>(items: readonly T[], i: number): T {
  return items[i % items.length]!;
}

export function certificateName(i: number): string {
  return `svc-${String(i + 1).padStart(4, '0')}-tls`;
}

/** `count` Certificates as one multi-document YAML file (no namespace in metadata). */
export function benchCertificatesYaml(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const team = pick(TEAMS, i);
    const name = certificateName(i);
    const host = `svc-${String(i + 1).padStart(4, '0')}.${team}.example.com`;
    const issuer = pick(BENCH_ISSUERS, i);
    const ecdsa = i % 4 === 3;
    docs.push(
      stringify({
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name, labels: { 'app.kubernetes.io/name': name.replace(/-tls$/, ''), 'app.kubernetes.io/part-of': team } },
        spec: {
          secretName: name,
          issuerRef: { name: issuer.name, kind: issuer.kind, group: 'cert-manager.io' },
          commonName: host,
          dnsNames: [host, `www.${host}`],
          duration: '2160h',
          renewBefore: '360h',
          privateKey: { algorithm: ecdsa ? 'ECDSA' : 'RSA', size: ecdsa ? 256 : 2048, encoding: i % 2 ? 'PKCS8' : 'PKCS1', rotationPolicy: 'Always' },
          usages: ['server auth', 'digital signature', 'key encipherment'],
        },
      }),
    );
  }
  return docs.map((d) => `---\n${d}`).join('');
}

/** The two Issuers (namespace given by -n) and two ClusterIssuers the Certificates name. */
export function benchIssuersYaml(): string {
  const acme = (name: string, server: string) => ({
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name },
    spec: { acme: { server, email: 'ops@example.com', privateKeySecretRef: { name: `${name}-account` }, solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }] } },
  });
  return [
    acme('letsencrypt-prod', 'https://acme-v02.api.letsencrypt.org/directory'),
    acme('letsencrypt-staging', 'https://acme-staging-v02.api.letsencrypt.org/directory'),
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'internal-ca' }, spec: { ca: { secretName: 'internal-ca-key-pair' } } },
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'selfsigned' }, spec: { selfSigned: {} } },
  ]
    .map((d) => `---\n${stringify(d)}`)
    .join('');
}

/** The status of an issued, ready Certificate, as cert-manager's controller writes it (for the /status subresource). */
export function issuedStatus(i: number, now: Date): Record<string, unknown> {
  const day = 24 * 3600 * 1000;
  const notBefore = new Date(now.getTime() - (i % 60) * day);
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    conditions: [
      { type: 'Ready', status: 'True', reason: 'Ready', message: 'Certificate is up to date and has not expired', lastTransitionTime: iso(notBefore), observedGeneration: 1 },
    ],
    notBefore: iso(notBefore),
    notAfter: iso(new Date(notBefore.getTime() + 90 * day)),
    renewalTime: iso(new Date(notBefore.getTime() + 75 * day)),
    revision: 1 + (i % 3),
  };
}
