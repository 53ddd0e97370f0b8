/**
 * What Let's Encrypt does with an order, as far as the files can be judged
 * against it: its servers, its ACME profiles' certificate lifetimes (which
 * change on announced dates, so they are a table by date) and its production
 * rate limits. Sources: https://letsencrypt.org/docs/profiles/,
 * https://letsencrypt.org/2025/12/02/from-90-to-45/ and
 * https://letsencrypt.org/docs/rate-limits/ (read 2026-12).
 */

const LETS_ENCRYPT_PRODUCTION = 'https://acme-v02.api.letsencrypt.org/directory';
const LETS_ENCRYPT_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';

export type LetsEncryptEnvironment = 'production' | 'staging';

/** Which Let's Encrypt environment an ACME server URL is, if any. */
export function letsEncryptEnvironment(server: string | undefined): LetsEncryptEnvironment | undefined {
  const s = server?.trim().replace(/\/+$/, '');
  if (s === LETS_ENCRYPT_PRODUCTION) return 'production';
  if (s === LETS_ENCRYPT_STAGING) return 'staging';
  return undefined;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** One lifetime of a profile, valid for certificates issued from `from` (UTC) on. */
interface LifetimeStep {
  from: string;
  ms: number;
}

/**
 * Production dates; staging changes about a month earlier (not modelled: the
 * difference only moves a warning about an upcoming change).
 */
const LIFETIMES: Record<string, LifetimeStep[]> = {
  classic: [
    { from: '2015-12-03', ms: 90 * DAY },
    { from: '2027-02-10', ms: 64 * DAY },
    { from: '2028-02-16', ms: 45 * DAY },
  ],
  tlsserver: [
    { from: '2025-01-09', ms: 90 * DAY },
    { from: '2026-05-13', ms: 45 * DAY },
  ],
  shortlived: [{ from: '2025-02-20', ms: 160 * HOUR }],
};

/** The profile an order without `profile` gets. */
export const DEFAULT_PROFILE = 'classic';

export interface ProfileLifetime {
  profile: string;
  /** The lifetime of a certificate issued at `now`, in milliseconds. */
  ms: number;
  /** Later announced changes: from which date (YYYY-MM-DD) certificates last how long. */
  upcoming: { from: string; ms: number }[];
}

/** The lifetime of a profile's certificates issued at `now`; undefined for a profile this table does not know. */
export function profileLifetime(profile: string, now: Date): ProfileLifetime | undefined {
  const steps = LIFETIMES[profile];
  if (!steps) return undefined;
  const t = now.getTime();
  const started = steps.filter((s) => Date.parse(`${s.from}T00:00:00Z`) <= t);
  const current = started[started.length - 1] ?? steps[0]!;
  return { profile, ms: current.ms, upcoming: steps.filter((s) => Date.parse(`${s.from}T00:00:00Z`) > t) };
}

/** Let's Encrypt issues certificates for IP addresses under this profile only. */
export const IP_ADDRESS_PROFILE = 'shortlived';

/** Production limits (staging's are far higher). */
export const RATE_LIMITS = {
  /** New certificates per registered domain (renewals of an identical name set do not count). */
  newCertificatesPerRegisteredDomain: 50,
  /** Certificates for one exact set of names (renewals count). */
  duplicateCertificates: 5,
  /** The window of both limits. */
  windowMs: 7 * DAY,
} as const;
