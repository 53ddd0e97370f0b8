/**
 * What the cross-resource checks, navigation, completion and code lenses need
 * to know about an object, extracted once when its document is checked: plain values
 * plus the source offsets (in the document's text) of the nodes they came
 * from, so that a finding is reported on the right node without re-parsing.
 */
import type { Node } from 'yaml';
import type { KubeObject } from '../../manifests/kube-object.js';
import type { PathSegment } from '../../schema/field-path.js';
import { locate } from '../webhook/field-error.js';
import { isObject, list, obj, str, type Json } from '../webhook/values.js';
import type { SolverChoice } from './solver-picker.js';

/** A value and the offsets of the node it came from. */
export interface Located<T = string> {
  value: T;
  start: number;
  end: number;
}

export interface CertificateFacts {
  type: 'Certificate';
  issuerName?: Located;
  /** The kind as written (undefined: cert-manager's default, Issuer). */
  issuerKind?: Located;
  issuerGroup?: string;
  /** The issuerRef key, for problems with the reference as a whole. */
  issuerRefKey?: Located<null>;
  secretName?: Located;
  /** The names an ACME order would hold: dnsNames, and commonName when set. */
  dnsNames: Located[];
  /** spec.commonName when set (the same object as the last of dnsNames). */
  commonName?: Located;
  labels: Record<string, string>;
}

export interface IssuerFacts {
  type: 'Issuer';
  issuerType?: 'acme' | 'ca' | 'selfSigned' | 'vault' | 'venafi';
  acmeServer?: Located;
  solvers: SolverFacts[];
  caSecretName?: Located;
}

/** One ACME solver: what the solver picker needs, and where its `dns01:` key is. */
export interface SolverFacts extends SolverChoice {
  dns01Key?: Located<null>;
}

/** A v1 Secret: whether it holds a certificate (data or stringData has a non-empty tls.crt). */
export interface SecretFacts {
  type: 'Secret';
  hasTlsCrt: boolean;
}

export interface IngressFacts {
  type: 'Ingress' | 'Gateway';
  issuer?: Located;
  clusterIssuer?: Located;
  /** cert-manager.io/issuer-kind and -group, when set (external issuers). */
  issuerKind?: string;
  issuerGroup?: string;
  /** Secrets this Ingress or Gateway mounts (tls[].secretName, listeners' certificateRefs). */
  secretNames: Located[];
}

export type ObjectFacts = CertificateFacts | IssuerFacts | IngressFacts | SecretFacts;

function located(obj: KubeObject, at: PathSegment[], value: string | undefined): Located | undefined {
  if (value === undefined || value === '') return undefined;
  const n: Node = locate(obj, at);
  const r = n.range ?? [0, 0];
  return { value, start: r[0], end: r[1] };
}

function solverChoices(o: KubeObject, acme: Json | undefined): SolverFacts[] {
  return list(acme, 'solvers').map((raw, i) => {
    const s = isObject(raw) ? raw : {};
    const sel = obj(s.selector);
    const dns01 = s.dns01 !== undefined && s.dns01 !== null;
    const key = dns01 ? located(o, ['spec', 'acme', 'solvers', i, 'dns01'], '-') : undefined;
    return {
      http01: s.http01 !== undefined && s.http01 !== null,
      dns01,
      ...(key ? { dns01Key: { value: null, start: key.start, end: key.end } } : {}),
      ...(sel
        ? {
            selector: {
              dnsNames: list(sel, 'dnsNames').filter((x): x is string => typeof x === 'string'),
              dnsZones: list(sel, 'dnsZones').filter((x): x is string => typeof x === 'string'),
              matchLabels: Object.fromEntries(Object.entries(obj(sel.matchLabels) ?? {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
            },
          }
        : {}),
    };
  });
}

export function extractFacts(o: KubeObject): ObjectFacts | undefined {
  const plain = o.toPlain();
  if (!plain) return undefined;
  const spec = obj(plain.spec);
  const meta = obj(plain.metadata);
  if (o.group === 'cert-manager.io' && o.kind === 'Certificate') {
    const ref = obj(spec?.issuerRef);
    const refKey = ref ? located(o, ['spec', 'issuerRef'], '-') : undefined;
    const commonName = located(o, ['spec', 'commonName'], str(spec, 'commonName'));
    return {
      type: 'Certificate',
      issuerName: located(o, ['spec', 'issuerRef', 'name'], str(ref, 'name')),
      issuerKind: located(o, ['spec', 'issuerRef', 'kind'], str(ref, 'kind')),
      issuerGroup: str(ref, 'group') || undefined,
      issuerRefKey: refKey ? { value: null, start: refKey.start, end: refKey.end } : undefined,
      secretName: located(o, ['spec', 'secretName'], str(spec, 'secretName')),
      dnsNames: [
        ...list(spec, 'dnsNames').flatMap((x, i) => (typeof x === 'string' ? [located(o, ['spec', 'dnsNames', i], x)!].filter(Boolean) : [])),
        ...(commonName ? [commonName] : []),
      ],
      ...(commonName ? { commonName } : {}),
      labels: Object.fromEntries(Object.entries(obj(meta?.labels) ?? {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    };
  }
  if (o.group === 'cert-manager.io' && (o.kind === 'Issuer' || o.kind === 'ClusterIssuer')) {
    const types = (['acme', 'ca', 'selfSigned', 'vault', 'venafi'] as const).filter((t) => spec?.[t] !== undefined && spec?.[t] !== null);
    const acme = obj(spec?.acme);
    return {
      type: 'Issuer',
      issuerType: types.length === 1 ? types[0] : undefined,
      acmeServer: located(o, ['spec', 'acme', 'server'], str(acme, 'server')),
      solvers: solverChoices(o, acme),
      caSecretName: located(o, ['spec', 'ca', 'secretName'], str(obj(spec?.ca), 'secretName')),
    };
  }
  if (o.apiVersion === 'v1' && o.kind === 'Secret') {
    const crt = (m: unknown) => {
      const v = obj(m)?.['tls.crt'];
      return typeof v === 'string' && v !== '';
    };
    return { type: 'Secret', hasTlsCrt: crt(plain.data) || crt(plain.stringData) };
  }
  const isIngress = o.group === 'networking.k8s.io' && o.kind === 'Ingress';
  const isGateway = o.group === 'gateway.networking.k8s.io' && o.kind === 'Gateway';
  if (isIngress || isGateway) {
    const ann = obj(meta?.annotations);
    const secretNames: Located[] = [];
    if (isIngress) {
      list(spec, 'tls').forEach((t, i) => {
        const l = located(o, ['spec', 'tls', i, 'secretName'], str(obj(t), 'secretName'));
        if (l) secretNames.push(l);
      });
    } else {
      list(spec, 'listeners').forEach((l, i) => {
        list(obj(obj(l)?.tls), 'certificateRefs').forEach((ref, j) => {
          const r = obj(ref);
          const kind = str(r, 'kind') || 'Secret';
          if (kind !== 'Secret' || (str(r, 'group') ?? '') !== '') return;
          const loc = located(o, ['spec', 'listeners', i, 'tls', 'certificateRefs', j, 'name'], str(r, 'name'));
          if (loc) secretNames.push(loc);
        });
      });
    }
    return {
      type: isIngress ? 'Ingress' : 'Gateway',
      issuer: located(o, ['metadata', 'annotations', 'cert-manager.io/issuer'], str(ann, 'cert-manager.io/issuer')),
      clusterIssuer: located(o, ['metadata', 'annotations', 'cert-manager.io/cluster-issuer'], str(ann, 'cert-manager.io/cluster-issuer')),
      issuerKind: str(ann, 'cert-manager.io/issuer-kind') || undefined,
      issuerGroup: str(ann, 'cert-manager.io/issuer-group') || undefined,
      secretNames,
    };
  }
  return undefined;
}
