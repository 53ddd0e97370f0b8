/**
 * A minimal LSP client for benchmarks: spawns a language server over stdio,
 * speaks JSON-RPC through vscode-languageserver's protocol layer, records
 * every `textDocument/publishDiagnostics` with the time it was read off the
 * pipe, answers the few server-to-client requests servers commonly send, and
 * shuts the server down (with a hard kill as a fallback).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  ConfigurationRequest,
  createProtocolConnection,
  ExitNotification,
  Message,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ConfigurationItem,
  type MessageReader,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';

export interface ServerCommand {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export interface DiagnosticsEvent {
  /** Increasing sequence number, 1-based. */
  seq: number;
  /** performance.now() when the message was decoded from the server's stdout. */
  time: number;
  params: PublishDiagnosticsParams;
}

export interface LspClientOptions {
  /** Answers `workspace/configuration`, one value per requested item. */
  configuration?: (items: ConfigurationItem[]) => unknown[];
  /** Workspace folders returned for `workspace/workspaceFolders`. */
  workspaceFolders?: { uri: string; name: string }[];
  /** Echo the server's stderr and log messages to our stderr. */
  verbose?: boolean;
  /** Prefix for verbose output. */
  label?: string;
  /** Hears every window/logMessage (the server's log), with the time it was read. */
  onLog?: (message: string, time: number) => void;
  /** Hears every `$/progress` notification (work-done progress), with the time it was read. */
  onProgress?: (params: { token: string | number; value: { kind: 'begin' | 'report' | 'end'; message?: string; percentage?: number; title?: string } }, time: number) => void;
}

class TimeoutError extends Error {}

const TAIL_LINES = 40;

function pushTail(tail: string[], text: string): void {
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with a TimeoutError if `promise` has not settled after `ms`. */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Peak resident set size (VmHWM) of a live process, in bytes; undefined where /proc is unavailable. */
export function readPeakRssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match?.[1] !== undefined ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The executable name of a live process (from /proc/<pid>/comm), if available. */
export function readProcessName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

interface Waiter {
  check: () => boolean;
  fail: (error: Error) => void;
}

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly pid: number;
  /** Every publishDiagnostics received, in order. */
  readonly diagnostics: DiagnosticsEvent[] = [];
  /** Methods of requests the server sent us, with counts. */
  readonly serverRequests = new Map<string, number>();
  /** performance.now() of the last message received from the server. */
  lastMessageAt = performance.now();
  exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly waiters = new Set<Waiter>();
  private readonly stderrTail: string[] = [];
  private readonly logTail: string[] = [];

  private constructor(child: ChildProcess, options: LspClientOptions) {
    this.child = child;
    if (child.pid === undefined || !child.stdout || !child.stdin || !child.stderr) {
      throw new Error('language server process did not start');
    }
    this.pid = child.pid;
    const prefix = `[${options.label ?? 'server'}]`;

    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        this.failWaiters(new Error(`language server exited (code ${code ?? 'none'}, signal ${signal ?? 'none'})`));
        resolve();
      });
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      pushTail(this.stderrTail, chunk);
      if (options.verbose) process.stderr.write(chunk.replace(/^/gm, `${prefix} stderr: `));
    });
    // Writing to a server that has died must not crash the benchmark.
    child.stdin.on('error', () => undefined);

    const reader = new StreamMessageReader(child.stdout);
    const tapped: MessageReader = {
      onError: reader.onError,
      onClose: reader.onClose,
      onPartialMessage: reader.onPartialMessage,
      dispose: () => reader.dispose(),
      listen: (callback) =>
        reader.listen((message) => {
          this.onMessage(message);
          callback(message);
        }),
    };
    const logger = {
      error: (m: string) => pushTail(this.logTail, `client error: ${m}`),
      warn: (m: string) => pushTail(this.logTail, `client warn: ${m}`),
      info: () => undefined,
      log: () => undefined,
    };
    this.connection = createProtocolConnection(tapped, new StreamMessageWriter(child.stdin), logger);

    this.connection.onNotification(PublishDiagnosticsNotification.type, () => undefined); // recorded in onMessage
    this.connection.onNotification('window/logMessage', (params: { type?: number; message?: string }) => {
      options.onLog?.(params.message ?? '', performance.now());
      const line = `log(${params.type ?? '?'}): ${params.message ?? ''}`;
      pushTail(this.logTail, line);
      if (options.verbose) process.stderr.write(`${prefix} ${line}\n`);
    });
    this.connection.onNotification('window/showMessage', (params: { message?: string }) => {
      pushTail(this.logTail, `showMessage: ${params.message ?? ''}`);
    });
    this.connection.onNotification('telemetry/event', () => undefined);
    this.connection.onNotification('$/progress', (params: Parameters<NonNullable<LspClientOptions['onProgress']>>[0]) => options.onProgress?.(params, performance.now()));

    this.connection.onRequest(ConfigurationRequest.type, (params) =>
      options.configuration ? options.configuration(params.items) : params.items.map(() => null),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('client/unregisterCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('window/showMessageRequest', () => null);
    this.connection.onRequest('window/showDocument', () => ({ success: false }));
    this.connection.onRequest('workspace/workspaceFolders', () => options.workspaceFolders ?? null);
    this.connection.onRequest('workspace/applyEdit', () => ({ applied: false }));
    for (const refresh of ['codeLens', 'semanticTokens', 'inlayHint', 'inlineValue', 'diagnostic', 'foldingRange']) {
      this.connection.onRequest(`workspace/${refresh}/refresh`, () => null);
    }
    this.connection.onError(([error]) => pushTail(this.logTail, `connection error: ${error.message}`));
    this.connection.listen();
  }

  /** Spawns the server directly (no shell), so that `pid` is the server process itself. */
  static start(command: ServerCommand, options: LspClientOptions = {}): LspClient {
    const child = spawn(command.command, command.args, {
      cwd: command.cwd,
      env: command.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new LspClient(child, options);
  }

  get isAlive(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last lines of the server's stderr and log messages, for error reports. */
  describeTail(): string {
    const parts: string[] = [];
    if (this.stderrTail.length > 0) parts.push(`stderr (last lines):\n  ${this.stderrTail.join('\n  ')}`);
    if (this.logTail.length > 0) parts.push(`log messages (last lines):\n  ${this.logTail.join('\n  ')}`);
    return parts.join('\n');
  }

  /** Sends a request, failing after `timeoutMs`. */
  async request<R>(method: string, params: unknown, timeoutMs: number): Promise<R> {
    return withTimeout(Promise.race([this.connection.sendRequest<R>(method, params), this.rejectOnExit(method)]), timeoutMs, method);
  }

  /** Sends a notification; resolves once it is written to the server's stdin. */
  async notify(method: string, params: unknown): Promise<void> {
    await this.connection.sendNotification(method, params);
  }

  /** Sequence number of the latest diagnostics event (0 if none yet). */
  get lastDiagnosticsSeq(): number {
    return this.diagnostics.at(-1)?.seq ?? 0;
  }

  /** The first diagnostics event after `afterSeq` for `uri` that satisfies `accept`. */
  waitForDiagnostics(
    uri: string,
    afterSeq: number,
    accept: (params: PublishDiagnosticsParams) => boolean,
    timeoutMs: number,
  ): Promise<DiagnosticsEvent> {
    const find = (): DiagnosticsEvent | undefined =>
      this.diagnostics.find((e) => e.seq > afterSeq && e.params.uri === uri && accept(e.params));
    return this.waitUntil(find, timeoutMs, `diagnostics for ${uri}`);
  }

  /** Resolves once `predicate()` is true, re-checked after every message from the server. */
  async waitForCondition(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    await this.waitUntil(() => (predicate() ? true : undefined), timeoutMs, what);
  }

  /**
   * Waits until the server has sent nothing for `quietMs`, or `maxMs` passed.
   * Returns false in the latter case.
   */
  async waitForQuiet(quietMs: number, maxMs: number): Promise<boolean> {
    const deadline = performance.now() + maxMs;
    for (;;) {
      if (!this.isAlive) throw new Error('language server exited while waiting for it to become idle');
      const now = performance.now();
      const quietFor = now - this.lastMessageAt;
      if (quietFor >= quietMs) return true;
      if (now >= deadline) return false;
      await sleep(Math.min(quietMs - quietFor, deadline - now) + 1);
    }
  }

  /** Shutdown request + exit notification; SIGKILL if the process is still alive after `timeoutMs`. */
  async shutdown(timeoutMs: number): Promise<'graceful' | 'killed' | 'already exited'> {
    if (!this.isAlive) return 'already exited';
    let graceful = true;
    try {
      await withTimeout(Promise.race([this.connection.sendRequest(ShutdownRequest.type), this.rejectOnExit('shutdown')]), timeoutMs, 'shutdown');
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      graceful = false;
    }
    const exitedInTime = await Promise.race([this.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
    if (!exitedInTime) {
      this.kill();
      graceful = false;
      await Promise.race([this.exited, sleep(2000)]);
    }
    this.connection.dispose();
    return graceful ? 'graceful' : 'killed';
  }

  /** Hard kill (used on timeouts and errors). */
  kill(): void {
    if (this.isAlive) this.child.kill('SIGKILL');
  }

  /** A promise that rejects once the server process has exited. */
  private rejectOnExit(what: string): Promise<never> {
    return this.exited.then(() => {
      throw new Error(`language server exited (code ${this.exitInfo?.code ?? 'none'}, signal ${this.exitInfo?.signal ?? 'none'}) before answering ${what}`);
    });
  }

  private onMessage(message: Message): void {
    this.lastMessageAt = performance.now();
    if (Message.isNotification(message) && message.method === PublishDiagnosticsNotification.method) {
      const params = message.params as PublishDiagnosticsParams;
      this.diagnostics.push({ seq: this.lastDiagnosticsSeq + 1, time: this.lastMessageAt, params });
    } else if (Message.isRequest(message)) {
      this.serverRequests.set(message.method, (this.serverRequests.get(message.method) ?? 0) + 1);
    }
    // Waiters are re-checked after the message has been dispatched.
    setImmediate(() => {
      for (const waiter of [...this.waiters]) waiter.check();
    });
  }

  private failWaiters(error: Error): void {
    for (const waiter of [...this.waiters]) waiter.fail(error);
  }

  private waitUntil<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    if (!this.isAlive) return Promise.reject(new Error(`language server exited before ${what}`));
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        check: () => {
          const value = find();
          if (value === undefined) return false;
          finish();
          resolve(value);
          return true;
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(() => waiter.fail(new TimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
