/**
 * Runs cert-manager's webhook validation on an object and reports the errors
 * at the YAML node each field path names.
 */
import type { KubeObject } from '../../manifests/kube-object.js';
import type { RuleReporter } from '../registry.js';
import { rotationPolicyDefaultWarning, validateCertificateSpec } from './certificate.js';
import { validateApprovalConditions, validateCertificateRequestSpec } from './certificate-request.js';
import { FieldErrors, locate, type FieldError } from './field-error.js';
import { validateIssuerSpec } from './issuer.js';
import { isObject } from './values.js';

/** cert-manager's webhook errors for one object, as the targeted release's webhook (`release`) reports them. */
export function webhookErrors(obj: KubeObject, release = 'next'): FieldError[] {
  if (obj.group !== 'cert-manager.io' || obj.version !== 'v1') return [];
  const plain = obj.toPlain();
  if (!plain) return [];
  const spec = isObject(plain.spec) ? plain.spec : {};
  const errs = new FieldErrors(release);
  switch (obj.kind) {
    case 'Certificate':
      validateCertificateSpec(spec, errs);
      rotationPolicyDefaultWarning(spec, errs);
      break;
    case 'Issuer':
    case 'ClusterIssuer':
      validateIssuerSpec(spec, errs);
      break;
    case 'CertificateRequest':
      validateCertificateRequestSpec(spec, errs);
      validateApprovalConditions(isObject(plain.status) ? plain.status : undefined, errs);
      break;
    default:
      return [];
  }
  return errs.list;
}

const TYPE_WORDS: Record<string, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  Forbidden: 'Forbidden',
  NotSupported: 'Unsupported value',
  TooLong: 'Too long',
  Duplicate: 'Duplicate value',
  TooMany: 'Too many',
};

export function checkWebhook(obj: KubeObject, report: RuleReporter, release = 'next'): void {
  for (const e of webhookErrors(obj, release)) {
    const node = locate(obj, e.at);
    const message = e.warning ? e.detail : `${e.path}: ${TYPE_WORDS[e.type]}${e.detail ? `: ${e.detail}` : ''}`;
    const d = report.atNode(e.rule, node, message, e.path);
    d.fieldError = { type: e.type, detail: e.detail };
    const r = node.range;
    if (e.replaceWith && r) report.fix(d, e.replaceWith.title, [{ start: r[0], end: r[1], newText: JSON.stringify(e.replaceWith.text) }], true);
  }
}
