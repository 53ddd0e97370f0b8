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
import { ACME_CREDENTIALS, DNS01_CREDENTIALS, VENAFI_CREDENTIALS, type CredentialRef } from './credential-refs.js';

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
  ipAddresses?: Located[];
  /** spec.duration, spec.renewBefore (Go durations as written) and spec.renewBeforePercentage. */
  duration?: Located;
  renewBefore?: Located;
  renewBeforePercentage?: Located<number>;
  labels: Record<string, string>;
}

export interface IssuerFacts {
  type: 'Issuer';
  issuerType?: 'acme' | 'ca' | 'selfSigned' | 'vault' | 'venafi';
  acmeServer?: Located;
  solvers: SolverFacts[];
  caSecretName?: Located;
  /** spec.acme.privateKeySecretRef.name, spec.acme.email and spec.acme.profile. */
  accountKeySecret?: Located;
  acmeEmail?: string;
  acmeProfile?: Located;
  /** spec.acme.skipTLSVerify: true (its value), and whether spec.acme.caBundle is set. */
  skipTLSVerify?: Located<null>;
  acmeCaBundle?: boolean;
  /** spec.vault.server. */
  vaultServer?: Located;
  /** Secret keys the issuer reads credentials from that a trailing line break breaks (credential-refs.ts). */
  credentials?: CredentialUse[];
}

/** A Secret key an issuer reads a credential from; `at` is the selector's Secret name. */
interface CredentialUse {
  what: string;
  secret: string;
  keys: string[];
  at: Located<null>;
}

/** One ACME solver: what the solver picker needs, and where its `dns01:` key is. */
export interface SolverFacts extends SolverChoice {
  dns01Key?: Located<null>;
  /** Where to report about the solver as a whole: its `selector:` key, or its type's key. */
  at?: Located<null>;
}

/** A v1 Secret: whether it holds a certificate (data or stringData has a non-empty tls.crt). */
export interface SecretFacts {
  type: 'Secret';
  hasTlsCrt: boolean;
  /** Keys whose value ends in a line break (data: once decoded; stringData: as written), with the value's place. */
  trailingNewline?: { key: string; field: 'data' | 'stringData'; at: Located<null> }[];
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
  /** An Ingress's tls entries: the hosts of each Certificate ingress-shim makes (by secretName). */
  tlsHosts?: { secretName: string; hosts: string[] }[];
}

export type ObjectFacts = CertificateFacts | IssuerFacts | IngressFacts | SecretFacts;

function located(obj: KubeObject, at: PathSegment[], value: string | undefined): Located | undefined {
  if (value === undefined || value === '') return undefined;
  const n: Node = locate(obj, at);
  const r = n.range ?? [0, 0];
  return { value, start: r[0], end: r[1] };
}

const at = (l: Located | undefined): Located<null> | undefined => (l ? { value: null, start: l.start, end: l.end } : undefined);

function solverChoices(o: KubeObject, acme: Json | undefined): SolverFacts[] {
  return list(acme, 'solvers').map((raw, i) => {
    const s = isObject(raw) ? raw : {};
    const sel = obj(s.selector);
    const dns01 = s.dns01 !== undefined && s.dns01 !== null;
    const http01 = s.http01 !== undefined && s.http01 !== null;
    const key = dns01 ? located(o, ['spec', 'acme', 'solvers', i, 'dns01'], '-') : undefined;
    const whole = at(located(o, ['spec', 'acme', 'solvers', i, sel ? 'selector' : dns01 ? 'dns01' : 'http01'], '-'));
    return {
      http01,
      dns01,
      ...(key ? { dns01Key: { value: null, start: key.start, end: key.end } } : {}),
      ...(whole ? { at: whole } : {}),
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
      ...optional('ipAddresses', nonEmpty(list(spec, 'ipAddresses').flatMap((x, i) => (typeof x === 'string' ? [located(o, ['spec', 'ipAddresses', i], x)].filter((l): l is Located => !!l) : [])))),
      ...optional('duration', located(o, ['spec', 'duration'], str(spec, 'duration'))),
      ...optional('renewBefore', located(o, ['spec', 'renewBefore'], str(spec, 'renewBefore'))),
      ...optional('renewBeforePercentage', typeof spec?.renewBeforePercentage === 'number' ? { ...located(o, ['spec', 'renewBeforePercentage'], '-')!, value: spec.renewBeforePercentage } : undefined),
      labels: Object.fromEntries(Object.entries(obj(meta?.labels) ?? {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    };
  }
  if (o.group === 'cert-manager.io' && (o.kind === 'Issuer' || o.kind === 'ClusterIssuer')) {
    const types = (['acme', 'ca', 'selfSigned', 'vault', 'venafi'] as const).filter((t) => spec?.[t] !== undefined && spec?.[t] !== null);
    const acme = obj(spec?.acme);
    const credentials = credentialUses(o, spec);
    return {
      type: 'Issuer',
      issuerType: types.length === 1 ? types[0] : undefined,
      acmeServer: located(o, ['spec', 'acme', 'server'], str(acme, 'server')),
      solvers: solverChoices(o, acme),
      caSecretName: located(o, ['spec', 'ca', 'secretName'], str(obj(spec?.ca), 'secretName')),
      ...optional('accountKeySecret', located(o, ['spec', 'acme', 'privateKeySecretRef', 'name'], str(obj(acme?.privateKeySecretRef), 'name'))),
      ...optional('acmeEmail', str(acme, 'email') || undefined),
      ...optional('acmeProfile', located(o, ['spec', 'acme', 'profile'], str(acme, 'profile'))),
      ...optional('skipTLSVerify', acme?.skipTLSVerify === true ? at(located(o, ['spec', 'acme', 'skipTLSVerify'], '-')) : undefined),
      ...optional('acmeCaBundle', acme?.caBundle !== undefined && acme?.caBundle !== null && acme?.caBundle !== '' ? true : undefined),
      ...optional('vaultServer', located(o, ['spec', 'vault', 'server'], str(obj(spec?.vault), 'server'))),
      ...optional('credentials', credentials.length > 0 ? credentials : undefined),
    };
  }
  if (o.apiVersion === 'v1' && o.kind === 'Secret') {
    const crt = (m: unknown) => {
      const v = obj(m)?.['tls.crt'];
      return typeof v === 'string' && v !== '';
    };
    const trailingNewline = newlineValues(o, plain);
    return { type: 'Secret', hasTlsCrt: crt(plain.data) || crt(plain.stringData), ...optional('trailingNewline', trailingNewline.length > 0 ? trailingNewline : undefined) };
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
    const tlsHosts = isIngress
      ? list(spec, 'tls').flatMap((t) => {
          const secretName = str(obj(t), 'secretName');
          const hosts = list(obj(t), 'hosts').filter((h): h is string => typeof h === 'string' && h !== '');
          return secretName && hosts.length > 0 ? [{ secretName, hosts }] : [];
        })
      : [];
    return {
      type: isIngress ? 'Ingress' : 'Gateway',
      ...optional('tlsHosts', tlsHosts.length > 0 ? tlsHosts : undefined),
      issuer: located(o, ['metadata', 'annotations', 'cert-manager.io/issuer'], str(ann, 'cert-manager.io/issuer')),
      clusterIssuer: located(o, ['metadata', 'annotations', 'cert-manager.io/cluster-issuer'], str(ann, 'cert-manager.io/cluster-issuer')),
      issuerKind: str(ann, 'cert-manager.io/issuer-kind') || undefined,
      issuerGroup: str(ann, 'cert-manager.io/issuer-group') || undefined,
      secretNames,
    };
  }
  return undefined;
}

/** `{ [key]: value }` when value is defined, else nothing: facts travel between threads and are kept small. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The list, or undefined when it is empty (an empty array is kept per object, in every file). */
const nonEmpty = <T>(items: T[]): T[] | undefined => (items.length > 0 ? items : undefined);

/** The credential Secret keys an issuer reads (see credential-refs.ts). */
function credentialUses(o: KubeObject, spec: Json | undefined): CredentialUse[] {
  const out: CredentialUse[] = [];
  const use = (ref: CredentialRef, path: (string | number)[], selector: Json | undefined) => {
    const secret = str(selector, 'name');
    if (!secret) return;
    const key = str(selector, 'key');
    const keys = ref.fixedKeys ? [...ref.fixedKeys] : key ? [key] : ref.defaultKey ? [ref.defaultKey] : [];
    const place = at(located(o, ['spec', ...path, 'name'], secret));
    if (keys.length > 0 && place) out.push({ what: ref.what, secret, keys, at: place });
  };
  const dig = (root: Json | undefined, path: readonly (string | number)[]): Json | undefined => path.reduce<Json | undefined>((v, k) => obj(v?.[k]), root);
  for (const ref of [...ACME_CREDENTIALS, ...VENAFI_CREDENTIALS]) use(ref, [...ref.path], dig(spec, ref.path));
  list(obj(spec?.acme), 'solvers').forEach((s, i) => {
    const dns01 = obj(obj(s)?.dns01);
    for (const ref of DNS01_CREDENTIALS) use(ref, ['acme', 'solvers', i, 'dns01', ...ref.path], dig(dns01, ref.path));
  });
  return out;
}

/** The Secret's values that end in a line break: data once decoded, stringData as written. */
function newlineValues(o: KubeObject, plain: Json): NonNullable<SecretFacts['trailingNewline']> {
  const out: NonNullable<SecretFacts['trailingNewline']> = [];
  for (const field of ['data', 'stringData'] as const) {
    for (const [key, v] of Object.entries(obj(plain[field]) ?? {})) {
      if (typeof v !== 'string' || v === '') continue;
      const value = field === 'data' ? decodeBase64(v) : v;
      if (value === undefined || !/\r?\n$/.test(value)) continue;
      const place = at(located(o, [field, key], '-'));
      if (place) out.push({ key, field, at: place });
    }
  }
  return out;
}

/** The text a base64 data value holds, or undefined when it is not base64 (another rule says so). */
function decodeBase64(v: string): string | undefined {
  const compact = v.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return undefined;
  return Buffer.from(compact, 'base64').toString('latin1');
}
