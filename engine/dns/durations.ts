/**
 * Durations as cert-manager (Go) writes them — `90s`, `2m`, `1m30s`, `500ms`,
 * `1h` — or a bare number of seconds.
 */
export class DurationSyntaxError extends Error {}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds; throws DurationSyntaxError with a one-line reason. */
export function parseDuration(input: string): number {
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (text === '' || !/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) {
    throw new DurationSyntaxError(`"${input}" is not a duration: write e.g. 90s, 2m, 1m30s, 500ms or a number of seconds`);
  }
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  if (!Number.isFinite(total) || total > 7 * 24 * 3_600_000) throw new DurationSyntaxError(`"${input}" is too long (at most a week)`);
  return Math.round(total);
}

/** 1500 → "1.5 s", 90000 → "1 min 30 s", 250 → "250 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${min} min ${s} s` : `${min} min`;
}

/** TTL seconds → "45 s", "5 min", "1 h 2 min". */
export function formatTtl(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return formatDuration(seconds * 1000);
  const h = Math.floor(seconds / 3600);
  const min = Math.round((seconds % 3600) / 60);
  return min ? `${h} h ${min} min` : `${h} h`;
}
