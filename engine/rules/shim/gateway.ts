/**
 * How the gateway-shim turns listeners into Certificates
 * (handleGatewayAPIListeners and validateGatewayListenerBlock in sync.go):
 * only listeners with protocol HTTPS or TLS (case-sensitive) are considered,
 * TLS passthrough listeners and those named in
 * cert-manager.io/ignore-tls-listeners are skipped silently, and a listener
 * without a hostname, without certificateRefs, or with a reference that is
 * not a Secret of the Gateway's namespace is skipped with a BadConfig Event.
 * Every certificateRef of a usable listener becomes a Certificate named after
 * the Secret, with the listener's hostname as a dnsName.
 *
 * tls.mode, certificateRefs[].kind and certificateRefs[].group have CRD
 * defaults (Terminate, Secret, ""), so their absence is not a problem.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { mapGet, mapGetPair } from '../../manifests/parsed-document.js';
import { formatPath, type PathSegment } from '../../schema/field-path.js';
import { closest } from '../../core/suggest.js';
import type { RuleReporter } from '../registry.js';
import { locate } from '../webhook/field-error.js';
import { IGNORE_TLS_LISTENERS } from './annotations.js';
import { entry, reportAt, triggerOf, type ShimObject } from './shim-object.js';

const NON_TLS_PROTOCOLS = new Set(['HTTP', 'TCP', 'UDP']);

interface Listener {
  index: number;
  node: YAMLMap;
  name: string | undefined;
  protocol: string | undefined;
}

function str(node: Node | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

function readListeners(o: ShimObject): Listener[] {
  const doc = o.obj.document;
  const spec = doc.resolve(mapGet(o.obj.node, 'spec', doc));
  const listeners = doc.resolve(mapGet(spec, 'listeners', doc));
  const out: Listener[] = [];
  if (!isSeq(listeners)) return out;
  listeners.items.forEach((raw, index) => {
    const node = doc.resolve(raw);
    if (!isMap(node)) return;
    out.push({
      index,
      node,
      name: str(doc.resolve(mapGet(node, 'name', doc))),
      protocol: str(doc.resolve(mapGet(node, 'protocol', doc))),
    });
  });
  return out;
}

/** isGatewayAPIListenerIgnoredThroughAnnotation: comma-separated names, trimmed, matched exactly. */
function ignoredNames(o: ShimObject): { names: string[]; entryNode?: Node } {
  const a = entry(o, IGNORE_TLS_LISTENERS);
  if (a?.value === undefined) return { names: [] };
  return { names: a.value.split(',').map((n) => n.trim()), entryNode: a.valueNode };
}

export function checkGateway(o: ShimObject, report: RuleReporter): void {
  const trigger = triggerOf(o);
  const listeners = readListeners(o);
  const ignored = ignoredNames(o);
  const doc = o.obj.document;
  const namespace = o.obj.namespace;

  // Listener names in ignore-tls-listeners that match no listener (read whether or not the shim runs).
  if (ignored.entryNode && listeners.length > 0) {
    const names = listeners.map((l) => l.name).filter((n): n is string => n !== undefined);
    const unmatched = ignored.names.filter((n) => n !== '' && !names.includes(n));
    if (unmatched.length > 0) {
      const hints = unmatched.map((n) => {
        const near = closest(n, names);
        return near ? `"${n}" (did you mean "${near}"?)` : `"${n}"`;
      });
      report.atNode(
        'shim-annotation-ignored-value',
        ignored.entryNode,
        `${IGNORE_TLS_LISTENERS} names ${unmatched.length === 1 ? 'a listener' : 'listeners'} this Gateway does not have: ${hints.join(', ')}. Names must match exactly; cert-manager still issues for the listeners not listed.`,
        formatPath(['metadata', 'annotations', IGNORE_TLS_LISTENERS]),
      );
    }
  }

  if (!trigger) return;

  /** HTTPS or TLS listeners in Terminate mode, not ignored: the ones cert-manager tries to issue for. */
  let candidates = 0;
  let unclear = false;
  for (const l of listeners) {
    const at = (...rest: PathSegment[]): PathSegment[] => ['spec', 'listeners', l.index, ...rest];
    const label = l.name !== undefined ? `listener "${l.name}"` : `listener ${l.index}`;
    const skipped = (node: Node | undefined, reason: string, path: PathSegment[]) =>
      reportAt(
        report,
        'shim-gateway-listener-skipped',
        node,
        l.node,
        false,
        `cert-manager skips ${label}: ${reason} (BadConfig Event "Skipped a listener block"), so no certificate is issued for it. To leave the listener to something else on purpose, add its name to ${IGNORE_TLS_LISTENERS}.`,
        formatPath(path),
      );

    if (l.protocol !== 'HTTPS' && l.protocol !== 'TLS') {
      const upper = l.protocol?.toUpperCase();
      if (upper === 'HTTPS' || upper === 'TLS') {
        report.atNode(
          'shim-gateway-listener-skipped',
          locate(o.obj, at('protocol')),
          `cert-manager ignores ${label}: it compares protocols case-sensitively and "${l.protocol}" is not ${upper}, so no certificate is issued for it. Write ${upper}.`,
          formatPath(at('protocol')),
        );
        unclear = true;
      } else if (l.protocol === undefined || !NON_TLS_PROTOCOLS.has(l.protocol)) {
        unclear = true; // a custom protocol may be configured as TLS-capable (--gateway-api-extra-protocols)
      }
      continue;
    }
    const tlsPair = mapGetPair(l.node, 'tls', doc);
    const tls = doc.resolve(tlsPair?.value);
    const mode = str(doc.resolve(mapGet(tls, 'mode', doc)));
    if (mode === 'Passthrough') continue;
    if (l.name !== undefined && ignored.names.includes(l.name)) {
      unclear = true;
      continue;
    }
    candidates++;

    const hostname = str(doc.resolve(mapGet(l.node, 'hostname', doc)));
    if (hostname === undefined || hostname === '') {
      skipped(doc.resolve(mapGetPair(l.node, 'hostname', doc)?.key), 'it has no hostname, and the hostname becomes the certificate\'s dnsName', at('hostname'));
    }
    if (!isMap(tls)) {
      // A TLS listener without tls is already refused by the CRD's validation rules.
      if (l.protocol === 'TLS') continue;
      skipped(doc.resolve(tlsPair?.key), `it has no tls block with certificateRefs, which name the Secret the certificate goes to`, at('tls'));
      continue;
    }
    const refsPair = mapGetPair(tls, 'certificateRefs', doc);
    const refs = doc.resolve(refsPair?.value);
    if (!isSeq(refs) || refs.items.length === 0) {
      skipped(doc.resolve(refsPair?.key) ?? doc.resolve(tlsPair?.key), 'it has no tls.certificateRefs, which name the Secret the certificate goes to', at('tls', 'certificateRefs'));
      continue;
    }
    refs.items.forEach((raw, i) => {
      const ref = doc.resolve(raw);
      if (!isMap(ref)) return;
      const field = (k: string) => ({ value: str(doc.resolve(mapGet(ref, k, doc))), node: doc.resolve(mapGet(ref, k, doc)) });
      const group = field('group');
      const kind = field('kind');
      const ns = field('namespace');
      if (group.value !== undefined && group.value !== '' && group.value !== 'core') {
        skipped(group.node!, `certificateRefs[${i}] has group "${group.value}"; cert-manager only writes Secrets (group "" or core)`, at('tls', 'certificateRefs', i, 'group'));
      }
      if (kind.value !== undefined && kind.value !== '' && kind.value !== 'Secret') {
        skipped(kind.node!, `certificateRefs[${i}] has kind "${kind.value}"; cert-manager only writes Secrets`, at('tls', 'certificateRefs', i, 'kind'));
      }
      // Without metadata.namespace, the namespace the Gateway is applied to is not known.
      if (ns.value !== undefined && namespace !== undefined && ns.value !== namespace) {
        skipped(ns.node!, `certificateRefs[${i}] is in namespace "${ns.value}", not the Gateway's ("${namespace}"); cross-namespace secret references are not allowed in listeners`, at('tls', 'certificateRefs', i, 'namespace'));
      }
    });
  }

  // A Gateway without listeners is the schema rules' business (listeners are required).
  if (candidates === 0 && !unclear && listeners.length > 0) {
    report.atNode(
      'shim-no-tls',
      trigger.keyNode,
      `${trigger.key} asks cert-manager for a certificate, but no listener of this Gateway is HTTPS or TLS in Terminate mode: cert-manager issues only for such listeners (hostname and tls.certificateRefs), so nothing is issued.`,
      formatPath(['metadata', 'annotations', trigger.key]),
    );
  }
}
