/**
 * `certsmith lint --format sarif`: a SARIF 2.1.0 log that GitHub code scanning
 * (and other SARIF viewers) accept. The rules come from the rule registry;
 * file locations are relative to the repository root (%SRCROOT%); positions are
 * 1-based lines and UTF-16 columns; each result carries a fingerprint that
 * survives moved lines (see fingerprint.ts and docs/ci.md).
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../../../engine/core/diagnostic.js';
import type { RuleDefinition } from '../../../engine/core/rule-definition.js';
import { RULES } from '../../../engine/rules/registry.js';
import { findingFingerprints, FINGERPRINT_KEY } from './fingerprint.js';
import type { Finding, LintObject, LintReport } from './lint-report.js';
import { TOOL_NAME, TOOL_URI, TOOL_VERSION } from './tool-info.js';

/** The OASIS schema of SARIF 2.1.0 (with its errata), as the log's $schema. */
const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';
/** GitHub cuts rule descriptions at this length. */
const MAX_DESCRIPTION = 1024;

type Level = 'error' | 'warning' | 'note';

/** The SARIF log of a run, as text. `cwd` is where the command ran: the repository root is found from there. */
export function renderSarif(report: LintReport, cwd: string): string {
  const root = sourceRoot(cwd);
  const rules: ReturnType<typeof reportingDescriptor>[] = RULES.map((r) => reportingDescriptor(r));
  const ruleIndex = new Map<string, number>(RULES.map((r, i) => [r.id, i]));
  const results = [];
  for (const file of report.files) {
    const location = artifactLocation(file.path, root);
    const fingerprints = findingFingerprints(location.uri, file.objects, file.findings);
    for (const [i, f] of file.findings.entries()) {
      const d = f.diagnostic;
      let index = ruleIndex.get(d.code);
      if (index === undefined) {
        // A code from outside the registry (none today): describe it from what the finding says.
        index = rules.length;
        ruleIndex.set(d.code, index);
        rules.push(adHocDescriptor(d.code, d.severity, d.href));
      }
      results.push({
        ruleId: d.code,
        ruleIndex: index,
        level: levelOf(d.severity),
        message: { text: d.message },
        locations: [
          {
            physicalLocation: { artifactLocation: location, region: f.region },
            ...logicalLocations(f, file.objects),
          },
        ],
        partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i] },
      });
    }
  }
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: TOOL_URI,
            rules,
          },
        },
        invocations: [{ executionSuccessful: true, exitCode: report.exitCode }],
        originalUriBaseIds: {
          [SRCROOT]: { uri: directoryUri(root), description: { text: 'The root of the repository that was checked.' } },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function reportingDescriptor(r: RuleDefinition) {
  const level = levelOf(r.severity);
  return {
    id: r.id,
    // SARIF's "friendly name": one PascalCase word, as SARIF viewers and the validator expect.
    name: pascalCase(r.id),
    shortDescription: { text: clip(sentence(r.title)) },
    fullDescription: { text: clip(r.description) },
    helpUri: r.docs,
    help: {
      text: `${r.description}\n\nMore: ${r.docs}`,
      markdown: `**${r.title}**\n\n${r.description}\n\nFor example:\n\n\`\`\`yaml\n${r.example.trimEnd()}\n\`\`\`\n\nMore: [${r.docs}](${r.docs})`,
    },
    defaultConfiguration: { level },
    properties: {
      tags: ['cert-manager', 'kubernetes', r.family],
      // GitHub sorts and filters alerts of non-security rules by this.
      'problem.severity': level === 'note' ? 'recommendation' : level,
    },
  };
}

function adHocDescriptor(id: string, severity: Severity, href: string): ReturnType<typeof reportingDescriptor> {
  return reportingDescriptor({ id, severity, title: id, description: id, docs: /^https?:\/\//.test(href) ? href : TOOL_URI, example: '', family: 'file' });
}

/** The object a finding is about, as a logical location (a Kubernetes "resource"). */
function logicalLocations(f: Finding, objects: LintObject[]) {
  if (f.object === undefined) return {};
  const o = objects[f.object];
  const path = [o.kind ?? '', o.namespace ?? '', o.name ?? ''].filter((p) => p !== '').join('/');
  if (!path) return {};
  return { logicalLocations: [{ name: o.name ?? o.kind, fullyQualifiedName: path, kind: 'resource' }] };
}

function levelOf(severity: Severity): Level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/**
 * A file's artifactLocation: a relative URI under %SRCROOT% when the file is in
 * the repository (as GitHub needs it), else an absolute file URI. Symbolic
 * links are resolved: GitHub shows no alert on a path that is a link.
 */
function artifactLocation(path: string, root: string): { uri: string; uriBaseId?: string } {
  if (path === '-') return { uri: encodeURIComponent('<stdin>') };
  const real = realPath(path);
  const rel = relative(root, real);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(real).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** The repository around the working directory (the nearest folder with .git), else the working directory. */
function sourceRoot(cwd: string): string {
  const start = realPath(cwd);
  for (let dir = start, i = 0; i < 256; i++) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return start;
}

function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function sentence(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function clip(s: string): string {
  return s.length <= MAX_DESCRIPTION ? s : `${s.slice(0, MAX_DESCRIPTION - 1)}…`;
}
