/**
 * The cert-manager release the checks target: release boundaries of fields
 * and values taken from the CRDs themselves (accepted at the release that
 * added them, reported one release before), the default target, versions
 * that are not bundled, the upgrade report, and Gateway API versions the
 * bundled CRDs do not serve. Through the bundled CLI, as CI runs it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { releaseSchemas } from '../../engine/schema/release-schemas.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

interface Json {
  files: { diagnostics: { code: string; message: string; range: { start: { line: number } } }[] }[];
}

function lint(t: { after(fn: () => void): void }, text: string, version?: string): { code: string; message: string; line: number }[] {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'm.yaml'), text);
  const r = runCli(['lint', '--format', 'json', ...(version ? ['--cert-manager-version', version] : []), 'm.yaml'], { cwd: dir });
  assert.notEqual(r.status, 2, r.stderr);
  return (JSON.parse(r.stdout) as Json).files[0]!.diagnostics.map((d) => ({ code: d.code, message: d.message, line: d.range.start.line + 1 }));
}

const ISSUER = (solver: string, acmeExtra = '') => `apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: le
  namespace: web
spec:
  acme:
    server: https://acme-staging-v02.api.letsencrypt.org/directory
${acmeExtra}    privateKeySecretRef:
      name: le-account
    solvers:
${solver}`;

/** Each field with a manifest that sets it, and the path the history is asked for. */
const FIELDS = [
  { path: 'spec.acme.profile', text: ISSUER('      - http01:\n          ingress: {}\n', '    profile: shortlived\n') },
  { path: 'spec.acme.solvers[].dns01.rfc2136.protocol', text: ISSUER('      - dns01:\n          rfc2136:\n            nameserver: 192.0.2.53\n            protocol: TCP\n') },
  { path: 'spec.acme.solvers[].dns01.azureDNS.zoneType', text: ISSUER('      - dns01:\n          azureDNS:\n            subscriptionID: s\n            resourceGroupName: r\n            hostedZoneName: example.com\n            environment: AzurePublicCloud\n            zoneType: AzurePrivateZone\n') },
  { path: 'spec.acme.solvers[].waitInsteadOfSelfCheck', text: ISSUER('      - waitInsteadOfSelfCheck: 30s\n        http01:\n          ingress: {}\n') },
];

for (const f of FIELDS) {
  test(`${f.path}: accepted from the release whose CRDs add it, reported one release before (facts from the CRDs)`, (t) => {
    const history = releaseSchemas().field('cert-manager.io', 'v1', 'Issuer', f.path);
    assert.ok(history && !history.inOldest, `${f.path} is not in every release`);
    const ids = releaseSchemas().releases().map((r) => r.id);
    const before = ids[ids.indexOf(history.since) - 1]!;
    const at = lint(t, f.text, history.since).filter((d) => d.code.startsWith('cert-manager-version') || d.code === 'schema-unknown-field');
    assert.deepEqual(at, [], `${history.since} has ${f.path}`);
    const older = lint(t, f.text, before).filter((d) => d.code === 'cert-manager-version-field');
    assert.equal(older.length, 1, JSON.stringify(older));
    assert.equal(older[0]!.message, `${f.path.replace('[]', '[0]')} needs cert-manager ${history.since} or newer; the check targets ${before} (--cert-manager-version). The API server will drop it.`);
  });
}

test('the facts match what the releases are known for: profile v1.18, rfc2136.protocol v1.19, azureDNS.zoneType v1.20, waitInsteadOfSelfCheck v1.21', () => {
  const since = FIELDS.map((f) => releaseSchemas().field('cert-manager.io', 'v1', 'Issuer', f.path)?.since);
  assert.deepEqual(since, ['v1.18', 'v1.19', 'v1.20', 'v1.21']);
});

test('without --cert-manager-version the target is the newest bundled release, not "next"', (t) => {
  const withNameservers = ISSUER('      - dns01:\n          rfc2136:\n            nameserver: 192.0.2.53\n          nameservers:\n            - 192.0.2.53:53\n');
  const ds = lint(t, withNameservers).filter((d) => d.code === 'cert-manager-version-field');
  const newest = releaseSchemas().newest().id;
  assert.equal(ds.length, 1);
  assert.match(ds[0]!.message, new RegExp(`needs cert-manager next or newer; the check targets ${newest.replace('.', '\\.')} \\(default: the newest bundled release\\)`));
  assert.deepEqual(lint(t, withNameservers, 'next').filter((d) => d.code.startsWith('cert-manager-version')), []);
  // Everything newer releases added is accepted by default.
  for (const f of FIELDS) assert.deepEqual(lint(t, f.text).filter((d) => d.code.startsWith('cert-manager-version')), [], f.path);
});

test('a version that is not bundled uses the nearest one and says so; text that is no version is a usage error', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'm.yaml'), FIELDS[0]!.text);
  const old = runCli(['lint', '--cert-manager-version', '1.13', 'm.yaml'], { cwd: dir });
  assert.match(old.stderr, /cert-manager 1\.13 is not bundled with Certsmith; using the nearest bundled release, v1\.14/);
  assert.match(old.stdout, /spec\.acme\.profile needs cert-manager v1\.18 or newer; the check targets v1\.14/);
  const future = runCli(['lint', '--cert-manager-version', 'v1.99.1', 'm.yaml'], { cwd: dir });
  assert.match(future.stderr, /using the nearest bundled release, v1\.21/);
  const bad = runCli(['lint', '--cert-manager-version', 'latest', 'm.yaml'], { cwd: dir });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--cert-manager-version: "latest" is not a cert-manager version/);
});

test('upgrade-check names what starts failing, what stops, and defaults that change under objects that rely on them', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'issuer.yaml'), FIELDS[0]!.text);
  writeFileSync(join(dir, 'cert.yaml'), 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\n  namespace: web\nspec:\n  secretName: web-tls\n  dnsNames: [web.example.com]\n  issuerRef:\n    name: le\n  privateKey:\n    algorithm: ECDSA\n');
  const up = runCli(['upgrade-check', '--from', '1.17', '--to', '1.18', '.'], { cwd: dir });
  assert.equal(up.status, 0, up.stderr);
  assert.match(up.stdout, /^cert\.yaml:1:1: default changes: Certificate web: spec\.privateKey\.rotationPolicy is not set, and its default changes from Never \(v1\.17\) to Always \(v1\.18\)/m);
  assert.match(up.stdout, /^issuer\.yaml:9:5: stops failing: accepted with v1\.18, refused with v1\.17: spec\.acme\.profile needs cert-manager v1\.18/m);
  const down = runCli(['upgrade-check', '--from', '1.18', '--to', '1.17', '--format', 'json', '.'], { cwd: dir });
  assert.equal(down.status, 1, 'a downgrade that makes a manifest fail exits 1');
  const report = JSON.parse(down.stdout) as { entries: { kind: string; file: string; line: number; code?: string }[] };
  assert.deepEqual(report.entries.filter((e) => e.kind === 'starts-failing').map((e) => [e.file, e.line, e.code]), [['issuer.yaml', 9, 'cert-manager-version-field']]);
  // A Certificate that sets the field is not affected.
  writeFileSync(join(dir, 'cert.yaml'), 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\n  namespace: web\nspec:\n  secretName: web-tls\n  revisionHistoryLimit: 3\n  dnsNames: [web.example.com]\n  issuerRef:\n    name: le\n  privateKey:\n    rotationPolicy: Never\n');
  assert.doesNotMatch(runCli(['upgrade-check', '--from', '1.17', '--to', '1.18', 'cert.yaml'], { cwd: dir }).stdout, /default changes:/);
});

test('a Gateway API kind in a version the bundled CRDs do not serve is refused, with a fix; kinds Certsmith has no schema for are left alone', (t) => {
  const ds = lint(t, 'apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: Gateway\nmetadata:\n  name: gw\n  namespace: web\nspec:\n  gatewayClassName: x\n  listeners: []\n');
  assert.deepEqual(ds.map((d) => [d.line, d.code]), [[1, 'api-version-unknown']]);
  assert.match(ds[0]!.message, /gateway\.networking\.k8s\.io\/v1alpha2 Gateway is not served by the gateway\.networking\.k8s\.io CRDs Certsmith targets \(they serve gateway\.networking\.k8s\.io\/v1, gateway\.networking\.k8s\.io\/v1beta1\), so the API server refuses it\. Use apiVersion: gateway\.networking\.k8s\.io\/v1\./);
  assert.deepEqual(lint(t, 'apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TLSRoute\nmetadata:\n  name: r\n  namespace: web\nspec: {}\n'), []);
});

test("the Certificate ingress-shim would make is judged by the targeted release's webhook", (t) => {
  const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: web
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
    cert-manager.io/duration: 1h
    cert-manager.io/renew-before-percentage: "95"
spec:
  tls:
    - hosts: [web.example.com]
      secretName: web-tls
  rules:
    - host: web.example.com
`;
  // renewBeforePercentage is checked from v1.16: 5 % of 1h leaves less than the 5m minimum.
  assert.deepEqual(lint(t, ingress, '1.21').filter((d) => d.code === 'shim-certificate-rejected').map((d) => d.line), [9]);
  assert.deepEqual(lint(t, ingress, '1.15').filter((d) => d.code === 'shim-certificate-rejected'), []);
});
