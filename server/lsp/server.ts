/**
 * The Certsmith language server: a thin adapter from LSP to the engine.
 * Documents are synchronised incrementally; each change re-checks only the
 * YAML documents it touched (see engine/workspace/manifest-file.ts).
 */
import {
  createConnection,
  DiagnosticSeverity,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  CompletionItemKind,
  CodeActionKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  SymbolKind,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type Location,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { schemaStore } from '../../engine/schema/schema-store.js';
import { Workspace } from '../../engine/workspace/workspace.js';
import { DEFAULT_MAX_FILE_BYTES } from '../../engine/manifests/file-limits.js';
import { complete, type CompletionEntry } from '../../engine/language/completion.js';
import { hover } from '../../engine/language/hover.js';
import { documentSymbols } from '../../engine/language/symbols.js';
import { definition, references } from '../../engine/language/navigation.js';
import { codeLenses } from '../../engine/language/code-lenses.js';
import {
  CERTIFICATES_CHANGED_NOTIFICATION,
  CERTIFICATES_REQUEST,
  dns01Names,
  listCertificates,
  resolveWorkspace,
  type CertificatesResult,
} from '../../engine/language/certificate-list.js';
import type { Diagnostic } from '../../engine/core/diagnostic.js';
import { warmUp } from '../../engine/workspace/warm-up.js';
import { findYamlFiles } from '../../engine/workspace/find-manifests.js';
import { looksRelevant } from '../../engine/workspace/manifest-file.js';
import { attachClusterChecks, type ClusterChecks } from './cluster-checks.js';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bounds of the background index of the workspace folders. */
const INDEX_MAX_FILES = 2000;
const INDEX_MAX_FILE_BYTES = 512 * 1024;

/** initializationOptions the server understands. */
interface CertsmithInitOptions {
  /** Read the manifests in the workspace folders, so that cross-file checks see them (default true). */
  indexWorkspace?: boolean;
  /** cert-manager's --cluster-resource-namespace (default "cert-manager"). */
  clusterResourceNamespace?: string;
}

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const COMPLETION_KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  kind: CompletionItemKind.Class,
  snippet: CompletionItemKind.Snippet,
  reference: CompletionItemKind.Reference,
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

export function startLanguageServer(transport: 'stdio' | 'node-ipc'): Connection {
  const connection =
    transport === 'stdio'
      ? createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout))
      : createConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
  const documents = new TextDocuments(TextDocument);
  const store = schemaStore();
  const workspace = new Workspace(store, DEFAULT_MAX_FILE_BYTES);
  /** Documents whose text changed since they were last checked. */
  const pending = new Set<string>();
  /** Documents for which diagnostics were published (to clear them when they stop being relevant). */
  const published = new Set<string>();
  let flushScheduled = false;

  const log = (message: string) => connection.console.log(message);
  const logError = (what: string, e: unknown) =>
    connection.console.error(`certsmith: ${what} failed: ${(e as Error)?.message ?? String(e)}`);

  /** Bring a document's analysis up to date (before answering a request about it). */
  /** CERTSMITH_TRACE=1: log how long each check takes (to the client's output, never file contents). */
  const trace = process.env.CERTSMITH_TRACE ? (m: string) => connection.console.log(m) : undefined;

  /**
   * The version of each document last given to the workspace. A request (hover,
   * completion, ...) may bring a document up to date before the scheduled flush
   * runs; the document then stays pending, so that the flush still publishes
   * the diagnostics of that version.
   */
  const syncedVersion = new Map<string, number>();

  const sync = (uri: string): void => {
    if (!pending.has(uri)) return;
    const doc = documents.get(uri);
    if (!doc) {
      pending.delete(uri);
      return;
    }
    if (syncedVersion.get(uri) === doc.version) return;
    syncedVersion.set(uri, doc.version);
    const t0 = performance.now();
    const stats = workspace.set(uri, doc.getText());
    trace?.(`checked ${uri}: ${stats.reparsed}/${stats.documents} documents re-checked in ${(performance.now() - t0).toFixed(1)} ms`);
  };

  /** Opt-in checks against a cluster (see cluster-checks.ts for the protocol); attached below. */
  let clusterChecks: ClusterChecks | undefined;

  const publish = (uri: string): void => {
    const file = workspace.get(uri);
    if (!file) return;
    // The server-side dry run's findings for this version of the document (source certsmith-cluster).
    const fromCluster = clusterChecks?.diagnosticsFor(uri) ?? [];
    if (!file.isRelevant && fromCluster.length === 0) {
      if (published.delete(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    const version = documents.get(uri)?.version;
    published.add(uri);
    const t0 = performance.now();
    const diagnostics = [...(file.isRelevant ? workspace.diagnostics(uri).map(toLspDiagnostic) : []), ...fromCluster];
    void connection.sendDiagnostics({ uri, version, diagnostics });
    trace?.(`published ${diagnostics.length} diagnostics for ${uri} in ${(performance.now() - t0).toFixed(1)} ms`);
  };

  /** The cross-resource diagnostics last published per document, to republish only what changed. */
  const lastCross = new Map<string, string>();

  const flush = (): void => {
    flushScheduled = false;
    const changed = [...pending];
    for (const uri of changed) {
      try {
        sync(uri);
        pending.delete(uri);
        publish(uri);
        lastCross.set(uri, JSON.stringify(workspace.crossDiagnostics().get(uri) ?? []));
      } catch (e) {
        pending.delete(uri);
        logError(`checking ${uri}`, e);
      }
    }
    republishCross(changed);
    if (changed.length > 0) certificatesMaybeChanged();
  };

  /** Check every document edited since the last check now (a request about the whole workspace is coming). */
  const flushNow = (): void => {
    if (pending.size > 0) flush();
  };

  /**
   * certsmith/certificatesChanged: sent (debounced) when the Certificate list differs from the
   * last one sent. Code lenses depend on other files too (an issuer's server or solvers): the
   * client is asked to refresh them when the list or the DNS-01 names change, if it can.
   */
  const CERTIFICATES_DEBOUNCE_MS = 300;
  let certificatesTimer: ReturnType<typeof setTimeout> | undefined;
  let lastCertificates = JSON.stringify([]);
  let lastLensInputs = JSON.stringify([]);
  let codeLensRefresh = false;
  const certificatesMaybeChanged = (): void => {
    if (certificatesTimer) clearTimeout(certificatesTimer);
    certificatesTimer = setTimeout(() => {
      certificatesTimer = undefined;
      try {
        flushNow();
        const resolved = resolveWorkspace(workspace);
        const list = JSON.stringify(listCertificates(workspace, resolved));
        let refresh = false;
        if (list !== lastCertificates) {
          lastCertificates = list;
          refresh = true;
          void connection.sendNotification(CERTIFICATES_CHANGED_NOTIFICATION);
        }
        const lensInputs = JSON.stringify(resolved.certificates.map(dns01Names));
        if (lensInputs !== lastLensInputs) {
          lastLensInputs = lensInputs;
          refresh = true;
        }
        if (refresh && codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
      } catch (e) {
        logError('listing certificates', e);
      }
    }, CERTIFICATES_DEBOUNCE_MS);
    certificatesTimer.unref?.();
  };

  /** An edit in one file can change what is found in others (an Issuer renamed, a Secret taken twice). */
  const republishCross = (skip: string[] = []): void => {
    try {
      const cross = workspace.crossDiagnostics();
      for (const uri of published) {
        if (skip.includes(uri)) continue;
        const now = JSON.stringify(cross.get(uri) ?? []);
        if (now !== (lastCross.get(uri) ?? '[]')) {
          lastCross.set(uri, now);
          publish(uri);
        }
      }
    } catch (e) {
      logError('cross-resource checks', e);
    }
  };

  /** Loads a manifest file from disk into the index; false when it is not one (or cannot be read). */
  const loadFromDisk = (uri: string, path: string): boolean => {
    try {
      if (statSync(path).size > INDEX_MAX_FILE_BYTES) return false;
      const text = readFileSync(path, 'utf8');
      if (!looksRelevant(text)) {
        if (indexed.delete(uri)) workspace.delete(uri);
        return false;
      }
      workspace.set(uri, text);
      indexed.add(uri);
      return true;
    } catch {
      if (indexed.delete(uri)) workspace.delete(uri);
      return false;
    }
  };

  const inFolders = (path: string) => folders.some((f) => path === f || path.startsWith(f.endsWith('/') ? f : `${f}/`));

  /** Reads the workspace folders' manifests in small steps, so requests are never kept waiting. */
  const indexFolders = (): void => {
    const t0 = performance.now();
    const seen = new Set<string>();
    const files = folders.flatMap((f) => findYamlFiles(f, f, { maxFiles: INDEX_MAX_FILES, seen })).slice(0, INDEX_MAX_FILES);
    let i = 0;
    let loaded = 0;
    const step = (): void => {
      const start = performance.now();
      while (i < files.length && performance.now() - start < 15) {
        const f = files[i++];
        const uri = pathToFileURL(f.path).href;
        if (documents.get(uri)) continue; // open in the editor: its text wins
        if (loadFromDisk(uri, f.path)) loaded++;
      }
      if (i < files.length) setImmediate(step);
      else {
        trace?.(`indexed ${loaded} manifest files of ${files.length} YAML files in ${(performance.now() - t0).toFixed(0)} ms`);
        republishCross();
        certificatesMaybeChanged();
      }
    };
    setImmediate(step);
  };

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      if (documents.get(change.uri)) continue;
      let path: string;
      try {
        path = fileURLToPath(change.uri);
      } catch {
        continue;
      }
      if (change.type === 3 /* deleted */) {
        if (indexed.delete(change.uri)) workspace.delete(change.uri);
      } else if (inFolders(path) && /\.ya?ml$/i.test(path)) loadFromDisk(change.uri, path);
    }
    republishCross();
    certificatesMaybeChanged();
  });

  const schedule = (uri: string): void => {
    pending.add(uri);
    if (!flushScheduled) {
      flushScheduled = true;
      // After the messages already queued (a burst of typing is checked once).
      setImmediate(flush);
    }
  };

  let folders: string[] = [];
  let indexWorkspace = true;

  clusterChecks = attachClusterChecks({
    connection,
    documents,
    workspace,
    folders: () => folders,
    sync,
    publish,
    republishCross: () => republishCross(),
    toLspDiagnostic,
    log,
    lensesChanged: () => {
      if (codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    },
  });
  /** Documents read from disk for the index (not open in the editor, never published). */
  const indexed = new Set<string>();

  connection.onInitialize((params): InitializeResult => {
    const opts = (params.initializationOptions ?? {}) as CertsmithInitOptions;
    indexWorkspace = opts.indexWorkspace !== false;
    if (typeof opts.clusterResourceNamespace === 'string' && opts.clusterResourceNamespace) {
      workspace.crossOptions = { clusterResourceNamespace: opts.clusterResourceNamespace };
    }
    const toPath = (u: string): string | undefined => {
      try {
        return u.startsWith('file:') ? fileURLToPath(u) : undefined;
      } catch {
        return undefined;
      }
    };
    const fromFolders = (params.workspaceFolders ?? []).map((f) => toPath(f.uri));
    folders = (fromFolders.length ? fromFolders : [params.rootUri ? toPath(params.rootUri) : undefined]).filter((x): x is string => !!x);
    codeLensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        completionProvider: { triggerCharacters: [':', ' ', '-'], resolveProvider: false },
        hoverProvider: true,
        documentSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'certsmith', version: '0.1.0' },
    };
  });

  documents.onDidOpen((e) => {
    indexed.delete(e.document.uri);
    trace?.(`opened ${e.document.uri} (${e.document.getText().length} characters)`);
    schedule(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    clusterChecks?.changed(e.document.uri, e.document.version);
    schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    pending.delete(uri);
    syncedVersion.delete(uri);
    workspace.delete(uri);
    lastCross.delete(uri);
    clusterChecks?.closed(uri);
    if (published.delete(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    // A file of the workspace goes back to what is on disk (unsaved edits are gone).
    if (indexWorkspace) {
      try {
        const path = fileURLToPath(uri);
        if (inFolders(path)) loadFromDisk(uri, path);
      } catch {
        // not a file URI
      }
    }
    republishCross();
    certificatesMaybeChanged();
  });

  connection.onCompletion((params): CompletionItem[] => {
    try {
      sync(params.textDocument.uri);
      const file = workspace.get(params.textDocument.uri);
      if (!file || !file.isRelevant) return [];
      return complete(file, params.position, store, workspace).map((c) => ({
        label: c.label,
        kind: COMPLETION_KIND[c.kind],
        detail: c.detail,
        documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
        textEdit: { range: c.range, newText: c.insertText },
        insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        insertTextMode: InsertTextMode.asIs,
        sortText: c.sortText,
      }));
    } catch (e) {
      logError('completion', e);
      return [];
    }
  });

  connection.onHover((params) => {
    try {
      sync(params.textDocument.uri);
      const file = workspace.get(params.textDocument.uri);
      if (!file || !file.isRelevant) return null;
      const h = hover(file, params.position, store);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: h.range } : null;
    } catch (e) {
      logError('hover', e);
      return null;
    }
  });

  connection.onDefinition((params): Location[] => {
    try {
      sync(params.textDocument.uri);
      return definition(workspace, params.textDocument.uri, params.position);
    } catch (e) {
      logError('definition', e);
      return [];
    }
  });

  connection.onReferences((params): Location[] => {
    try {
      sync(params.textDocument.uri);
      return references(workspace, params.textDocument.uri, params.position, params.context.includeDeclaration);
    } catch (e) {
      logError('references', e);
      return [];
    }
  });

  connection.onCodeAction((params): CodeAction[] => {
    try {
      const uri = params.textDocument.uri;
      sync(uri);
      const file = workspace.get(uri);
      if (!file || !file.isRelevant) return [];
      const r = params.range;
      const overlaps = (d: Diagnostic) =>
        !(d.range.end.line < r.start.line || (d.range.end.line === r.start.line && d.range.end.character < r.start.character) ||
          d.range.start.line > r.end.line || (d.range.start.line === r.end.line && d.range.start.character > r.end.character));
      const actions: CodeAction[] = [];
      for (const d of workspace.diagnostics(uri)) {
        if (!d.fixes || !overlaps(d)) continue;
        for (const fix of d.fixes) {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [toLspDiagnostic(d)],
            isPreferred: fix.preferred,
            edit: { changes: { [uri]: fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
          });
        }
      }
      return actions;
    } catch (e) {
      logError('code actions', e);
      return [];
    }
  });

  connection.onCodeLens((params): CodeLens[] => {
    try {
      // Lenses depend on issuers and Certificates in other documents too.
      flushNow();
      return codeLenses(workspace, params.textDocument.uri, { cluster: clusterChecks?.lenses() }).map((l) => ({ range: l.range, command: l.command }));
    } catch (e) {
      logError('code lenses', e);
      return [];
    }
  });

  connection.onRequest(CERTIFICATES_REQUEST, (): CertificatesResult => {
    try {
      flushNow();
      return { certificates: listCertificates(workspace) };
    } catch (e) {
      logError('listing certificates', e);
      return { certificates: [] };
    }
  });

  connection.onDocumentSymbol((params): DocumentSymbol[] => {
    try {
      sync(params.textDocument.uri);
      const file = workspace.get(params.textDocument.uri);
      if (!file) return [];
      return documentSymbols(file).map((s) => ({
        name: s.name,
        detail: s.detail,
        kind: SymbolKind.Object,
        range: s.range,
        selectionRange: s.selectionRange,
      }));
    } catch (e) {
      logError('document symbols', e);
      return [];
    }
  });

  connection.onInitialized(() => {
    log('Certsmith language server ready.');
    if (indexWorkspace && folders.length) indexFolders();
  });

  process.on('uncaughtException', (e) => logError('a request', e));
  process.on('unhandledRejection', (e) => logError('a request', e));

  documents.listen(connection);
  connection.listen();
  // Optimise the checking code before the first real file arrives (messages wait in the pipe meanwhile).
  try {
    const t0 = performance.now();
    warmUp(store);
    trace?.(`warm-up took ${(performance.now() - t0).toFixed(1)} ms`);
  } catch (e) {
    logError('warm-up', e);
  }
  return connection;
}
