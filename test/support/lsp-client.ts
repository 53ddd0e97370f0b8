/**
 * A language client for tests: starts `certsmith lsp --stdio` (the bundled
 * CLI) and speaks LSP to it over its standard input and output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { CLI, ROOT } from './cli.js';
import { ACROSS_FILES_RULE_IDS } from '../../engine/rules/registry.js';

export class TestLspClient {
  readonly proc: ChildProcess;
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  stderr = '';
  readonly logs: string[] = [];
  private versions = new Map<string, number>();

  constructor(
    args: string[] = ['lsp', '--stdio'],
    /** As the VS Code extension says by default: it has the editor's own commands (code lenses name them). */
    private readonly initializationOptions: Record<string, unknown> = { indexWorkspace: false, editorCommands: true },
    private readonly rootUri: string = pathToFileURL(ROOT).href,
    /** The server's environment; by default the test's, with KUBECONFIG pointing nowhere (only a kubeconfig a test names is read). */
    env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: join(ROOT, 'test', '.no-such-kubeconfig') },
  ) {
    this.proc = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env });
    this.proc.stderr!.on('data', (d) => (this.stderr += d));
    this.connection = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri === p.uri && w.pred(p)) {
          w.resolve(p);
          return false;
        }
        return true;
      });
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.listen();
  }

  async initialize(): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: this.rootUri,
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
      workspaceFolders: null,
      // Tests see only the documents they open (the repository's own manifests stay out).
      initializationOptions: this.initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, languageId = 'yaml'): void {
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Incremental change: replace the range with text. */
  change(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): number {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range, text }],
    });
    return v;
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Wait for diagnostics of a document that satisfy the predicate (or time out). */
  waitForDiagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
    const existing = this.diagnostics.get(uri);
    if (existing && pred(existing)) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms (stderr: ${this.stderr.slice(0, 500)})`)), timeoutMs);
      this.waiters.push({
        uri,
        pred,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** Wait for the diagnostics of a given document version. */
  waitForVersion(uri: string, version: number, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
    return this.waitForDiagnostics(uri, (p) => p.version === undefined || p.version >= version, timeoutMs);
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Sends the `certsmith` settings as the VS Code extension does (workspace/didChangeConfiguration). */
  settings(certsmith: Record<string, unknown>): Promise<void> {
    return this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { certsmith } });
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async shutdown(): Promise<void> {
    try {
      if (this.alive) {
        await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
        void this.connection.sendNotification('exit');
      }
    } catch {
      // the server may already be gone
    }
    await new Promise<void>((resolve) => {
      if (!this.alive) return resolve();
      const timer = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 3000);
      this.proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }
}

const CROSS_RULE_IDS = ACROSS_FILES_RULE_IDS;

/**
 * The codes of the diagnostics that come from the document itself. Every test
 * in a file shares one server, so documents opened by other tests are part of
 * the workspace; the cross-resource findings they cause are tested on their own.
 */
export function codes(ds: Diagnostic[]): string[] {
  return local(ds).map((d) => String(d.code));
}

/** The diagnostics that come from the document itself (see codes()). */
export function local(ds: Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => !CROSS_RULE_IDS.has(String(d.code)));
}
