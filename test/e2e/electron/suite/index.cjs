/**
 * The in-editor suite that test/e2e/electron/run.ts hands to VS Code
 * (`--extensionTestsPath`): it runs inside the extension host, so it can use
 * the `vscode` API directly. Mocha-free: a few async checks run in order, each
 * reported on stdout; run() rejects when one fails, which makes VS Code exit
 * non-zero. Plain CommonJS, as the extension host loads it with require().
 *
 * The workspace (opened by run.ts) holds mistakes.yaml: a Certificate with an
 * unknown field `renewbefore` and a `duration` below cert-manager's minimum.
 */
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const EXTENSION_ID = 'certsmith.certsmith';
const COMMANDS = [
  'certsmith.issueCertificate',
  'certsmith.renewCertificate',
  'certsmith.inspectChain',
  'certsmith.checkDns01',
  'certsmith.exportSecretManifest',
  'certsmith.showLog',
];

async function waitFor(what, fn, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const checks = [
  [
    'the extension is installed and activates on a YAML file',
    async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is not loaded`);
      const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
      assert.ok(folder, 'no workspace folder is open');
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder.uri.fsPath, 'mistakes.yaml')));
      await vscode.window.showTextDocument(doc);
      assert.equal(doc.languageId, 'yaml');
      await waitFor('activation', () => ext.isActive);
      const api = ext.exports;
      assert.ok(api && typeof api.activationMs === 'number', 'activate() returns { activationMs }');
      console.log(`  activated in ${api.activationMs.toFixed(1)} ms`);
    },
  ],
  [
    'its commands are registered',
    async () => {
      const all = new Set(await vscode.commands.getCommands(true));
      for (const c of COMMANDS) assert.ok(all.has(c), `command ${c} is not registered`);
    },
  ],
  [
    'an invalid Certificate gets diagnostics from the language server',
    async () => {
      const folder = vscode.workspace.workspaceFolders[0];
      const uri = vscode.Uri.file(path.join(folder.uri.fsPath, 'mistakes.yaml'));
      const diagnostics = await waitFor('diagnostics for mistakes.yaml', () => {
        const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'certsmith');
        return d.length >= 2 ? d : undefined;
      });
      const messages = diagnostics.map((d) => d.message);
      assert.ok(messages.some((m) => /Unknown field "spec\.renewbefore"/.test(m)), `no unknown-field diagnostic in ${JSON.stringify(messages)}`);
      assert.ok(messages.some((m) => /certificate duration must be greater than 1h0m0s/.test(m)), `no duration diagnostic in ${JSON.stringify(messages)}`);
      const unknown = diagnostics.find((d) => /renewbefore/.test(d.message));
      assert.equal(unknown.range.start.line, 8, 'the unknown field is reported on its line (9)');
      assert.equal(unknown.severity, vscode.DiagnosticSeverity.Error);
    },
  ],
];

async function run() {
  let failed = 0;
  for (const [name, fn] of checks) {
    try {
      await fn();
      console.log(`  ok - ${name}`);
    } catch (e) {
      failed++;
      console.log(`  not ok - ${name}\n    ${String((e && e.stack) || e).split('\n').join('\n    ')}`);
    }
  }
  console.log(`in-editor suite: ${checks.length - failed} passed, ${failed} failed`);
  if (failed) throw new Error(`${failed} of ${checks.length} in-editor checks failed`);
}

module.exports = { run };
