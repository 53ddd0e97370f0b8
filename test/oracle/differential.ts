/**
 * The differential comparison: Certsmith's diagnostics on one document against
 * cert-manager's webhook validation (oracle 1) and the API server's dry run
 * (oracle 2). See engine/rules/deliberate-differences.ts for the categories and
 * for what may differ.
 */
import { checkDocument } from '../../engine/rules/check-document.js';
import type { SchemaStore } from '../../engine/schema/schema-store.js';
import type { Diagnostic } from '../../engine/core/diagnostic.js';
import { DELIBERATE_DIFFERENCES, type DeliberateDifference, type DifferenceCategory } from '../../engine/rules/deliberate-differences.js';
import { RULES } from '../../engine/rules/registry.js';
import type { WebhookAnswer } from './webhook-oracle.js';
import type { ApiServerAnswer } from './apiserver-oracle.js';

export interface InputDocument {
  id: string;
  text: string;
  /** For generated documents: how it was made. */
  recipe?: string;
}

interface Finding {
  category: DifferenceCategory;
  /** Whose error or warning it is: Certsmith's (rule id) or an oracle's. */
  side: 'certsmith' | 'webhook' | 'apiserver';
  rule?: string;
  path?: string;
  message: string;
  /** The deliberate difference that allows it, if any. */
  allowedBy?: string;
}

export interface DocumentResult {
  doc: InputDocument;
  certsmith: Diagnostic[];
  webhook?: WebhookAnswer;
  apiserver?: ApiServerAnswer;
  findings: Finding[];
}

const FAMILY = new Map<string, string>(RULES.map((r) => [r.id, r.family]));
/** The kinds cert-manager's webhook validates (cert-manager.io/v1 and acme.cert-manager.io/v1). */
const WEBHOOK_KINDS = new Set(['Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer', 'Order', 'Challenge']);

interface OracleError {
  side: 'webhook' | 'apiserver';
  path?: string;
  message: string;
}

/** `labels[cert-manager.io/x]` (Certsmith) and `labels.cert-manager.io/x` (the API server) are one field. */
function normalizePath(p: string): string {
  return p.replace(/^\./, '').replace(/\[([^\]]*[^\]0-9][^\]]*)\]/g, '.$1');
}

/**
 * Where Go's encoding/json says a value did not fit ("... Go struct field
 * ACMEIssuer.spec.IssuerConfig.acme.privateKeySecretRef of type ..."): the JSON
 * path, without the embedded Go struct names.
 */
function decodeErrorPath(message: string): string | undefined {
  const m = /Go struct field \w+\.(\S+) of type/.exec(message);
  return m ? m[1]!.split('.').filter((s) => !/^[A-Z]/.test(s)).join('.') : undefined;
}

/** Same field, or one contains the other (an error on a list or object and one on its member). */
export function relatedPaths(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return true;
  const na = normalizePath(a);
  const nb = normalizePath(b);
  return na === nb || na.startsWith(`${nb}.`) || na.startsWith(`${nb}[`) || nb.startsWith(`${na}.`) || nb.startsWith(`${na}[`);
}

function allowedBy(f: Finding, list: readonly DeliberateDifference[], ctx: { kind?: string; webhookCannotDecode: boolean }): string | undefined {
  for (const d of list) {
    if (d.kinds && (!ctx.kind || !d.kinds.includes(ctx.kind))) continue;
    if (d.whenWebhookCannotDecode && !ctx.webhookCannotDecode) continue;
    if (!d.categories.includes(f.category)) continue;
    if (d.rules && (!f.rule || !d.rules.includes(f.rule))) continue;
    if (d.oracle && d.oracle !== f.side) continue;
    if (d.path && !d.path.test(f.path ?? '')) continue;
    if (d.message && !d.message.test(f.message)) continue;
    return d.id;
  }
  return undefined;
}

export interface CertsmithAnswer {
  diagnostics: Diagnostic[];
  /** The object's kind as Certsmith read it. */
  kind?: string;
}

export function certsmithCheck(text: string, store: SchemaStore): CertsmithAnswer {
  const checked = checkDocument(text, store);
  return { diagnostics: checked.diagnostics, kind: checked.objects[0]?.kind };
}

export function compare(doc: InputDocument, answer: CertsmithAnswer, webhook: WebhookAnswer | undefined, apiserver: ApiServerAnswer | undefined, list = DELIBERATE_DIFFERENCES): DocumentResult {
  const findings: Finding[] = [];
  const certsmith = answer.diagnostics;
  const csErrors = certsmith.filter((d) => d.severity === 'error');
  const csWarnings = certsmith.filter((d) => d.severity === 'warning');

  const apiErrors: OracleError[] = apiserver && !apiserver.accepted ? apiserver.errors.map((e) => ({ side: 'apiserver', path: e.field, message: `${e.reason}: ${e.message}` })) : [];
  const whErrors: OracleError[] = [];
  if (webhook?.handled) {
    for (const e of webhook.errors) whErrors.push({ side: 'webhook', path: e.field, message: `${e.reason}: ${e.detail}` });
    if (webhook.decodeError) whErrors.push({ side: 'webhook', path: decodeErrorPath(webhook.decodeError), message: `decode: ${webhook.decodeError}` });
    if (webhook.panic) whErrors.push({ side: 'webhook', message: `panic: ${webhook.panic}` });
  }
  // The webhook sees only what the API server has accepted: its errors must be
  // reported when the API server accepts the object (or was not asked); they
  // always count as a reason for an error Certsmith reports.
  const mustReport = [...apiErrors, ...(!apiserver || apiserver.accepted ? whErrors : [])];
  const apiStoppedAtName = !!apiserver && !apiserver.accepted && apiserver.errors.every((e) => /name or generateName is required/.test(e.message));
  const explains = [...apiErrors, ...whErrors];

  for (const o of mustReport) {
    if (csErrors.some((c) => relatedPaths(c.path, o.path))) continue;
    findings.push({ category: csErrors.length === 0 ? 'missed' : 'path-elsewhere', side: o.side, path: o.path, message: o.message });
  }
  for (const c of csErrors) {
    // Each half judges its own rules: without oracle 1, the webhook's rules are not judged; without oracle 2, the rest.
    if (!webhook && FAMILY.get(c.code) === 'webhook') continue;
    if (!apiserver && FAMILY.get(c.code) !== 'webhook') continue;
    // Without oracle 1 (there is none for "next"), what only the webhook would confirm is not judged either: on
    // the kinds it validates, an error the API server does not give (the webhook's decoder and rules would have
    // had the last word: the API server, for one, lets a list through where spec.request wants a string), anything
    // under status (the API server drops status on create), and anything when the API server stopped at a
    // missing name before checking the schema.
    if (!webhook && (WEBHOOK_KINDS.has(answer.kind ?? '') || /^status([.[]|$)/.test(c.path ?? '') || apiStoppedAtName)) continue;
    // The API server skips CEL rules once the schema has failed ("some validation
    // rules were not checked ..."): a CEL error of Certsmith's is then unconfirmed, not contradicted.
    if (c.code === 'schema-cel' && explains.some((o) => /some validation rules were not checked/.test(o.message))) continue;
    if (explains.some((o) => !/some validation rules were not checked/.test(o.message) && relatedPaths(c.path, o.path))) continue;
    findings.push({ category: explains.length === 0 ? 'certsmith-only' : 'path-elsewhere', side: 'certsmith', rule: c.code, path: c.path, message: c.message });
  }

  const oracleWarnings = [...(webhook?.handled ? webhook.warnings : []), ...(apiserver?.warnings ?? [])];
  // Like its errors, the webhook's warnings reach a user only when the API server has accepted the object.
  for (const w of webhook?.handled && (!apiserver || apiserver.accepted) ? webhook.warnings : []) {
    if (csWarnings.some((c) => c.message === w || c.message.includes(w))) continue;
    findings.push({ category: 'missed-warning', side: 'webhook', message: w });
  }
  for (const c of csWarnings) {
    if (!webhook && FAMILY.get(c.code) === 'webhook') continue;
    if (!apiserver && FAMILY.get(c.code) !== 'webhook') continue;
    if (oracleWarnings.some((w) => c.message === w || c.message.includes(w))) continue;
    findings.push({ category: 'certsmith-only-warning', side: 'certsmith', rule: c.code, path: c.path, message: c.message });
  }
  for (const f of findings) f.allowedBy = allowedBy(f, list, { kind: answer.kind, webhookCannotDecode: !!webhook?.decodeError });
  return { doc, certsmith, webhook, apiserver, findings };
}

export interface Summary {
  documents: number;
  /** Documents some oracle rejects / Certsmith reports an error on. */
  rejectedByOracles: number;
  rejectedByCertsmith: number;
  /** Same verdict (both reject, or neither). */
  sameVerdict: number;
  rulesHit: Map<string, number>;
  webhookErrorFields: number;
  apiServerErrors: number;
  findings: Map<DifferenceCategory, number>;
  allowed: Map<string, number>;
  failures: DocumentResult[];
}

export function summarize(results: DocumentResult[]): Summary {
  const s: Summary = { documents: results.length, rejectedByOracles: 0, rejectedByCertsmith: 0, sameVerdict: 0, rulesHit: new Map(), webhookErrorFields: 0, apiServerErrors: 0, findings: new Map(), allowed: new Map(), failures: [] };
  for (const r of results) {
    const oracleRejects = (r.apiserver ? !r.apiserver.accepted : false) || !!(r.webhook?.handled && (r.webhook.errors.length || r.webhook.decodeError));
    // Without oracle 1, Certsmith's webhook rules are not judged: they do not count towards its verdict either.
    const csRejects = r.certsmith.some((d) => d.severity === 'error' && (r.webhook !== undefined || FAMILY.get(d.code) !== 'webhook'));
    if (oracleRejects) s.rejectedByOracles++;
    if (csRejects) s.rejectedByCertsmith++;
    if (oracleRejects === csRejects) s.sameVerdict++;
    for (const d of r.certsmith) s.rulesHit.set(d.code, (s.rulesHit.get(d.code) ?? 0) + 1);
    s.webhookErrorFields += r.webhook?.errors.length ?? 0;
    s.apiServerErrors += r.apiserver && !r.apiserver.accepted ? r.apiserver.errors.length : 0;
    for (const f of r.findings) {
      if (f.allowedBy) s.allowed.set(f.allowedBy, (s.allowed.get(f.allowedBy) ?? 0) + 1);
      else s.findings.set(f.category, (s.findings.get(f.category) ?? 0) + 1);
    }
    if (r.findings.some((f) => !f.allowedBy)) s.failures.push(r);
  }
  return s;
}

/** A failure as a person reads it: the document, both outputs, how to reproduce it. */
export function describeFailure(r: DocumentResult, seed: number | undefined, release?: string): string {
  const version = release ? ` --cert-manager-version ${release}` : '';
  const lines = [
    `--- ${r.doc.id}${r.doc.recipe ? ` (${r.doc.recipe})` : ''}${seed !== undefined && r.doc.id.startsWith('gen:') ? `\n    reproduce: npm run fuzz:oracle --${version} --seed ${seed} --count ${Number(r.doc.id.split(':')[2]) + 1}` : ''}`,
    ...r.findings.filter((f) => !f.allowedBy).map((f) => `  DIFFERENCE ${f.category} [${f.side}${f.rule ? ` ${f.rule}` : ''}] ${f.path ?? '(no path)'}: ${f.message}`),
    '  document:',
    ...r.doc.text.replace(/\n$/, '').split('\n').map((l) => `    | ${l}`),
    '  certsmith:',
    ...(r.certsmith.length ? r.certsmith.map((d) => `    ${d.severity} ${d.code} ${d.path ?? '-'}: ${d.message}`) : ['    (nothing)']),
    `  cert-manager webhook: ${r.webhook ? JSON.stringify({ handled: r.webhook.handled, errors: r.webhook.errors.map((e) => `${e.field} ${e.type}: ${e.detail}`), warnings: r.webhook.warnings, decodeError: r.webhook.decodeError }) : '(not run)'}`,
    `  API server dry run: ${r.apiserver ? JSON.stringify({ status: r.apiserver.status, errors: r.apiserver.errors, warnings: r.apiserver.warnings }) : '(not run)'}`,
  ];
  return lines.join('\n');
}

export function formatSummary(s: Summary): string {
  const rules = [...s.rulesHit.entries()].sort((a, b) => b[1] - a[1]);
  return [
    `documents: ${s.documents}; rejected by the oracles: ${s.rejectedByOracles}; by Certsmith: ${s.rejectedByCertsmith}; same verdict: ${s.sameVerdict} (${((100 * s.sameVerdict) / Math.max(1, s.documents)).toFixed(2)}%)`,
    `webhook field errors: ${s.webhookErrorFields}; API server errors: ${s.apiServerErrors}`,
    `Certsmith rules hit: ${rules.length} (${rules.map(([k, v]) => `${k} ${v}`).join(', ')})`,
    `disagreements (not deliberate): ${[...s.findings.entries()].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'} in ${s.failures.length} documents`,
    `deliberate differences seen: ${[...s.allowed.entries()].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
  ].join('\n');
}

/** Disagreements grouped by kind, rule, field (indices dropped) and message shape, most frequent first, each with one example. */
export function groupFindings(failures: DocumentResult[], seed: number | undefined, release?: string): { key: string; count: number; example: string }[] {
  const groups = new Map<string, { count: number; example: string }>();
  for (const r of failures) {
    for (const f of r.findings) {
      if (f.allowedBy) continue;
      const key = `${f.category} | ${f.side}${f.rule ? ` ${f.rule}` : ''} | ${(f.path ?? '').replace(/\[\d+\]/g, '[]')} | ${f.message.replace(/\d+/g, 'N').slice(0, 120)}`;
      const g = groups.get(key) ?? { count: 0, example: describeFailure(r, seed, release) };
      g.count++;
      groups.set(key, g);
    }
  }
  return [...groups.entries()].map(([key, g]) => ({ key, ...g })).sort((a, b) => b.count - a.count);
}
