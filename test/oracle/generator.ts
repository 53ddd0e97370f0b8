/**
 * A seeded generator of manifests for the differential test: variants of valid
 * Issuers, ClusterIssuers, Certificates, CertificateRequests and Gateways with
 * fields dropped, added, retyped and altered, every oneOf branch (issuer
 * types, ACME solver types, DNS-01 providers, Vault auth methods, Venafi
 * connections), and values chosen where the rules have edges: durations, key
 * algorithms and sizes, usages, IP, email and URI SANs, solver selectors,
 * secret templates, and field combinations the CRDs' CEL rules look at.
 *
 * The same (seed, index) always gives the same document, so a failure is
 * reproduced by `npm run fuzz:oracle -- --seed N --count M`.
 */
import { stringify } from 'yaml';

export interface GeneratedDocument {
  id: string;
  /** How it was made: base template and mutations, for a failure report. */
  recipe: string;
  text: string;
}

/** mulberry32: small, fast, good enough for test inputs. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

class Pick {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  one<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  some<T>(xs: readonly T[], max = 3): T[] {
    const n = 1 + this.int(max);
    return Array.from({ length: n }, () => this.one(xs));
  }
}

// A CSR for example.com made by cert-manager's own test helper (from test/semantics/webhook-tables/certificaterequest.yaml).
const CSR_EXAMPLE_COM =
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlJQ2p6Q0NBWGNDQVFBd0FEQ0NBU0l3RFFZSktvWklodmNOQVFFQkJRQURnZ0VQQURDQ0FRb0NnZ0VCQUtPNApHanRZYVoxa0JNL3UwZTI2MU83dG90QWdVR3h6TUZabEtFTWFQU1RPY1F6eUtWeVZwTGRoVnEydlVWWFNRRGlWClhDQlFRVTFuUEV5Y0pDREpySEh4eTFiOG1yN09tMTdnT2hDVTdRc2pjeVBsUFlNT0dER2ZBUWVoZmhvWW9TeDYKRmpmUTN4SVgyQlJYMm44ZkE4UkpKZW5aWDNmemZuVk03cWZrcTBhRTdmQmM1R1MvOWI5cGxDK043SG5mMTh4SwpLUkdrS2pqT2YvMk8ydTArWVVGeGtTdVpOeEg3eGVCV0F3UjU1MFd4MG5tcEVmOFNoczN6MnB2OUpKMmFod1M4CnV6T3VXY1ZzcWpyKyttTnkrK2hFQ3M1YUVoYnIzektVcVRoV29iTlIzYnVsOGxGcWVjVXVHZlB6OWI2bW9tYkQKWHZrVlJseExoMEFud2VOMC9uMENBd0VBQWFCS01FZ0dDU3FHU0liM0RRRUpEakU3TURrd0dRWURWUjBSQVFILwpCQTh3RFlJTFpYaGhiWEJzWlM1amIyMHdEZ1lEVlIwUEFRSC9CQVFEQWdXZ01Bd0dBMVVkRXdFQi93UUNNQUF3CkRRWUpLb1pJaHZjTkFRRUxCUUFEZ2dFQkFKNW1vd0diYTNiNlZ2ZTBESVlvRWFtbXVNc0F6UU5XUWZhdExRQ0UKUFcwYmZaYlQwSFFhbFVJTlpqMHM2MDB2MGgyaXdRZVE5MldqcXpVMGROalVwdXV2QzdoQXdHdTdOSHBta2wxcwpvOFJyc1J1eHZhbDBacTVpNDZzdTJPSTAxcEIzWFhveDZGRE9mVVVua1ZMd0N3cHAzbkRFM0xUSHpzamd6Nng5CnhmaXNSbi9XRzh4Vmx0MUo0S0pVR1I1Wjc1V2dsNDR1blp5ZEpYYXFUVWN1T1VacU5MSWtOd08vVytneHk0bksKODBQbStIYzE2Q1RiQzQ3YWNMaURFWUc2UURZMUlDNUQycHlLUUhSbUUwSDVBL2t5ZUZxcFFqbUk5bExkOWxUWQozdWQxVVoxTGZpZ0JBRzRpSGNqZlUwMXRBUEZKM3lqSmRyUzV0cGtpRUcra0dkWT0KLS0tLS1FTkQgQ0VSVElGSUNBVEUgUkVRVUVTVC0tLS0tCg==';

const secretRef = (name = 'creds', key = 'key'): Obj => ({ name, key });

// --- Values at the rules' edges, by field name ------------------------------
const POOLS: Record<string, readonly Json[]> = {
  duration: ['2160h', '1h', '59m', '1h30m', '0s', '-1h', '720h', '8760h', '100000h', '90d', 'abc', '', '1h0m0s', '300s'],
  renewBefore: ['360h', '1h', '4m', '5m', '2160h', '3000h', '0s', '-5m', '30d', '1h30m'],
  renewBeforePercentage: [0, 1, 33, 50, 99, 100, -1, 150],
  algorithm: ['RSA', 'ECDSA', 'Ed25519', 'rsa', 'DSA', ''],
  size: [0, 256, 384, 521, 1024, 2048, 3072, 4096, 8192, 8193, 224, -1],
  encoding: ['PKCS1', 'PKCS8', 'pkcs8', 'PEM'],
  rotationPolicy: ['Always', 'Never', 'always', 'Sometimes'],
  signatureAlgorithm: ['SHA256WithRSA', 'SHA384WithRSA', 'SHA512WithRSA', 'ECDSAWithSHA256', 'ECDSAWithSHA384', 'ECDSAWithSHA512', 'PureEd25519', 'MD5WithRSA'],
  usages: [['digital signature', 'key encipherment'], ['server auth', 'client auth'], ['signing'], ['cert sign', 'crl sign'], ['any'], ['server auth', 'server auth'], ['foo'], []],
  ipAddresses: [['10.0.0.1'], ['::1', '2001:db8::1'], ['1.2.3'], ['256.1.1.1'], ['10.0.0.0/8'], [''], ['fe80::1%eth0']],
  emailAddresses: [['a@example.com'], ['A <a@example.com>'], ['not-an-email'], ['@example.com'], ['a@b'], ['"a b"@example.com'], ['a@example.com', 'a@example.com']],
  uris: [['spiffe://cluster.local/ns/a/sa/b'], ['https://example.com/x'], ['not a uri'], ['']],
  dnsNames: [['example.com'], ['*.example.com', 'example.com'], ['Example.COM'], ['a..b.com'], ['-a.example.com'], ['a_b.example.com'], [''], ['10.0.0.1'], ['a'.repeat(64) + '.example.com'], ['example.com', 'example.com']],
  commonName: ['example.com', 'a'.repeat(64), 'a'.repeat(65), '', 'Example CA'],
  literalSubject: ['CN=example.com,O=Example', 'CN=a,OU=b', 'not a dn', '', 'CN=x,1.2.3.4=#0403616263'],
  secretName: ['tls', 'example-tls', 'TLS_Bad', '', 'a'.repeat(254), 'a.b'],
  revisionHistoryLimit: [1, 0, -1, 5, 10],
  kind: ['Issuer', 'ClusterIssuer', '', 'Foo', 'AWSPCAIssuer'],
  group: ['cert-manager.io', '', 'example.com', 'awspca.cert-manager.io'],
  server: ['https://acme-staging-v02.api.letsencrypt.org/directory', 'https://acme-v02.api.letsencrypt.org/directory', '', 'not a url', 'http://localhost:14000/dir'],
  email: ['ops@example.com', '', 'not an email', 'ops@'],
  caBundle: ['', 'bm90IGEgY2VydA==', 'not base64!'],
  path: ['pki/sign/example', '', 'pki/../sign', '/pki/sign/x'],
  namespace: ['team-a', 'default', 'Bad_NS', ''],
  name: ['example', 'Bad_Name', '', 'a'.repeat(254), 'a.b', 'x'],
  protocol: ['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP', 'https'],
  port: [80, 443, 8443, 0, 70000, -1],
  hostname: ['example.com', '*.example.com', 'Bad_Host', '', '10.0.0.1', '*'],
  mode: ['Terminate', 'Passthrough', 'terminate'],
  serviceType: ['ClusterIP', 'NodePort', 'LoadBalancer'],
  ingressClassName: ['nginx', 'Bad Class', ''],
  class: ['nginx', ''],
  zone: ['example.com', ''],
  region: ['us-east-1', ''],
  project: ['my-project', ''],
  nameserver: ['10.0.0.53', '10.0.0.53:53', '[::1]:53', 'ns.example.com:53', ''],
  tsigAlgorithm: ['HMACSHA256', 'HMACSHA512', 'HMACMD5', 'hmac-sha256', 'FOO'],
  host: ['https://acme-dns.example.com', ''],
  serviceConsumerDomain: ['akab-xxx.luna.akamaiapis.net', ''],
  url: ['https://tpp.example.com/vedsdk', '', 'not a url'],
  keyAlgorithm: ['HS256', 'HS384', 'HS512', 'RS256'],
  keyID: ['kid-1', ''],
  oid: ['1.3.6.1.4.1.311.20.2.3', 'not.an.oid', '', '1.2'],
  utf8Value: ['user@example.com', ''],
  format: ['DER', 'CombinedPEM', 'PEM'],
};

// --- Valid bases -------------------------------------------------------------
function metadata(p: Pick, kind: string): Obj {
  const md: Obj = { name: p.one(['example', 'web', 'ca-issuer', 'le-staging']) };
  if (kind !== 'ClusterIssuer' && p.chance(0.5)) md.namespace = p.one(['team-a', 'default']);
  if (p.chance(0.15)) md.labels = { app: 'web', 'app.kubernetes.io/name': 'web' };
  return md;
}

const DNS01_PROVIDERS: Record<string, () => Obj> = {
  cloudflare: () => ({ email: 'ops@example.com', apiTokenSecretRef: secretRef('cloudflare', 'api-token') }),
  cloudflareKey: () => ({ email: 'ops@example.com', apiKeySecretRef: secretRef('cloudflare', 'api-key') }),
  route53: () => ({ region: 'us-east-1', hostedZoneID: 'Z123', accessKeyIDSecretRef: secretRef('aws', 'id'), secretAccessKeySecretRef: secretRef('aws', 'secret') }),
  route53Role: () => ({ region: 'us-east-1', role: 'arn:aws:iam::123:role/dns' }),
  route53Auth: () => ({ region: 'us-east-1', auth: { kubernetes: { serviceAccountRef: { name: 'cert-manager', audiences: ['sts.amazonaws.com'] } } } }),
  rfc2136: () => ({ nameserver: '10.0.0.53:53', tsigKeyName: 'example-key', tsigAlgorithm: 'HMACSHA512', tsigSecretSecretRef: secretRef('tsig', 'secret') }),
  acmeDNS: () => ({ host: 'https://acme-dns.example.com', accountSecretRef: secretRef('acme-dns', 'acmedns.json') }),
  akamai: () => ({ serviceConsumerDomain: 'akab.luna.akamaiapis.net', clientTokenSecretRef: secretRef('ak', 'ct'), clientSecretSecretRef: secretRef('ak', 'cs'), accessTokenSecretRef: secretRef('ak', 'at') }),
  azureDNS: () => ({ subscriptionID: 'sub', resourceGroupName: 'rg', hostedZoneName: 'example.com', managedIdentity: { clientID: 'abc' } }),
  azureDNSSP: () => ({ subscriptionID: 'sub', resourceGroupName: 'rg', clientID: 'cid', tenantID: 'tid', clientSecretSecretRef: secretRef('azure', 'secret') }),
  cloudDNS: () => ({ project: 'my-project', serviceAccountSecretRef: secretRef('gcp', 'key.json') }),
  digitalocean: () => ({ tokenSecretRef: secretRef('do', 'token') }),
  webhook: () => ({ groupName: 'acme.example.com', solverName: 'example', config: { apiKey: 'x' } }),
};
const providerField = (k: string) => k.replace(/(Key|Role|Auth|SP)$/, '');

function solver(p: Pick): Obj {
  const s: Obj = {};
  const t = p.int(4);
  if (t === 0) s.http01 = { ingress: p.chance(0.5) ? { ingressClassName: 'nginx' } : p.chance(0.5) ? { class: 'nginx' } : { name: 'web' } };
  else if (t === 1) s.http01 = { gatewayHTTPRoute: { parentRefs: [{ name: 'gw', namespace: 'default', kind: 'Gateway' }], ...(p.chance(0.3) ? { labels: { a: 'b' } } : {}) } };
  else {
    const k = p.one(Object.keys(DNS01_PROVIDERS));
    s.dns01 = { [providerField(k)]: DNS01_PROVIDERS[k]!() };
    if (p.chance(0.2)) (s.dns01 as Obj).cnameStrategy = p.one(['Follow', 'None', 'follow']);
  }
  if (p.chance(0.4)) {
    const sel: Obj = {};
    if (p.chance(0.5)) sel.dnsNames = p.one([['example.com'], ['*.example.com'], ['Bad_Host']]);
    if (p.chance(0.5)) sel.dnsZones = p.one([['example.com'], ['']]);
    if (p.chance(0.3)) sel.matchLabels = p.one<Json>([{ app: 'web' }, { 'bad key!': 'x' }]);
    s.selector = sel;
  }
  return s;
}

const VAULT_AUTH: (() => Obj)[] = [
  () => ({ tokenSecretRef: secretRef('vault', 'token') }),
  () => ({ appRole: { path: 'approle', roleId: 'role', secretRef: secretRef('vault', 'secret-id') } }),
  () => ({ kubernetes: { role: 'cert-manager', mountPath: '/v1/auth/kubernetes', secretRef: secretRef('sa', 'token') } }),
  () => ({ kubernetes: { role: 'cert-manager', serviceAccountRef: { name: 'cert-manager' } } }),
  () => ({ clientCertificate: { mountPath: '/v1/auth/cert', secretName: 'vault-client' } }),
];

function issuerSpec(p: Pick): { spec: Obj; branch: string } {
  const branch = p.one(['selfSigned', 'ca', 'acme', 'acme', 'acme', 'vault', 'venafi']);
  switch (branch) {
    case 'selfSigned':
      return { branch, spec: { selfSigned: p.chance(0.2) ? { crlDistributionPoints: ['http://crl.example.com'] } : {} } };
    case 'ca':
      return { branch, spec: { ca: { secretName: 'ca-key-pair', ...(p.chance(0.3) ? { ocspServers: ['http://ocsp.example.com'], crlDistributionPoints: ['http://crl.example.com'] } : {}) } } };
    case 'acme': {
      const acme: Obj = {
        server: p.one(POOLS.server!.slice(0, 2)),
        privateKeySecretRef: { name: 'acme-account' },
        solvers: Array.from({ length: 1 + p.int(2) }, () => solver(p)),
      };
      if (p.chance(0.3)) acme.email = 'ops@example.com';
      if (p.chance(0.15)) acme.externalAccountBinding = { keyID: 'kid-1', keySecretRef: secretRef('eab', 'secret'), ...(p.chance(0.3) ? { keyAlgorithm: 'HS256' } : {}) };
      if (p.chance(0.1)) acme.skipTLSVerify = true;
      if (p.chance(0.1)) acme.preferredChain = 'ISRG Root X1';
      if (p.chance(0.1)) acme.profile = 'tlsserver';
      return { branch, spec: { acme } };
    }
    case 'vault':
      return { branch, spec: { vault: { server: 'https://vault.example.com', path: 'pki/sign/example', auth: p.one(VAULT_AUTH)(), ...(p.chance(0.2) ? { namespace: 'ns1' } : {}) } } };
    default: {
      const which = p.one(['tpp', 'cloud']);
      const conn: Obj = which === 'tpp' ? { url: 'https://tpp.example.com/vedsdk', credentialsRef: { name: 'tpp' } } : { apiTokenSecretRef: secretRef('venafi', 'apikey') };
      return { branch: `venafi.${which}`, spec: { venafi: { zone: 'Default', [which]: conn } } };
    }
  }
}

function certificateSpec(p: Pick): Obj {
  const spec: Obj = { secretName: 'example-tls', issuerRef: { name: 'le-staging', kind: p.one(['Issuer', 'ClusterIssuer']), ...(p.chance(0.3) ? { group: 'cert-manager.io' } : {}) } };
  const names = p.int(5);
  if (names === 0) spec.commonName = 'example.com';
  if (names <= 2) spec.dnsNames = p.one([['example.com'], ['example.com', 'www.example.com'], ['*.example.com', 'example.com']]);
  if (names === 3) spec.ipAddresses = ['10.0.0.1'];
  if (names === 4) spec.uris = ['spiffe://cluster.local/ns/a/sa/b'];
  if (p.chance(0.15)) spec.emailAddresses = ['a@example.com'];
  if (p.chance(0.3)) spec.duration = p.one(['2160h', '720h', '24h']);
  if (p.chance(0.2)) spec.renewBefore = p.one(['360h', '1h']);
  else if (p.chance(0.1)) spec.renewBeforePercentage = p.one([33, 50]);
  if (p.chance(0.4)) {
    const alg = p.one(['RSA', 'ECDSA', 'Ed25519']);
    const pk: Obj = { algorithm: alg };
    if (alg === 'RSA' && p.chance(0.5)) pk.size = p.one([2048, 4096]);
    if (alg === 'ECDSA' && p.chance(0.5)) pk.size = p.one([256, 384]);
    if (p.chance(0.3)) pk.rotationPolicy = p.one(['Always', 'Never']);
    if (p.chance(0.2)) pk.encoding = p.one(['PKCS1', 'PKCS8']);
    spec.privateKey = pk;
  }
  if (p.chance(0.2)) spec.usages = p.one([['digital signature', 'key encipherment', 'server auth'], ['client auth']]);
  if (p.chance(0.15)) spec.isCA = true;
  if (p.chance(0.1)) spec.subject = { organizations: ['Example'], countries: ['NL'] };
  if (p.chance(0.15)) spec.secretTemplate = { labels: { app: 'web' }, annotations: { 'example.com/owner': 'team-a' } };
  if (p.chance(0.1)) spec.revisionHistoryLimit = 3;
  if (p.chance(0.1)) spec.keystores = p.one<Json>([{ pkcs12: { create: true, passwordSecretRef: secretRef('ks', 'password') } }, { jks: { create: true, password: 'changeit' } }]);
  if (p.chance(0.08)) spec.additionalOutputFormats = [{ type: p.one(['DER', 'CombinedPEM']) }];
  if (p.chance(0.08)) spec.nameConstraints = { critical: true, permitted: { dnsDomains: ['example.com'], ...(p.chance(0.5) ? { ipRanges: ['10.0.0.0/8'] } : {}) } };
  if (p.chance(0.06)) spec.otherNames = [{ oid: '1.3.6.1.4.1.311.20.2.3', utf8Value: 'user@example.com' }];
  if (p.chance(0.06)) spec.literalSubject = 'CN=example.com,O=Example';
  if (p.chance(0.05)) spec.encodeUsagesInRequest = false;
  if (p.chance(0.05)) spec.signatureAlgorithm = 'SHA256WithRSA';
  return spec;
}

function certificateRequestSpec(p: Pick): Obj {
  const spec: Obj = { request: CSR_EXAMPLE_COM, issuerRef: { name: 'ca-issuer', kind: 'Issuer' } };
  if (p.chance(0.3)) spec.duration = '2160h';
  if (p.chance(0.3)) spec.usages = p.one([['digital signature', 'key encipherment'], ['client auth'], ['digital signature', 'key encipherment', 'server auth']]);
  if (p.chance(0.1)) spec.isCA = true;
  return spec;
}

function gateway(p: Pick, md: Obj): Obj {
  const issuerAnn = p.one(['cert-manager.io/issuer', 'cert-manager.io/cluster-issuer']);
  const annotations: Obj = { [issuerAnn]: 'le-staging' };
  if (p.chance(0.3)) annotations['cert-manager.io/duration'] = p.one(['2160h', 'abc', '1m']);
  if (p.chance(0.2)) annotations['cert-manager.io/private-key-algorithm'] = p.one(['ECDSA', 'RSA', 'foo']);
  const listeners: Json[] = [];
  const n = 1 + p.int(3);
  for (let i = 0; i < n; i++) {
    const proto = p.one(['HTTPS', 'HTTPS', 'HTTP', 'TLS']);
    const l: Obj = { name: `l${i}`, protocol: proto, port: proto === 'HTTP' ? 80 : 443 };
    if (p.chance(0.8)) l.hostname = p.one(['example.com', '*.example.com', `h${i}.example.com`]);
    if (proto !== 'HTTP') l.tls = { mode: proto === 'TLS' && p.chance(0.5) ? 'Passthrough' : 'Terminate', ...(proto === 'TLS' && p.chance(0.5) ? {} : { certificateRefs: [{ name: `tls-${i}`, kind: 'Secret' }] }) };
    listeners.push(l);
  }
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { ...md, annotations }, spec: { gatewayClassName: 'example', listeners } };
}

function base(p: Pick): { obj: Obj; recipe: string } {
  const kind = p.one(['Issuer', 'ClusterIssuer', 'Certificate', 'Certificate', 'CertificateRequest', 'Gateway']);
  const md = metadata(p, kind);
  switch (kind) {
    case 'Issuer':
    case 'ClusterIssuer': {
      const { spec, branch } = issuerSpec(p);
      return { obj: { apiVersion: 'cert-manager.io/v1', kind, metadata: md, spec }, recipe: `${kind}/${branch}` };
    }
    case 'Certificate':
      return { obj: { apiVersion: 'cert-manager.io/v1', kind, metadata: md, spec: certificateSpec(p) }, recipe: kind };
    case 'CertificateRequest':
      return { obj: { apiVersion: 'cert-manager.io/v1', kind, metadata: md, spec: certificateRequestSpec(p) }, recipe: kind };
    default:
      return { obj: gateway(p, md), recipe: 'Gateway' };
  }
}

// --- Mutations ------------------------------------------------------------------
interface Slot {
  parent: Obj | Json[];
  key: string | number;
  path: string;
}

function slots(v: Json, path: string, out: Slot[]): void {
  if (Array.isArray(v)) {
    v.forEach((c, i) => {
      out.push({ parent: v, key: i, path: `${path}[${i}]` });
      slots(c, `${path}[${i}]`, out);
    });
  } else if (v && typeof v === 'object') {
    for (const [k, c] of Object.entries(v)) {
      if (path === '' && (k === 'apiVersion' || k === 'kind')) continue;
      const p = path ? `${path}.${k}` : k;
      out.push({ parent: v, key: k, path: p });
      slots(c, p, out);
    }
  }
}

const UNKNOWN_KEYS = ['renewbefore', 'dnsName', 'secretname', 'foo', 'issuerref', 'privatekey', 'solver', 'extra'];

function retype(p: Pick, v: Json): Json {
  if (typeof v === 'string') return p.one<Json>([Number.isNaN(Number(v)) || v === '' ? 5 : Number(v), true, [v], { value: v }, null]);
  if (typeof v === 'number') return p.one<Json>([String(v), v + 0.5, true, [v]]);
  if (typeof v === 'boolean') return p.one<Json>(['true', 'yes', 1]);
  if (Array.isArray(v)) return p.one<Json>([v[0] ?? 'x', {}, 'x']);
  if (v && typeof v === 'object') return p.one<Json>(['x', [v], 1]);
  return 'x';
}

function get(s: Slot): Json {
  return (s.parent as Record<string | number, Json>)[s.key]!;
}
function set(s: Slot, v: Json): void {
  (s.parent as Record<string | number, Json>)[s.key] = v;
}
function drop(s: Slot): void {
  if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
  else delete s.parent[s.key as string];
}

/** One mutation, in place; returns what it did. */
function mutate(p: Pick, obj: Obj): string {
  const all: Slot[] = [];
  slots(obj, '', all);
  if (all.length === 0) return 'none';
  const s = p.one(all);
  const v = get(s);
  const op = p.int(10);
  const fieldName = typeof s.key === 'string' ? s.key : String((all.find((x) => x.parent !== s.parent && get(x) === s.parent)?.key) ?? '');
  if (op <= 1) {
    drop(s);
    return `drop ${s.path}`;
  }
  if (op === 2) {
    const target = v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : !Array.isArray(s.parent) ? s.parent : undefined;
    if (target) {
      const k = p.one(UNKNOWN_KEYS);
      target[k] = p.one<Json>(['x', 1, { a: 'b' }]);
      return `add ${k} near ${s.path}`;
    }
  }
  if (op === 3) {
    set(s, retype(p, v));
    return `retype ${s.path}`;
  }
  // alter: a value from the pool for this field name (or a nearby one)
  const pool = POOLS[fieldName] ?? (typeof v === 'string' ? ['', 'x', 'Bad_Value', 'a'.repeat(300)] : typeof v === 'number' ? [0, -1, 1e9] : typeof v === 'boolean' ? [!v] : undefined);
  if (pool) {
    set(s, structuredClone(p.one(pool)));
    return `alter ${s.path}`;
  }
  drop(s);
  return `drop ${s.path}`;
}

/** Combinations the oneOf/CEL rules look at: two branches at once, or none. */
function combine(p: Pick, obj: Obj): string | undefined {
  const spec = obj.spec as Obj | undefined;
  if (!spec || typeof spec !== 'object') return undefined;
  const kind = obj.kind;
  if (kind === 'Issuer' || kind === 'ClusterIssuer') {
    const choice = p.int(6);
    if (choice === 0) {
      const other = issuerSpec(p).spec;
      Object.assign(spec, other);
      return `second issuer type ${Object.keys(other)[0]}`;
    }
    if (choice === 1) {
      for (const k of Object.keys(spec)) delete spec[k];
      return 'no issuer type';
    }
    const acme = spec.acme as Obj | undefined;
    const sol = Array.isArray(acme?.solvers) ? (acme!.solvers[0] as Obj | undefined) : undefined;
    if (sol && typeof sol === 'object' && choice === 2) {
      const extra = solver(p);
      Object.assign(sol, extra.http01 ? { http01: extra.http01 } : { dns01: extra.dns01 });
      return 'solver with a second type';
    }
    const dns = sol?.dns01 as Obj | undefined;
    if (dns && typeof dns === 'object' && choice === 3) {
      const k = p.one(Object.keys(DNS01_PROVIDERS));
      dns[providerField(k)] = DNS01_PROVIDERS[k]!();
      if (p.chance(0.3)) dns.nameservers = p.one([['10.0.0.53:53'], ['10.0.0.53'], ['https://dns.example.com/dns-query']]);
      return `dns01 second provider ${k}`;
    }
    const http = sol?.http01 as Obj | undefined;
    if (http && typeof http === 'object' && choice === 4) {
      http.ingress = { class: 'nginx', ingressClassName: 'nginx', name: 'web' };
      if (p.chance(0.5)) http.gatewayHTTPRoute = { parentRefs: [{ name: 'gw' }] };
      return 'http01 ingress class+ingressClassName+name';
    }
    const vault = spec.vault as Obj | undefined;
    if (vault && typeof vault === 'object' && vault.auth && typeof vault.auth === 'object') {
      Object.assign(vault.auth as Obj, p.one(VAULT_AUTH)());
      return 'vault second auth';
    }
    const venafi = spec.venafi as Obj | undefined;
    if (venafi && typeof venafi === 'object') {
      venafi.cloud = { apiTokenSecretRef: secretRef('v', 'k') };
      venafi.tpp = { url: 'https://tpp.example.com/vedsdk', credentialsRef: { name: 'tpp' } };
      return 'venafi tpp+cloud';
    }
    return undefined;
  }
  if (kind === 'Certificate') {
    const choice = p.int(6);
    if (choice === 0) {
      delete spec.commonName;
      delete spec.dnsNames;
      delete spec.ipAddresses;
      delete spec.uris;
      delete spec.emailAddresses;
      if (p.chance(0.5)) spec.literalSubject = 'CN=example.com';
      return 'no names';
    }
    if (choice === 1) {
      spec.duration = p.one(POOLS.duration!);
      spec[p.chance(0.5) ? 'renewBefore' : 'renewBeforePercentage'] = p.one(p.chance(0.5) ? POOLS.renewBefore! : POOLS.renewBeforePercentage!);
      if (p.chance(0.3)) {
        spec.renewBefore = p.one(POOLS.renewBefore!);
        spec.renewBeforePercentage = p.one(POOLS.renewBeforePercentage!);
      }
      return 'duration/renewBefore combination';
    }
    if (choice === 2) {
      spec.privateKey = { algorithm: p.one(POOLS.algorithm!), size: p.one(POOLS.size!) };
      if (p.chance(0.3)) spec.signatureAlgorithm = p.one(POOLS.signatureAlgorithm!);
      return 'key algorithm/size';
    }
    if (choice === 3) {
      spec.secretTemplate = p.one<Json>([
        { labels: { 'cert-manager.io/x': 'y' } },
        { annotations: { 'cert-manager.io/certificate-name': 'x' } },
        { annotations: { 'bad key!': 'x' } },
        { labels: { app: 'a'.repeat(64) } },
        { annotations: { 'example.com/a': 'b' }, labels: { 'example.com/x': 'ok' } },
      ]);
      return 'secretTemplate';
    }
    if (choice === 4) {
      spec.literalSubject = p.one(POOLS.literalSubject!);
      if (p.chance(0.5)) spec.commonName = 'example.com';
      if (p.chance(0.3)) spec.subject = { organizations: ['x'] };
      return 'literalSubject combination';
    }
    spec.nameConstraints = p.one<Json>([{}, { permitted: { ipRanges: ['10.0.0.0'] } }, { excluded: { dnsDomains: ['example.com'] } }, { permitted: { emailAddresses: ['example.com'], uriDomains: ['example.com'] } }]);
    if (p.chance(0.5)) spec.isCA = true;
    return 'nameConstraints';
  }
  if (kind === 'Gateway') {
    const listeners = (spec.listeners as Obj[] | undefined) ?? [];
    const l = listeners[0];
    if (!l || typeof l !== 'object') return undefined;
    const choice = p.int(4);
    if (choice === 0) {
      l.protocol = 'HTTP';
      l.tls = { mode: 'Terminate', certificateRefs: [{ name: 'x' }] };
      return 'tls on an HTTP listener';
    }
    if (choice === 1) {
      l.protocol = 'HTTPS';
      delete l.tls;
      return 'HTTPS listener without tls';
    }
    if (choice === 2) {
      listeners.push({ ...structuredClone(l) });
      return 'duplicate listener';
    }
    l.tls = { mode: 'Terminate' };
    return 'tls without certificateRefs';
  }
  return undefined;
}

export function generate(seed: number, index: number): GeneratedDocument {
  const p = new Pick(rng((seed * 0x9e3779b1) ^ (index * 0x85ebca6b) ^ 0x5bd1e995));
  const { obj, recipe } = base(p);
  const steps = [recipe];
  if (p.chance(0.25)) {
    const c = combine(p, obj);
    if (c) steps.push(c);
  }
  const n = p.one([0, 1, 1, 1, 2, 2, 3]);
  for (let i = 0; i < n; i++) steps.push(mutate(p, obj));
  return { id: `gen:${seed}:${index}`, recipe: steps.join('; '), text: stringify(obj, { lineWidth: 0 }) };
}

export function* generateMany(seed: number, count: number): Generator<GeneratedDocument> {
  for (let i = 0; i < count; i++) yield generate(seed, i);
}
