/**
 * Which issuer the shim puts on the Certificate (issuerForIngressLike in
 * sync.go): cert-manager.io/issuer (kind Issuer, or issuer-kind),
 * cert-manager.io/cluster-issuer (kind ClusterIssuer), issuer-kind and
 * issuer-group. The combinations it refuses make it emit a BadConfig warning
 * Event and create no Certificate.
 */
import { formatPath } from '../../schema/field-path.js';
import type { RuleReporter } from '../registry.js';
import { CLUSTER_ISSUER, ISSUER, ISSUER_GROUP, ISSUER_KIND } from './annotations.js';
import { entry, type ShimObject } from './shim-object.js';

const CONSEQUENCE = 'cert-manager emits a BadConfig warning Event ("Could not determine issuer") and creates no Certificate.';

export function checkIssuerAnnotations(o: ShimObject, report: RuleReporter): void {
  const issuer = entry(o, ISSUER);
  const cluster = entry(o, CLUSTER_ISSUER);
  const kind = entry(o, ISSUER_KIND);
  const group = entry(o, ISSUER_GROUP);

  if (issuer && cluster) {
    // Report on whichever of the two comes second.
    const second = o.annotations.indexOf(issuer) > o.annotations.indexOf(cluster) ? issuer : cluster;
    const first = second === issuer ? cluster : issuer;
    report.atNode(
      'shim-issuer-and-cluster-issuer',
      second.keyNode,
      `Both "${ISSUER}" and "${CLUSTER_ISSUER}" may not be set: keep only ${first.key} or ${second.key}. ${CONSEQUENCE}`,
      formatPath(['metadata', 'annotations', second.key]),
    );
  }
  if (cluster) {
    for (const extra of [kind, group]) {
      if (!extra) continue;
      report.atNode(
        'shim-cluster-issuer-with-kind',
        extra.keyNode,
        `Both "${CLUSTER_ISSUER}" and "${extra.key}" may not be set: ${CLUSTER_ISSUER} always names a cert-manager.io ClusterIssuer. For an external issuer use ${ISSUER} with ${ISSUER_KIND} and ${ISSUER_GROUP}. ${CONSEQUENCE}`,
        formatPath(['metadata', 'annotations', extra.key]),
      );
    }
  }
  // The last of the two that is set wins; an empty name there overrides any default issuer.
  const named = cluster ?? issuer;
  if (named && named.value === '') {
    report.atNode(
      'shim-issuer-name-empty',
      named.valueNode,
      `${named.key} is empty: cert-manager fails to determine the issuer name and creates no Certificate (BadConfig Event).`,
      formatPath(['metadata', 'annotations', named.key]),
    );
  }
}
