/**
 * cert-manager's Certificate validation (internal/apis/certmanager/validation/
 * certificate.go at the pinned commit), one function per rule family, with
 * cert-manager's field paths and error types. All feature gates that guard
 * fields are on by default at that commit (LiteralCertificateSubject,
 * OtherNames, NameConstraints, AdditionalCertificateOutputFormats).
 *
 * For an older target release (`errs.since`), as that release's certificate.go
 * (module github.com/cert-manager/cert-manager@vX.Y.Z, same file) and the
 * defaults of its webhook's feature gates (internal/webhook/feature/features.go:
 * LiteralCertificateSubject and AdditionalCertificateOutputFormats default on
 * from v1.15, NameConstraints from v1.17, OtherNames from v1.20; a gate that is
 * off forbids its field).
 */
import type { PathSegment } from '../../schema/field-path.js';
import { parseDistinguishedName, isObjectIdentifier, isRecognizedAttributeType } from '../../gocompat/distinguished-name.js';
import type { FieldErrors } from './field-error.js';
import { formatGoDuration, HOUR, MINUTE, parseGoDuration } from '../../gocompat/go-duration.js';
import { goParseCIDR, goParseIP } from '../../gocompat/go-net.js';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './k8s-names.js';
import { parseMailAddress } from '../../gocompat/mail-address.js';
import { checkCron, isValidTimeZone } from '../../gocompat/cron.js';
import { isObject, list, num, obj, present, str, type Json } from './values.js';

const KEY_ALG_TO_SIG_ALGS: Record<string, string[]> = {
  RSA: ['SHA256WithRSA', 'SHA384WithRSA', 'SHA512WithRSA'],
  ECDSA: ['ECDSAWithSHA256', 'ECDSAWithSHA384', 'ECDSAWithSHA512'],
  Ed25519: ['PureEd25519'],
};

/** Key usages and extended key usages cert-manager knows (pkg/api/util/usages.go). */
export const KNOWN_USAGES = new Set([
  'signing',
  'digital signature',
  'content commitment',
  'key encipherment',
  'key agreement',
  'data encipherment',
  'cert sign',
  'crl sign',
  'encipher only',
  'decipher only',
  'any',
  'server auth',
  'client auth',
  'code signing',
  'email protection',
  's/mime',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'timestamping',
  'ocsp signing',
  'microsoft sgc',
  'netscape sgc',
]);

export const MIN_RSA_KEY_SIZE = 2048;
export const MAX_RSA_KEY_SIZE = 8192;
const DEFAULT_CERT_DURATION = 90 * 24 * HOUR;
const MIN_CERT_DURATION = HOUR;
const MIN_RENEW_BEFORE = 5 * MINUTE;

/** ValidateIssuerRef: used by Certificates and CertificateRequests. */
export function validateIssuerRef(spec: Json, errs: FieldErrors): void {
  const ref = obj(spec.issuerRef);
  const name = str(ref, 'name');
  if (name === '') errs.add('issuer-ref', 'Required', ['spec', 'issuerRef', 'name'], 'must be specified');
  const group = str(ref, 'group');
  const kind = str(ref, 'kind');
  if ((group === '' || group === 'cert-manager.io') && kind !== undefined && kind !== '' && kind !== 'Issuer' && kind !== 'ClusterIssuer') {
    let msg = 'must be one of Issuer or ClusterIssuer';
    // The hint came in v1.15 (validateIssuerRef).
    if (group === '' && errs.since('v1.15')) msg += ' (did you forget to set spec.issuerRef.kind.group?)';
    errs.add('issuer-ref', 'Invalid', ['spec', 'issuerRef', 'kind'], msg);
  }
}

export function validateCertificateSpec(spec: Json, errs: FieldErrors): void {
  const secretName = str(spec, 'secretName');
  if (secretName === '') errs.add('certificate-secret-name', 'Required', ['spec', 'secretName'], 'must be specified');
  else if (secretName !== undefined) {
    for (const m of isDNS1123Subdomain(secretName)) errs.add('certificate-secret-name', 'Invalid', ['spec', 'secretName'], m);
  }

  validateIssuerRef(spec, errs);

  let commonName = str(spec, 'commonName') ?? '';
  const literalSubject = str(spec, 'literalSubject') ?? '';
  if (literalSubject !== '') {
    if (!errs.since('v1.15')) {
      // v1.14: the LiteralCertificateSubject gate is alpha, off by default.
      errs.add('certificate-literal-subject', 'Forbidden', ['spec', 'literalSubject'], 'Feature gate LiteralCertificateSubject must be enabled on both webhook and controller to use the alpha `literalSubject` field');
    }
    if (commonName.length !== 0) {
      errs.add('certificate-literal-subject', 'Invalid', ['spec', 'commonName'], 'When providing a `LiteralSubject` no `commonName` may be provided.');
    }
    const subject = obj(spec.subject);
    if (
      subject &&
      (list(subject, 'organizations').length > 0 ||
        list(subject, 'countries').length > 0 ||
        list(subject, 'organizationalUnits').length > 0 ||
        list(subject, 'localities').length > 0 ||
        list(subject, 'provinces').length > 0 ||
        list(subject, 'streetAddresses').length > 0 ||
        list(subject, 'postalCodes').length > 0 ||
        (str(subject, 'serialNumber') ?? '').length > 0)
    ) {
      errs.add('certificate-literal-subject', 'Invalid', ['spec', 'subject'], 'When providing a `LiteralSubject` no `Subject` properties may be provided.');
    }
    // v1.14's pkg/util/pki/subject.go refuses "=#" values before parsing, and knows attribute names only (no dotted OIDs).
    const parsed: ReturnType<typeof parseDistinguishedName> =
      !errs.since('v1.15') && literalSubject.includes('=#')
        ? { error: `unsupported distinguished name (DN) ${JSON.stringify(literalSubject)}: notation does not support x509.subject identities containing "=#"` }
        : parseDistinguishedName(literalSubject);
    const recognized = (type: string) => isRecognizedAttributeType(type) && (errs.since('v1.15') || !isObjectIdentifier(type));
    if ('error' in parsed) {
      errs.add('certificate-literal-subject', 'Invalid', ['spec', 'literalSubject'], parsed.error);
    } else {
      for (const rdn of parsed.rdns) for (const atv of rdn) if (atv.type === 'CN') commonName = atv.value;
      for (const rdn of parsed.rdns) {
        for (const atv of rdn) {
          if (!recognized(atv.type)) {
            errs.add('certificate-literal-subject', 'Invalid', ['spec', 'literalSubject'], `Literal subject contains unrecognized key with value [${atv.value}]`);
          }
        }
      }
    }
  }

  if (
    commonName.length === 0 &&
    list(spec, 'dnsNames').length === 0 &&
    list(spec, 'uris').length === 0 &&
    list(spec, 'emailAddresses').length === 0 &&
    list(spec, 'ipAddresses').length === 0 &&
    list(spec, 'otherNames').length === 0
  ) {
    errs.add(
      'certificate-identity',
      'Invalid',
      ['spec'],
      errs.since('v1.20')
        ? 'at least one of commonName (from the commonName field or from a literalSubject), dnsNames, emailSANs, ipAddresses, otherNames, or uriSANs must be set'
        : errs.since('v1.15')
          ? 'at least one of commonName (from the commonName field or from a literalSubject), dnsNames, uriSANs, ipAddresses, emailSANs or otherNames must be set'
          : 'at least one of commonName, dnsNames, uriSANs, ipAddresses, emailSANs or otherNames must be set',
    );
  }
  if (Buffer.byteLength(commonName) > 64) {
    errs.add('certificate-common-name', 'TooLong', ['spec', 'commonName'], 'may not be more than 64 bytes');
  }

  list(spec, 'ipAddresses').forEach((ip, i) => {
    if (typeof ip === 'string' && !goParseIP(ip)) errs.add('certificate-ip-address', 'Invalid', ['spec', 'ipAddresses', i], 'invalid IP address');
  });

  list(spec, 'emailAddresses').forEach((e, i) => {
    if (typeof e !== 'string') return;
    const parsed = parseMailAddress(e);
    if ('error' in parsed) errs.add('certificate-email-address', 'Invalid', ['spec', 'emailAddresses', i], `invalid email address: ${parsed.error}`);
    else if (parsed.address !== e) {
      errs.add('certificate-email-address', 'Invalid', ['spec', 'emailAddresses', i], 'invalid email address: make sure the supplied value only contains the email address itself');
      errs.list[errs.list.length - 1].replaceWith = { title: `Use the address alone: ${parsed.address}`, text: parsed.address };
    }
  });

  if (list(spec, 'otherNames').length > 0 && !errs.since('v1.20')) {
    // Before v1.20 the OtherNames gate is alpha, off by default; cert-manager's path is spelt "OtherNames".
    errs.add('certificate-other-names', 'Forbidden', ['spec', 'otherNames'], 'Feature gate OtherNames must be enabled on both webhook and controller to use the alpha `otherNames` field', 'spec.OtherNames');
  } else list(spec, 'otherNames').forEach((raw, i) => {
    const on = obj(raw);
    const oid = str(on, 'oid') ?? '';
    if (oid === '') errs.add('certificate-other-names', 'Required', ['spec', 'otherNames', i, 'oid'], 'must be specified');
    if (!isObjectIdentifier(oid)) errs.add('certificate-other-names', 'Invalid', ['spec', 'otherNames', i, 'oid'], 'invalid oid syntax');
    if ((str(on, 'utf8Value') ?? '') === '') {
      errs.add('certificate-other-names', 'Required', ['spec', 'otherNames', i, 'utf8Value'], 'must be set to a valid non-empty UTF8 string');
    }
  });

  validatePrivateKey(spec, errs);
  // The check came with the field, in v1.18.
  if (errs.since('v1.18')) validateSignatureAlgorithm(spec, errs);
  if (present(spec, 'duration') || present(spec, 'renewBefore')) validateDuration(spec, errs);

  list(spec, 'usages').forEach((u, i) => {
    if (typeof u === 'string' && !KNOWN_USAGES.has(u)) errs.add('certificate-usages', 'Invalid', ['spec', 'usages', i], 'unknown keyusage');
  });

  const rhl = num(spec, 'revisionHistoryLimit');
  if (rhl !== undefined && rhl < 1) errs.add('certificate-revision-history-limit', 'Invalid', ['spec', 'revisionHistoryLimit'], 'must not be less than 1');

  validateSecretTemplate(spec, errs);
  if (present(spec, 'nameConstraints')) {
    // Before v1.17 the NameConstraints gate is alpha, off by default.
    if (errs.since('v1.17')) validateNameConstraints(spec, errs);
    else errs.add('certificate-name-constraints', 'Forbidden', ['spec', 'nameConstraints'], 'feature gate NameConstraints must be enabled');
  }
  validateAdditionalOutputFormats(spec, errs);
  // validateKeystores came in v1.17 (with keystores' literal password), validateCertificateRenewal in v1.21 (with spec.renewal).
  if (present(spec, 'keystores') && errs.since('v1.17')) validateKeystores(spec, errs);
  if (present(spec, 'renewal') && errs.since('v1.21')) validateRenewal(spec, errs);
}

/**
 * The webhook's warning when spec.privateKey.rotationPolicy is left out: only
 * v1.18 and v1.19 give it (ValidateCertificate and warnings.go's
 * newDefaultPrivateKeyRotationPolicy; v1.20 dropped it), when the default
 * changed from Never to Always.
 */
export function rotationPolicyDefaultWarning(spec: Json, errs: FieldErrors): void {
  if (!errs.since('v1.18') || errs.since('v1.20')) return;
  if ((str(obj(spec.privateKey), 'rotationPolicy') ?? '') !== '') return;
  errs.warn('certificate-rotation-policy-default', present(spec, 'privateKey') ? ['spec', 'privateKey'] : ['spec'], 'spec.privateKey.rotationPolicy: In cert-manager >= v1.18.0, the default value changed from `Never` to `Always`.');
}

function validatePrivateKey(spec: Json, errs: FieldErrors): void {
  const pk = obj(spec.privateKey);
  if (!pk) return;
  const algorithm = str(pk, 'algorithm');
  const size = num(pk, 'size') ?? 0;
  switch (algorithm) {
    case '':
    case 'RSA':
      if (size > 0 && (size < MIN_RSA_KEY_SIZE || size > MAX_RSA_KEY_SIZE)) {
        const and = errs.since('v1.17') ? 'and' : '&';
        errs.add('certificate-private-key', 'Invalid', ['spec', 'privateKey', 'size'], `must be between ${MIN_RSA_KEY_SIZE} ${and} ${MAX_RSA_KEY_SIZE} for rsa keyAlgorithm`);
      }
      break;
    case 'ECDSA':
      if (size > 0 && size !== 256 && size !== 384 && size !== 521) {
        errs.add('certificate-private-key', 'NotSupported', ['spec', 'privateKey', 'size'], 'supported values: "256", "384", "521"');
      }
      break;
    case 'Ed25519':
    case undefined:
      break;
    default:
      errs.add('certificate-private-key', 'Invalid', ['spec', 'privateKey', 'algorithm'], 'must be either empty or one of rsa, ecdsa or ed25519');
  }
}

function validateSignatureAlgorithm(spec: Json, errs: FieldErrors): void {
  const sig = str(spec, 'signatureAlgorithm');
  if (!sig) return;
  const keyAlg = str(obj(spec.privateKey), 'algorithm') || 'RSA';
  const allowed = KEY_ALG_TO_SIG_ALGS[keyAlg];
  if (allowed && !allowed.includes(sig)) {
    errs.add('certificate-signature-algorithm', 'Invalid', ['spec', 'signatureAlgorithm'], `for key algorithm ${keyAlg} the allowed signature algorithms are [${allowed.join(' ')}]`);
  }
}

/** A duration field as cert-manager decodes it (undefined when absent; invalid text is its own error). */
function durationField(spec: Json, key: string, errs: FieldErrors): number | undefined | null {
  const v = spec[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return null;
  const d = parseGoDuration(v);
  if ('error' in d) {
    errs.add('certificate-duration', 'Invalid', ['spec', key], `${d.error}: use Go duration syntax with the units h, m and s, e.g. 2160h for 90 days`);
    return null;
  }
  return d.ns;
}

function validateDuration(spec: Json, errs: FieldErrors): void {
  const d = durationField(spec, 'duration', errs);
  const rb = durationField(spec, 'renewBefore', errs);
  if (d === null || rb === null) return;
  const duration = d ?? DEFAULT_CERT_DURATION;
  if (duration < MIN_CERT_DURATION) {
    errs.add('certificate-duration', 'Invalid', ['spec', 'duration'], `certificate duration must be greater than ${formatGoDuration(MIN_CERT_DURATION)}`);
  }
  // renewBeforePercentage and its checks came in v1.16.
  const pct = errs.since('v1.16') ? num(spec, 'renewBeforePercentage') : undefined;
  if (rb !== undefined && pct !== undefined) {
    errs.add('certificate-duration', 'Invalid', ['spec', 'renewBefore'], 'renewBefore and renewBeforePercentage are mutually exclusive and cannot both be set');
    errs.add('certificate-duration', 'Invalid', ['spec', 'renewBeforePercentage'], 'renewBefore and renewBeforePercentage are mutually exclusive and cannot both be set');
  }
  if (rb !== undefined && rb < MIN_RENEW_BEFORE) {
    errs.add('certificate-duration', 'Invalid', ['spec', 'renewBefore'], `certificate renewBefore must be greater than ${formatGoDuration(MIN_RENEW_BEFORE)}`);
  }
  if (rb !== undefined && rb >= duration) {
    errs.add('certificate-duration', 'Invalid', ['spec', 'renewBefore'], `certificate duration ${formatGoDuration(duration)} must be greater than renewBefore ${formatGoDuration(rb)}`);
  }
  if (pct !== undefined) {
    // v1.21 computes in float64; v1.16-v1.20 in int64 nanoseconds, which wraps for long durations.
    const renewBefore = errs.since('v1.21') ? Math.trunc((duration * (100 - pct)) / 100) : Number(BigInt.asIntN(64, BigInt(Math.trunc(duration)) * BigInt(100 - Math.trunc(pct))) / 100n);
    if (renewBefore < MIN_RENEW_BEFORE) {
      errs.add('certificate-duration', 'Invalid', ['spec', 'renewBeforePercentage'], `certificate renewBeforePercentage must result in a renewBefore greater than ${formatGoDuration(MIN_RENEW_BEFORE)}`);
    }
    if (renewBefore >= duration) {
      errs.add('certificate-duration', 'Invalid', ['spec', 'renewBeforePercentage'], 'certificate renewBeforePercentage must result in a renewBefore less than duration');
    }
  }
}

function validateSecretTemplate(spec: Json, errs: FieldErrors): void {
  const tpl = obj(spec.secretTemplate);
  if (!tpl) return;
  const labels = obj(tpl.labels);
  if (labels) {
    const at: PathSegment[] = ['spec', 'secretTemplate', 'labels'];
    for (const [k, v] of Object.entries(labels)) {
      for (const m of isQualifiedName(k)) errs.add('certificate-secret-template', 'Invalid', at, m);
      if (typeof v === 'string') for (const m of isValidLabelValue(v)) errs.add('certificate-secret-template', 'Invalid', at, m);
    }
  }
  const annotations = obj(tpl.annotations);
  if (annotations) {
    const at: PathSegment[] = ['spec', 'secretTemplate', 'annotations'];
    let total = 0;
    for (const k of Object.keys(annotations)) {
      if (k.startsWith('cert-manager.io/') && k !== 'cert-manager.io/allow-direct-injection') {
        errs.add('certificate-secret-template', 'Invalid', at, 'cert-manager.io/* annotations are not allowed');
      }
    }
    for (const [k, v] of Object.entries(annotations)) {
      for (const m of isQualifiedName(k.toLowerCase())) errs.add('certificate-secret-template', 'Invalid', at, m);
      total += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
    }
    if (total > 256 * 1024) errs.add('certificate-secret-template', 'TooLong', at, `may not be more than ${256 * 1024} bytes`);
  }
}

function validateNameConstraints(spec: Json, errs: FieldErrors): void {
  const nc = obj(spec.nameConstraints);
  const at: PathSegment[] = ['spec', 'nameConstraints'];
  if (spec.isCA !== true) errs.add('certificate-name-constraints', 'Invalid', at, 'isCA should be true when nameConstraints is set');
  if (!present(nc, 'permitted') && !present(nc, 'excluded')) {
    errs.add('certificate-name-constraints', 'Invalid', at, 'either permitted or excluded must be set');
  }
  for (const which of ['permitted', 'excluded']) {
    list(obj(nc?.[which]), 'ipRanges').forEach((cidr, i) => {
      // The CIDR check came after v1.21 (internal/apis/certmanager/validation, validateNameConstraintItem).
      if (errs.since('next') && typeof cidr === 'string' && !goParseCIDR(cidr)) {
        errs.add('certificate-name-constraints', 'Invalid', ['spec', 'nameConstraints', which, 'ipRanges', i], 'invalid CIDR address');
      }
    });
  }
}

function validateAdditionalOutputFormats(spec: Json, errs: FieldErrors): void {
  if (!errs.since('v1.15')) {
    // v1.14: the AdditionalCertificateOutputFormats gate is alpha, off by default.
    if (list(spec, 'additionalOutputFormats').length > 0) {
      errs.add('certificate-output-formats', 'Forbidden', ['spec', 'additionalOutputFormats'], 'feature gate AdditionalCertificateOutputFormats must be enabled');
    }
    return;
  }
  const seen = new Set<string>();
  list(spec, 'additionalOutputFormats').forEach((f, i) => {
    const type = str(obj(f), 'type') ?? '';
    if (seen.has(type)) {
      errs.add('certificate-output-formats', 'Duplicate', ['spec', 'additionalOutputFormats', i, 'type'], `duplicate output format "${type}"`, 'spec.additionalOutputFormats[type]');
      return;
    }
    seen.add(type);
  });
}

function validateKeystores(spec: Json, errs: FieldErrors): void {
  const ks = obj(spec.keystores);
  for (const [key, label] of [
    ['jks', 'JKS'],
    ['pkcs12', 'PKCS#12'],
  ] as const) {
    const store = obj(ks?.[key]);
    if (!store) continue;
    const hasPassword = present(store, 'password');
    const refName = str(obj(store.passwordSecretRef), 'name') ?? '';
    const at: PathSegment[] = ['spec', 'keystores', key];
    if (hasPassword && refName !== '') {
      errs.add('certificate-keystores', 'Forbidden', at, `exactly one of passwordSecretRef and password must be provided for ${label} keystores; cannot set both`);
    }
    if (!hasPassword && refName === '') {
      errs.add('certificate-keystores', 'Forbidden', at, `must set exactly one of passwordSecretRef and password must for ${label} keystores`);
    }
    if (hasPassword && str(store, 'password') === '') {
      errs.add('certificate-keystores', 'Forbidden', ['spec', 'keystores', key, 'password'], `literal password cannot be empty if set on ${label} keystores`);
    }
  }
}

function validateRenewal(spec: Json, errs: FieldErrors): void {
  const renewal = obj(spec.renewal);
  const policy = str(renewal, 'policy');
  const windows = list(renewal, 'windows');
  if (policy === 'Disabled') {
    if (windows.length > 0) errs.add('certificate-renewal', 'Forbidden', ['spec', 'renewal', 'windows'], 'windows cannot be set when `renewal.policy` is set to Disabled');
    return;
  }
  if (policy !== 'RenewBefore') {
    errs.add('certificate-renewal', 'NotSupported', ['spec', 'renewal', 'policy'], 'supported values: "Disabled", "RenewBefore"');
  }
  windows.forEach((raw, i) => {
    const w = isObject(raw) ? raw : {};
    const at: PathSegment[] = ['spec', 'renewal', 'windows', i];
    if (!present(w, 'windowDuration')) {
      errs.add('certificate-renewal', 'Required', [...at, 'windowDuration'], 'windowDuration must be specified and should be greater than 0');
    }
    const tz = str(w, 'timezone') ?? '';
    if (tz !== '' && !isValidTimeZone(tz)) {
      errs.add('certificate-renewal', 'Invalid', [...at, 'timezone'], 'invalid value for timezone. timezone must be IANA compliant');
    }
    const cronErr = checkCron(str(w, 'cron') ?? '', tz);
    if (cronErr) {
      errs.add(
        'certificate-renewal',
        'Invalid',
        [...at, 'cron'],
        `invalid cron syntax: failed to parse cron spec '${str(w, 'cron') ?? ''}': ${cronErr}. cron needs to follow: cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow`,
      );
    }
  });
}
