/**
 * The Secret keys an issuer reads a credential from, where cert-manager uses
 * the bytes as they are: a line break at the end (the `echo` without `-n`
 * mistake) makes the credential wrong. Read in cert-manager v1.14–v1.21
 * (pkg/issuer/acme/dns/dns.go, pkg/issuer/acme/setup.go,
 * pkg/issuer/venafi/client). Left out on purpose, because cert-manager copes:
 * RFC 2136 TSIG secrets (base64 decoding skips line breaks), DigitalOcean
 * tokens, Route 53 secret access keys and Vault tokens and AppRole secret ids
 * (trimmed), and Google service accounts and ACME-DNS accounts (JSON).
 */
import type { PathSegment } from '../../schema/field-path.js';

export interface CredentialRef {
  /** What the credential is, for messages ("the Cloudflare API token"). */
  what: string;
  /** The selector's path under spec (with `solvers` as a placeholder for each solver). */
  path: readonly PathSegment[];
  /** The Secret key, when the selector has none of its own (or names only the Secret). */
  fixedKeys?: readonly string[];
  defaultKey?: string;
}

/** Under `spec.acme`, per issuer. */
export const ACME_CREDENTIALS: readonly CredentialRef[] = [
  { what: 'the external account binding key (cert-manager decodes it to a key one byte too long)', path: ['acme', 'externalAccountBinding', 'keySecretRef'] },
];

/** Under `spec.acme.solvers[i].dns01`, per solver. */
export const DNS01_CREDENTIALS: readonly CredentialRef[] = [
  { what: 'the Cloudflare API token (cert-manager refuses it: "does the API token contain a newline?")', path: ['cloudflare', 'apiTokenSecretRef'] },
  { what: 'the Cloudflare API key (cert-manager refuses it: "does the API key contain a newline?")', path: ['cloudflare', 'apiKeySecretRef'] },
  { what: 'the Route 53 access key ID (used as written: AWS rejects the signature)', path: ['route53', 'accessKeyIDSecretRef'] },
  { what: 'the Azure DNS client secret (used as written: Microsoft Entra rejects it)', path: ['azureDNS', 'clientSecretSecretRef'] },
  { what: 'the Akamai client token (used as written in the request signature)', path: ['akamai', 'clientTokenSecretRef'] },
  { what: 'the Akamai client secret (used as written in the request signature)', path: ['akamai', 'clientSecretSecretRef'] },
  { what: 'the Akamai access token (used as written in the request signature)', path: ['akamai', 'accessTokenSecretRef'] },
];

/** Under `spec.venafi`, per issuer. */
export const VENAFI_CREDENTIALS: readonly CredentialRef[] = [
  { what: 'the Venafi TPP credentials (used as written)', path: ['venafi', 'tpp', 'credentialsRef'], fixedKeys: ['username', 'password', 'access-token', 'client-id'] },
  { what: 'the Venafi Cloud API key (used as written)', path: ['venafi', 'cloud', 'apiTokenSecretRef'], defaultKey: 'api-key' },
];
