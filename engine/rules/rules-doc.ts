/** docs/rules.md, rendered from the rule registry (so the two cannot drift apart). */
import { RULES } from './registry.js';
import type { RuleDefinition } from './rule.js';

const FAMILIES: Record<RuleDefinition['family'], string> = {
  yaml: 'YAML',
  file: 'Files',
  api: 'API version and kind',
  metadata: 'Metadata',
  schema: 'Schema (CRD and Kubernetes OpenAPI)',
  webhook: "cert-manager's admission webhook",
  shim: 'Ingress and Gateway annotations (certificate-shim)',
  cross: 'Across documents (what cert-manager will do with the whole set)',
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
  return out.join('\n');
}
