/** docs/rules.md, rendered from the rule registry (so the two cannot drift apart). */
import { RULES } from './registry.js';
import { DELIBERATE_DIFFERENCES } from './deliberate-differences.js';
import type { RuleDefinition } from '../core/rule-definition.js';

const FAMILIES: Record<RuleDefinition['family'], string> = {
  yaml: 'YAML',
  file: 'Files',
  api: 'API version and kind',
  metadata: 'Metadata',
  schema: 'Schema (CRD and Kubernetes OpenAPI)',
  version: 'The cert-manager release targeted',
  webhook: "cert-manager's admission webhook",
  shim: 'Ingress and Gateway annotations (certificate-shim)',
  cross: 'Across documents (what cert-manager will do with the whole set)',
  operations: 'In operation (what admission accepts but fails or hurts when it runs)',
};

export function renderRulesMarkdown(): string {
  const out: string[] = [
    '# Certsmith rules',
    '',
    '<!-- Generated from engine/rules/registry.ts by `npm run rules:docs`; do not edit by hand. -->',
    '',
    'Every diagnostic carries one of these ids as its `code` (in `certsmith lint` output and in the',
    "language server's diagnostics, where the link below is the diagnostic's `codeDescription`).",
    '',
    '| id | severity | what it catches |',
    '| --- | --- | --- |',
    ...RULES.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${r.title} |`),
    '',
  ];
  for (const family of Object.keys(FAMILIES) as RuleDefinition['family'][]) {
    out.push(`## ${FAMILIES[family]}`, '');
    for (const r of RULES.filter((x) => x.family === family)) {
      out.push(`### ${r.id}`, '', `**${r.severity}** — ${r.title}.`, '', r.description, '', 'Example:', '', '```yaml', r.example.trimEnd(), '```', '', `More: ${r.docs}`, '');
    }
  }
  out.push(...renderDeliberateDifferences());
  return out.join('\n');
}

function renderDeliberateDifferences(): string[] {
  const out = [
    '## Deliberate differences from cert-manager',
    '',
    "A differential test (`test/oracle/`, part of `npm test`; more seeds with `npm run fuzz:oracle -- --seed N --count M`)",
    "checks every manifest in the project and thousands of generated variants with Certsmith, with cert-manager's own",
    "webhook validation (its Go code, built by `npm run setup`) and with a real kube-apiserver's server-side dry run",
    '(the bundled CRDs installed, `fieldValidation=Strict`). A rejection Certsmith misses, a Certsmith error neither',
    'raises, or a field path that points elsewhere fails the test, unless it is one of these differences',
    '(from `engine/rules/deliberate-differences.ts`, which the test reads). Agreement figures: docs/benchmarks.md.',
    '',
  ];
  for (const d of DELIBERATE_DIFFERENCES) {
    const scope = [
      `what: ${d.categories.map((c) => `\`${c}\``).join(', ')}`,
      d.rules ? `rules: ${d.rules.map((r) => `\`${r}\``).join(', ')}` : undefined,
      d.oracle ? `oracle: ${d.oracle === 'webhook' ? "cert-manager's webhook" : 'the API server'}` : undefined,
      d.kinds ? `kinds: ${d.kinds.join(', ')}` : undefined,
      d.path ? `field: \`${d.path.source}\`` : undefined,
      d.message ? `message: \`${d.message.source}\`` : undefined,
      d.whenWebhookCannotDecode ? "only when cert-manager's webhook cannot decode the object" : undefined,
    ].filter(Boolean);
    out.push(`### ${d.id}`, '', d.reason, '', `Applies to ${scope.join('; ')}.`, '');
  }
  return out;
}
