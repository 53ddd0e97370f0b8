/**
 * End to end: the packaged extension (dist/certsmith.vsix) installed into a
 * real VS Code (code-server 4.100.3 = VS Code 1.100, from the set-up cache),
 * driven through its user interface with Debian's Chromium (playwright-core),
 * against a real ACME world on loopback (bind9 + Pebble, test/world/acme-world.ts).
 *
 * Run it alone (after `npm run package`, which `npm test` does first):
 *
 *   node --test --import tsx test/e2e/extension.e2e.test.ts
 *
 * What a person would see is kept as screenshots in test/results/e2e/<test>/
 * (git-ignored); a failing step saves one too and names it in the error.
 *
 * The suite builds nothing: it fails at once when dist/certsmith.vsix is
 * missing or older than the bundles it should contain, and it is skipped (with
 * the reason) when Chromium or code-server is not installed (`npm run setup`
 * installs both). One code-server and one browser page serve every test.
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { certificateYaml, startAcmeWorld, type AcmeWorld } from '../world/acme-world.js';
import { chromiumMissingReason, launchBrowser, openWorkbench, RESULTS_DIR, type Workbench } from '../world/browser.js';
import { codeServerMissingReason, startCodeServer, type CodeServer } from '../world/code-server.js';
import { deadUdpServer } from '../world/free-port.js';
import { digShort, requireBinary } from '../world/process.js';
import { MISTAKES_YAML } from './manifests.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VSIX = join(ROOT, 'dist', 'certsmith.vsix');
/** Bundles that go into the .vsix: it must not be older than any of them. */
const BUNDLES = ['extension.js', 'lazy.js', 'server.js'].map((f) => join(ROOT, 'dist', f));
/** The extension's own budget for activate() (client/extension.ts logs "activated in N ms"). */
const ACTIVATION_BUDGET_MS = 100;

const skip = chromiumMissingReason() ?? codeServerMissingReason() ?? false;

/** Fails (not skips) with what to do when the packaged extension is missing or stale. */
function checkVsix(): void {
  if (!existsSync(VSIX)) assert.fail(`${VSIX} is missing: run \`npm run package\` (\`npm test\` runs it first)`);
  const packaged = statSync(VSIX).mtimeMs;
  for (const b of BUNDLES) {
    if (existsSync(b) && statSync(b).mtimeMs > packaged) {
      assert.fail(`${VSIX} is older than ${b}: it would test an old build. Run \`npm run package\` (\`npm test\` runs it first)`);
    }
  }
}

function openssl(args: string[], cwd: string): string {
  const bin = requireBinary('openssl', 'openssl');
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A private root CA and a leaf it signed, concatenated (leaf first), made with openssl. */
function makePemChain(dir: string): { file: string; leafName: string; rootName: string } {
  const rootName = 'Certsmith E2E Root CA';
  const leafName = 'chain.example.test';
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '30', '-subj', `/CN=${rootName}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${leafName}`], dir);
  writeFileSync(join(dir, 'leaf.ext'), `subjectAltName=DNS:${leafName}\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n`);
  openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '7', '-extfile', 'leaf.ext'], dir);
  const file = join(dir, 'site-chain.pem');
  writeFileSync(file, readFileSync(join(dir, 'leaf.pem'), 'utf8') + readFileSync(join(dir, 'root.pem'), 'utf8'));
  for (const f of ['root.key', 'leaf.key', 'leaf.csr', 'leaf.ext', 'root.srl', 'leaf.pem', 'root.pem']) rmSync(join(dir, f), { force: true });
  return { file, leafName, rootName };
}

/** Line 12 is an empty spec key to type into. */
const EDIT_YAML = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: typed
  namespace: default
spec:
  issuerRef:
    name: pebble
  duration: 2160h
  dnsNames:
    - typed.example.test
  
`;

/** "activated in 4.8 ms" → 4.8 */
function activationMs(log: string): number | undefined {
  const m = /activated in ([\d.]+) ms/.exec(log);
  return m ? Number(m[1]) : undefined;
}

describe('the extension in VS Code (code-server + Chromium)', { skip, timeout: 15 * 60_000 }, () => {
  let world: AcmeWorld;
  let cs: CodeServer;
  let browser: Browser;
  let wb: Workbench;
  let ws: string;
  let pem: { file: string; leafName: string; rootName: string };
  let settings: Record<string, unknown>;
  const started = Date.now();

  before(async () => {
    checkVsix();
    // This file's screenshots from an earlier run (cluster.e2e.test.ts keeps its own, in cluster-* folders).
    if (existsSync(RESULTS_DIR)) for (const d of readdirSync(RESULTS_DIR)) if (!d.startsWith('cluster-')) rmSync(join(RESULTS_DIR, d), { recursive: true, force: true });
    world = await startAcmeWorld();
    ws = mkdtempSync(join(tmpdir(), 'certsmith-e2e-'));
    writeFileSync(join(ws, 'values.yaml'), '# Not a cert-manager manifest.\nreplicas: 2\n');
    writeFileSync(join(ws, 'mistakes.yaml'), MISTAKES_YAML);
    writeFileSync(join(ws, 'edit.yaml'), EDIT_YAML);
    // The Issuer (rfc2136 DNS-01 against bind9, Pebble's listener CA as caBundle) and its TSIG Secret.
    writeFileSync(join(ws, 'issuer.yaml'), world.issuerYaml());
    writeFileSync(join(ws, 'certificate.yaml'), certificateYaml({ name: 'app', dnsNames: [`app.${world.zone}`, `*.${world.zone}`] }));
    writeFileSync(join(ws, 'slow.yaml'), certificateYaml({ name: 'slow', dnsNames: [`cancel.${world.zone}`] }));
    mkdirSync(join(ws, 'chain'));
    pem = makePemChain(join(ws, 'chain'));
    settings = {
      'certsmith.recursiveNameservers': [world.bind9.address],
      'certsmith.dns01.authoritativePort': world.bind9.port,
      'certsmith.http01.listen': `127.0.0.1:${world.pebble.httpPort}`,
      'certsmith.acme.defaultServer': world.pebble.directoryUrl,
    };
    cs = await startCodeServer({ workspace: ws, vsix: VSIX, settings });
    browser = await launchBrowser();
    wb = await openWorkbench(browser, cs.folderUrl(), 'startup');
    await wb.screenshot('workbench');
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await cs?.stop();
    await world?.stop();
    if (ws) rmSync(ws, { recursive: true, force: true });
    console.log(`# e2e: the whole file took ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${RESULTS_DIR}`);
  });

  /** Runs a test body with screenshots under its name; on failure saves one more and the extension host's logs. */
  const ui = (name: string, fn: (t: TestContext) => Promise<void>, timeout = 120_000) =>
    test(name, { timeout }, async (t) => {
      const dir = name.replace(/[^\w]+/g, '-').replace(/^-|-$/g, '');
      wb.setTest(dir);
      try {
        await fn(t);
      } catch (e) {
        const shot = await wb.screenshot('failure').catch(() => 'no screenshot');
        writeFileSync(join(wb.shotsDir, 'extension-host.log'), cs.extensionHostLog());
        await wb.escape(3).catch(() => {}); // close whatever menu or dialog was left open, for the next test
        // An edit left unsaved by the failed test would stop later ones at a "save changes?" dialog.
        await wb.runCommand('File: Revert File', 5000).catch(() => {});
        (e as Error).message += `\n(screenshot: ${shot}; extension host log: ${join(wb.shotsDir, 'extension-host.log')})`;
        throw e;
      }
    });

  /** Opens the "Certsmith" output channel through the palette and returns its text. */
  async function showLog(): Promise<string> {
    await wb.runCommand('Certsmith: Show Log');
    const deadline = Date.now() + 15_000;
    let text = '';
    while (Date.now() < deadline) {
      text = await wb.outputText().catch(() => '');
      if (/activated in/.test(text)) return text;
      await wb.page.waitForTimeout(250);
    }
    assert.fail(`the Certsmith log shows no "activated in N ms" line; it shows:\n${text}`);
  }

  /** Waits (bounded) until the Certsmith output channel's log satisfies `done`; returns its text. */
  async function waitForLog(done: (text: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
    let text = cs.certsmithLog();
    for (const deadline = Date.now() + timeoutMs; !done(text); text = cs.certsmithLog()) {
      if (Date.now() > deadline) assert.fail(`the Certsmith log shows no ${what} within ${timeoutMs} ms; it shows:\n${text.slice(-4000)}`);
      await wb.page.waitForTimeout(250);
    }
    return text;
  }

  const countSettingsChanges = (text: string) => (text.match(/settings changed \(certsmith\.\*\)/g) ?? []).length;

  ui('activates on a YAML file and logs how long it took ("activated in N ms")', async (t) => {
    await wb.openFile('values.yaml');
    const log = await showLog();
    const ms = activationMs(log);
    await wb.screenshot('log');
    assert.ok(ms !== undefined, log);
    t.diagnostic(`activation, first YAML file not a cert-manager one: ${ms} ms`);
    console.log(`# e2e: activated in ${ms} ms (a plain YAML file opened first; the budget of ${ACTIVATION_BUDGET_MS} ms is measured by npm run bench:editor)`);
  });

  ui('with a Certificate already open at start (window reload): activates, then starts the language server', async (t) => {
    await wb.openFile('mistakes.yaml');
    // "Developer: Reload Window": a new extension host starts with mistakes.yaml already open in the editor.
    await wb.reloadWindow();
    await wb.page.locator('.tabs-container .tab.active[aria-label^="mistakes.yaml"]').waitFor({ timeout: 30_000 });
    const log = await showLog();
    const ms = activationMs(log);
    await wb.screenshot('log-after-reload');
    assert.ok(ms !== undefined, log);
    t.diagnostic(`activation, a Certificate open at start: ${ms} ms`);
    console.log(`# e2e: activated in ${ms} ms (a Certificate open when the extension host started)`);
    // The language server starts after activation, for the open Certificate.
    let text = log;
    for (const deadline = Date.now() + 30_000; !/language server started in \d+ ms/.test(text) && Date.now() < deadline; ) {
      await wb.page.waitForTimeout(250);
      text = await wb.outputText().catch(() => text);
    }
    assert.match(text, /language server started in \d+ ms/);
    // Every custom message the server sends is one the client accepts (a parameter mismatch is only logged there).
    assert.doesNotMatch(cs.extensionHostLog(), /Notification certsmith\/\S+ defines \d+ params but received/);
  });

  ui('shows problems of an invalid Certificate in the Problems panel', async () => {
    await wb.openFile('mistakes.yaml');
    const panel = await wb.problems();
    const unknown = panel.locator('.monaco-list-row', { hasText: 'Unknown field "spec.renewbefore"' });
    await unknown.waitFor({ timeout: 30_000 });
    await panel.locator('.monaco-list-row', { hasText: 'certificate duration must be greater than 1h0m0s' }).waitFor({ timeout: 10_000 });
    await wb.screenshot('problems');
    const text = await panel.innerText();
    assert.match(text, /Unknown field "spec\.renewbefore": spec has no field "renewbefore"\. Did you mean "renewBefore"\?/);
    assert.match(text, /spec\.duration: Invalid value: certificate duration must be greater than 1h0m0s/);
    assert.match(text, /schema-unknown-field/);
    assert.match(await wb.page.locator('[id="status.problems"]').innerText(), /2/);
  });

  ui('completes spec keys', async () => {
    await wb.openFile('edit.yaml');
    await wb.goTo(12, 3);
    await wb.page.keyboard.type('secretN');
    await wb.page.keyboard.press('Control+Space');
    const suggest = wb.page.locator('.suggest-widget');
    await suggest.locator('.monaco-list-row', { hasText: 'secretName' }).first().waitFor({ timeout: 20_000 });
    await wb.screenshot('suggest-secretName');
    assert.match(await suggest.innerText(), /secretName/);
    await wb.page.keyboard.press('Enter');
    await suggest.waitFor({ state: 'hidden', timeout: 10_000 });
    const text = await wb.editorText();
    assert.match(text, /^ {2}secretName: ?/m, `after accepting the suggestion the editor shows:\n${text}`);
    // Keys of the schema on an empty line too: dnsNames is taken, privateKey is offered.
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.type('typed-tls');
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('Control+Space');
    await suggest.locator('.monaco-list-row', { hasText: 'privateKey' }).first().waitFor({ timeout: 20_000 });
    await wb.screenshot('suggest-empty-line');
    await wb.escape();
    await wb.page.keyboard.press('Control+S');
    await wb.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
    assert.match(readFileSync(join(ws, 'edit.yaml'), 'utf8'), /^ {2}secretName: typed-tls$/m);
  });

  ui('shows the CRD documentation on hover', async () => {
    await wb.openFile('edit.yaml');
    await wb.goTo(9, 4);
    await wb.page.keyboard.press('Control+K');
    await wb.page.keyboard.press('Control+I');
    const hover = wb.page.locator('.monaco-hover', { hasText: 'spec.duration' }).first();
    await hover.waitFor({ state: 'visible', timeout: 20_000 });
    await wb.screenshot('hover-duration');
    const text = await hover.innerText();
    assert.match(text, /Requested 'duration' \(i\.e\. lifetime\) of the Certificate/);
    assert.match(text, /Minimum accepted duration is 1 hour/);
    await wb.escape();
  });

  ui('applies a quick fix (renewbefore → renewBefore)', async () => {
    await wb.openFile('mistakes.yaml');
    await wb.goTo(9, 4);
    await wb.page.keyboard.press('Control+.');
    const action = wb.page.locator('.action-widget .monaco-list-row', { hasText: 'Change to "renewBefore"' }).first();
    await action.waitFor({ state: 'visible', timeout: 20_000 });
    await wb.screenshot('quick-fix-menu');
    // (the menu's pointer shield swallows clicks in this headless set-up: choose it with the keyboard)
    await wb.page.locator('.action-widget .monaco-list-row.focused', { hasText: 'Change to "renewBefore"' }).waitFor({ timeout: 10_000 });
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.action-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    // The edit lands a moment after the menu closes (slower on a loaded machine).
    let text = await wb.editorText();
    for (const deadline = Date.now() + 10_000; !/^ {2}renewBefore: 5m$/m.test(text) && Date.now() < deadline; ) {
      await wb.page.waitForTimeout(200);
      text = await wb.editorText();
    }
    assert.match(text, /^ {2}renewBefore: 5m$/m, `the editor shows:\n${text}`);
    assert.doesNotMatch(text, /renewbefore/);
    const panel = await wb.problems();
    await panel.locator('.monaco-list-row', { hasText: 'renewbefore' }).waitFor({ state: 'detached', timeout: 20_000 });
    await wb.focusEditor();
    await wb.page.keyboard.press('Control+S');
    await wb.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
    await wb.screenshot('fixed');
    assert.match(readFileSync(join(ws, 'mistakes.yaml'), 'utf8'), /^ {2}renewBefore: 5m$/m);
  });

  ui('inspects a PEM chain in the chain panel', async () => {
    await wb.openFile('site-chain.pem');
    await wb.runCommand('Certsmith: Inspect Certificate Chain');
    await wb.page.locator('.tab[aria-label^="Chain: "]').first().waitFor({ timeout: 20_000 });
    const frame = await wb.webviewFrame('#verdict');
    const verdict = (await frame.locator('#verdict').innerText()).trim();
    const chain = await frame.locator('#chain').innerText();
    await wb.screenshot('chain-panel');
    // A private root is not in Node's Mozilla roots: the chain is complete but not trusted.
    assert.match(verdict, /^Not trusted/, verdict);
    assert.match(chain, new RegExp(pem.leafName.replace(/\./g, '\\.')));
    assert.match(chain, new RegExp(pem.rootName));
    assert.equal(await frame.locator('#chain li.cert').count(), 2);
    assert.match(await wb.page.locator('.tab[aria-label^="Chain: "]').first().getAttribute('aria-label') ?? '', /site-chain\.pem/);
  });

  ui(
    'issues a Certificate against Pebble + bind9 (progress, Secret files, openssl verify)',
    async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.clearNotifications();
      await wb.openFile('certificate.yaml');
      await wb.goTo(2, 1);
      await wb.runCommand('Certsmith: Issue Certificate…');
      const dialog = await wb.waitForDialog('Issue default/app?');
      const detail = await dialog.innerText();
      await wb.screenshot('plan-dialog');
      assert.match(detail, /Issuer: .*pebble/);
      assert.match(detail, /app\.example\.test/);
      assert.match(detail, /\*\.example\.test/);
      assert.match(detail, /Secret default\/app-tls/);
      await dialog.getByRole('button', { name: 'Issue', exact: true }).click();
      const progress = await wb.waitForNotification('Certsmith: issuing default/app', 20_000);
      await wb.screenshot('progress');
      assert.ok(await progress.getByRole('button', { name: 'Cancel' }).count(), 'the progress notification has a Cancel button');
      const done = await wb.waitForNotification(/Certsmith: issued/, 120_000);
      await wb.screenshot('issued');
      const message = await done.innerText();
      assert.match(message, /app\.example\.test/);

      const out = join(ws, '.certsmith', 'issued', 'default', 'app-tls');
      // (no ca.crt: an ACME issuer does not know the CA, and cert-manager leaves it out too)
      for (const f of ['tls.crt', 'tls.key', 'secret.yaml']) assert.ok(existsSync(join(out, f)), `${f} written to ${out}`);
      const root = join(ws, '..', `${ws.split('/').pop()}-pebble-root.pem`);
      writeFileSync(root, await world.pebble.issuingRoots());
      try {
        const verify = spawnSync('openssl', ['verify', '-CAfile', root, '-untrusted', join(out, 'tls.crt'), join(out, 'tls.crt')], { encoding: 'utf8', timeout: 30_000 });
        assert.equal(verify.status, 0, `openssl verify: ${verify.stdout}${verify.stderr}`);
        assert.match(verify.stdout, /: OK/);
      } finally {
        rmSync(root, { force: true });
      }
      const san = openssl(['x509', '-in', join(out, 'tls.crt'), '-noout', '-ext', 'subjectAltName'], ws);
      assert.match(san, /DNS:app\.example\.test/);
      assert.match(san, /DNS:\*\.example\.test/);
      assert.match(readFileSync(join(out, 'secret.yaml'), 'utf8'), /kind: Secret[\s\S]*name: app-tls/);
      // The challenge records were removed again.
      for (const name of [`_acme-challenge.app.${world.zone}`, `_acme-challenge.${world.zone}`]) {
        assert.equal((digShort('127.0.0.1', world.bind9.port, name, 'TXT') ?? 'dig failed').trim(), '', `${name} TXT left behind`);
      }

      // The CA forgets every account (Pebble restarted, as a staging reset does): the key kept in
      // VS Code's secret storage is registered again, and the log says so.
      assert.doesNotMatch(cs.certsmithLog(), /no longer knows the account/);
      await world.pebble.restart();
      await wb.clearNotifications();
      await wb.focusEditor();
      await wb.goTo(2, 1);
      await wb.runCommand('Certsmith: Issue Certificate…');
      const again = await wb.waitForDialog('Issue default/app?');
      await again.getByRole('button', { name: 'Issue', exact: true }).click();
      await wb.waitForNotification(/Certsmith: issued/, 120_000);
      await wb.screenshot('issued-after-ca-restart');
      const log = await waitForLog((text) => /registered again: the account is now https:\/\/127\.0\.0\.1:\d+\/my-account\//.test(text), 'a new account registration after the CA restart');
      assert.match(log, /the CA no longer knows the account https:\/\/127\.0\.0\.1:\d+\/my-account\/\w+ \(accountDoesNotExist\): registering the key from VS Code secret storage \(default\/pebble-account\) again/);
      assert.doesNotMatch(log, /PRIVATE KEY/);
    },
    240_000,
  );

  ui(
    'a cancelled issuance leaves no DNS records and no output behind',
    async () => {
      // The self check asks only a resolver that never answers, so the issuance waits there.
      // Workspace settings (.vscode/settings.json): a running workbench picks up changes to
      // them (it does not watch the User settings file that startCodeServer writes).
      const dead = await deadUdpServer();
      const workspaceSettings = join(ws, '.vscode', 'settings.json');
      try {
        mkdirSync(dirname(workspaceSettings), { recursive: true });
        const changesBefore = countSettingsChanges(cs.certsmithLog());
        writeFileSync(workspaceSettings, JSON.stringify({ 'certsmith.recursiveNameservers': [`127.0.0.1:${dead.port}`], 'certsmith.recursiveNameserversOnly': true }, null, 2));
        // The workbench notices the file by itself; the extension says so in its log.
        await waitForLog((text) => countSettingsChanges(text) > changesBefore, 'a "settings changed" line after the workspace settings were written');
        await wb.runCommand('View: Close All Editors');
        await wb.clearNotifications();
        await wb.openFile('slow.yaml');
        await wb.goTo(2, 1);
        await wb.runCommand('Certsmith: Issue Certificate…');
        const dialog = await wb.waitForDialog('Issue default/slow?');
        await dialog.getByRole('button', { name: 'Issue', exact: true }).click();
        const record = `_acme-challenge.cancel.${world.zone}`;
        const waiting = await wb.waitForNotification(new RegExp(`Certsmith: issuing default/slow[\\s\\S]*(waiting until ${record.replace(/\./g, '\\.')}|checking again)`), 60_000);
        const present = (digShort('127.0.0.1', world.bind9.port, record, 'TXT') ?? '').trim();
        await wb.screenshot('waiting-for-propagation');
        assert.notEqual(present, '', `${record} TXT should exist at bind9 while the self check waits`);
        await waiting.getByRole('button', { name: 'Cancel' }).click();
        await wb.waitForNotification('issuance cancelled', 30_000);
        await wb.screenshot('cancelled');
        assert.ok(dead.received() > 0, 'the self check asked the configured (dead) resolver');
        assert.equal((digShort('127.0.0.1', world.bind9.port, record, 'TXT') ?? 'dig failed').trim(), '', `${record} TXT left behind after cancel`);
        assert.ok(!existsSync(join(ws, '.certsmith', 'issued', 'default', 'slow-tls')), 'no output directory for the cancelled Certificate');
      } finally {
        rmSync(workspaceSettings, { force: true });
        await dead.close();
      }
    },
    180_000,
  );
});
