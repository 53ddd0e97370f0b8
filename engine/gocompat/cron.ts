/**
 * Cron specs as cert-manager parses renewal windows: robfig/cron's parser with
 * minute, hour, day of month, month, day of week and descriptors (@daily, ...).
 * Returns undefined when the spec is valid, else the reason.
 */

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

function parseValue(s: string, b: Bounds): number | string {
  const named = b.names?.[s.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^[0-9]+$/.test(s)) return `failed to parse int from ${s}`;
  return Number(s);
}

function checkField(field: string, b: Bounds): string | undefined {
  for (const expr of field.split(',')) {
    const [rangeAndStep, ...extra] = expr.split('/');
    if (extra.length > 1) return `too many slashes: ${expr}`;
    const lowAndHigh = rangeAndStep.split('-');
    let start: number;
    let end: number;
    if (rangeAndStep === '*' || rangeAndStep === '?') {
      start = b.min;
      end = b.max;
    } else {
      if (lowAndHigh.length > 2) return `too many hyphens: ${expr}`;
      const s = parseValue(lowAndHigh[0], b);
      if (typeof s === 'string') return s;
      start = s;
      if (lowAndHigh.length === 2) {
        const e = parseValue(lowAndHigh[1], b);
        if (typeof e === 'string') return e;
        end = e;
      } else end = start;
    }
    if (extra.length === 1) {
      if (!/^[0-9]+$/.test(extra[0])) return `failed to parse int from ${extra[0]}`;
      if (Number(extra[0]) === 0) return `step of range should be a positive number: ${expr}`;
      if (lowAndHigh.length === 1 && rangeAndStep !== '*' && rangeAndStep !== '?') end = b.max;
    }
    if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
    if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
    if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  }
  return undefined;
}

/**
 * The error robfig/cron gives for `spec` (cert-manager prefixes CRON_TZ=<timezone>
 * when a window has a time zone), or undefined when it parses.
 */
export function checkCron(spec: string, timeZone = ''): string | undefined {
  let s = (timeZone ? `CRON_TZ=${timeZone} ${spec}` : spec).trim();
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) {
    const space = s.indexOf(' ');
    if (space === -1) return `expected timezone prefix to be followed by a cron spec: ${s}`;
    const loc = s.slice(s.indexOf('=') + 1, space);
    if (!isValidTimeZone(loc)) return `provided bad location ${loc}: unknown time zone ${loc}`;
    s = s.slice(space).trim();
  }
  if (s === '') return 'empty spec string';
  if (s.startsWith('@')) {
    if (DESCRIPTORS.has(s)) return undefined;
    if (s.startsWith('@every ')) return undefined; // a Go duration follows; robfig checks it at run time
    return `unrecognized descriptor: ${s}`;
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (let i = 0; i < 5; i++) {
    const err = checkField(fields[i], FIELDS[i]);
    if (err) return err;
  }
  return undefined;
}

/** Go's time.LoadLocation: "", "UTC", "Local" or an IANA name (case-sensitive, as the tz files are). */
export function isValidTimeZone(name: string): boolean {
  if (name === '' || name === 'UTC' || name === 'Local') return true;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
    // Intl ignores case; Go does not: "utc" is no zone there.
    return !(resolved.toLowerCase() === name.toLowerCase() && resolved !== name);
  } catch {
    return false;
  }
}
