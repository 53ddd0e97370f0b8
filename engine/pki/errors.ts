/**
 * The one error type of the certificate-issuing engine. Messages name the
 * Certificate field (or Secret key) at fault, the value that was given and
 * what would have been accepted, so a person can fix the manifest without
 * reading cert-manager's source. Private key material never appears in a
 * message: only key types, sizes and where the key came from.
 */
export class PkiError extends Error {
  override readonly name = 'PkiError';
  /** The Certificate field path ("spec.privateKey.size") or input ("tls.key") at fault, when there is one. */
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(field ? `${field}: ${message}` : message);
    this.field = field;
  }
}

/** A value quoted for a message: strings in double quotes, anything else as JSON, long values cut short. */
export function quote(value: unknown): string {
  let s: string;
  if (typeof value === 'string') s = JSON.stringify(value);
  else if (value === undefined) s = 'undefined';
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
