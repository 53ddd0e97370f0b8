/**
 * End to end: the extension's cluster features in a real VS Code (code-server
 * 4.100.3 + Chromium) against a real kube-apiserver with etcd and the
 * cert-manager CRDs (test/world/kube-apiserver.ts): the dry run's refusals in
 * the Problems panel, Apply (with its confirmation naming the context), the
 * Cluster tree view with Ready state and expiry, a Certificate's status, and
 * Diff in VS Code's diff editor.
 *
 * No cert-manager controller runs: where the view needs a status (Ready, an
 * expiry), the test writes it through the status subresource as cert-manager
 * does. Screenshots go to test/results/e2e/cluster-<test>/.
 *
 *   node --test --import tsx test/e2e/cluster.e2e.test.ts   (after npm run package)
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromiumMissingReason, launchBrowser, openWorkbench, RESULTS_DIR, type Workbench } from '../world/browser.js';
import { codeServerMissingReason, startCodeServer, type CodeServer } from '../world/code-server.js';
import { installCertManagerCrds, kubernetesBinaryDir, kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VSIX = join(ROOT, 'dist', 'certsmith.vsix');
const BUNDLES = ['extension.js', 'lazy.js', 'cluster.js', 'server.js', 'lsp-cluster.js'].map((f) => join(ROOT, 'dist', f));

const skip = chromiumMissingReason() ?? codeServerMissingReason() ?? (kubernetesPeersBuilt() ? false : `kube-apiserver/etcd are not built (${kubernetesBinaryDir()}): run \`npm run setup\``);

function checkVsix(): void {
  if (!existsSync(VSIX)) assert.fail(`${VSIX} is missing: run \`npm run package\` (\`npm test\` runs it first)`);
  const packaged = statSync(VSIX).mtimeMs;
  for (const b of BUNDLES) if (existsSync(b) && statSync(b).mtimeMs > packaged) assert.fail(`${VSIX} is older than ${b}: run \`npm run package\``);
}

const GOOD = `apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: selfsigned
  namespace: apps
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: shop
  namespace: apps
spec:
  secretName: shop-tls
  dnsNames:
    - shop.example.test
  issuerRef:
    name: selfsigned
`;

/** Valid locally; the cluster has no namespace "nowhere". */
const ELSEWHERE = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: lost
  namespace: nowhere
spec:
  secretName: lost-tls
  dnsNames:
    - lost.example.test
  issuerRef:
    name: selfsigned
`;

describe('the extension against a Kubernetes API server (code-server + Chromium)', { skip, timeout: 10 * 60_000 }, () => {
  let kube: KubeApiServer;
  let cs: CodeServer;
  let browser: Browser;
  let wb: Workbench;
  let ws: string;

  before(async () => {
    checkVsix();
    if (existsSync(RESULTS_DIR)) for (const d of readdirSync(RESULTS_DIR)) if (d.startsWith('cluster-')) rmSync(join(RESULTS_DIR, d), { recursive: true, force: true });
    kube = await startKubeApiServer({ adminNamespace: 'apps' });
    await installCertManagerCrds(kube.adminKubeconfig);
    const r = await kube.kubectl(['create', 'namespace', 'apps']);
    assert.equal(r.code, 0, r.stderr);
    ws = mkdtempSync(join(tmpdir(), 'certsmith-e2e-cluster-'));
    writeFileSync(join(ws, 'good.yaml'), GOOD);
    writeFileSync(join(ws, 'elsewhere.yaml'), ELSEWHERE);
    cs = await startCodeServer({
      workspace: ws,
      vsix: VSIX,
      settings: { 'certsmith.cluster.kubeconfig': kube.adminKubeconfig, 'certsmith.cluster.checkAgainstCluster': true },
    });
    browser = await launchBrowser();
    wb = await openWorkbench(browser, cs.folderUrl(), 'cluster-startup');
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await cs?.stop();
    await kube?.stop();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  const ui = (name: string, fn: (t: TestContext) => Promise<void>, timeout = 120_000) =>
    test(name, { timeout }, async (t) => {
      wb.setTest(`cluster-${name.replace(/[^\w]+/g, '-').replace(/^-|-$/g, '')}`);
      try {
        await fn(t);
      } catch (e) {
        const shot = await wb.screenshot('failure').catch(() => 'no screenshot');
        writeFileSync(join(wb.shotsDir, 'extension-host.log'), cs.extensionHostLog());
        await wb.escape(3).catch(() => {});
        (e as Error).message += `\n(screenshot: ${shot}; extension host log: ${join(wb.shotsDir, 'extension-host.log')})`;
        throw e;
      }
    });

  ui('Dry Run Against Cluster: what the API server refuses appears in the Problems panel, from certsmith-cluster', async () => {
    await wb.openFile('elsewhere.yaml');
    await wb.runCommand('Certsmith: Dry Run Against Cluster');
    const panel = await wb.problems();
    const row = panel.locator('.monaco-list-row', { hasText: 'Namespace "nowhere"' });
    await row.waitFor({ timeout: 60_000 });
    await wb.screenshot('problems');
    const text = await panel.innerText();
    assert.match(text, /Namespace "nowhere" \(its metadata\.namespace\) does not exist in context "admin@certsmith-test"/);
    assert.match(text, /certsmith-cluster/);
  });

  ui('Apply to Cluster names the context, asks, and creates the objects', async () => {
    await wb.openFile('good.yaml');
    // With a kubeconfig configured, each object has Apply and Diff lenses, the Certificate Status too.
    const lens = wb.page.locator('.codelens-decoration', { hasText: 'Apply' });
    await lens.first().waitFor({ timeout: 30_000 });
    assert.equal(await lens.count(), 2, 'one Apply lens per object');
    const certLenses = (await wb.page.locator('.codelens-decoration', { hasText: 'Status' }).first().innerText()).replace(/\s+/g, ' ');
    assert.equal(certLenses, 'Apply | Diff | Status | Issue (local) | Inspect');
    await wb.screenshot('lenses');
    await wb.runCommand('Certsmith: Apply to Cluster…');
    const dialog = await wb.waitForDialog('Apply 2 objects to context "admin@certsmith-test"?');
    await wb.screenshot('confirm');
    assert.match(await dialog.innerText(), new RegExp(kube.server.replace(/[.]/g, '\\.')));
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await wb.waitForNotification(/applied to "admin@certsmith-test": 2 created/, 60_000);
    await wb.screenshot('applied');
    const got = await kube.kubectl(['get', 'certificate', 'shop', '-n', 'apps', '-o', 'jsonpath={.spec.dnsNames[0]} {.metadata.managedFields[0].manager}']);
    assert.equal(got.stdout, 'shop.example.test certsmith');
  });

  ui('the Cluster view lists the context, the namespace, the Issuer and the Certificate with its Ready state and expiry', async () => {
    // As cert-manager would write them once issued.
    const notAfter = new Date(Date.now() + 60 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    for (const [kind, status] of [
      ['issuer/selfsigned', { conditions: [{ type: 'Ready', status: 'True', reason: 'IsReady', message: '', lastTransitionTime: now, observedGeneration: 1 }] }],
      ['certificate/shop', { conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: 'Certificate is up to date and has not expired', lastTransitionTime: now, observedGeneration: 1 }], notBefore: now, notAfter, renewalTime: notAfter, revision: 1 }],
    ] as const) {
      const r = await kube.kubectl(['patch', kind, '-n', 'apps', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
      assert.equal(r.code, 0, r.stderr);
    }
    await wb.runCommand('Explorer: Focus on Cluster View');
    await wb.runCommand('Certsmith: Refresh Cluster');
    const tree = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: /^Cluster/i }) });
    const cert = tree.locator('.monaco-list-row', { hasText: 'shop' });
    await cert.waitFor({ timeout: 30_000 });
    await wb.screenshot('tree');
    const text = await tree.innerText();
    assert.match(text, /admin@certsmith-test/);
    assert.match(text, /apps/);
    assert.match(text, /selfsigned\s*Issuer \(selfSigned\) · Ready/);
    assert.match(text, /shop\s*Ready · expires in (59|60) days/);
    // The status bar shows context and namespace.
    assert.match(await wb.page.locator('.statusbar-item', { hasText: 'admin@certsmith-test / apps' }).first().innerText(), /admin@certsmith-test \/ apps/);

    // The issued Secret (made with openssl), so that the status also shows its chain.
    const tls = mkdtempSync(join(tmpdir(), 'certsmith-e2e-tls-'));
    try {
      const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=shop.example.test', '-addext', 'subjectAltName=DNS:shop.example.test', '-days', '60', '-keyout', join(tls, 'tls.key'), '-out', join(tls, 'tls.crt')], { encoding: 'utf8' });
      assert.equal(made.status, 0, made.stderr);
      const r = await kube.kubectl(['create', 'secret', 'tls', 'shop-tls', '-n', 'apps', `--cert=${join(tls, 'tls.crt')}`, `--key=${join(tls, 'tls.key')}`]);
      assert.equal(r.code, 0, r.stderr);
    } finally {
      rmSync(tls, { recursive: true, force: true });
    }

    // Selecting the Certificate shows its status, and the Secret's chain in the (one) chain panel.
    await cert.click();
    const editor = wb.page.locator('.tabs-container .tab', { hasText: 'shop.txt' });
    await editor.waitFor({ timeout: 30_000 });
    await wb.page.locator('.tabs-container .tab', { hasText: 'Chain: Secret apps/shop-tls (admin@certsmith-test)' }).waitFor({ timeout: 30_000 });
    await editor.click();
    const shown = await wb.editorText();
    await wb.screenshot('status');
    assert.match(shown, /^Name: shop$/m);
    assert.match(shown, /^Ready: yes$/m);
    assert.match(shown, /Issuer:\s+Name: selfsigned\s+Kind: Issuer\s+Type: selfSigned/);
    assert.match(shown, /Keys: tls\.crt, tls\.key/);
    const chain = await wb.webviewFrame('#verdict');
    assert.match(await chain.locator('#chain').innerText(), /shop\.example\.test/);
    assert.equal(await wb.page.locator('.tab[aria-label^="Chain: "]').count(), 1, 'one chain panel');
    await wb.screenshot('status-and-chain');
    await wb.runCommand('View: Close All Editor Groups');
  });

  ui('Diff with Cluster opens the live object and the dry-run result side by side', async () => {
    await wb.openFile('good.yaml');
    await wb.goTo(17, 7);
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Shift+Home');
    await wb.page.keyboard.type('    - shop2.example.test');
    await wb.runCommand('Certsmith: Diff with Cluster');
    const tab = wb.page.locator('.tabs-container .tab', { hasText: 'certificate.cert-manager.io/shop' });
    await tab.waitFor({ timeout: 60_000 });
    await wb.screenshot('diff');
    const diffEditor = wb.page.locator('.monaco-diff-editor').first();
    await diffEditor.waitFor({ timeout: 15_000 });
    const text = await diffEditor.innerText();
    assert.match(text, /shop2\.example\.test/);
    await wb.openFile('good.yaml');
    await wb.runCommand('File: Revert File').catch(() => {});
  });
});
