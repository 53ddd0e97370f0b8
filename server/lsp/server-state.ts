/**
 * What the language server's handlers share: the connection, the open
 * documents, the workspace index with its schemas, the workspace folders,
 * what the client said it can do, and the resolved settings. Each handler
 * module (handlers/) registers its requests against this one object; no
 * handler keeps state another one needs.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SchemaStore } from '../../engine/schema/schema-store.js';
import { Workspace } from '../../engine/workspace/workspace.js';
import type { ClusterChoice } from '../../protocol/messages.js';
import { chooseTarget, defaultTarget, TargetVersionError, type CertManagerTarget } from '../../engine/schema/cert-manager-target.js';
import { schemaStore } from '../../engine/schema/schema-store.js';
import { resolveSettings, type RawSettings, type ServerSettings } from './settings.js';

/** The cert-manager version the cluster runs, as last detected (cluster checks on). */
export interface DetectedVersion {
  context: string;
  version?: string;
  source: string;
}

/** initializationOptions the server understands. */
export interface CertsmithInitOptions {
  /** Read the manifests in the workspace folders, so that cross-file checks see them (default true). */
  indexWorkspace?: boolean;
  /** The client registers the editor's own commands (protocol/commands.ts EDITOR_COMMANDS): code lenses name them. */
  editorCommands?: boolean;
  /** The client answers certsmith/secretValue and certsmith/accountKey (its secret storage). */
  secretStorage?: boolean;
  /** The workspace is trusted (default true); certsmith/editorState updates it. */
  trusted?: boolean;
  /** Settings to start with, before the first workspace/didChangeConfiguration. */
  settings?: RawSettings;
  /** The editor's files.exclude (glob → true, false or { when }): left out of the workspace index. */
  filesExclude?: Record<string, unknown>;
}

export class ServerState {
  readonly workspace: Workspace;
  folders: string[] = [];
  indexWorkspace = true;
  editorCommands = false;
  secretStorage = false;
  codeLensRefresh = false;
  /** Documents read from disk for the index (not open in the editor, never published). */
  readonly indexed = new Set<string>();
  private raw: RawSettings = {};
  /** Settings came from the client (initializationOptions or workspace/didChangeConfiguration). */
  settingsReceived = false;
  private choice: ClusterChoice = {};
  private trusted = true;
  settings: ServerSettings;
  /** The cert-manager release the checks target (setting, else the cluster's, else the newest bundled). */
  target: CertManagerTarget;
  /** Why the setting could not be used, when it could not. */
  targetProblem?: string;
  private detected?: DetectedVersion;
  private readonly settingsListeners: ((now: ServerSettings, before: ServerSettings) => void)[] = [];
  /** CERTSMITH_TRACE=1: how long each step takes, to the client's log (never file contents). */
  readonly trace?: (message: string) => void;

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
    readonly store: SchemaStore,
  ) {
    this.workspace = new Workspace(store);
    this.settings = this.resolve();
    this.target = store.target;
    if (process.env.CERTSMITH_TRACE) this.trace = (m) => connection.console.log(m);
  }

  log(message: string): void {
    this.connection.console.log(message);
  }

  logError(what: string, e: unknown): void {
    this.connection.console.error(`certsmith: ${what} failed: ${((e as Error)?.message ?? String(e)).split('\n')[0]}`);
  }

  private resolve(): ServerSettings {
    return resolveSettings(this.raw, { folders: this.folders, choice: this.choice, trusted: this.trusted });
  }

  /** New raw settings, choice, trust or folders: resolves again and tells the listeners what changed. */
  update(change: { raw?: RawSettings; choice?: ClusterChoice; trusted?: boolean; folders?: string[] }): void {
    if (change.raw) {
      this.raw = change.raw;
      this.settingsReceived = true;
    }
    if (change.choice) this.choice = change.choice;
    if (change.trusted !== undefined) this.trusted = change.trusted;
    if (change.folders) this.folders = change.folders;
    const before = this.settings;
    this.settings = this.resolve();
    this.retarget();
    this.workspace.crossOptions = { ...this.workspace.crossOptions, clusterResourceNamespace: this.settings.clusterResourceNamespace };
    this.workspace.maxFileBytes = this.settings.maxFileBytes;
    for (const l of this.settingsListeners) l(this.settings, before);
  }

  /** The version the cluster runs (undefined: no longer known, e.g. the checks were switched off). */
  setDetectedVersion(detected: DetectedVersion | undefined): void {
    if (JSON.stringify(detected) === JSON.stringify(this.detected)) return;
    this.detected = detected;
    const before = this.settings;
    if (this.retarget()) for (const l of this.settingsListeners) l(this.settings, before);
  }

  /** Chooses the target again; re-checks every file when it changed. */
  private retarget(): boolean {
    let target: CertManagerTarget = defaultTarget();
    this.targetProblem = undefined;
    const asked = this.settings.certManagerVersion;
    try {
      if (asked) target = chooseTarget(asked, 'setting', 'setting certsmith.certManagerVersion');
      else if (this.detected?.version) target = chooseTarget(this.detected.version, 'cluster', `installed in context "${this.detected.context}": ${this.detected.source}`);
    } catch (e) {
      if (!(e instanceof TargetVersionError)) throw e;
      this.targetProblem = `certsmith.certManagerVersion: ${e.message}; checking against ${target.release} instead`;
    }
    const same = this.target && this.target.release === target.release && this.target.from === target.from && this.target.note === target.note;
    this.target = target;
    if (same) return false;
    this.workspace.setStore(schemaStore(target));
    if (target.note) this.log(`Certsmith: ${target.note}`);
    if (this.targetProblem) this.log(`Certsmith: ${this.targetProblem}`);
    this.log(`Certsmith: checking against cert-manager ${target.release} (${target.from}).`);
    return true;
  }

  onSettings(listener: (now: ServerSettings, before: ServerSettings) => void): void {
    this.settingsListeners.push(listener);
  }

  /** True when the path is in a workspace folder. */
  inFolders(path: string): boolean {
    return this.folders.some((f) => path === f || path.startsWith(f.endsWith('/') ? f : `${f}/`));
  }
}
