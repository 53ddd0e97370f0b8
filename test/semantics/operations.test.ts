/**
 * The operational checks (engine/rules/operations) on whole workspaces: which
 * ACME solvers cert-manager's picker can never reach, Let's Encrypt's
 * lifetimes on the dates they change, rate limits counted as Let's Encrypt
 * counts them, and the quick fixes' edits. Each rule's positions and its
 * silence on correct manifests are in rule-cases/<id>.yaml.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaStore } from '../../engine/schema/schema-store.js';
import { Workspace } from '../../engine/workspace/workspace.js';
import { ManifestFile } from '../../engine/workspace/manifest-file.js';
import type { Diagnostic } from '../../engine/core/diagnostic.js';

const LE_PROD = 'https://acme-v02.api.letsencrypt.org/directory';
const LE_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';

function check(files: Record<string, string>, now?: string): (Diagnostic & { uri: string })[] {
  const ws = new Workspace(schemaStore());
  if (now) ws.crossOptions = { ...ws.crossOptions, now: new Date(now) };
  for (const [name, text] of Object.entries(files)) ws.set(`file:///ws/${name}`, text);
  return [...ws.crossDiagnostics()].flatMap(([uri, ds]) => ds.map((d) => ({ ...d, uri: uri.replace('file:///ws/', '') })));
}

const only = <D extends Diagnostic>(ds: D[], code: string): D[] => ds.filter((d) => d.code === code);

const issuer = (o: { name?: string; server?: string; profile?: string; key?: string; email?: string; solvers?: string }) => `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: ${o.name ?? 'le'}
spec:
  acme:
    server: ${o.server ?? LE_PROD}
    email: ${o.email ?? 'ops@example.com'}
${o.profile ? `    profile: ${o.profile}\n` : ''}    privateKeySecretRef:
      name: ${o.key ?? `${o.name ?? 'le'}-account`}
    solvers:
${o.solvers ?? '      - http01:\n          ingress:\n            ingressClassName: nginx\n'}`;

const cert = (o: { name?: string; ns?: string; names?: string[]; issuer?: string; extra?: string; secret?: string }) => `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ${o.name ?? 'web'}
  namespace: ${o.ns ?? 'web'}
spec:
  secretName: ${o.secret ?? `${o.name ?? 'web'}-tls`}
  dnsNames: [${(o.names ?? ['www.example.com']).join(', ')}]
${o.extra ?? ''}  issuerRef:
    name: ${o.issuer ?? 'le'}
    kind: ClusterIssuer
`;

/** An Ingress whose TLS hosts get a Certificate from ClusterIssuer "le" through ingress-shim. */
const ingress = (hosts: string[]) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: www
  namespace: web
  annotations:
    cert-manager.io/cluster-issuer: le
spec:
  tls:
    - hosts: [${hosts.join(', ')}]
      secretName: www-tls
  rules:
    - host: ${hosts[0]}
`;

/** The solver list entries cert-manager can never pick, by index. */
function unreachable(solvers: string[]): number[] {
  const text = issuer({ server: LE_STAGING, solvers: solvers.join('') });
  const ds = only(check({ 'issuer.yaml': text }), 'acme-solver-unreachable');
  return ds.map((d) => Number(/solvers\[(\d+)\] of/.exec(d.message)![1])).sort();
}

const s = {
  http: (sel = '') => `      - ${sel ? `selector: ${sel}\n        ` : ''}http01:\n          ingress: {ingressClassName: nginx}\n`,
  dns: (sel = '') => `      - ${sel ? `selector: ${sel}\n        ` : ''}dns01:\n          cloudflare:\n            apiTokenSecretRef: {name: cf, key: token}\n`,
};

test("solvers cert-manager's picker never reaches, and those it does", () => {
  // A solver without selector catches every name; an empty selector after it adds nothing.
  assert.deepEqual(unreachable([s.dns(), s.http('{dnsZones: [example.com]}'), s.http('{}')]), [2]);
  // Equal selectors: the first wins for the types both serve; DNS-01 still gets wildcards.
  assert.deepEqual(unreachable([s.dns('{dnsZones: [example.com]}'), s.http('{dnsZones: [example.com]}')]), [1]);
  assert.deepEqual(unreachable([s.http('{dnsZones: [example.com]}'), s.dns('{dnsZones: [example.com]}')]), []);
  // The longest zone wins, whatever the order.
  assert.deepEqual(unreachable([s.http('{dnsZones: [example.com]}'), s.http('{dnsZones: [shop.example.com]}')]), []);
  assert.deepEqual(unreachable([s.http('{dnsNames: [a.example.com]}'), s.http('{dnsNames: [a.example.com]}')]), [1]);
  // More matching labels win; fewer required labels lose only to an equal or broader earlier one.
  assert.deepEqual(unreachable([s.http('{matchLabels: {a: "1"}}'), s.http('{matchLabels: {a: "1", b: "2"}}')]), []);
  assert.deepEqual(unreachable([s.http('{matchLabels: {a: "1", b: "2"}}'), s.http('{matchLabels: {a: "1"}}')]), []);
  // Two fallbacks: DNS-01 second still serves wildcards, HTTP-01 second never serves anything.
  assert.deepEqual(unreachable([s.http(), s.dns()]), []);
  assert.deepEqual(unreachable([s.dns(), s.http()]), [1]);
  // A dnsNames entry outside the solver's own dnsZones: it matches nothing.
  const [d] = only(check({ 'i.yaml': issuer({ server: LE_STAGING, solvers: [s.http(), s.http('{dnsNames: [a.example.org], dnsZones: [example.com]}')].join('') }) }), 'acme-solver-unreachable');
  assert.match(d!.message, /solvers\[1\].*matches none of the names it selects/);
});

test("Let's Encrypt lifetimes follow the announced dates: renewBefore ignored now, or from the day a profile shortens", () => {
  const files = (profile: string | undefined, renewBefore: string) => ({ 'issuer.yaml': issuer({ profile }), 'cert.yaml': cert({ extra: `  renewBefore: ${renewBefore}\n` }) });
  const at = (profile: string | undefined, rb: string, now: string) => only(check(files(profile, rb), now), 'acme-renew-before-lifetime').map((d) => d.message);
  // classic: 90 days until 2027-02-10, then 64 days (1536h), then 45 days from 2028-02-16.
  assert.deepEqual(at(undefined, '1000h', '2026-12-06'), []);
  assert.match(at(undefined, '1600h', '2026-12-06')[0]!, /^From 2027-02-10 certificates of the default \("classic"\) profile .* last 64 days .*renewBefore 1600h will then be ignored/);
  assert.match(at(undefined, '1600h', '2027-03-01')[0]!, /renewBefore 1600h is not shorter than the 64 days .*two thirds into the lifetime \(1024h after issuance\)/);
  assert.match(at(undefined, '1100h', '2027-03-01')[0]!, /^From 2028-02-16 .* last 45 days/);
  // tlsserver went to 45 days on 2026-05-13.
  assert.match(at('tlsserver', '1500h', '2026-01-01')[0]!, /^From 2026-05-13 .*"tlsserver" profile .* last 45 days/);
  assert.match(at('tlsserver', '1500h', '2026-12-06')[0]!, /not shorter than the 45 days/);
  // shortlived: 160 hours; renewing more often than every 33.6 h passes 5 certificates a week.
  assert.match(at('shortlived', '200h', '2026-12-06')[0]!, /not shorter than the 160h .*106\.7h after issuance/);
  assert.match(at('shortlived', '140h', '2026-12-06')[0]!, /renews every 20h: more than 5 certificates for the same names in 7 days/);
  assert.deepEqual(at('shortlived', '100h', '2026-12-06'), []);
  // An unknown profile: no lifetime to judge by.
  assert.deepEqual(at('custom', '5000h', '2026-12-06'), []);
  // Staging has no duplicate limit worth the name: no churn warning there.
  const staging = { 'issuer.yaml': issuer({ profile: 'shortlived', server: LE_STAGING }), 'cert.yaml': cert({ extra: '  renewBefore: 140h\n' }) };
  assert.deepEqual(only(check(staging), 'acme-renew-before-lifetime'), []);
  const pct = { 'issuer.yaml': issuer({ profile: 'shortlived' }), 'cert.yaml': cert({ extra: '  renewBeforePercentage: 90\n' }) };
  assert.match(only(check(pct), 'acme-renew-before-lifetime')[0]!.message, /renews every 16h/);
});

test("duration is ignored by Let's Encrypt; IP addresses need the shortlived profile", () => {
  const ds = check({ 'issuer.yaml': issuer({}), 'cert.yaml': cert({ extra: '  duration: 8760h\n  ipAddresses: [203.0.113.10, "2001:db8::1"]\n' }) }, '2026-12-06');
  assert.deepEqual(only(ds, 'acme-duration-ignored').map((d) => `${d.severity} ${d.message}`), [
    `information Let's Encrypt production ignores duration: under the default ("classic") profile (ClusterIssuer "le" sets none) every certificate is valid 90 days (64 days from 2027-02-10, 45 days from 2028-02-16). cert-manager plans renewals from the certificate it gets.`,
  ]);
  assert.deepEqual(only(ds, 'acme-ip-needs-shortlived').map((d) => `${d.severity} ${d.range.start.line}`), ['error 9', 'error 9']);
  const shortlived = check({ 'issuer.yaml': issuer({ profile: 'shortlived' }), 'cert.yaml': cert({ extra: '  duration: 160h\n  ipAddresses: [203.0.113.10]\n' }) });
  assert.deepEqual([...only(shortlived, 'acme-ip-needs-shortlived'), ...only(shortlived, 'acme-duration-ignored')], []);
});

test("rate limits: distinct name sets per registered domain, and Certificates for the same names", () => {
  const many = (n: number, names: (i: number) => string[]) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}.yaml`, cert({ name: `c${i}`, names: names(i) })]));
  const limit = (n: number, names: (i: number) => string[]) => only(check({ 'issuer.yaml': issuer({}), ...many(n, names) }), 'letsencrypt-rate-limit');
  assert.equal(limit(50, (i) => [`s${i}.example.com`]).length, 0);
  const over = limit(51, (i) => [`s${i}.example.com`]);
  assert.equal(over.length, 51);
  assert.match(over[0]!.message, /^51 different sets of names under example\.com .* waits up to a week for 1 of them/);
  // Registered domains come from the Public Suffix List: two customers under one public suffix are two domains.
  assert.equal(limit(51, (i) => [`www.shop${i % 2}.co.uk`, `s${i}.shop${i % 2}.co.uk`]).length, 0);

  const dup = (files: Record<string, string>) => only(check({ 'issuer.yaml': issuer({}), ...files }), 'letsencrypt-duplicate-certificates');
  assert.deepEqual(
    dup({ 'a.yaml': cert({ name: 'a', names: ['www.example.com', 'example.com'] }), 'b.yaml': cert({ name: 'b', names: ['example.com', 'WWW.example.com'] }) }).map((d) => `${d.uri} ${d.message.slice(0, 75)}`),
    ['a.yaml Certificate/b also requests exactly these names (example.com, www.example.c', 'b.yaml Certificate/a also requests exactly these names (example.com, www.example.c'],
  );
  // One Certificate written in two files (an overlay, test data) is one Certificate.
  assert.deepEqual(dup({ 'a.yaml': cert({ name: 'a' }), 'b.yaml': cert({ name: 'a' }) }), []);
  // Other namespaces may well be other clusters: only more than 5 is certain trouble.
  assert.deepEqual(dup({ 'a.yaml': cert({ name: 'a', ns: 'one' }), 'b.yaml': cert({ name: 'b', ns: 'two' }) }), []);
  const six = dup(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`c${i}.yaml`, cert({ name: `c${i}`, ns: `ns${i}` })])));
  assert.equal(six.length, 6);
  assert.match(six[0]!.message, /^6 Certificates request exactly these names \(www\.example\.com\)/);
  // ingress-shim's Certificate counts like any other.
  assert.deepEqual(dup({ 'a.yaml': cert({ name: 'a' }), 'ingress.yaml': ingress(['www.example.com']) }).map((d) => d.uri).sort(), ['a.yaml', 'ingress.yaml']);
});

test('credentials ending in a line break: fixes that drop it, and credentials cert-manager trims are not reported', () => {
  const solvers = `      - dns01:
          cloudflare:
            apiTokenSecretRef: {name: cf, key: token}
      - selector: {dnsZones: [example.org]}
        dns01:
          digitalocean:
            tokenSecretRef: {name: do, key: token}
`;
  const secrets = `apiVersion: v1
kind: Secret
metadata:
  name: cf
  namespace: cert-manager
data:
  token: c2VjcmV0Cg==
---
apiVersion: v1
kind: Secret
metadata:
  name: do
  namespace: cert-manager
stringData:
  token: |
    secret
`;
  const ds = only(check({ 'issuer.yaml': issuer({ solvers }), 'secrets.yaml': secrets }), 'secret-trailing-newline');
  assert.equal(ds.length, 1, 'DigitalOcean tokens are trimmed by cert-manager');
  assert.equal(ds[0]!.fixes?.[0]?.edits[0]?.newText, Buffer.from('secret').toString('base64'));
  const edits = (value: string, key = 'token') =>
    only(check({ 'issuer.yaml': issuer({ solvers }), 's.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: cf\n  namespace: cert-manager\nstringData:\n  ${key}: ${value}\n` }), 'secret-trailing-newline').map((d) => d.fixes?.[0]?.edits.map((e) => `${e.range.start.line}:${e.range.start.character}-${e.range.end.character} ${JSON.stringify(e.newText)}`).join());
  assert.deepEqual(edits('|\n    secret\n'), ['6:10-10 "-"']);
  assert.deepEqual(edits('|+\n    secret\n'), ['6:10-11 "-"']);
  assert.deepEqual(edits('"secret\\n"'), ['6:16-18 ""']);
  assert.deepEqual(edits('|-\n    secret\n'), []);
  assert.deepEqual(edits('|\n    secret\n', 'other'), [], 'a key no issuer reads');
});

test('account keys: a Certificate writing the account key Secret, and issuers sharing one key', () => {
  const conflict = check({ 'issuer.yaml': issuer({ key: 'web-tls' }), 'cert.yaml': cert({ ns: 'cert-manager', secret: 'web-tls', issuer: 'other' }) });
  assert.deepEqual(only(conflict, 'account-key-secret-conflict').map((d) => `${d.uri} ${d.severity}`).sort(), ['cert.yaml error', 'issuer.yaml error']);
  // A ClusterIssuer keeps its key in the cluster resource namespace: the same name elsewhere is another Secret.
  assert.deepEqual(only(check({ 'issuer.yaml': issuer({ key: 'web-tls' }), 'cert.yaml': cert({ ns: 'web', secret: 'web-tls', issuer: 'other' }) }), 'account-key-secret-conflict'), []);

  const shared = (b: { server?: string; email?: string }) =>
    only(check({ 'a.yaml': issuer({ name: 'a', key: 'acme' }), 'b.yaml': issuer({ name: 'b', key: 'acme', ...b }) }), 'account-key-shared').map((d) => `${d.uri} ${d.severity}`);
  assert.deepEqual(shared({ server: LE_STAGING }), ['a.yaml information', 'b.yaml information']);
  assert.deepEqual(shared({ email: 'other@example.com' }), ['a.yaml information', 'b.yaml information']);
  assert.deepEqual(shared({}), []);
  // One issuer in two variants (staging in one overlay, production in another) shares nothing.
  assert.deepEqual(only(check({ 'a.yaml': issuer({ name: 'le', key: 'acme' }), 'b.yaml': issuer({ name: 'le', key: 'acme', server: LE_STAGING }) }), 'account-key-shared'), []);
});

test('a Certificate without namespace is judged against Issuers next to it, not those of other apps, nor when kustomize gives it a namespace', () => {
  const caIssuer = 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: ca\n  namespace: shop\nspec:\n  ca:\n    secretName: ca-key\n';
  const bare = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  dnsNames: [shop.example.com]\n  issuerRef:\n    name: ca\n';
  const implicit = (files: Record<string, string>) => only(check(files), 'certificate-namespace-implicit').map((d) => d.uri);
  assert.deepEqual(implicit({ 'apps/shop/issuer.yaml': caIssuer, 'apps/shop/cert.yaml': bare }), ['apps/shop/cert.yaml']);
  assert.deepEqual(implicit({ 'apps/issuer.yaml': caIssuer, 'apps/shop/cert.yaml': bare }), ['apps/shop/cert.yaml']);
  assert.deepEqual(implicit({ 'samples/a/issuer.yaml': caIssuer, 'samples/b/cert.yaml': bare }), []);
  const ws = new Workspace(schemaStore());
  ws.crossOptions = { ...ws.crossOptions, kustomizeNamespaces: (uri) => (uri.endsWith('/cert.yaml') ? ['shop'] : undefined) };
  ws.set('file:///k/issuer.yaml', caIssuer);
  ws.set('file:///k/cert.yaml', bare);
  assert.deepEqual(only([...ws.crossDiagnostics().values()].flat(), 'certificate-namespace-implicit'), []);
});

test("a file's findings are the same when the others are background files (the language server's index) as when all are open", () => {
  // A monorepo in small: production and staging issuers, 52 name sets under example.com (over the rate limit),
  // Certificates for one set of names, an account key Secret written by a Certificate, an Ingress through ingress-shim.
  const files: Record<string, string> = {
    'issuer.yaml': issuer({ key: 'shared-key' }),
    'staging.yaml': issuer({ name: 'st', server: LE_STAGING }),
    'dup-a.yaml': cert({ name: 'dup-a', ns: 'one', names: ['same.example.com'] }),
    'dup-b.yaml': cert({ name: 'dup-b', ns: 'one', names: ['SAME.example.com'] }),
    'key.yaml': cert({ name: 'key', ns: 'cert-manager', secret: 'shared-key', names: ['key.example.com'] }),
    'staged.yaml': cert({ name: 'staged', issuer: 'st', extra: '  duration: 720h\n', names: ['staged.example.com'] }),
    'ingress.yaml': ingress(['www.example.com', 'WWW.example.com']),
  };
  for (let i = 0; i < 48; i++) files[`c${i}.yaml`] = cert({ name: `c${i}`, names: [`s${i}.example.com`, `t${i}.example.com`] });
  const all = check(files);
  assert.ok(['letsencrypt-rate-limit', 'letsencrypt-duplicate-certificates', 'account-key-secret-conflict', 'acme-duration-ignored'].every((code) => only(all, code).length > 0));
  const store = schemaStore();
  for (const open of ['issuer.yaml', 'dup-a.yaml', 'key.yaml', 'staged.yaml', 'ingress.yaml', 'c7.yaml']) {
    const ws = new Workspace(store);
    for (const [name, text] of Object.entries(files)) {
      const uri = `file:///ws/${name}`;
      if (name === open) ws.set(uri, text);
      else {
        const background = new ManifestFile(uri, store);
        background.update(text);
        ws.setChecked(uri, background, true);
      }
    }
    const alone = (ws.crossDiagnostics().get(`file:///ws/${open}`) ?? []).map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character} ${d.message}`);
    const together = all.filter((d) => d.uri === open).map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character} ${d.message}`);
    assert.deepEqual(alone, together, open);
  }
});
