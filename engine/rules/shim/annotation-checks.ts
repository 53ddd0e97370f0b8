/**
 * The annotations of an Ingress or Gateway against what the certificate-shim
 * does with them: unknown keys, values it cannot parse (translateAnnotations
 * in helper.go), values it silently ignores, certificate annotations without
 * an issuer, and values that parse but make a Certificate cert-manager's
 * webhook rejects.
 */
import { formatPath } from '../../schema/field-path.js';
import type { RuleReporter } from '../registry.js';
import { validateCertificateSpec } from '../webhook/certificate.js';
import { FieldErrors } from '../webhook/field-error.js';
import { formatGoDuration, parseGoDuration } from '../../gocompat/go-duration.js';
import type { Json } from '../webhook/values.js';
import {
  checkAnnotationKey,
  CLUSTER_ISSUER,
  DURATION,
  EDIT_IN_PLACE,
  ISSUER,
  knownShimAnnotation,
  RENEW_BEFORE,
  RENEW_BEFORE_PERCENTAGE,
  SECRET_TEMPLATE,
  TLS_ACME,
} from './annotations.js';
import { goParseBool, goParseInt } from '../../gocompat/go-strconv.js';
import { decodeSecretTemplate } from './secret-template.js';
import { entry, hasIssuerAnnotation, triggerOf, type AnnotationEntry, type ShimObject } from './shim-object.js';

function annotationPath(key: string): string {
  return formatPath(['metadata', 'annotations', key]);
}

/** Unknown and misspelt keys (on the key). */
export function checkAnnotationKeys(o: ShimObject, report: RuleReporter): void {
  for (const a of o.annotations) {
    const problem = checkAnnotationKey(a.key, o.kind);
    if (!problem) continue;
    const d = report.atNode('shim-annotation-unknown', a.keyNode, problem.message, annotationPath(a.key));
    const r = a.keyNode.range;
    if (problem.suggestion && r) report.fix(d, `Change to "${problem.suggestion}"`, [{ start: r[0], end: r[1], newText: problem.suggestion }], true);
  }
}

/** Values the shim cannot parse (on the value). Returns the keys that failed. */
export function checkAnnotationValues(o: ShimObject, report: RuleReporter): Set<string> {
  const failed = new Set<string>();
  for (const a of o.annotations) {
    const known = knownShimAnnotation(a.key);
    if (!known?.parse || a.value === undefined || !known.readOn.includes(o.kind)) continue;
    const problem = known.parse(a.value, o.values);
    if (!problem) continue;
    failed.add(a.key);
    report.atNode(
      'shim-annotation-invalid',
      a.valueNode,
      `cert-manager cannot use ${a.key}: ${problem.error}.${problem.hint ? ` ${problem.hint}` : ''} The certificate-shim stops at this error and creates no Certificate for this ${o.kind} (it logs the error and retries).`,
      annotationPath(a.key),
    );
  }
  return failed;
}

/** Values that take effect only when exact (listener names in ignore-tls-listeners: see gateway.ts). */
export function checkIgnoredValues(o: ShimObject, report: RuleReporter): void {
  const eip = entry(o, EDIT_IN_PLACE);
  if (eip?.value !== undefined && eip.value !== 'true' && eip.value !== 'false' && triggerOf(o)) {
    report.atNode(
      'shim-annotation-ignored-value',
      eip.valueNode,
      `${EDIT_IN_PLACE} is on only for the exact value "true"; cert-manager reads ${JSON.stringify(eip.value)} as false and solves HTTP-01 challenges with a separate Ingress.`,
      annotationPath(EDIT_IN_PLACE),
    );
  }
  const acme = entry(o, TLS_ACME);
  if (o.kind === 'Ingress' && acme?.value !== undefined && goParseBool(acme.value) === undefined && !hasIssuerAnnotation(o)) {
    report.atNode(
      'shim-annotation-ignored-value',
      acme.valueNode,
      `cert-manager reads ${TLS_ACME} only when Go's strconv.ParseBool reads its value as true ("true", "1", "t", ...); ${JSON.stringify(acme.value)} is not, so the certificate-shim ignores this Ingress.`,
      annotationPath(TLS_ACME),
    );
  }
}

/** Certificate annotations that nothing reads, because the shim does not process the object. */
export function checkNoIssuer(o: ShimObject, report: RuleReporter): void {
  if (triggerOf(o)) return;
  const first = o.annotations.find((a) => a.key.startsWith('cert-manager.io/') && knownShimAnnotation(a.key)?.readOn.includes(o.kind));
  if (!first) return;
  const extra = o.kind === 'Ingress' ? ` (or ${TLS_ACME}: "true" with a default issuer configured)` : '';
  report.atNode(
    'shim-no-issuer',
    first.keyNode,
    `${first.key} has no effect: this ${o.kind} has neither ${ISSUER} nor ${CLUSTER_ISSUER}${extra}, so cert-manager's certificate-shim does not process it and issues nothing.`,
    annotationPath(first.key),
  );
}

/**
 * The Certificate the shim would build from the duration, renewal and
 * secret-template annotations (those that parse), run through cert-manager's
 * webhook validation; its errors on those fields, reported at the annotation
 * that set the field.
 */
export function checkCertificateFromAnnotations(o: ShimObject, failed: ReadonlySet<string>, report: RuleReporter, release = 'next'): void {
  const spec: Json = { secretName: 'placeholder', issuerRef: { name: 'placeholder' }, dnsNames: ['placeholder.example'] };
  const from = new Map<string, AnnotationEntry>();
  const usable = (key: string): AnnotationEntry | undefined => {
    const a = entry(o, key);
    return a?.value !== undefined && !failed.has(key) ? a : undefined;
  };
  const d = usable(DURATION);
  if (d) {
    const p = parseGoDuration(d.value!);
    if ('ns' in p) {
      spec.duration = formatGoDuration(p.ns);
      from.set('spec.duration', d);
    }
  }
  const rb = usable(RENEW_BEFORE);
  if (rb) {
    const p = parseGoDuration(rb.value!);
    if ('ns' in p) {
      spec.renewBefore = formatGoDuration(p.ns);
      from.set('spec.renewBefore', rb);
    }
  }
  const pct = usable(RENEW_BEFORE_PERCENTAGE);
  if (pct) {
    const p = goParseInt(pct.value!, 32);
    if ('value' in p) {
      spec.renewBeforePercentage = p.value;
      from.set('spec.renewBeforePercentage', pct);
    }
  }
  const tpl = usable(SECRET_TEMPLATE);
  if (tpl) {
    const p = decodeSecretTemplate(tpl.value!);
    if ('template' in p && (Object.keys(p.template.labels).length > 0 || Object.keys(p.template.annotations).length > 0)) {
      spec.secretTemplate = { labels: p.template.labels, annotations: p.template.annotations };
      from.set('spec.secretTemplate', tpl);
    }
  }
  if (from.size === 0) return;
  // The Certificate that ingress-shim makes meets the targeted release's webhook.
  const errs = new FieldErrors(release);
  validateCertificateSpec(spec, errs);
  const seen = new Set<string>();
  for (const e of errs.list) {
    if (e.warning) continue;
    const field = [...from.keys()].find((f) => e.path === f || e.path.startsWith(`${f}.`) || e.path.startsWith(`${f}[`));
    if (!field) continue;
    const a = from.get(field)!;
    const text = `${e.path}: ${e.detail}`;
    if (seen.has(`${a.key} ${text}`)) continue;
    seen.add(`${a.key} ${text}`);
    report.atNode(
      'shim-certificate-rejected',
      a.valueNode,
      `The Certificate cert-manager builds from the annotations of this ${o.kind} would be rejected by its webhook (${text}), so the certificate-shim creates no Certificate and keeps retrying.`,
      annotationPath(a.key),
    );
  }
}
