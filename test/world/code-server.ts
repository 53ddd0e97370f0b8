/**
 * A real VS Code for end-to-end tests and `npm start`: code-server (VS Code
 * 1.100's web workbench and Node extension host) from the set-up cache
 * (test/world/editor/install-code-server.sh), with a .vsix installed into a
 * fresh extensions directory, its own user data directory and User settings,
 * on a free loopback port:
 *
 *   const cs = await startCodeServer({ workspace, vsix: 'dist/certsmith.vsix', settings: { 'certsmith.outputDirectory': 'out' } });
 *   t.after(() => cs.stop());
 *   // open cs.folderUrl() in Chromium (test/world/browser.ts)
 *
 * Nothing of the person's own VS Code or code-server set-up is read or
 * changed: user data, extensions and code-server's config file all live in a
 * temporary directory that stop() removes (unless the caller passed its own
 * userDataDir).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port.js';
import { startDaemon, type Daemon } from './process.js';

export const CODE_SERVER_VERSION = '4.100.3';

/** Where `npm run setup` installs code-server (test/world/editor/install-code-server.sh). */
function codeServerDir(): string {
  const root = process.env.CERTSMITH_PEER_CACHE || join(homedir(), '.cache', 'certsmith-peers');
  return join(root, `code-server-${CODE_SERVER_VERSION}`);
}

/** The code-server executable, or null when set-up has not installed it. */
function codeServerBinary(): string | null {
  const dir = codeServerDir();
  const bin = join(dir, 'node_modules', '.bin', 'code-server');
  return existsSync(bin) && existsSync(join(dir, '.complete')) ? bin : null;
}

/** Why code-server cannot be used here, or null when it can. */
export function codeServerMissingReason(): string | null {
  if (codeServerBinary()) return null;
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) return `code-server ${CODE_SERVER_VERSION} needs Node.js 20 (this is ${process.version}), so set-up does not install it`;
  return `code-server ${CODE_SERVER_VERSION} is not installed in ${codeServerDir()}: run \`npm run setup\``;
}

export interface CodeServerOptions {
  /** The folder the workbench opens (absolute or relative to the current directory). */
  workspace: string;
  /** The extension to install (a .vsix); none when absent (e.g. a development extension given in the URL's payload). */
  vsix?: string;
  /** User settings, merged over the test defaults (telemetry off, no welcome page, ...). */
  settings?: Record<string, unknown>;
  /** User data directory (default: a fresh temporary one, removed by stop()). */
  userDataDir?: string;
  /** Extensions directory (default: a fresh temporary one, removed by stop()). */
  extensionsDir?: string;
  /** Workspace trust: false (default) disables the feature, so every folder is trusted; true keeps it, so the folder opens untrusted. */
  workspaceTrust?: boolean;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  readyTimeoutMs?: number;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  /** The workbench URL for a folder (default: the workspace). */
  folderUrl(folder?: string): string;
  /**
   * Replaces the User settings (the defaults + these). Read when a window
   * (re)loads: a running code-server workbench does not watch this file
   * (checked with 4.100.3), so change workspace settings
   * (<workspace>/.vscode/settings.json) for a live change.
   */
  writeSettings(settings: Record<string, unknown>): void;
  /** The extension host's log files, concatenated (for failure messages). */
  extensionHostLog(): string;
  /** What the extension's "Certsmith" output channel holds, from its log files (every window since the start, oldest first). */
  certsmithLog(): string;
  daemon: Daemon;
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and predictable for a test or a demo. */
const QUIET_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'git.enabled': false,
  'files.autoSave': 'off',
  'redhat.telemetry.enabled': false,
};

/** An environment without the calling editor's or test runner's variables. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VSCODE_|ELECTRON_|NODE_OPTIONS$|NODE_TEST_CONTEXT$|CODE_SERVER_|PASSWORD$|HASHED_PASSWORD$|GITHUB_TOKEN$)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function get(url: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolvePromise(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const bin = codeServerBinary();
  if (!bin) throw new Error(codeServerMissingReason()!);
  const vsix = options.vsix ? resolve(options.vsix) : undefined;
  if (vsix && !existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\``);
  const workspace = resolve(options.workspace);
  if (!existsSync(workspace)) throw new Error(`workspace ${workspace} does not exist`);

  const base = mkdtempSync(join(tmpdir(), 'certsmith-code-server-'));
  const userDataDir = options.userDataDir ? resolve(options.userDataDir) : join(base, 'user-data');
  const extensionsDir = options.extensionsDir ? resolve(options.extensionsDir) : join(base, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // code-server's own config file (it would otherwise write ~/.config/code-server/config.yaml).
  const config = join(base, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const env = cleanEnv({ XDG_CONFIG_HOME: join(base, 'xdg-config'), XDG_DATA_HOME: join(base, 'xdg-data') });
  const common = ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  try {
    if (vsix) {
      const install = spawnSync(bin, [...common, '--install-extension', vsix, '--force'], { env, encoding: 'utf8', timeout: 120_000 });
      if (install.status !== 0 || !/successfully installed|already installed/i.test(`${install.stdout}${install.stderr}`)) {
        throw new Error(`code-server --install-extension ${vsix} failed (${install.status ?? install.signal}):\n${install.stdout}\n${install.stderr}`);
      }
    }

    const settingsFile = join(userDataDir, 'User', 'settings.json');
    const writeSettings = (s: Record<string, unknown>) => {
      const all = { ...QUIET_SETTINGS, 'security.workspace.trust.enabled': options.workspaceTrust ?? false, ...s };
      writeFileSync(settingsFile, `${JSON.stringify(all, null, 2)}\n`);
    };
    writeSettings(options.settings ?? {});

    const port = options.port ?? (await freePort());
    const url = `http://127.0.0.1:${port}`;
    const args = [...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened'];
    if (!options.workspaceTrust) args.push('--disable-workspace-trust');
    args.push(workspace);
    const daemon = await startDaemon({
      name: 'code-server',
      command: bin,
      args,
      cwd: base,
      env,
      readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
      fatal: /EADDRINUSE|error\s+.*(listen|bind)/i,
      ready: async () => {
        const status = await get(`${url}/healthz`).catch(() => 0);
        if (status !== 200) return false;
        const root = await get(`${url}/`);
        return root >= 200 && root < 400;
      },
    });

    const extensionHostLog = () => {
      const out: string[] = [];
      const logs = join(userDataDir, 'logs');
      const walk = (dir: string) => {
        if (!existsSync(dir)) return;
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const p = join(dir, entry.name);
          if (entry.isDirectory()) walk(p);
          else if (entry.name.endsWith('.log') && /exthost|Certsmith/i.test(p)) out.push(`== ${p}\n${readFileSync(p, 'utf8').slice(-20_000)}`);
        }
      };
      walk(logs);
      return out.join('\n');
    };

    const certsmithLog = () => {
      const files: { path: string; mtime: number }[] = [];
      const walk = (dir: string) => {
        if (!existsSync(dir)) return;
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const p = join(dir, entry.name);
          if (entry.isDirectory()) walk(p);
          else if (/(^|-)Certsmith\.log$/.test(entry.name)) files.push({ path: p, mtime: statSync(p).mtimeMs });
        }
      };
      walk(join(userDataDir, 'logs'));
      return files
        .sort((a, b) => a.mtime - b.mtime)
        .map((f) => readFileSync(f.path, 'utf8'))
        .join('');
    };

    return {
      url,
      port,
      workspace,
      userDataDir,
      extensionsDir,
      folderUrl: (folder) => `${url}/?folder=${encodeURIComponent(resolve(folder ?? workspace))}`,
      writeSettings,
      extensionHostLog,
      certsmithLog,
      daemon,
      async stop() {
        await daemon.stop();
        rmSync(base, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(base, { recursive: true, force: true });
    throw e;
  }
}
