/**
 * Daemons for tests (bind9, unbound, ...): spawn in the foreground in their own
 * process group, wait until they answer, and kill the group at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Throws a clear message when a program the tests need is not installed. */
export function requireBinary(name: string, debianPackage: string): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin'])) {
    if (dir && existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  throw new Error(`${name} is not installed (Debian package ${debianPackage}): run \`npm run setup\``);
}

export interface Daemon {
  readonly name: string;
  readonly pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Kills the process group (SIGTERM, then SIGKILL after 3 s) and waits for the exit. */
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Resolves true once the daemon serves; polled every 50 ms. */
  ready: () => Promise<boolean> | boolean;
  readyTimeoutMs?: number;
  /** Output that means it will never be ready (e.g. a zone that failed to load): fail at once. */
  fatal?: RegExp;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // gone
    }
  }
}

export async function startDaemon(options: StartOptions): Promise<Daemon> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true, // its own process group, so that stop() reaches its children too
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (e) => (spawnError = e));

  const daemon: Daemon = {
    name: options.name,
    pid: child.pid ?? -1,
    output: () => output,
    async stop() {
      running.delete(child);
      if (child.exitCode !== null || child.signalCode !== null || spawnError) return;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 15_000);
  for (;;) {
    if (spawnError) throw new Error(`${options.name} could not be started: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(child);
      throw new Error(`${options.name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output.slice(-4000)}`);
    }
    if (options.fatal?.test(output)) {
      await daemon.stop();
      throw new Error(`${options.name} failed to start:\n${output.slice(-4000)}`);
    }
    let ok = false;
    try {
      ok = await options.ready();
    } catch {
      ok = false;
    }
    if (ok) return daemon;
    if (Date.now() > deadline) {
      await daemon.stop();
      throw new Error(`${options.name} did not become ready within ${options.readyTimeoutMs ?? 15_000} ms:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One dig query (bind9-dnsutils), as an independent probe: returns its +short output, or null when it failed. */
export function digShort(server: string, port: number, name: string, type: string, extra: string[] = []): string | null {
  const dig = requireBinary('dig', 'bind9-dnsutils');
  const r = spawnSync(dig, [`@${server}`, '-p', String(port), '+short', '+tries=1', '+time=1', ...extra, name, type], { encoding: 'utf8', timeout: 5000 });
  if (r.status !== 0) return null;
  return r.stdout;
}
