/**
 * Keeps the client's diagnostics in step with the workspace: documents
 * changed since the last check are checked once per burst of edits (after
 * the messages already queued), published with their version, and the
 * cross-resource findings of the other open documents are published again
 * only when they changed. Extra sources (the cluster dry run's diagnostics)
 * are added per document.
 */
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { Diagnostic } from '../../engine/core/diagnostic.js';
import type { ServerState } from './server-state.js';

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: d.href },
    source: d.source ?? 'certsmith',
    message: d.message,
    ...(d.path ? { data: { path: d.path } } : {}),
  };
}

/**
 * A pass across files that took this long (ms) is not waited for on each
 * edit: the edited document gets its own findings at once and the pass runs
 * CROSS_DEFER_MS after the last edit (a workspace of tens of thousands of
 * files needs about a second for it, measured in bench:lsp-index).
 */
const SLOW_CROSS_MS = 30;
const CROSS_DEFER_MS = 300;

export class DiagnosticsPublisher {
  private crossTimer: NodeJS.Timeout | undefined;
  /** Documents whose text changed since they were last checked. */
  private readonly pending = new Set<string>();
  /** Documents for which diagnostics were published (to clear them when they stop being relevant). */
  private readonly published = new Set<string>();
  /** The cross-resource diagnostics last published per document, to republish only what changed. */
  private readonly lastCross = new Map<string, string>();
  /**
   * The version of each document last given to the workspace. A request may bring a
   * document up to date before the scheduled flush runs; the document then stays
   * pending, so that the flush still publishes the diagnostics of that version.
   */
  private readonly syncedVersion = new Map<string, number>();
  private flushScheduled = false;
  private readonly sources: ((uri: string) => LspDiagnostic[])[] = [];
  private readonly afterFlush: ((changed: string[]) => void)[] = [];

  constructor(private readonly state: ServerState) {}

  /** Another source of diagnostics for a document (published with the local ones). */
  addSource(source: (uri: string) => LspDiagnostic[]): void {
    this.sources.push(source);
  }

  /** Called after every flush with the documents it checked. */
  onFlushed(listener: (changed: string[]) => void): void {
    this.afterFlush.push(listener);
  }

  /** Brings a document's analysis up to date (before answering a request about it). */
  sync(uri: string): void {
    if (!this.pending.has(uri)) return;
    const doc = this.state.documents.get(uri);
    if (!doc) {
      this.pending.delete(uri);
      return;
    }
    if (this.syncedVersion.get(uri) === doc.version) return;
    this.syncedVersion.set(uri, doc.version);
    const t0 = performance.now();
    const stats = this.state.workspace.set(uri, doc.getText());
    this.state.trace?.(`checked ${uri}: ${stats.reparsed}/${stats.documents} documents re-checked in ${(performance.now() - t0).toFixed(1)} ms`);
  }

  publish(uri: string, quick = false): void {
    const { workspace, documents, connection } = this.state;
    const file = workspace.get(uri);
    if (!file) return;
    const extra = this.sources.flatMap((s) => s(uri));
    if (!file.isRelevant && extra.length === 0) {
      if (this.published.delete(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    const version = documents.get(uri)?.version;
    this.published.add(uri);
    const t0 = performance.now();
    const own = file.isRelevant ? (quick ? workspace.quickDiagnostics(uri, SLOW_CROSS_MS) : workspace.diagnostics(uri)) : [];
    const diagnostics = [...own.map(toLspDiagnostic), ...extra];
    void connection.sendDiagnostics({ uri, version, diagnostics });
    this.state.trace?.(`published ${diagnostics.length} diagnostics for ${uri} in ${(performance.now() - t0).toFixed(1)} ms`);
  }

  /** A document changed: check it after the messages already queued (a burst of typing is checked once). */
  schedule(uri: string): void {
    this.pending.add(uri);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Check every document edited since the last check now (a request about the whole workspace is coming). */
  flushNow(): void {
    if (this.pending.size > 0) this.flush();
  }

  private flush(): void {
    this.flushScheduled = false;
    const changed = [...this.pending];
    const { workspace } = this.state;
    let quick = false;
    for (const uri of changed) {
      try {
        this.sync(uri);
        this.pending.delete(uri);
        quick ||= !workspace.crossIsCurrent && workspace.crossPassMs >= SLOW_CROSS_MS;
        this.publish(uri, quick);
        // After a quick publication, the deferred pass publishes the document again in any case.
        this.lastCross.set(uri, quick ? '\u0000quick' : JSON.stringify(workspace.crossDiagnostics().get(uri) ?? []));
      } catch (e) {
        this.pending.delete(uri);
        this.state.logError(`checking ${uri}`, e);
      }
    }
    if (quick) this.deferCross();
    else this.republishCross(changed);
    if (changed.length > 0) for (const l of this.afterFlush) l(changed);
  }

  /** The pass across files, once the edits have paused (see SLOW_CROSS_MS). */
  private deferCross(): void {
    if (this.crossTimer) clearTimeout(this.crossTimer);
    this.crossTimer = setTimeout(() => {
      this.crossTimer = undefined;
      this.republishCross();
    }, CROSS_DEFER_MS).unref();
  }

  /** An edit in one file can change what is found in others (an Issuer renamed, a Secret taken twice). */
  republishCross(skip: string[] = []): void {
    try {
      const cross = this.state.workspace.crossDiagnostics();
      for (const uri of this.published) {
        if (skip.includes(uri)) continue;
        const now = JSON.stringify(cross.get(uri) ?? []);
        if (now !== (this.lastCross.get(uri) ?? '[]')) {
          this.lastCross.set(uri, now);
          this.publish(uri);
        }
      }
    } catch (e) {
      this.state.logError('cross-resource checks', e);
    }
  }

  /** Publishes every document that has diagnostics again (another source changed them). */
  republishAll(): void {
    for (const uri of [...this.published]) this.publish(uri);
  }

  closed(uri: string): void {
    this.pending.delete(uri);
    this.syncedVersion.delete(uri);
    this.lastCross.delete(uri);
    if (this.published.delete(uri)) void this.state.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}
