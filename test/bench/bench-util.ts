/** What every benchmark needs: its numeric options, the machine it ran on, medians. */
import os from 'node:os';

/** `--name N`: a positive integer option, or the fallback. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} expects a positive integer`);
  return n;
}

/** CPU model, cores, memory and Node version, for the docs. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Node ${process.version} (${os.platform()} ${os.arch()})`;
}

/** The median (the lower middle value for an even count). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}
