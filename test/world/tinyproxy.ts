/**
 * A real HTTP CONNECT proxy for the kubeconfig proxy-url tests: Debian's
 * tinyproxy on a free loopback port, in the foreground, with its own config
 * and log in a temporary directory, optionally with Basic authentication.
 *
 *   const proxy = await startTinyproxy({ user: 'u', password: 'p' });
 *   t.after(() => proxy.stop());
 *   // proxy.url: http://127.0.0.1:PORT; proxy.connects(): the CONNECT lines it logged
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { requireBinary, startDaemon } from './process.js';

export interface Tinyproxy {
  /** http://127.0.0.1:PORT (no credentials). */
  url: string;
  port: number;
  /** The CONNECT requests it logged ("127.0.0.1:6443"). */
  connects(): string[];
  stop(): Promise<void>;
}

export function tinyproxyMissingReason(): string | null {
  try {
    requireBinary('tinyproxy', 'tinyproxy');
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

export async function startTinyproxy(options: { user?: string; password?: string } = {}): Promise<Tinyproxy> {
  const bin = requireBinary('tinyproxy', 'tinyproxy');
  const dir = mkdtempSync(join(tmpdir(), 'certsmith-tinyproxy-'));
  const port = await freePort();
  const log = join(dir, 'tinyproxy.log');
  // No ConnectPort line: CONNECT to any port (the API server's is not 443).
  const conf = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 60',
    `LogFile "${log}"`,
    'LogLevel Connect',
    'MaxClients 50',
    'Allow 127.0.0.1',
    'DisableViaHeader Yes',
    ...(options.user ? [`BasicAuth ${options.user} ${options.password ?? ''}`] : []),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'tinyproxy.conf'), conf);
  writeFileSync(log, '');
  try {
    const daemon = await startDaemon({
      name: 'tinyproxy',
      command: bin,
      args: ['-d', '-c', join(dir, 'tinyproxy.conf')],
      cwd: dir,
      readyTimeoutMs: 15_000,
      fatal: /Unable to|Could not|ERROR/,
      ready: () =>
        new Promise<boolean>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => {
            s.destroy();
            resolve(true);
          });
          s.on('error', () => resolve(false));
        }),
    });
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      connects: () => [...readFileSync(log, 'utf8').matchAll(/CONNECT[^\n]*?(?:Request|request)[^\n]*?: CONNECT (\S+)/g)].map((m) => m[1]!),
      async stop() {
        await daemon.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
