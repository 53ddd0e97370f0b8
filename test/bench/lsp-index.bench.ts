/**
 * The language server at monorepo scale: a workspace folder holding the
 * generated GitOps tree (test/bench/generate-gitops.ts, 20,000 files by
 * default), one of its files opened right after `initialized` while the
 * server indexes the rest in the background, and edited every --edit-ms
 * milliseconds until the index is complete, then 20 times more.
 *
 *   npm run bench:lsp-index              (builds first)
 *   npx tsx test/bench/lsp-index.bench.ts [--files 20000] [--edit-ms 100] [--timeout 180] [--no-docs]
 *
 * CERTSMITH_SERVER_CMD replaces the server command (default: as the VS Code
 * extension starts it, `node --max-semi-space-size=2 dist/server.js --stdio`;
 * client/server-node-flags.ts).
 * Measured: the time to index (from `initialized` to the server's log line
 * "indexed N manifest files" with CERTSMITH_TRACE=1, and to the end of its
 * work-done progress), open → first diagnostics of the opened file, each
 * edit → diagnostics (an enum value toggled, as bench:lsp does), and the
 * server's peak RSS (VmHWM). Targets: index < 10 s, open → diagnostics
 * before the index is complete, edit median ≤ 16 ms while indexing, peak
 * RSS ≤ 300 MiB. Writes its section of docs/benchmarks.md; exits 1 when a
 * target is missed.
 */
import { SERVER_NODE_FLAGS } from '../../client/server-node-flags.js';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { LspClient, readPeakRssBytes, sleep } from './lsp-driver.js';
import { gitopsFile, gitopsTree } from './generate-gitops.js';
import { writeDocsSection } from './docs-section.js';
import { arg, machine, median } from './bench-util.js';
import os from 'node:os';

const SECTION_HEADING = '## Language server at monorepo scale (npm run bench:lsp-index)';
const REPO_ROOT = path.join(__dirname, '..', '..');
const TARGET_INDEX_MS = 10_000;
const TARGET_EDIT_MS = 16;
const TARGET_RSS_MIB = 300;
const EDITS_AFTER = 20;

function serverCommand(): { command: string; args: string[] } {
  const raw = process.env.CERTSMITH_SERVER_CMD;
  // As the VS Code extension starts it: dist/server.js, with the extension's Node.js flags.
  if (!raw) return { command: process.execPath, args: [...SERVER_NODE_FLAGS, path.join(REPO_ROOT, 'dist', 'server.js'), '--stdio'] };
  const [first, ...rest] = raw.split(' ').filter(Boolean);
  return { command: first === 'node' ? process.execPath : first!, args: rest };
}

const p95 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.max(0, Math.ceil(v.length * 0.95) - 1)]!;
const ms = (n: number) => `${n.toFixed(n < 100 ? 1 : 0)} ms`;

async function main(): Promise<number> {
  const files = arg('--files', 20000);
  const editEvery = arg('--edit-ms', 100);
  const timeoutMs = arg('--timeout', 180) * 1000;
  const { dir, bytes } = gitopsTree(files);
  // The opened file: the 8th, with one enum mistake in its first Certificate.
  const opened = gitopsFile(7);
  const filePath = path.join(dir, opened.rel);
  const original = readFileSync(filePath, 'utf8');
  const lines = original.split('\n');
  const line = lines.findIndex((l) => l.trim() === 'algorithm: RSA');
  const column = lines[line]!.indexOf('RSA') + 2;
  const text = lines.map((l, i) => (i === line ? l.replace('RSA', 'RSB') : l)).join('\n');
  const uri = pathToFileURL(filePath).href;
  const folder = { uri: pathToFileURL(dir).href, name: 'gitops' };
  const cmd = serverCommand();
  const loadBefore = os.loadavg();

  let indexedAt: number | undefined;
  let indexedLog = '';
  let progressEnd: number | undefined;
  let progressSeen = false;
  const client = LspClient.start(
    { command: cmd.command, args: cmd.args, cwd: REPO_ROOT, env: { ...process.env, CERTSMITH_TRACE: '1' } },
    {
      workspaceFolders: [folder],
      configuration: (items) => items.map(() => null),
      onLog: (m, t) => {
        if (/^indexed \d+ manifest files/.test(m)) {
          indexedAt = t;
          indexedLog = m;
        }
      },
      onProgress: (p, t) => {
        if (p.value.kind === 'begin' && /index/i.test(p.value.title ?? '')) progressSeen = true;
        if (p.value.kind === 'end' && progressSeen) progressEnd ??= t;
      },
    },
  );
  const deadline = performance.now() + timeoutMs;
  try {
    await client.request(
      'initialize',
      {
        processId: process.pid,
        rootUri: folder.uri,
        workspaceFolders: [folder],
        capabilities: {
          window: { workDoneProgress: true },
          workspace: { configuration: true, workspaceFolders: true },
          textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } },
        },
      },
      30_000,
    );
    const t0 = performance.now();
    await client.notify('initialized', {});

    let version = 1;
    let bad = true;
    const hasError = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.range.start.line === line && d.code === 'schema-enum');
    const seq0 = client.lastDiagnosticsSeq;
    const openStart = performance.now();
    await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    const first = await client.waitForDiagnostics(uri, seq0, (p) => hasError(p) && (p.version ?? version) >= version, 60_000);
    const openMs = first.time - openStart;
    const openedBeforeIndex = indexedAt === undefined;

    const edit = async (): Promise<number> => {
      bad = !bad;
      version++;
      const seq = client.lastDiagnosticsSeq;
      const start = performance.now();
      await client.notify('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character: column }, end: { line, character: column + 1 } }, text: bad ? 'B' : 'A' }],
      });
      const v = version;
      const e = await client.waitForDiagnostics(uri, seq, (p) => hasError(p) === bad && (p.version ?? v) >= v, 30_000);
      return e.time - start;
    };

    const during: number[] = [];
    while (indexedAt === undefined && performance.now() < deadline) {
      during.push(await edit());
      await sleep(editEvery);
    }
    if (indexedAt === undefined) throw new Error(`the index did not finish within ${timeoutMs / 1000} s`);
    await client.waitForQuiet(500, 30_000);
    const after: number[] = [];
    for (let i = 0; i < EDITS_AFTER; i++) {
      after.push(await edit());
      await sleep(editEvery);
    }
    const rss = (readPeakRssBytes(client.pid) ?? NaN) / 1024 / 1024;
    await client.shutdown(5000);

    const indexMs = indexedAt - t0;
    const targets = [
      { what: `index ${files.toLocaleString('en')} files in under ${TARGET_INDEX_MS / 1000} s`, value: ms(indexMs), met: indexMs < TARGET_INDEX_MS },
      { what: 'open → diagnostics before the index is complete', value: `${ms(openMs)}${openedBeforeIndex ? ', before' : ', after'}`, met: openedBeforeIndex },
      { what: `edit → diagnostics median ≤ ${TARGET_EDIT_MS} ms while indexing`, value: during.length ? ms(median(during)) : 'no edit during indexing', met: during.length > 0 && median(during) <= TARGET_EDIT_MS },
      { what: `peak RSS ≤ ${TARGET_RSS_MIB} MiB`, value: `${rss.toFixed(0)} MiB`, met: rss <= TARGET_RSS_MIB },
    ];
    const section = [
      SECTION_HEADING,
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, by \`test/bench/lsp-index.bench.ts\`; load average ${loadBefore.map((l) => l.toFixed(2)).join(' / ')} at the start, ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ')} at the end.`,
      '',
      `Workspace: the generated GitOps tree, ${files.toLocaleString('en')} files (${(files * 5).toLocaleString('en')} documents, ${(bytes / 1024 / 1024).toFixed(0)} MB), as the one workspace folder of \`${[path.basename(cmd.command), ...cmd.args.map((a) => path.relative(REPO_ROOT, a) || a)].join(' ')}\`. Right after \`initialized\` one of its files is opened with an enum mistake, then edited (the mistake toggled) every ${editEvery} ms until the server logs that the index is complete, then ${EDITS_AFTER} times more. The server's log: "${indexedLog}".`,
      '',
      '| what | value |',
      '|---|---|',
      `| index complete (from \`initialized\`) | ${ms(indexMs)}${progressEnd ? ` (work-done progress ended at ${ms(progressEnd - t0)})` : ' (no work-done progress seen)'} |`,
      `| open → diagnostics | ${ms(openMs)} (${openedBeforeIndex ? 'before' : 'after'} the index was complete) |`,
      `| edit → diagnostics while indexing | median ${during.length ? ms(median(during)) : '–'}, p95 ${during.length ? ms(p95(during)) : '–'} (${during.length} edits) |`,
      `| edit → diagnostics after indexing | median ${ms(median(after))}, p95 ${ms(p95(after))} (${after.length} edits) |`,
      `| peak RSS (VmHWM) | ${rss.toFixed(0)} MiB |`,
      '',
      '| target | this run | met |',
      '|---|---|---|',
      ...targets.map((t) => `| ${t.what} | ${t.value} | ${t.met ? 'yes' : 'no'} |`),
      '',
    ].join('\n');
    console.log(section);
    if (!process.argv.includes('--no-docs')) console.log(`written to ${writeDocsSection(REPO_ROOT, SECTION_HEADING, section)}`);
    return targets.every((t) => t.met) ? 0 : 1;
  } catch (e) {
    client.kill();
    console.error(client.describeTail());
    throw e;
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`bench:lsp-index failed: ${(e as Error).message}`);
    process.exit(2);
  },
);
