import { parseArgs, type ParseArgsConfig } from 'node:util';
import { chooseRecursiveNameservers, type DefaultNameservers } from '../../engine/dns/default-nameservers.js';
import { NameserverSyntaxError } from '../../engine/dns/nameserver-address.js';
import { chooseTarget, defaultTarget, TargetVersionError, type CertManagerTarget } from '../../engine/schema/cert-manager-target.js';

/** What a CLI command may touch, so that tests and the real process use the same code. */
export interface CommandIO {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input. */
  readStdin(): Buffer;
}

/** A problem with how the command was called or with reading its input: exit status 2, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}


type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * Parses a command's arguments (its options plus --help/-h, positionals
 * allowed). A mistake is a UsageError that shows the command's usage; with
 * --help the usage is printed and undefined returned.
 */
export function parseCommandArgs<const O extends OptionsConfig>(argv: string[], options: O, usage: string, io: CommandIO) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, ...HELP }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${usage}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(usage + '\n');
    return undefined;
  }
  return parsed;
}

/** The --format option: text or json, plus the formats a command adds. */
export function outputFormat<F extends string = never>(value: unknown, extra: readonly F[] = []): 'text' | 'json' | F {
  const allowed: readonly string[] = ['text', 'json', ...extra];
  if (typeof value !== 'string' || !allowed.includes(value)) {
    const list = allowed.length === 2 ? 'text or json' : `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`;
    throw new UsageError(`--format must be ${list}, not "${String(value)}"`);
  }
  return value as 'text' | 'json' | F;
}

/** An I/O error (ENOENT, EACCES ...) in words. */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return (e as Error).message ?? String(e);
  }
}

/** --recursive-nameservers and --recursive-nameservers-only, with cert-manager's --dns01-* names as aliases. */
export const RECURSIVE_NAMESERVER_OPTIONS = {
  'recursive-nameservers': { type: 'string', multiple: true },
  'recursive-nameservers-only': { type: 'boolean' },
  'dns01-recursive-nameservers': { type: 'string', multiple: true },
  'dns01-recursive-nameservers-only': { type: 'boolean' },
} as const;

interface RecursiveNameserverValues {
  'recursive-nameservers'?: string[];
  'dns01-recursive-nameservers'?: string[];
  'recursive-nameservers-only'?: boolean;
  'dns01-recursive-nameservers-only'?: boolean;
}

/** The resolvers the options name (either spelling), else the system's; a syntax mistake is a UsageError. */
export function recursiveNameserversOption(values: RecursiveNameserverValues): DefaultNameservers {
  try {
    return chooseRecursiveNameservers([...(values['recursive-nameservers'] ?? []), ...(values['dns01-recursive-nameservers'] ?? [])], '--recursive-nameservers');
  } catch (e) {
    if (e instanceof NameserverSyntaxError) throw new UsageError(`--recursive-nameservers: ${e.message}`);
    throw e;
  }
}

export function recursiveOnlyOption(values: RecursiveNameserverValues): boolean {
  return values['recursive-nameservers-only'] === true || values['dns01-recursive-nameservers-only'] === true;
}

/** --cert-manager-version: the release to check against (default: the newest bundled); a version that is not bundled is noted on stderr. */
export function certManagerVersionOption(value: string | undefined, io: CommandIO): CertManagerTarget {
  let target: CertManagerTarget;
  try {
    target = value === undefined ? defaultTarget() : chooseTarget(value, 'flag', '--cert-manager-version');
  } catch (e) {
    if (e instanceof TargetVersionError) throw new UsageError(`--cert-manager-version: ${e.message}`);
    throw e;
  }
  if (target.note) io.stderr(`certsmith: ${target.note}\n`);
  return target;
}
