/**
 * ACME Renewal Information (ARI, RFC 9773): when the directory offers
 * `renewalInfo`, ask it for the suggested renewal window of a certificate.
 * The certificate's ARI identifier is base64url(AKI keyIdentifier) "."
 * base64url(serial number bytes, as DER encodes the INTEGER). The request is
 * an unauthenticated GET through the Issuer's own transport.
 */
import type * as acme from 'acme-client';
import { readCertificates } from '../chain/certificate-info.js';
import type { AcmeRequest } from './acme-transport.js';

export interface RenewalWindow {
  start: string;
  end: string;
  explanationURL?: string;
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** The RFC 9773 certificate identifier of the first certificate of a PEM chain, or undefined without an AKI. */
function ariCertId(chainPem: string): string | undefined {
  const [cert] = readCertificates(chainPem);
  const aki = cert?.details.authorityKeyId;
  if (!aki) return undefined;
  let serial = Buffer.from(cert.serialBytes);
  if (serial.length === 0) serial = Buffer.from([0]);
  // The INTEGER's bytes as DER encodes them: a leading zero keeps a high first bit positive.
  if (serial[0]! & 0x80) serial = Buffer.concat([Buffer.from([0]), serial]);
  return `${b64url(Buffer.from(aki, 'hex'))}.${b64url(serial)}`;
}

export async function fetchRenewalInfo(client: acme.Client, request: AcmeRequest, chainPem: string): Promise<RenewalWindow | undefined> {
  const directory = (await (client as unknown as { http: { getDirectory(): Promise<Record<string, unknown>> } }).http.getDirectory()) ?? {};
  const base = directory.renewalInfo;
  if (typeof base !== 'string' || base === '') return undefined;
  const id = ariCertId(chainPem);
  if (!id) return undefined;
  const res = await request(`${base.replace(/\/$/, '')}/${id}`, 'get');
  if (res.status !== 200) return undefined;
  const window = (res.data as { suggestedWindow?: { start?: string; end?: string }; explanationURL?: string })?.suggestedWindow;
  if (!window?.start || !window.end) return undefined;
  return { start: window.start, end: window.end, explanationURL: (res.data as { explanationURL?: string }).explanationURL };
}
