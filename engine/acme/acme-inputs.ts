/**
 * What an ACME order needs to know about the resources it serves: the issuer's
 * spec, the Certificate's spec and labels (for solver selectors), and the
 * Secrets the issuer refers to. engine/issue resolves them from manifests
 * (IssuanceInputs); this is the part the ACME code reads.
 */
export interface AcmeInputs {
  certificate: { name: string; namespace: string; spec: Record<string, unknown>; labels: Record<string, string> };
  issuer: { ref: { name: string; kind: 'Issuer' | 'ClusterIssuer' }; namespace: string | undefined; spec: Record<string, unknown> };
  /** Where the issuer's Secrets are read from. */
  secretNamespace: string;
  /** One key of a Secret, or a UserError saying what it is needed for. */
  secretKey(name: string, key: string, purpose: string): Buffer;
  /** The Secret's data when it is among the resources, else undefined. */
  optionalSecret(name: string): Record<string, Buffer> | undefined;
}
