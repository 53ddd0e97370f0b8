/**
 * Issues one Certificate from its manifests, the way cert-manager would, and
 * writes what cert-manager would put in its Secret:
 *  - SelfSigned: signed with the Certificate's own key; ca.crt is the certificate;
 *  - CA: signed with tls.crt/tls.key of the Issuer's Secret (given as a
 *    Secret manifest, e.g. secret.yaml of an earlier run);
 *  - ACME: a real order against spec.acme.server (engine/acme).
 * The private key follows spec.privateKey; with rotationPolicy Never the key
 * of the previous result in the output directory is reused when it still fits.
 * Nothing is written unless the whole issuance succeeded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { readCertificates } from '../chain/certificate-info.js';
import { renewalTime } from '../chain/renewal.js';
import { parseGoDuration } from '../gocompat/go-duration.js';
import type { NameserverAddress } from '../dns/nameserver-address.js';
import { issueWithAcme } from '../acme/acme-order.js';
import type { ListenAddress } from '../acme/http01-responder.js';
import type { RenewalWindow } from '../acme/renewal-info.js';
import type { TxtRecord } from '../acme/dns01/dns01-provider.js';
import type { AccountKeyStore } from '../acme/account-store.js';
import { buildCsr, decodePrivateKeyPem, describeKey, encodePrivateKeyPem, generatePrivateKey, requestedKey, signSelfSigned, signWithCa, PkiError } from '../pki/index.js';
import { CancelledError, UserError } from '../core/errors.js';
import { asRecord } from '../core/values.js';
import { resolveIssuanceInputs, type IssuanceInputs } from './issuance-inputs.js';
import type { ResourceSet } from './resource-set.js';
import { buildSecretFiles, writeSecretFiles, type IssuedMaterial } from './secret-output.js';

export interface IssueRequest {
  resources: ResourceSet;
  certificate: string;
  namespace?: string;
  clusterResourceNamespace?: string;
  outDir: string;
  stateDir: string;
  /** Where ACME account keys are kept (default: files under stateDir). */
  accountStore?: AccountKeyStore;
  /** Use this ACME server instead of the Issuer's (e.g. Let's Encrypt staging instead of production). */
  acmeServerOverride?: string;
  recursiveNameservers: NameserverAddress[];
  recursiveOnly: boolean;
  authoritativePort?: number;
  http01Listen: ListenAddress;
  dns01Manual?: boolean;
  /** The whole issuance must finish within this (default 10 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  progress?: (message: string) => void;
  onManualRecords?: (records: TxtRecord[], phase: 'create' | 'delete') => void;
}

export interface IssueSummary {
  notBefore: string;
  notAfter: string;
  renewalTime: string;
  dnsNames: string[];
  /** "Issuer/ns/name" or "ClusterIssuer/name" */
  issuer: string;
  chainLength: number;
  elapsedMs: number;
  issuerType: 'SelfSigned' | 'CA' | 'ACME';
  secretName: string;
  namespace: string;
  files: string[];
  /** ACME: the solver per identifier. */
  solved?: { identifier: string; solver: string }[];
  /** ACME ARI suggested window, when the server offers it. */
  renewalInfo?: RenewalWindow;
  keyReused: boolean;
}

export const DEFAULT_ISSUE_TIMEOUT_MS = 10 * 60_000;

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function durationMs(spec: Record<string, unknown>, field: 'renewBefore'): number | undefined {
  const v = spec[field];
  if (typeof v !== 'string') return undefined;
  const d = parseGoDuration(v);
  return 'ns' in d ? d.ns / 1_000_000 : undefined;
}

/** The key to sign: a new one, or with rotationPolicy Never the previous result's key if it still matches spec.privateKey. */
function privateKeyFor(spec: Record<string, unknown>, outDir: string, progress: (m: string) => void): { key: KeyObject; reused: boolean } {
  const pk = asRecord(spec.privateKey);
  const wanted = requestedKey(pk);
  const previous = join(outDir, 'tls.key');
  if (pk.rotationPolicy === 'Never' && existsSync(previous)) {
    try {
      const key = decodePrivateKeyPem(readFileSync(previous), previous);
      const d = describeKey(key);
      if (d.algorithm === wanted.algorithm && (wanted.algorithm === 'Ed25519' || d.size === wanted.size)) {
        progress(`reusing the private key in ${previous} (privateKey.rotationPolicy: Never)`);
        return { key, reused: true };
      }
      progress(`the key in ${previous} is ${d.algorithm} ${d.size}, not the ${wanted.algorithm} ${wanted.size} the Certificate asks for: making a new one (as cert-manager does)`);
    } catch (e) {
      progress(`the key in ${previous} cannot be reused (${(e as Error).message}): making a new one`);
    }
  }
  progress(`generating a ${wanted.algorithm}${wanted.algorithm === 'Ed25519' ? '' : ` ${wanted.size}`} private key`);
  return { key: generatePrivateKey(pk), reused: false };
}

function issuerType(inputs: IssuanceInputs): IssueSummary['issuerType'] {
  const s = inputs.issuer.spec;
  const types = (['selfSigned', 'ca', 'acme', 'vault', 'venafi'] as const).filter((k) => s[k] !== undefined && s[k] !== null);
  const label = `${inputs.issuer.ref.kind} ${inputs.issuer.ref.name} (${inputs.issuer.source})`;
  if (types.length !== 1) throw new UserError(`${label} must have exactly one of selfSigned, ca, acme, vault, venafi; it has ${types.length ? types.join(', ') : 'none'}`);
  switch (types[0]) {
    case 'selfSigned':
      return 'SelfSigned';
    case 'ca':
      return 'CA';
    case 'acme':
      return 'ACME';
    default:
      throw new UserError(`${label} is a ${types[0]} issuer, which certsmith cannot use locally (it needs the ${types[0] === 'vault' ? 'Vault' : 'Venafi'} service); SelfSigned, CA and ACME issuers are supported`);
  }
}

export async function issueCertificate(req: IssueRequest): Promise<IssueSummary> {
  const started = performance.now();
  const progress = req.progress ?? (() => {});
  const deadline = Date.now() + (req.timeoutMs ?? DEFAULT_ISSUE_TIMEOUT_MS);
  const inputs = resolveIssuanceInputs(req.resources, { certificate: req.certificate, namespace: req.namespace, clusterResourceNamespace: req.clusterResourceNamespace });
  const spec = inputs.certificate.spec;
  const secretName = typeof spec.secretName === 'string' ? spec.secretName : '';
  if (!secretName) throw new UserError(`Certificate ${inputs.certificate.namespace}/${inputs.certificate.name} has no spec.secretName`);
  const type = issuerType(inputs);
  const issuerName = inputs.issuer.ref.kind === 'ClusterIssuer' ? `ClusterIssuer/${inputs.issuer.ref.name}` : `Issuer/${inputs.certificate.namespace}/${inputs.issuer.ref.name}`;
  progress(`Certificate ${inputs.certificate.namespace}/${inputs.certificate.name} → ${type} ${issuerName} → Secret ${inputs.certificate.namespace}/${secretName}`);

  let material: IssuedMaterial;
  let solved: IssueSummary['solved'];
  let renewalInfo: RenewalWindow | undefined;
  let keyReused = false;
  try {
    const { key, reused } = privateKeyFor(spec, req.outDir, progress);
    keyReused = reused;
    const privateKeyPem = encodePrivateKeyPem(key, asRecord(spec.privateKey).encoding as string | undefined);
    if (type === 'SelfSigned') {
      const signed = signSelfSigned(spec, key);
      material = { chainPem: signed.certificatePem, privateKeyPem, caPem: signed.caPem };
    } else if (type === 'CA') {
      const ca = asRecord(inputs.issuer.spec.ca);
      if (typeof ca.secretName !== 'string' || !ca.secretName) throw new UserError(`${issuerName} has no spec.ca.secretName`);
      const purpose = `the CA issuer ${inputs.issuer.ref.name}`;
      const certificatesPem = inputs.secretKey(ca.secretName, 'tls.crt', purpose).toString('utf8');
      const caKeyPem = inputs.secretKey(ca.secretName, 'tls.key', purpose).toString('utf8');
      progress(`signing with the CA in Secret ${inputs.secretNamespace}/${ca.secretName}`);
      const caCrt = inputs.optionalSecret(ca.secretName)?.['ca.crt'];
      let signed;
      try {
        signed = signWithCa(spec, key, { certificatesPem, privateKeyPem: caKeyPem, caPem: caCrt?.length ? caCrt.toString('utf8') : undefined }, {
          crlDistributionPoints: strings(ca.crlDistributionPoints),
          ocspServers: strings(ca.ocspServers),
          issuingCertificateURLs: strings(ca.issuingCertificateURLs),
        });
      } catch (e) {
        if (e instanceof PkiError && /^(tls\.key|tls\.crt|ca\.crt)/.test(e.message)) throw new UserError(`the CA Secret ${inputs.secretNamespace}/${ca.secretName}: ${e.message}`);
        throw e;
      }
      material = { chainPem: signed.chainPem, privateKeyPem, caPem: signed.caPem };
    } else {
      const csrPem = buildCsr(spec, key);
      const result = await issueWithAcme({
        inputs,
        csrPem,
        dnsNames: strings(spec.dnsNames),
        ipAddresses: strings(spec.ipAddresses),
        stateDir: req.stateDir,
        accountStore: req.accountStore,
        serverOverride: req.acmeServerOverride,
        recursiveNameservers: req.recursiveNameservers,
        recursiveOnly: req.recursiveOnly,
        authoritativePort: req.authoritativePort,
        http01Listen: req.http01Listen,
        dns01Manual: req.dns01Manual ?? false,
        deadline,
        signal: req.signal,
        progress,
        onManualRecords: req.onManualRecords,
      });
      material = { chainPem: result.chainPem, privateKeyPem };
      solved = result.solved;
      renewalInfo = result.renewalWindow;
    }
  } catch (e) {
    if (e instanceof PkiError) throw new UserError(e.message);
    if (req.signal?.aborted && !(e instanceof CancelledError)) throw new CancelledError();
    throw e;
  }
  if (req.signal?.aborted) throw new CancelledError();

  const { files } = buildSecretFiles(material, { certificateName: inputs.certificate.name, namespace: inputs.certificate.namespace, secretName, issuer: inputs.issuer.ref, spec });
  const written = writeSecretFiles(req.outDir, files);
  const chain = readCertificates(material.chainPem);
  const leaf = chain[0]!;
  const renewal = renewalTime(leaf.notBefore, leaf.notAfter, {
    renewBeforeMs: durationMs(spec, 'renewBefore'),
    renewBeforePercentage: typeof spec.renewBeforePercentage === 'number' ? spec.renewBeforePercentage : undefined,
  });
  return {
    notBefore: leaf.notBefore.toISOString(),
    notAfter: leaf.notAfter.toISOString(),
    renewalTime: renewal.renewalTime.toISOString(),
    dnsNames: leaf.info.dnsNames,
    issuer: issuerName,
    chainLength: chain.length,
    elapsedMs: Math.round(performance.now() - started),
    issuerType: type,
    secretName,
    namespace: inputs.certificate.namespace,
    files: written,
    solved,
    renewalInfo,
    keyReused,
  };
}
