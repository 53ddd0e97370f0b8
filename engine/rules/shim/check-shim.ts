/**
 * Runs the certificate-shim checks on an Ingress (networking.k8s.io/v1) or a
 * Gateway (gateway.networking.k8s.io v1 or v1beta1); other objects are left
 * alone, and so is an Ingress or Gateway without cert-manager annotations.
 */
import type { KubeObject } from '../../manifests/kube-object.js';
import type { RuleReporter } from '../registry.js';
import { checkAnnotationKeys, checkAnnotationValues, checkCertificateFromAnnotations, checkIgnoredValues, checkNoIssuer } from './annotation-checks.js';
import { checkGateway } from './gateway.js';
import { checkIngress } from './ingress.js';
import { checkIssuerAnnotations } from './issuer.js';
import { readShimObject, shimKindOf } from './shim-object.js';

export function checkShim(obj: KubeObject, report: RuleReporter, release = 'next'): void {
  const kind = shimKindOf(obj);
  if (!kind) return;
  const o = readShimObject(obj, kind);
  if (o.annotations.length === 0) return;
  checkAnnotationKeys(o, report);
  checkIssuerAnnotations(o, report);
  const failed = checkAnnotationValues(o, report);
  checkCertificateFromAnnotations(o, failed, report, release);
  checkIgnoredValues(o, report);
  checkNoIssuer(o, report);
  if (kind === 'Ingress') checkIngress(o, report);
  else checkGateway(o, report);
}
