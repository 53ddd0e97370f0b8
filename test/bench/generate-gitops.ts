/**
 * A generated GitOps repository, the shape CI lints: clusters/ENV/TEAM/APP/tls.yaml,
 * each file with an ACME Issuer, three Certificates and an Ingress (5 documents).
 * Deterministic; written outside the repository by the benchmarks.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TEAMS = ['payments', 'search', 'identity', 'catalog', 'checkout', 'media', 'billing', 'platform'];
const ENVS = ['prod', 'staging', 'dev'];

export interface GitopsOptions {
  /**
   * One namespace per app (default), as a GitOps repository usually has, or one per
   * team and environment (the input bench:yaml was measured with).
   */
  namespace?: 'per-app' | 'per-team';
}

/** One GitOps-style file: an ACME Issuer, three Certificates and an Ingress for one app. */
export function gitopsFile(i: number, options: GitopsOptions = {}): { rel: string; text: string } {
  const team = TEAMS[i % TEAMS.length]!;
  const env = ENVS[Math.floor(i / TEAMS.length) % ENVS.length]!;
  const app = `app-${String(i).padStart(3, '0')}`;
  const ns = options.namespace === 'per-team' ? `${team}-${env}` : `${team}-${env}-${app}`;
  const host = `${app}.${team}.${env}.example.com`;
  const cert = (n: number, name: string, dns: string[], usage: string) => [
    '---',
    'apiVersion: cert-manager.io/v1',
    'kind: Certificate',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    '  labels:',
    `    app.kubernetes.io/name: ${app}`,
    `    app.kubernetes.io/part-of: ${team}`,
    'spec:',
    `  secretName: ${name}`,
    '  issuerRef:',
    '    name: letsencrypt',
    '    kind: Issuer',
    '    group: cert-manager.io',
    `  commonName: ${dns[0]}`,
    '  dnsNames:',
    ...dns.map((d) => `    - ${d}`),
    `  duration: ${n === 0 ? '2160h' : '720h'}`,
    '  renewBefore: 360h',
    '  privateKey:',
    `    algorithm: ${n === 1 ? 'ECDSA' : 'RSA'}`,
    `    size: ${n === 1 ? 256 : 2048}`,
    '    rotationPolicy: Always',
    '  usages:',
    '    - digital signature',
    '    - key encipherment',
    `    - ${usage}`,
  ];
  const lines = [
    `# ${app}: TLS for ${host} (managed by Flux, do not edit by hand)`,
    'apiVersion: cert-manager.io/v1',
    'kind: Issuer',
    'metadata:',
    '  name: letsencrypt',
    `  namespace: ${ns}`,
    'spec:',
    '  acme:',
    `    server: ${env === 'prod' ? 'https://acme-v02.api.letsencrypt.org/directory' : 'https://acme-staging-v02.api.letsencrypt.org/directory'}`,
    `    email: "${team}-oncall@example.com"`,
    '    privateKeySecretRef:',
    `      name: letsencrypt-${env}-account-key`,
    '    solvers:',
    '      - http01:',
    '          ingress:',
    '            ingressClassName: nginx',
    ...cert(0, `${app}-tls`, [host, `www.${host}`], 'server auth'),
    ...cert(1, `${app}-internal-tls`, [`${app}.${ns}.svc`, `${app}.${ns}.svc.cluster.local`], 'server auth'),
    ...cert(2, `${app}-client-tls`, [`${app}-client.${ns}.svc`], 'client auth'),
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    `  name: ${app}`,
    `  namespace: ${ns}`,
    '  annotations:',
    '    cert-manager.io/issuer: letsencrypt',
    '    nginx.ingress.kubernetes.io/ssl-redirect: "true"',
    "    nginx.ingress.kubernetes.io/proxy-body-size: '8m'",
    'spec:',
    '  ingressClassName: nginx',
    '  tls:',
    '    - hosts:',
    `        - ${host}`,
    `        - www.${host}`,
    `      secretName: ${app}-ingress-tls`,
    '  rules:',
    ...[host, `www.${host}`].flatMap((h) => [
      `    - host: ${h}`,
      '      http:',
      '        paths:',
      '          - path: /',
      '            pathType: Prefix',
      '            backend:',
      '              service:',
      `                name: ${app}`,
      '                port:',
      '                  number: 8080',
    ]),
  ];
  return { rel: path.join('clusters', env, team, app, 'tls.yaml'), text: lines.join('\n') + '\n' };
}

/** Writes `files` GitOps files under `dir` (emptied first); returns the number of bytes written. */
export function writeGitopsTree(dir: string, files: number, options: GitopsOptions = {}): number {
  rmSync(dir, { recursive: true, force: true });
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const f = gitopsFile(i, options);
    mkdirSync(path.join(dir, path.dirname(f.rel)), { recursive: true });
    writeFileSync(path.join(dir, f.rel), f.text);
    bytes += Buffer.byteLength(f.text);
  }
  return bytes;
}

/**
 * The benchmarks' tree of `files` files in $TMPDIR/certsmith-bench-trees/lint-<files>/, written once
 * (a stamp says by which generator); outside $TMPDIR/certsmith-bench, which bench:lsp opens as a workspace.
 */
export function gitopsTree(files: number): { dir: string; bytes: number } {
  const work = path.join(os.tmpdir(), 'certsmith-bench-trees');
  const dir = path.join(work, `lint-${files}`);
  const stamp = path.join(work, `lint-${files}.stamp`);
  const want = `generate-gitops per-app ${files}`;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').startsWith(want)) return { dir, bytes: Number(readFileSync(stamp, 'utf8').split('\n')[1]) };
  console.log(`writing ${files} files to ${dir} ...`);
  mkdirSync(work, { recursive: true });
  const bytes = writeGitopsTree(dir, files);
  writeFileSync(stamp, `${want}\n${bytes}\n`);
  return { dir, bytes };
}
