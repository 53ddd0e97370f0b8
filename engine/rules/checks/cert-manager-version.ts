/**
 * Fields and enum values the targeted cert-manager release does not have,
 * but a newer one does: the schema check of that release reports them as
 * unknown fields or unsupported values; this says which release has them,
 * from the CRDs' own history (engine/schema/release-schemas.ts), and what
 * the targeted API server will do.
 */
import type { Diagnostic } from '../../core/diagnostic.js';
import type { LineIndex } from '../../core/position.js';
import { CERT_MANAGER_GROUPS, type SchemaIndexEntry, type SchemaStore } from '../../schema/schema-store.js';
import { releaseSchemas } from '../../schema/release-schemas.js';
import { ruleById } from '../registry.js';

/** How the target is named in a message: "this workspace targets v1.16 (setting certsmith.certManagerVersion)". */
function targetPhrase(store: SchemaStore): string {
  const t = store.target;
  const who = t.origin === 'setting' ? 'this workspace targets' : t.origin === 'cluster' ? 'the cluster runs' : 'the check targets';
  return `${who} ${t.release} (${t.from})`;
}

/** Rewrites, in place, the schema diagnostics of one object that a newer release would not have given. */
export function explainByVersion(entry: SchemaIndexEntry, diagnostics: Diagnostic[], store: SchemaStore, text: string, lines: LineIndex): void {
  const target = store.target.release;
  if (target === 'next' || !CERT_MANAGER_GROUPS.has(entry.group)) return;
  const releases = releaseSchemas();
  const order = releases.releases().map((r) => r.id);
  const newer = (id: string) => order.indexOf(id) > order.indexOf(target);
  for (const d of diagnostics) {
    if (!d.path || (d.code !== 'schema-unknown-field' && d.code !== 'schema-enum')) continue;
    const history = releases.field(entry.group, entry.version, entry.kind, d.path);
    if (!history) continue;
    if (d.code === 'schema-unknown-field') {
      // The first newer release that has the field.
      const since = history.releases.find(newer);
      if (!since) continue;
      const rule = ruleById('cert-manager-version-field');
      Object.assign(d, { code: rule.id, href: rule.docs, severity: rule.severity, message: `${d.path} needs cert-manager ${since} or newer; ${targetPhrase(store)}. The API server will drop it.` });
      delete d.fixes;
    } else {
      const written = text.slice(lines.offsetAt(d.range.start), lines.offsetAt(d.range.end)).trim().replace(/^(["'])(.*)\1$/, '$2');
      const value = history.enumValues?.find((v) => String(v.value) === written && newer(v.since));
      if (!value) continue;
      const rule = ruleById('cert-manager-version-value');
      Object.assign(d, { code: rule.id, href: rule.docs, severity: rule.severity, message: `${d.path}: ${JSON.stringify(written)} needs cert-manager ${value.since} or newer; ${targetPhrase(store)}. The API server will refuse it.` });
      delete d.fixes;
    }
  }
}
