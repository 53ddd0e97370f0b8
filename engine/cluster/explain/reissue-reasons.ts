/**
 * Why cert-manager issues a Certificate again: the reasons its issuing
 * policies give (cert-manager v1.21, internal/controller/certificates/policies)
 * in the Certificate's Ready=False and Issuing=True conditions, and what each
 * means for the Secret. cert-manager's own message says which field or value;
 * this says what the reason means and whether a person must act.
 */

export interface ReissueReason {
  /** cert-manager's reason, e.g. SecretMismatch. */
  reason: string;
  /** What it means, in one sentence. */
  meaning: string;
  /** true: cert-manager fixes it by issuing; false: it needs a person (or is a first issuance). */
  expected: boolean;
}

const REASONS: Record<string, { meaning: string; expected: boolean }> = {
  DoesNotExist: { meaning: 'the Secret does not exist yet: this is a first issuance (or the Secret was deleted)', expected: true },
  MissingData: { meaning: 'the Secret lacks tls.crt or tls.key (emptied or written by hand)', expected: true },
  InvalidKeyPair: { meaning: 'the private key in the Secret cannot be read or does not belong to its certificate', expected: true },
  InvalidCertificate: { meaning: 'the certificate in the Secret cannot be parsed', expected: true },
  InvalidCertificateRequest: { meaning: 'the CSR of the current CertificateRequest cannot be parsed', expected: true },
  SecretMismatch: { meaning: 'the Secret no longer matches the spec: a name, key algorithm or size, usage, subject field or keystore changed since it was issued', expected: true },
  IncorrectIssuer: { meaning: 'the Secret was issued by another issuer than spec.issuerRef names now', expected: true },
  IncorrectCertificate: { meaning: 'the Secret carries the cert-manager.io/certificate-name annotation of another Certificate: two Certificates share one secretName', expected: false },
  RequestChanged: { meaning: 'the current CertificateRequest no longer matches the spec', expected: true },
  Renewing: { meaning: 'the renewal time has come', expected: true },
  Expired: { meaning: 'the certificate has expired', expected: true },
  WindowError: { meaning: 'the renewal windows cannot be evaluated, so it renews without them', expected: false },
  ARIError: { meaning: "the ACME server's renewal information (ARI) could not be fetched", expected: true },
  SecretTemplateMismatch: { meaning: "the Secret's labels or annotations differ from spec.secretTemplate (cert-manager updates them without issuing)", expected: true },
  SecretManagedMetadataMismatch: { meaning: 'the Secret lacks labels cert-manager manages', expected: true },
  AdditionalOutputFormatsMismatch: { meaning: 'the Secret lacks an output format spec.additionalOutputFormats asks for', expected: true },
  SecretOwnerRefMismatch: { meaning: "the Secret's owner reference does not follow --enable-certificate-owner-ref", expected: true },
  ManagedFieldsParseError: { meaning: "cert-manager could not read the Secret's managed fields", expected: false },
  ManuallyTriggered: { meaning: 'someone asked for a renewal (certsmith renew, cmctl renew)', expected: true },
};

/** cert-manager's reissue reason explained, or undefined for a reason it does not use for reissuing (Ready, Failed, Pending...). */
export function reissueReason(reason: string | undefined): ReissueReason | undefined {
  const r = reason ? REASONS[reason] : undefined;
  return r ? { reason: reason!, ...r } : undefined;
}
