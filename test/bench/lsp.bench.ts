/**
 * Language-server benchmark: Certsmith vs yaml-language-server (+ the
 * cert-manager Certificate JSON schema) on one YAML file of 2,000 Certificates.
 *
 *   npx tsx test/bench/lsp.bench.ts [--only certsmith|yaml-ls] [--timeout <seconds>] [--verbose]
 *
 * See test/bench/README.md for what is measured and how. Writes the
 * "Language server" section of docs/benchmarks.md when both servers ran;
 * exits 0 when every target that could be evaluated is met, 1 otherwise.
 */
import { SERVER_NODE_FLAGS } from '../../client/server-node-flags.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticSeverity,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type CompletionItem,
  type CompletionList,
  type ConfigurationItem,
  type Diagnostic,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type Range,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { generateCertificates, type GeneratedCertificates, type ValueSite } from './generate-certificates.js';
import { LspClient, readPeakRssBytes, readProcessName, type ServerCommand } from './lsp-driver.js';
import { writeDocsSection as writeBenchmarkSection } from './docs-section.js';

// ---------------------------------------------------------------------------
// Configuration

const EDITS = 20;
const COMPLETIONS = 20;
const DEFAULT_TIMEOUT_S = 180;
const SECTION_HEADING = '## Language server (npm run bench:lsp)';
/** Values the benchmark writes into `spec.privateKey.algorithm` that the enum forbids. */
const BAD_VALUES = ['RSB', 'ECDSB'];

type ServerId = 'certsmith' | 'yaml-ls';
const SERVER_IDS: readonly ServerId[] = ['certsmith', 'yaml-ls'];

interface ServerSpec {
  id: ServerId;
  displayName: string;
  command: ServerCommand;
  /** Shown in the report. */
  commandLine: string;
  configuration: (items: ConfigurationItem[]) => unknown[];
  /** Sent as workspace/didChangeConfiguration after `initialized`, if set. */
  didChangeConfiguration?: { settings: unknown };
  /** Wait for the server to pull its configuration before opening the file. */
  waitForConfigurationPull: boolean;
}

interface CliOptions {
  only: ServerId | undefined;
  timeoutMs: number;
  verbose: boolean;
}

/** The repository root: the nearest directory above this script with a package.json named certsmith. */
function findRepoRoot(): string {
  const start = process.argv[1] ? path.dirname(path.resolve(process.argv[1])) : process.cwd();
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'certsmith') return dir;
      } catch {
        // keep looking
      }
    }
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

const REPO_ROOT = findRepoRoot();

function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = { only: undefined, timeoutMs: DEFAULT_TIMEOUT_S * 1000, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--only') {
      const v = value();
      if (!SERVER_IDS.includes(v as ServerId)) throw new Error(`--only expects one of: ${SERVER_IDS.join(', ')}`);
      options.only = v as ServerId;
    } else if (arg === '--timeout') {
      const seconds = Number(value());
      if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--timeout expects a positive number of seconds');
      options.timeoutMs = seconds * 1000;
    } else if (arg === '--verbose') {
      options.verbose = true;
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(
        'Usage: tsx test/bench/lsp.bench.ts [--only certsmith|yaml-ls] [--timeout <seconds per server>] [--verbose]\n' +
          `Env: CERTSMITH_SERVER_CMD overrides the Certsmith server command (default, as the extension starts it: node ${SERVER_NODE_FLAGS.join(' ')} dist/server.js --stdio)\n` +
          '     CERTSMITH_BENCH_SCHEMA overrides the Certificate JSON schema given to yaml-language-server\n',
      );
      process.exit(0);
    } else {
      throw new Error(`unknown argument: ${arg}`);
    }
  }
  return options;
}

/** Splits a command line into words; supports '...' and "..." quoting, no other shell syntax. */
function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

function certsmithSpec(): ServerSpec {
  const override = process.env['CERTSMITH_SERVER_CMD']?.trim();
  let argv: string[];
  if (override) {
    argv = splitCommandLine(override);
  } else {
    // As the VS Code extension starts it: dist/server.js, with the extension's Node.js flags.
    const server = path.join(REPO_ROOT, 'dist', 'server.js');
    if (!existsSync(server)) throw new Error(`${server} does not exist: run \`npm run build\` first (or set CERTSMITH_SERVER_CMD)`);
    argv = ['node', ...SERVER_NODE_FLAGS, 'dist/server.js', '--stdio'];
  }
  const [program, ...args] = argv;
  if (program === undefined) throw new Error('CERTSMITH_SERVER_CMD is empty');
  return {
    id: 'certsmith',
    displayName: 'Certsmith',
    // `node` is this very node binary, spawned directly so that the pid we measure is the server.
    command: { command: program === 'node' ? process.execPath : program, args, cwd: REPO_ROOT },
    commandLine: argv.join(' '),
    configuration: (items) => items.map(() => null),
    waitForConfigurationPull: false,
  };
}

function yamlLanguageServerSpec(fileName: string): { spec: ServerSpec; schemaPath: string } {
  const schemaPath = path.resolve(
    REPO_ROOT,
    process.env['CERTSMITH_BENCH_SCHEMA'] ?? path.join('schemas', 'cert-manager.io', 'v1', 'Certificate.json'),
  );
  if (!existsSync(schemaPath)) {
    throw new Error(`${schemaPath} does not exist: yaml-language-server needs the Certificate JSON schema (npm run schemas)`);
  }
  JSON.parse(readFileSync(schemaPath, 'utf8')); // fail early on a broken schema
  const bin = path.join(REPO_ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
  if (!existsSync(bin)) throw new Error(`${bin} does not exist: is yaml-language-server installed?`);

  // Everything yaml-language-server reads from the `yaml` section (see its settingsHandlers.js).
  const yamlSettings = {
    validate: true,
    hover: true,
    completion: true,
    format: { enable: false },
    // Associate the schema with the benchmark file only ("**/" is prepended by the server).
    schemas: { [pathToFileURL(schemaPath).href]: [fileName] },
    // Both default to true and would make the server download catalogs from the network.
    schemaStore: { enable: false, url: '' },
    kubernetesCRDStore: { enable: false },
    disableAdditionalProperties: false,
    maxItemsComputed: 5000,
    yamlVersion: '1.2',
  };
  const sections: Record<string, unknown> = {
    yaml: yamlSettings,
    http: { proxy: '', proxyStrictSSL: false },
    '[yaml]': {},
    editor: {},
  };
  return {
    schemaPath,
    spec: {
      id: 'yaml-ls',
      displayName: 'yaml-language-server',
      command: { command: process.execPath, args: [bin, '--stdio'], cwd: REPO_ROOT },
      commandLine: 'node node_modules/yaml-language-server/bin/yaml-language-server --stdio',
      configuration: (items) => items.map((item) => (item.section !== undefined ? (sections[item.section] ?? null) : null)),
      didChangeConfiguration: { settings: { yaml: yamlSettings } },
      waitForConfigurationPull: true,
    },
  };
}

const CLIENT_CAPABILITIES: ClientCapabilities = {
  general: { positionEncodings: ['utf-16'] },
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: false },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, willSave: false, willSaveWaitUntil: false, didSave: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    completion: {
      dynamicRegistration: false,
      contextSupport: true,
      completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] },
    },
    hover: { dynamicRegistration: false, contentFormat: ['markdown', 'plaintext'] },
  },
  window: { workDoneProgress: false },
};

// ---------------------------------------------------------------------------
// Measurement

interface ServerResult {
  id: ServerId;
  displayName: string;
  commandLine: string;
  serverInfo: string;
  processName: string | undefined;
  sync: 'incremental' | 'full';
  initializeMs: number;
  openMs: number;
  /** Diagnostics in the first matching publish that are not the enum error (sanity check; should be 0). */
  otherDiagnosticsAtOpen: number;
  editMs: number[];
  completionMs: number[];
  completionItems: number[];
  completionPosition: string;
  peakRssBytes: number | undefined;
  shutdown: string;
  serverRequests: string;
}

type ServerRun = { ok: true; result: ServerResult } | { ok: false; id: ServerId; displayName: string; error: string };

interface RunContext {
  phase: string;
  client: LspClient | undefined;
}

/** A diagnostic's message as plain text (LSP 3.18 also allows MarkupContent). */
function messageText(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

/** Lines of diagnostics that report a disallowed enum value. */
function enumErrorLines(diagnostics: Diagnostic[]): Set<number> {
  const lines = new Set<number>();
  for (const d of diagnostics) {
    if (d.severity !== undefined && d.severity !== DiagnosticSeverity.Error && d.severity !== DiagnosticSeverity.Warning) continue;
    const message = messageText(d);
    const mentionsValue = BAD_VALUES.some((v) => message.includes(v));
    if (mentionsValue || /enum|allowed|supported|valid values|not accepted|must be one of/i.test(message)) {
      lines.add(d.range.start.line);
    }
  }
  return lines;
}

function sameSet(a: Set<number>, b: Set<number>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function describeDiagnostics(params: PublishDiagnosticsParams | undefined): string {
  if (!params) return 'no publishDiagnostics received for the file';
  const shown = params.diagnostics
    .slice(0, 5)
    .map((d) => `line ${d.range.start.line}: ${messageText(d).replace(/\s+/g, ' ').slice(0, 120)}`);
  const more = params.diagnostics.length > 5 ? ` (+${params.diagnostics.length - 5} more)` : '';
  return `last publish (version ${params.version ?? 'none'}): ${params.diagnostics.length} diagnostics${more}${shown.length ? '\n    ' + shown.join('\n    ') : ''}`;
}

function syncKindOf(capabilities: ServerCapabilities): TextDocumentSyncKind {
  const sync = capabilities.textDocumentSync;
  if (sync === undefined) return TextDocumentSyncKind.None;
  if (typeof sync === 'number') return sync;
  return sync.change ?? TextDocumentSyncKind.None;
}

function completionCount(result: CompletionItem[] | CompletionList | null | undefined): number {
  if (!result) return 0;
  return Array.isArray(result) ? result.length : result.items.length;
}

async function runServer(spec: ServerSpec, file: GeneratedCertificates, filePath: string, ctx: RunContext, options: CliOptions): Promise<ServerResult> {
  const uri = pathToFileURL(filePath).href;
  const folder = { uri: pathToFileURL(path.dirname(filePath)).href, name: 'certsmith-bench' };
  const log = (message: string): void => {
    process.stderr.write(`[${spec.id}] ${message}\n`);
  };

  ctx.phase = 'start';
  const client = LspClient.start(spec.command, {
    configuration: spec.configuration,
    workspaceFolders: [folder],
    verbose: options.verbose,
    label: spec.id,
  });
  ctx.client = client;
  log(`started pid ${client.pid}: ${spec.commandLine}`);

  ctx.phase = 'initialize';
  const initStart = performance.now();
  const init = await client.request<InitializeResult>(
    'initialize',
    {
      processId: process.pid,
      clientInfo: { name: 'certsmith-bench' },
      locale: 'en',
      rootUri: folder.uri,
      workspaceFolders: [folder],
      capabilities: CLIENT_CAPABILITIES,
    },
    30_000,
  );
  const initializeMs = performance.now() - initStart;
  const serverInfo = init.serverInfo ? `${init.serverInfo.name} ${init.serverInfo.version ?? ''}`.trim() : 'unknown';
  const syncKind = syncKindOf(init.capabilities);
  if (syncKind === TextDocumentSyncKind.None) throw new Error('server does not accept document changes (textDocumentSync: None)');
  const incremental = syncKind === TextDocumentSyncKind.Incremental;
  if (!init.capabilities.completionProvider) log('warning: server does not advertise completionProvider');
  await client.notify('initialized', {});
  if (spec.didChangeConfiguration) await client.notify('workspace/didChangeConfiguration', spec.didChangeConfiguration);

  ctx.phase = 'settle after initialize';
  if (spec.waitForConfigurationPull) {
    await client.waitForCondition(() => (client.serverRequests.get('workspace/configuration') ?? 0) > 0, 10_000, 'workspace/configuration request');
  }
  await client.waitForQuiet(500, 10_000);

  // --- open -> diagnostics -------------------------------------------------
  ctx.phase = 'open -> diagnostics';
  let doc = TextDocument.create(uri, 'yaml', 1, file.text);
  const bad = new Map<ValueSite, boolean>([
    [file.enumError, true],
    [file.toggle, false],
  ]);
  const expectedLines = (): Set<number> => new Set([...bad].filter(([, isBad]) => isBad).map(([site]) => site.line));
  const matches =
    (expected: Set<number>, version: number) =>
    (params: PublishDiagnosticsParams): boolean =>
      (params.version === undefined || params.version === null || params.version >= version) &&
      sameSet(enumErrorLines(params.diagnostics), expected);
  const lastPublish = (): PublishDiagnosticsParams | undefined =>
    [...client.diagnostics].reverse().find((e) => e.params.uri === uri)?.params;
  const waitDiagnostics = async (afterSeq: number, expected: Set<number>, version: number, timeoutMs: number) => {
    try {
      return await client.waitForDiagnostics(uri, afterSeq, matches(expected, version), timeoutMs);
    } catch (error) {
      throw new Error(
        `${(error as Error).message}; expected enum errors on lines [${[...expected].join(', ')}] (0-based)\n  ${describeDiagnostics(lastPublish())}`,
      );
    }
  };

  let seq = client.lastDiagnosticsSeq;
  const openStart = performance.now();
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: doc.version, text: doc.getText() } });
  const opened = await waitDiagnostics(seq, expectedLines(), doc.version, 60_000);
  const openMs = opened.time - openStart;
  const otherDiagnosticsAtOpen = opened.params.diagnostics.length - enumErrorLines(opened.params.diagnostics).size;
  log(`open -> diagnostics: ${fmtMs(openMs)} (${opened.params.diagnostics.length} diagnostics)`);
  if (!(await client.waitForQuiet(1000, 15_000))) log('warning: server still busy 15 s after the first diagnostics');

  const sendChange = async (change: { range: Range; text: string }): Promise<void> => {
    doc = TextDocument.update(doc, [change], doc.version + 1);
    const contentChanges = incremental ? [change] : [{ text: doc.getText() }];
    await client.notify('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges });
  };

  // --- edit -> diagnostics -------------------------------------------------
  const editMs: number[] = [];
  for (let i = 1; i <= EDITS; i++) {
    ctx.phase = `edit ${i}/${EDITS} -> diagnostics`;
    // Odd edits flip the toggle document, even edits the original error: the
    // expected error set cycles {A} -> {A,B} -> {B} -> {} -> {A} ...
    const site = i % 2 === 1 ? file.toggle : file.enumError;
    const nowBad = !(bad.get(site) ?? false);
    bad.set(site, nowBad);
    const column = site.valueStart + site.value.length - 1; // last character: A (valid) <-> B (invalid)
    seq = client.lastDiagnosticsSeq;
    const start = performance.now();
    await sendChange({
      range: { start: { line: site.line, character: column }, end: { line: site.line, character: column + 1 } },
      text: nowBad ? 'B' : 'A',
    });
    const event = await waitDiagnostics(seq, expectedLines(), doc.version, 60_000);
    editMs.push(event.time - start);
    await client.waitForQuiet(100, 2_000);
  }
  log(`edit -> diagnostics: median ${fmtMs(median(editMs))}, p95 ${fmtMs(p95(editMs))}`);

  // --- completion ------------------------------------------------------------
  ctx.phase = 'completion';
  // A new, empty line under `spec:` (as if the user pressed Enter after `spec:`).
  const spec0 = file.completionSpec;
  seq = client.lastDiagnosticsSeq;
  await sendChange({
    range: { start: { line: spec0.line, character: spec0.length }, end: { line: spec0.line, character: spec0.length } },
    text: '\n  ',
  });
  // Diagnostics do not change; wait (bounded) for the server to re-publish and go idle.
  await client.waitForDiagnostics(uri, seq, matches(expectedLines(), doc.version), 5_000).catch(() => undefined);
  await client.waitForQuiet(300, 5_000);

  const positions = [
    { position: { line: spec0.line + 1, character: 2 }, label: `new empty line under \`spec:\` (document ${spec0.doc}, line ${spec0.line + 2}, column 3)` },
    {
      position: { line: file.completionExistingKey.line + 1, character: 2 },
      label: `start of the existing key \`commonName\` (document ${spec0.doc}, line ${file.completionExistingKey.line + 2}, column 3)`,
    },
  ];
  let completionPosition: string | undefined;
  let completionMs: number[] = [];
  let completionItems: number[] = [];
  const emptyAt: string[] = [];
  for (const candidate of positions) {
    completionMs = [];
    completionItems = [];
    for (let i = 0; i < COMPLETIONS; i++) {
      const start = performance.now();
      const result = await client.request<CompletionItem[] | CompletionList | null>(
        'textDocument/completion',
        { textDocument: { uri }, position: candidate.position, context: { triggerKind: 1 } },
        30_000,
      );
      completionMs.push(performance.now() - start);
      completionItems.push(completionCount(result));
      if (i === 0 && completionItems[0] === 0) break;
    }
    if ((completionItems[0] ?? 0) > 0) {
      completionPosition = emptyAt.length > 0 ? `${candidate.label} (0 items at ${emptyAt.join('; ')})` : candidate.label;
      break;
    }
    emptyAt.push(candidate.label);
    log(`completion returned 0 items at ${candidate.label}`);
  }
  if (completionPosition === undefined) throw new Error(`completion returned 0 items at every position tried: ${emptyAt.join('; ')}`);
  if (completionItems.some((n) => n === 0)) throw new Error(`completion returned 0 items in some of the requests at ${completionPosition}`);
  log(`completion: median ${fmtMs(median(completionMs))}, p95 ${fmtMs(p95(completionMs))}, ${completionItems[0] ?? 0} items`);

  // --- memory + shutdown -----------------------------------------------------
  ctx.phase = 'shutdown';
  const peakRssBytes = readPeakRssBytes(client.pid);
  const processName = readProcessName(client.pid);
  if (processName !== undefined && !/^node/.test(processName)) {
    log(`warning: the measured process is "${processName}", not node; RSS is that process's only`);
  }
  const shutdown = await client.shutdown(5_000);
  log(`peak RSS ${fmtBytes(peakRssBytes)}, shutdown: ${shutdown}`);

  return {
    id: spec.id,
    displayName: spec.displayName,
    commandLine: spec.commandLine,
    serverInfo,
    processName,
    sync: incremental ? 'incremental' : 'full',
    initializeMs,
    openMs,
    otherDiagnosticsAtOpen,
    editMs,
    completionMs,
    completionItems,
    completionPosition,
    peakRssBytes,
    shutdown,
    serverRequests: [...client.serverRequests].map(([m, n]) => `${m} ×${n}`).join(', ') || 'none',
  };
}

async function runWithTimeout(spec: ServerSpec, file: GeneratedCertificates, filePath: string, options: CliOptions): Promise<ServerRun> {
  const ctx: RunContext = { phase: 'start', client: undefined };
  const failure = (error: string): ServerRun => {
    const tail = ctx.client?.describeTail();
    return { ok: false, id: spec.id, displayName: spec.displayName, error: tail ? `${error}\n${tail}` : error };
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ServerRun>((resolve) => {
    timer = setTimeout(() => {
      resolve(failure(`overall timeout of ${options.timeoutMs / 1000} s exceeded during "${ctx.phase}"`));
      ctx.client?.kill();
    }, options.timeoutMs);
  });
  const run = runServer(spec, file, filePath, ctx, options).then(
    (result): ServerRun => ({ ok: true, result }),
    (error: unknown): ServerRun => failure(`failed during "${ctx.phase}": ${error instanceof Error ? error.message : String(error)}`),
  );
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
    ctx.client?.kill(); // no-op after a clean shutdown
  }
}

// ---------------------------------------------------------------------------
// Statistics and formatting

function sorted(values: number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

function median(values: number[]): number {
  const s = sorted(values);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** 95th percentile, nearest-rank method (the 19th of 20 values). */
function p95(values: number[]): number {
  const s = sorted(values);
  if (s.length === 0) return Number.NaN;
  return s[Math.max(0, Math.ceil(0.95 * s.length) - 1)] ?? Number.NaN;
}

function fmtMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return 'n/a';
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

function fmtBytes(bytes: number | undefined): string {
  if (bytes === undefined) return 'n/a';
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function fmtRatio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !(b > 0) || Number.isNaN(a)) return 'n/a';
  return `${(a / b).toFixed(3)}×`;
}

interface TargetCheck {
  name: string;
  target: string;
  /** undefined: could not be evaluated in this run. */
  met: boolean | undefined;
  /** Shown in the Target column, e.g. "limit 475 ms, ratio 0.03×". */
  limit: string;
  /** Shown on stdout. */
  detail: string;
}

function evaluateTargets(c: ServerResult | undefined, y: ServerResult | undefined): TargetCheck[] {
  const ratio = (name: string, target: string, cv: number | undefined, yv: number | undefined, divisor: number, fmt: (v: number | undefined) => string): TargetCheck => {
    if (cv === undefined || yv === undefined || !c || !y) return { name, target, met: undefined, limit: '', detail: 'needs both servers' };
    return {
      name,
      target,
      met: cv <= yv / divisor,
      limit: `limit ${fmt(yv / divisor)}, ratio ${fmtRatio(cv, yv)}`,
      detail: `Certsmith ${fmt(cv)}, limit ${fmt(yv / divisor)}, ratio ${fmtRatio(cv, yv)}`,
    };
  };
  const completion: TargetCheck = c
    ? { name: 'Completion (median)', target: '< 5 ms', met: median(c.completionMs) < 5, limit: '', detail: `Certsmith ${fmtMs(median(c.completionMs))}` }
    : { name: 'Completion (median)', target: '< 5 ms', met: undefined, limit: '', detail: 'needs Certsmith' };
  return [
    ratio('Open → diagnostics', '≤ 1/4 of yaml-language-server', c?.openMs, y?.openMs, 4, fmtMs),
    ratio('Edit → diagnostics (median)', '≤ 1/10 of yaml-language-server', c && median(c.editMs), y && median(y.editMs), 10, fmtMs),
    completion,
    ratio('Peak memory (VmHWM)', '≤ 1/2 of yaml-language-server', c?.peakRssBytes, y?.peakRssBytes, 2, fmtBytes),
  ];
}

function metCell(met: boolean | undefined): string {
  return met === undefined ? 'n/a' : met ? 'yes' : '**no**';
}

function resultsTable(c: ServerResult | undefined, y: ServerResult | undefined, targets: TargetCheck[]): string {
  const cell = (r: ServerResult | undefined, f: (r: ServerResult) => string): string => (r ? f(r) : '—');
  const target = (name: string): TargetCheck | undefined => targets.find((t) => t.name === name);
  const rows: [string, string, string, TargetCheck | undefined][] = [
    ['Open → diagnostics', cell(c, (r) => fmtMs(r.openMs)), cell(y, (r) => fmtMs(r.openMs)), target('Open → diagnostics')],
    ['Edit → diagnostics, median', cell(c, (r) => fmtMs(median(r.editMs))), cell(y, (r) => fmtMs(median(r.editMs))), target('Edit → diagnostics (median)')],
    ['Edit → diagnostics, p95', cell(c, (r) => fmtMs(p95(r.editMs))), cell(y, (r) => fmtMs(p95(r.editMs))), undefined],
    ['Completion, median', cell(c, (r) => fmtMs(median(r.completionMs))), cell(y, (r) => fmtMs(median(r.completionMs))), target('Completion (median)')],
    ['Completion, p95', cell(c, (r) => fmtMs(p95(r.completionMs))), cell(y, (r) => fmtMs(p95(r.completionMs))), undefined],
    ['Completion items', cell(c, (r) => String(r.completionItems[0] ?? 0)), cell(y, (r) => String(r.completionItems[0] ?? 0)), undefined],
    ['Peak RSS (VmHWM)', cell(c, (r) => fmtBytes(r.peakRssBytes)), cell(y, (r) => fmtBytes(r.peakRssBytes)), target('Peak memory (VmHWM)')],
    ['Initialize (info)', cell(c, (r) => fmtMs(r.initializeMs)), cell(y, (r) => fmtMs(r.initializeMs)), undefined],
  ];
  const lines = [
    '| Metric | Certsmith | yaml-language-server | Target (Certsmith) | Met |',
    '| --- | ---: | ---: | --- | :---: |',
    ...rows.map(([name, cv, yv, t]) => `| ${name} | ${cv} | ${yv} | ${t ? `${t.target}${t.limit ? ` (${t.limit})` : ''}` : ''} | ${t ? metCell(t.met) : ''} |`),
  ];
  return lines.join('\n');
}

function machineDescription(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  return `${model}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Node ${process.version} (${os.platform()} ${os.arch()})`;
}

function fileDescription(file: GeneratedCertificates): string {
  return (
    `${file.docs.toLocaleString('en-US')} Certificate documents in one file, ${file.lines.toLocaleString('en-US')} lines, ` +
    `${file.bytes.toLocaleString('en-US')} bytes; one enum error (\`spec.privateKey.algorithm: ${file.enumError.value}\`, ` +
    `document ${file.enumError.doc}, line ${file.enumError.line + 1})`
  );
}

function docsSection(file: GeneratedCertificates, c: ServerResult, y: ServerResult, targets: TargetCheck[], schemaPath: string, date: string): string {
  const met = targets.filter((t) => t.met === true).length;
  const serverLine = (r: ServerResult): string =>
    `- ${r.displayName}: \`${r.commandLine}\` (reports itself as ${r.serverInfo}; ${r.sync} sync; shutdown ${r.shutdown})`;
  return [
    SECTION_HEADING,
    '',
    `Generated by \`test/bench/lsp.bench.ts\` (see \`test/bench/README.md\`) on ${date}.`,
    '',
    `- Machine: ${machineDescription()}`,
    `- Test file: ${fileDescription(file)}`,
    serverLine(c),
    serverLine(y) + `, with \`${path.relative(REPO_ROOT, schemaPath)}\` mapped to the file through \`yaml.schemas\``,
    `- Each server runs in its own fresh process. Edits: ${EDITS} one-character changes that toggle enum errors in documents ${file.toggle.doc} and ${file.enumError.doc}, each timed until a publishDiagnostics with exactly the expected error lines. Completion: ${COMPLETIONS} requests; Certsmith at ${c.completionPosition}; yaml-language-server at ${y.completionPosition}.`,
    '',
    resultsTable(c, y, targets),
    '',
    `Targets met: ${met} of ${targets.length}${met === targets.length ? '.' : ` (not met: ${targets.filter((t) => t.met !== true).map((t) => t.name).join(', ')}).`}`,
    '',
  ].join('\n');
}

/** Replaces (or appends) the benchmark section of docs/benchmarks.md, leaving other sections alone. */
function writeDocsSection(section: string): string {
  return writeBenchmarkSection(REPO_ROOT, SECTION_HEADING, section);
}

// ---------------------------------------------------------------------------

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const ids = options.only ? [options.only] : SERVER_IDS;

  const file = generateCertificates();
  // A folder of its own: it is the servers' workspace folder, and Certsmith indexes every YAML file in it.
  const dir = path.join(os.tmpdir(), 'certsmith-bench', 'lsp');
  mkdirSync(dir, { recursive: true });
  const fileName = 'certificates.yaml';
  const filePath = path.join(dir, fileName);
  writeFileSync(filePath, file.text);
  process.stderr.write(`Test file: ${filePath}: ${fileDescription(file)}\nMachine: ${machineDescription()}\n`);

  const runs: ServerRun[] = [];
  let schemaPath = '';
  for (const id of ids) {
    let spec: ServerSpec;
    try {
      if (id === 'certsmith') {
        spec = certsmithSpec();
      } else {
        const yaml = yamlLanguageServerSpec(fileName);
        spec = yaml.spec;
        schemaPath = yaml.schemaPath;
      }
    } catch (error) {
      const displayName = id === 'certsmith' ? 'Certsmith' : 'yaml-language-server';
      runs.push({ ok: false, id, displayName, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    runs.push(await runWithTimeout(spec, file, filePath, options));
  }

  const resultOf = (id: ServerId): ServerResult | undefined => {
    const run = runs.find((r) => (r.ok ? r.result.id : r.id) === id);
    return run?.ok ? run.result : undefined;
  };
  const c = resultOf('certsmith');
  const y = resultOf('yaml-ls');
  const targets = evaluateTargets(c, y);

  const out: string[] = ['', `Language server benchmark — ${fileDescription(file)}`, `Machine: ${machineDescription()}`, ''];
  out.push(resultsTable(c, y, targets), '');
  for (const r of [c, y]) {
    if (!r) continue;
    out.push(
      `${r.displayName}: ${r.serverInfo}, pid comm "${r.processName ?? '?'}", ${r.sync} sync, ` +
        `${r.otherDiagnosticsAtOpen} other diagnostics at open, completion at ${r.completionPosition}, ` +
        `shutdown ${r.shutdown}; server requests: ${r.serverRequests}`,
      `  edit samples (ms): ${r.editMs.map((v) => v.toFixed(1)).join(' ')}`,
      `  completion samples (ms): ${r.completionMs.map((v) => v.toFixed(2)).join(' ')}`,
    );
  }
  for (const run of runs) if (!run.ok) out.push(`FAILED ${run.displayName}: ${run.error}`);
  const evaluable = targets.filter((t) => t.met !== undefined);
  out.push('', ...targets.map((t) => `Target ${t.name} ${t.target}: ${t.met === undefined ? 'not evaluated' : t.met ? 'met' : 'NOT met'} — ${t.detail}`));
  process.stdout.write(out.join('\n') + '\n');

  if (c && y) {
    const docsPath = writeDocsSection(docsSection(file, c, y, targets, schemaPath, new Date().toISOString()));
    process.stdout.write(`\nWrote ${path.relative(process.cwd(), docsPath) || docsPath}\n`);
  }

  const failed = runs.some((r) => !r.ok) || evaluable.some((t) => !t.met);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`lsp.bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
