/**
 * `certsmith upgrade-check --from 1.16 --to 1.21 PATH...`: what changes for
 * these manifests when the cluster's cert-manager is upgraded (engine/workspace/upgrade-check.ts).
 */
import { readFileSync } from 'node:fs';
import { looksRelevant } from '../../engine/workspace/manifest-file.js';
import { upgradeCheck, type UpgradeEntry } from '../../engine/workspace/upgrade-check.js';
import { chooseTarget, TargetVersionError, type CertManagerTarget } from '../../engine/schema/cert-manager-target.js';
import { ioReason, outputFormat, parseCommandArgs, UsageError, type CommandIO } from './command-io.js';
import { collectInputFiles } from './manifest-inputs.js';

const UPGRADE_CHECK_USAGE = `Usage: certsmith upgrade-check --from VERSION --to VERSION [--format text|json] PATH...

What changes for these manifests when cert-manager is upgraded from one
release to another: checks that start (or stop) failing with the new release's
CRDs and webhook rules, and defaults that change under objects that do not set
them (for example privateKey.rotationPolicy: Never before v1.18, Always since).
Each entry names the file and line. Versions: 1.14 ... the newest, or next.

Exit status: 0 nothing starts failing, 1 something does, 2 usage or I/O problem.`;

const TITLES: Record<UpgradeEntry['kind'], string> = {
  'starts-failing': 'starts failing',
  'stops-failing': 'stops failing',
  'default-changes': 'default changes',
};

function version(value: string | undefined, flag: string, io: CommandIO): CertManagerTarget {
  if (!value) throw new UsageError(`${flag} VERSION is needed\n\n${UPGRADE_CHECK_USAGE}`);
  try {
    const t = chooseTarget(value, 'flag', flag);
    if (t.note) io.stderr(`certsmith: ${flag}: ${t.note}\n`);
    return t;
  } catch (e) {
    if (e instanceof TargetVersionError) throw new UsageError(`${flag}: ${e.message}`);
    throw e;
  }
}

export function runUpgradeCheck(argv: string[], io: CommandIO): number {
  const parsed = parseCommandArgs(argv, { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', default: 'text' } }, UPGRADE_CHECK_USAGE, io);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const format = outputFormat(values.format);
  const from = version(values.from, '--from', io);
  const to = version(values.to, '--to', io);
  if (!positionals.length) throw new UsageError(`no PATH given\n\n${UPGRADE_CHECK_USAGE}`);
  const files: { uri: string; display: string; text: string }[] = [];
  for (const f of collectInputFiles(positionals, io.cwd)) {
    let text: string;
    try {
      text = f.path === '-' ? io.readStdin().toString('utf8') : readFileSync(f.path, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${f.display}: ${ioReason(e)}`);
    }
    if (f.explicit || looksRelevant(text)) files.push({ uri: f.path, display: f.display, text });
  }
  const report = upgradeCheck(files, from, to);
  if (format === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n');
  else {
    for (const e of report.entries) io.stdout(`${e.file}:${e.line}:${e.column}: ${TITLES[e.kind]}: ${e.message}${e.code ? ` [${e.code}]` : ''}\n`);
    const count = (k: UpgradeEntry['kind']) => report.entries.filter((e) => e.kind === k).length;
    io.stdout(`cert-manager ${from.release} → ${to.release}, ${files.length} file${files.length === 1 ? '' : 's'}: ${count('starts-failing')} start failing, ${count('stops-failing')} stop failing, ${count('default-changes')} default changes.\n`);
  }
  return report.entries.some((e) => e.kind === 'starts-failing') ? 1 : 0;
}
