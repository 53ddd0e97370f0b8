/**
 * Extension activation benchmark, in a real VS Code (code-server 4.100.3)
 * driven by Chromium, with the packaged .vsix:
 *  - activation with a plain YAML file opened first;
 *  - activation with a cert-manager Certificate already open when the
 *    extension host starts (window reload), and the time until the language
 *    server is up, and until the first diagnostics of that Certificate.
 * The numbers are the extension's own log lines ("activated in N ms",
 * "language server started in N ms", "first diagnostics (...) N ms after
 * activation"): the time spent in activate(), in loading the language client
 * and starting the server process, and from activate() returning to the
 * Certificate's diagnostics arriving in the editor (the cold start).
 *
 *   npm run bench:editor            (packages first)
 *   npx tsx test/bench/editor.bench.ts [--rounds N]
 *
 * Targets: activation under 100 ms; first diagnostics at most 1.0 s after
 * activation. Writes the "Extension activation" section
 * of docs/benchmarks.md; exits 1 when the target is missed.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { launchBrowser, openWorkbench } from '../world/browser.js';
import { startCodeServer, CODE_SERVER_VERSION } from '../world/code-server.js';
import { writeDocsSection } from './docs-section.js';
import { machine } from './bench-util.js';

const SECTION_HEADING = '## Extension activation (npm run bench:editor)';
const TARGET_MS = 100;
const COLD_START_TARGET_MS = 1000;
const REPO_ROOT = path.join(__dirname, '..', '..');

const CERTIFICATE = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: web, namespace: default }
spec:
  secretName: web-tls
  issuerRef: { name: ca }
  dnsNames: [web.example.test]
  privateKey: { algorithm: RSB }
`;

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)]!;

async function main(): Promise<number> {
  const i = process.argv.indexOf('--rounds');
  const rounds = i >= 0 ? Number(process.argv[i + 1]) : 3;
  const ws = mkdtempSync(path.join(os.tmpdir(), 'certsmith-bench-editor-'));
  writeFileSync(path.join(ws, 'values.yaml'), 'replicas: 2\n');
  writeFileSync(path.join(ws, 'certificate.yaml'), CERTIFICATE);
  const cs = await startCodeServer({ workspace: ws, vsix: path.join(REPO_ROOT, 'dist', 'certsmith.vsix') });
  const browser = await launchBrowser();
  const plain: number[] = [];
  const withCertificate: number[] = [];
  const server: number[] = [];
  const clientLoad: number[] = [];
  const coldStart: number[] = [];
  try {
    const wb = await openWorkbench(browser, cs.folderUrl(), 'bench-editor');
    const read = async (pattern: RegExp, after: number): Promise<number> => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const text = await wb.outputText().catch(() => '');
        const all = [...text.matchAll(new RegExp(pattern.source, 'g'))].map((m) => Number(m[1]));
        if (all.length > after) return all[all.length - 1]!;
        if (Date.now() > deadline) throw new Error(`no "${pattern.source}" in the Certsmith log:\n${text.slice(-2000)}`);
        await wb.page.waitForTimeout(250);
      }
    };
    for (let r = 0; r < rounds; r++) {
      // A new extension host each round.
      if (r > 0) await wb.reloadWindow();
      await wb.openFile('values.yaml');
      await wb.runCommand('Certsmith: Show Log');
      plain.push(await read(/activated in ([\d.]+) ms/, 0));
      await wb.openFile('certificate.yaml');
      await wb.reloadWindow();
      await wb.runCommand('Certsmith: Show Log');
      withCertificate.push(await read(/activated in ([\d.]+) ms/, 0));
      server.push(await read(/language server started in (\d+) ms/, 0));
      clientLoad.push(await read(/language client loaded in (\d+) ms/, 0));
      coldStart.push(await read(/first diagnostics \(certificate\.yaml: \d+\) (\d+) ms after activation/, 0));
      console.log(`round ${r + 1}: plain ${plain.at(-1)} ms, with a Certificate open ${withCertificate.at(-1)} ms, server ${server.at(-1)} ms (client loaded in ${clientLoad.at(-1)} ms), first diagnostics ${coldStart.at(-1)} ms after activation`);
    }
  } finally {
    await browser.close().catch(() => {});
    await cs.stop();
    rmSync(ws, { recursive: true, force: true });
  }
  const worst = Math.max(median(plain), median(withCertificate));
  const activationMet = worst < TARGET_MS;
  const coldMet = median(coldStart) <= COLD_START_TARGET_MS;
  const met = activationMet && coldMet;
  const fmt = (v: number[]) => `${median(v).toFixed(1)} ms (runs: ${v.map((x) => x.toFixed(1)).join(', ')})`;
  const section = [
    SECTION_HEADING,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, in code-server ${CODE_SERVER_VERSION} (VS Code 1.100) driven by Chromium, with dist/certsmith.vsix installed. Each round reloads the window (a new extension host); the first round is the first activation after code-server starts, with cold caches, which is why it is slower.`,
    '',
    '| what | median |',
    '|---|---|',
    `| activate(), a plain YAML file opened | ${fmt(plain)} |`,
    `| activate(), a Certificate already open | ${fmt(withCertificate)} |`,
    `| then: loading the language client and starting the server (initialize answered) | ${fmt(server)} |`,
    `| of which loading dist/lazy.js (the language client) | ${fmt(clientLoad)} |`,
    `| activate() returned → first diagnostics of the open Certificate | ${fmt(coldStart)} |`,
    '',
    `Targets: activation under ${TARGET_MS} ms: ${activationMet ? 'met' : 'NOT met'}; first diagnostics at most ${COLD_START_TARGET_MS} ms after activation: ${coldMet ? 'met' : 'NOT met'}. Activation loads only dist/extension.js (about 27 KB); the language client (dist/lazy.js) loads after activate() returns, when a cert-manager, Ingress or Gateway file is open or a command runs, and the commands' modules inside it on the first command.`,
    '',
    'Before issue #21 the server start alone took 3.0 s (median of 2722, 3194, 3066 ms, 2026-11-23); on 2026-12-06, before the changes below, the same run gave 826–1527 ms for the server start and 999–1710 ms (median 1649 ms) to the first diagnostics, with the load average at 4.4.',
    '',
    'Where the time goes (2026-12-06, wall-clock timestamps written by the extension and the server in code-server, rounds after a window reload): activate() returned → startServer() 5 ms; loading dist/lazy.js 80–300 ms (60 ms in a bare Node.js: its compilation, and evaluating vscode-languageclient, 42 ms); forking Node.js and loading dist/server.js until it listens 180–500 ms of the server process\'s own uptime (120–145 ms on an idle machine: Node.js itself 40–75 ms, compiling and evaluating the 2.4 MB bundle about 80 ms; the schemas load per kind, on first use); initialize → initialized 6–150 ms (the server answers in under 10 ms; the rest is the extension host); initialized → the Certificate checked and published 35–65 ms (about 20 ms of it checking one small document with cold code); published → seen by the extension 0–430 ms (the extension host is busy with other extensions after a reload). Outside the editor, on this machine, a spawned server gives the first diagnostics of the same file 196–225 ms after it starts (393–558 ms before the warm-up was deferred). Two things were cut: the server\'s warm-up (about 400 synthetic documents, 300–470 ms of work in steps) no longer runs between the start-up messages but starts once the first open documents are published (or 100 ms after initialized); and dist/lazy.js no longer evaluates the commands and panels (with @peculiar/x509 and its ASN.1 schemas, about 40 ms in a bare Node.js) when the language client loads. The rest is a new Node.js process and two bundles loading on a busy 2-core machine (code-server, Chromium and the extension host share it), so the rounds spread widely and the median sits close to the 1.0 s target.',
    '',
  ].join('\n');
  const file = writeDocsSection(REPO_ROOT, SECTION_HEADING, section);
  console.log(`\n${section}\nwritten to ${file}`);
  return met ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`bench:editor failed: ${(e as Error).message}`);
    process.exit(2);
  },
);
