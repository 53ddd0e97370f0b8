/**
 * The release the language server checks against: the setting
 * certsmith.certManagerVersion, the version installed in the cluster (found
 * as cmctl finds it, when the cluster checks are on), else the newest bundled
 * release; where the choice came from is said (certsmith/certManagerTarget,
 * hover), diagnostics follow it, and completion offers only what the target
 * has. The cluster part runs against a real kube-apiserver with the CRDs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CertManagerTargetRequest, RefreshClusterInventoryRequest } from '../../protocol/messages.js';
import { releaseSchemas } from '../../engine/schema/release-schemas.js';
import { TestLspClient } from '../support/lsp-client.js';
import { installCertManagerCrds, kubectlOk, kubernetesBinaryDir, kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';

const ISSUER = `apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: le
  namespace: web
spec:
  acme:
    server: https://acme-staging-v02.api.letsencrypt.org/directory
    profile: shortlived
    privateKeySecretRef:
      name: le-account
    solvers:
      - dns01:
          rfc2136:
            nameserver: 192.0.2.53
            protocol: TCP
`;

let n = 0;
const uri = () => `file:///certsmith-tests/cm-version/${++n}/issuer.yaml`;
const versionCodes = (p: { diagnostics: { code?: string | number; range: { start: { line: number } } }[] }) =>
  p.diagnostics.filter((d) => String(d.code).startsWith('cert-manager-version')).map((d) => `${d.range.start.line + 1} ${d.code}`);

test('the setting chooses the release; diagnostics, hover and completion follow it, and say where the choice came from', { timeout: 60_000 }, async (t) => {
  const c = new TestLspClient();
  t.after(() => c.shutdown());
  await c.initialize();
  const newest = releaseSchemas().newest().id;
  let target = await c.connection.sendRequest(CertManagerTargetRequest);
  assert.deepEqual([target.release, target.origin, target.from], [newest, 'default', 'default: the newest bundled release']);
  assert.ok(target.bundled.includes('v1.14') && target.bundled.at(-1) === 'next');

  const u = uri();
  c.open(u, ISSUER);
  assert.deepEqual(versionCodes(await c.waitForVersion(u, 1)), []);

  await c.settings({ certManagerVersion: '1.17' });
  const p = await c.waitForDiagnostics(u, (d) => versionCodes(d).length === 2);
  assert.deepEqual(versionCodes(p), ['9 cert-manager-version-field', '16 cert-manager-version-field']);
  assert.match(String(p.diagnostics.find((d) => d.range.start.line === 8)!.message), /spec\.acme\.profile needs cert-manager v1\.18 or newer; this workspace targets v1\.17 \(setting certsmith\.certManagerVersion\)\. The API server will drop it\./);
  target = await c.connection.sendRequest(CertManagerTargetRequest);
  assert.deepEqual([target.release, target.origin, target.from], ['v1.17', 'setting', 'setting certsmith.certManagerVersion']);

  const hover = (await c.connection.sendRequest('textDocument/hover', { textDocument: { uri: u }, position: { line: 15, character: 14 } })) as { contents: { value: string } };
  assert.match(hover.contents.value, /^\*\*spec\.acme\.solvers\[0\]\.dns01\.rfc2136\.protocol\*\*/);
  assert.match(hover.contents.value, /Not in cert-manager v1\.17 \(setting certsmith\.certManagerVersion\): since v1\.19\./);
  const known = (await c.connection.sendRequest('textDocument/hover', { textDocument: { uri: u }, position: { line: 14, character: 14 } })) as { contents: { value: string } };
  assert.match(known.contents.value, /Checked against cert-manager v1\.17 \(setting certsmith\.certManagerVersion\)\./);

  // Completion under acme: offers profile only where the release has it.
  const items = async () => ((await c.connection.sendRequest('textDocument/completion', { textDocument: { uri: u }, position: { line: 8, character: 4 } })) as { label: string }[]).map((i) => i.label);
  const edited = c.change(u, { start: { line: 8, character: 0 }, end: { line: 9, character: 0 } }, '    \n');
  await c.waitForVersion(u, edited);
  assert.ok(!(await items()).includes('profile'), 'v1.17 has no spec.acme.profile');
  await c.settings({ certManagerVersion: 'v1.18.6' });
  await c.waitForDiagnostics(u, (d) => versionCodes(d).length === 1);
  assert.ok((await items()).includes('profile'), 'v1.18 has spec.acme.profile');

  // A version that is not bundled: the nearest, and a note; a word that is no version: the default, and why.
  await c.settings({ certManagerVersion: '1.12' });
  target = await c.connection.sendRequest(CertManagerTargetRequest);
  assert.equal(target.release, 'v1.14');
  assert.match(target.note ?? '', /cert-manager 1\.12 is not bundled with Certsmith; using the nearest bundled release, v1\.14/);
  await c.settings({ certManagerVersion: 'stable' });
  target = await c.connection.sendRequest(CertManagerTargetRequest);
  assert.equal(target.release, newest);
  assert.match(target.problem ?? '', /certsmith\.certManagerVersion: "stable" is not a cert-manager version/);
});

const skip = kubernetesPeersBuilt() ? false : `kube-apiserver/etcd are not built (${kubernetesBinaryDir()}): run \`npm run setup\``;
let kube: KubeApiServer | undefined;
before(async () => {
  if (skip) return;
  kube = await startKubeApiServer();
  await installCertManagerCrds(kube.adminKubeconfig);
  // What the Helm chart puts on the CRDs.
  await kubectlOk(['label', 'crd', 'certificates.cert-manager.io', 'app.kubernetes.io/version=v1.17.2', '--overwrite'], kube.adminKubeconfig);
});
after(async () => {
  await kube?.stop();
});

test('with the cluster checks on, the release installed in the cluster is the target (its CRD label), unless the setting names one', { skip, timeout: 90_000 }, async (t) => {
  const c = new TestLspClient();
  t.after(() => c.shutdown());
  await c.initialize();
  const u = uri();
  c.open(u, ISSUER);
  await c.waitForVersion(u, 1);
  await c.settings({ cluster: { checkAgainstCluster: true, kubeconfig: kube!.adminKubeconfig } });
  const inventory = await c.connection.sendRequest(RefreshClusterInventoryRequest);
  assert.equal(inventory.error, undefined);
  let target = await c.connection.sendRequest(CertManagerTargetRequest);
  for (let i = 0; i < 50 && target.origin !== 'cluster'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    target = await c.connection.sendRequest(CertManagerTargetRequest);
  }
  assert.deepEqual([target.release, target.origin], ['v1.17', 'cluster']);
  assert.match(target.from, /installed in context "[^"]+": CRD certificates\.cert-manager\.io label app\.kubernetes\.io\/version/);
  const p = await c.waitForDiagnostics(u, (d) => versionCodes(d).length === 2);
  assert.match(String(p.diagnostics.find((d) => String(d.code) === 'cert-manager-version-field')!.message), /the cluster runs v1\.17 \(installed in context/);

  await c.settings({ certManagerVersion: '1.21', cluster: { checkAgainstCluster: true, kubeconfig: kube!.adminKubeconfig } });
  target = await c.connection.sendRequest(CertManagerTargetRequest);
  assert.deepEqual([target.release, target.origin], ['v1.21', 'setting']);
  await c.waitForDiagnostics(u, (d) => versionCodes(d).length === 0);
});
