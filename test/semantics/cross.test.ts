/**
 * Checks across documents and files, through `certsmith lint`: every rule has a
 * case that triggers it and one that must not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

interface JsonDiagnostic {
  range: { start: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

/** Lints several files as one workspace; returns "file:line:col code" (1-based) per diagnostic. */
function lint(t: { after(fn: () => void): void }, files: Record<string, string>): { all: string[]; byCode: (code: string) => JsonDiagnostic[] } {
  const dir = tempDir(t);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const r = runCli(['lint', '--format', 'json', ...Object.keys(files)], { cwd: dir });
  assert.notEqual(r.status, 2, r.stderr);
  const json = JSON.parse(r.stdout) as { files: { path: string; diagnostics: JsonDiagnostic[] }[] };
  const all = json.files.flatMap((f) => f.diagnostics.map((d) => `${f.path}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`));
  const flat = json.files.flatMap((f) => f.diagnostics);
  return { all, byCode: (code) => flat.filter((d) => d.code === code) };
}

const cert = (opts: { name?: string; ns?: string; issuer: string; kind?: string; dnsNames?: string[]; secret?: string; labels?: string }) => `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ${opts.name ?? 'web'}
${opts.ns ? `  namespace: ${opts.ns}\n` : ''}${opts.labels ?? ''}spec:
  secretName: ${opts.secret ?? 'web-tls'}
  dnsNames:
${(opts.dnsNames ?? ['web.example.com']).map((n) => `    - "${n}"`).join('\n')}
  issuerRef:
    name: ${opts.issuer}
${opts.kind ? `    kind: ${opts.kind}\n` : ''}`;

const clusterIssuer = (name: string, solvers: string, server = 'https://acme-staging-v02.api.letsencrypt.org/directory') => `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: ${name}
spec:
  acme:
    server: ${server}
    privateKeySecretRef:
      name: ${name}-key
    solvers:
${solvers}`;

const HTTP01 = '      - http01:\n          ingress:\n            ingressClassName: nginx\n';
const DNS01_ZONE = (zone: string) => `      - selector:\n          dnsZones: [${zone}]\n        dns01:\n          rfc2136:\n            nameserver: 10.0.0.53:53\n            tsigKeyName: k\n            tsigSecretSecretRef: {name: tsig, key: key}\n`;

test('issuerRef resolution: found as a ClusterIssuer in another file; the same name as default kind Issuer is a kind mismatch with a fix', (t) => {
  const ok = lint(t, { 'issuer.yaml': clusterIssuer('le', HTTP01), 'cert.yaml': cert({ issuer: 'le', kind: 'ClusterIssuer' }) });
  assert.deepEqual(ok.all.filter((s) => /issuer-/.test(s)), []);
  const bad = lint(t, { 'issuer.yaml': clusterIssuer('le', HTTP01), 'cert.yaml': cert({ issuer: 'le' }) });
  assert.deepEqual(bad.all.filter((s) => /issuer-/.test(s)), ['cert.yaml:10:11 issuer-kind-mismatch']);
  assert.match(bad.byCode('issuer-kind-mismatch')[0].message, /ClusterIssuer/);
});

test("issuerRef resolution: an Issuer in another namespace is issuer-wrong-namespace; one nowhere is issuer-not-found (a warning: the cluster may have it)", (t) => {
  const issuer = 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: ca\n  namespace: shop\nspec:\n  selfSigned: {}\n';
  const r = lint(t, { 'issuer.yaml': issuer, 'a.yaml': cert({ issuer: 'ca', ns: 'web' }), 'b.yaml': cert({ issuer: 'nowhere', ns: 'web' }), 'c.yaml': cert({ issuer: 'ca', ns: 'shop', secret: 'c-tls' }) });
  assert.deepEqual(r.all.filter((s) => /issuer-/.test(s)).sort(), ['a.yaml:11:11 issuer-wrong-namespace', 'b.yaml:11:11 issuer-not-found']);
  assert.equal(r.byCode('issuer-not-found')[0].severity, 'warning');
  assert.match(r.byCode('issuer-wrong-namespace')[0].message, /namespace shop/);
});

test('wildcard names with an HTTP-01-only ACME issuer are acme-wildcard-http01; a DNS-01 solver for the zone fixes it', (t) => {
  const bad = lint(t, { 'i.yaml': clusterIssuer('le', HTTP01), 'c.yaml': cert({ issuer: 'le', kind: 'ClusterIssuer', dnsNames: ['example.com', '*.example.com'] }) });
  assert.deepEqual(bad.all.filter((s) => /acme-/.test(s)), ['c.yaml:9:7 acme-wildcard-http01']);
  const good = lint(t, { 'i.yaml': clusterIssuer('le', HTTP01 + DNS01_ZONE('example.com')), 'c.yaml': cert({ issuer: 'le', kind: 'ClusterIssuer', dnsNames: ['example.com', '*.example.com'] }) });
  assert.deepEqual(good.all.filter((s) => /acme-/.test(s)), []);
});

test("solver selectors with cert-manager's precedence: a name no solver selects is acme-no-solver; matchLabels on the Certificate count", (t) => {
  const onlyZone = clusterIssuer('le', DNS01_ZONE('example.com'));
  const r = lint(t, { 'i.yaml': onlyZone, 'c.yaml': cert({ issuer: 'le', kind: 'ClusterIssuer', dnsNames: ['a.example.com', 'shop.example.org'] }) });
  assert.deepEqual(r.all.filter((s) => /acme-/.test(s)), ['c.yaml:9:7 acme-no-solver']);
  assert.match(r.byCode('acme-no-solver')[0].message, /shop\.example\.org/);
  const labelled = clusterIssuer('le', '      - selector:\n          matchLabels: {team: shop}\n        http01:\n          ingress: {ingressClassName: nginx}\n');
  const withLabel = lint(t, { 'i.yaml': labelled, 'c.yaml': cert({ issuer: 'le', kind: 'ClusterIssuer', labels: '  labels:\n    team: shop\n' }) });
  assert.deepEqual(withLabel.all.filter((s) => /acme-/.test(s)), []);
  const withoutLabel = lint(t, { 'i.yaml': labelled, 'c.yaml': cert({ issuer: 'le', kind: 'ClusterIssuer' }) });
  assert.deepEqual(withoutLabel.all.filter((s) => /acme-/.test(s)), ['c.yaml:8:7 acme-no-solver']);
});

test("Let's Encrypt production is acme-production-server (information); staging is not", (t) => {
  const prod = lint(t, { 'i.yaml': clusterIssuer('le', HTTP01, 'https://acme-v02.api.letsencrypt.org/directory') });
  assert.deepEqual(prod.all, ['i.yaml:7:13 acme-production-server']);
  assert.equal(prod.byCode('acme-production-server')[0].severity, 'information');
  assert.deepEqual(lint(t, { 'i.yaml': clusterIssuer('le', HTTP01) }).all, []);
});

test('two Certificates writing one Secret in one namespace are secret-name-conflict; in different namespaces they are not', (t) => {
  const issuer = clusterIssuer('le', HTTP01);
  const same = lint(t, { 'i.yaml': issuer, 'a.yaml': cert({ name: 'a', ns: 'web', issuer: 'le', kind: 'ClusterIssuer' }), 'b.yaml': cert({ name: 'b', ns: 'web', issuer: 'le', kind: 'ClusterIssuer' }) });
  assert.deepEqual(same.all.filter((s) => /secret-name/.test(s)).sort(), ['a.yaml:7:15 secret-name-conflict', 'b.yaml:7:15 secret-name-conflict']);
  const apart = lint(t, { 'i.yaml': issuer, 'a.yaml': cert({ name: 'a', ns: 'web', issuer: 'le', kind: 'ClusterIssuer' }), 'b.yaml': cert({ name: 'b', ns: 'shop', issuer: 'le', kind: 'ClusterIssuer' }) });
  assert.deepEqual(apart.all.filter((s) => /secret-name/.test(s)), []);
});

test("a CA ClusterIssuer whose Secret no Certificate produces is ca-secret-not-produced (information); the bootstrap Certificate in cert-manager's namespace satisfies it", (t) => {
  const ca = 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: internal-ca\nspec:\n  ca:\n    secretName: root-ca\n';
  const selfSigned = 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: bootstrap\nspec:\n  selfSigned: {}\n';
  const missing = lint(t, { 'ca.yaml': ca });
  assert.deepEqual(missing.all, ['ca.yaml:7:17 ca-secret-not-produced']);
  const rootCert = cert({ name: 'root', ns: 'cert-manager', secret: 'root-ca', issuer: 'bootstrap', kind: 'ClusterIssuer' });
  assert.deepEqual(lint(t, { 'ca.yaml': ca, 'ss.yaml': selfSigned, 'root.yaml': rootCert }).all, []);
  // In another namespace it does not count: a ClusterIssuer reads the cluster resource namespace.
  const elsewhere = cert({ name: 'root', ns: 'web', secret: 'root-ca', issuer: 'bootstrap', kind: 'ClusterIssuer' });
  assert.deepEqual(lint(t, { 'ca.yaml': ca, 'ss.yaml': selfSigned, 'root.yaml': elsewhere }).all, ['ca.yaml:7:17 ca-secret-not-produced']);
});

test('an Ingress annotation naming a ClusterIssuer that does not exist is issuer-not-found at the annotation value', (t) => {
  const ingress = (issuer: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n    cert-manager.io/cluster-issuer: ${issuer}\nspec:\n  tls:\n    - hosts: [web.example.com]\n      secretName: web-tls\n  rules:\n    - host: web.example.com\n`;
  assert.deepEqual(lint(t, { 'i.yaml': clusterIssuer('le', HTTP01), 'ing.yaml': ingress('le') }).all.filter((s) => /issuer-/.test(s)), []);
  assert.deepEqual(lint(t, { 'i.yaml': clusterIssuer('le', HTTP01), 'ing.yaml': ingress('lets-encrypt') }).all.filter((s) => /issuer-/.test(s)), ['ing.yaml:6:37 issuer-not-found']);
});

test('a misplaced spec (indented under metadata) is one misplaced-block error on that line, nothing else', (t) => {
  const text = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\n  spec:\n    secretName: web-tls\n    dnsNames: [a.example.com]\n    issuerRef:\n      name: le\n';
  const r = lint(t, { 'c.yaml': text });
  assert.deepEqual(r.all, ['c.yaml:5:3 misplaced-block']);
  assert.match(r.byCode('misplaced-block')[0].message, /belongs at the top level/);
});
