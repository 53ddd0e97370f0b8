/**
 * Finds what an issuance needs among the given resources, with cert-manager's
 * rules: the Certificate, the Issuer (in the Certificate's namespace) or
 * ClusterIssuer its issuerRef names, and the Secrets that issuer refers to
 * (an Issuer's in its own namespace; a ClusterIssuer's in the cluster resource
 * namespace, `cert-manager` by default). A missing piece is an UserError
 * saying what is missing and where it was looked for.
 */
import { UserError } from '../core/errors.js';
import type { Resource, ResourceSet } from './resource-set.js';
import type { AcmeInputs } from '../acme/acme-inputs.js';
import { asRecord } from '../core/values.js';

const CM_GROUP = 'cert-manager.io';

export interface IssuerRef {
  name: string;
  kind: 'Issuer' | 'ClusterIssuer';
  group: string;
}

export interface IssuanceInputs extends AcmeInputs {
  certificate: { name: string; namespace: string; spec: Record<string, unknown>; labels: Record<string, string>; source: string };
  issuer: { ref: IssuerRef; namespace: string | undefined; spec: Record<string, unknown>; source: string };
  /** Where the issuer's Secrets are read from. */
  secretNamespace: string;
  /** A Secret's data (data base64-decoded, stringData on top), or an UserError saying what it is needed for. */
  secret(name: string, purpose: string): Record<string, Buffer>;
  /** One key of a Secret, or an UserError. */
  secretKey(name: string, key: string, purpose: string): Buffer;
  /** The Secret's data when it is among the resources, else undefined. */
  optionalSecret(name: string): Record<string, Buffer> | undefined;
}

export interface ResolveOptions {
  certificate: string;
  /** The namespace the Certificate is in (or will be applied to); default: its own, else "default". */
  namespace?: string;
  /** cert-manager's --cluster-resource-namespace (default "cert-manager"). */
  clusterResourceNamespace?: string;
}

function describeAll(list: Resource[]): string {
  return list.map((r) => `${r.namespace ? `${r.namespace}/` : ''}${r.name} (${r.source})`).join(', ');
}

export function resolveIssuanceInputs(set: ResourceSet, options: ResolveOptions): IssuanceInputs {
  const all = set.ofKind('Certificate', CM_GROUP);
  const named = all.filter((r) => r.name === options.certificate);
  let cert: Resource | undefined;
  if (options.namespace !== undefined) {
    cert = named.find((r) => r.namespace === options.namespace) ?? named.find((r) => r.namespace === undefined);
  } else if (named.length > 1) {
    throw new UserError(`there are ${named.length} Certificates named "${options.certificate}": ${describeAll(named)}`, 'choose one with --namespace');
  } else {
    cert = named[0];
  }
  if (!cert) {
    const where = options.namespace !== undefined ? ` in namespace "${options.namespace}"` : '';
    const others = all.length ? `; the files hold: ${describeAll(all)}` : '; the files hold no cert-manager.io Certificate';
    throw new UserError(`Certificate "${options.certificate}"${where} is not in the given files${others}`);
  }
  const namespace = cert.namespace ?? options.namespace ?? 'default';
  const spec = asRecord(cert.value.spec);
  const labels = asRecord(asRecord(cert.value.metadata).labels) as Record<string, string>;

  const refValue = asRecord(spec.issuerRef);
  if (typeof refValue.name !== 'string' || refValue.name === '') {
    throw new UserError(`Certificate ${namespace}/${cert.name} (${cert.source}) has no spec.issuerRef.name`);
  }
  const group = typeof refValue.group === 'string' && refValue.group !== '' ? refValue.group : CM_GROUP;
  const kindText = typeof refValue.kind === 'string' && refValue.kind !== '' ? refValue.kind : 'Issuer';
  if (group !== CM_GROUP) {
    throw new UserError(
      `Certificate ${namespace}/${cert.name} uses an external issuer (${kindText}.${group}/${refValue.name}); only cert-manager's own Issuer and ClusterIssuer can be issued locally`,
    );
  }
  if (kindText !== 'Issuer' && kindText !== 'ClusterIssuer') {
    throw new UserError(`Certificate ${namespace}/${cert.name}: spec.issuerRef.kind is "${kindText}"; cert-manager.io issuers are Issuer or ClusterIssuer`);
  }
  const ref: IssuerRef = { name: refValue.name, kind: kindText, group };

  let issuer: Resource | undefined;
  let secretNamespace: string;
  if (ref.kind === 'Issuer') {
    issuer = set.find('Issuer', ref.name, namespace, CM_GROUP);
    secretNamespace = namespace;
    if (!issuer) {
      const elsewhere = set.ofKind('Issuer', CM_GROUP).filter((r) => r.name === ref.name);
      const cluster = set.find('ClusterIssuer', ref.name, undefined, CM_GROUP);
      const hint = cluster
        ? `there is a ClusterIssuer "${ref.name}" (${cluster.source}): set issuerRef.kind: ClusterIssuer`
        : elsewhere.length
          ? `an Issuer is only used by Certificates in its own namespace; found ${describeAll(elsewhere)}`
          : 'add the file that defines it with another -f';
      throw new UserError(`Issuer "${ref.name}" in namespace "${namespace}" (the Certificate's namespace) is not in the given files`, hint);
    }
  } else {
    issuer = set.find('ClusterIssuer', ref.name, undefined, CM_GROUP);
    secretNamespace = options.clusterResourceNamespace ?? 'cert-manager';
    if (!issuer) {
      const ns = set.find('Issuer', ref.name, namespace, CM_GROUP);
      const hint = ns ? `there is an Issuer "${ref.name}" (${ns.source}): set issuerRef.kind: Issuer` : 'add the file that defines it with another -f';
      throw new UserError(`ClusterIssuer "${ref.name}" is not in the given files`, hint);
    }
  }

  const read = (name: string): Record<string, Buffer> | undefined => {
    const s = set.find('Secret', name, secretNamespace, '');
    if (!s) return undefined;
    const out: Record<string, Buffer> = {};
    for (const [k, v] of Object.entries(asRecord(s.value.data))) {
      if (typeof v !== 'string') continue;
      const compact = v.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new UserError(`Secret ${secretNamespace}/${name} (${s.source}): data.${k} is not base64 (put plain text under stringData instead)`);
      out[k] = Buffer.from(compact, 'base64');
    }
    for (const [k, v] of Object.entries(asRecord(s.value.stringData))) {
      if (typeof v === 'string') out[k] = Buffer.from(v, 'utf8');
    }
    return out;
  };
  const why =
    ref.kind === 'ClusterIssuer'
      ? ` (a ClusterIssuer reads its Secrets from the cluster resource namespace "${secretNamespace}"; change it with --cluster-resource-namespace)`
      : ` (an Issuer reads its Secrets from its own namespace)`;
  const secret = (name: string, purpose: string): Record<string, Buffer> => {
    const data = read(name);
    if (!data) throw new UserError(`Secret "${name}" in namespace "${secretNamespace}", needed for ${purpose}, is not in the given files${why}`, 'add a Secret manifest with another -f');
    return data;
  };
  return {
    certificate: { name: cert.name, namespace, spec, labels, source: cert.source },
    issuer: { ref, namespace: ref.kind === 'Issuer' ? namespace : undefined, spec: asRecord(issuer.value.spec), source: issuer.source },
    secretNamespace,
    secret,
    optionalSecret: read,
    secretKey(name, key, purpose) {
      const data = secret(name, purpose);
      const v = data[key];
      if (v === undefined || v.length === 0) {
        const keys = Object.keys(data);
        throw new UserError(`Secret ${secretNamespace}/${name} has no key "${key}" (needed for ${purpose}); it has ${keys.length ? keys.map((k) => `"${k}"`).join(', ') : 'no data'}`);
      }
      return v;
    },
  };
}
