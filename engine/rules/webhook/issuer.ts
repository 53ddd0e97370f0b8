/**
 * cert-manager's Issuer and ClusterIssuer validation (issuer.go,
 * clusterissuer.go and util/nameserver.go at the pinned commit), with
 * cert-manager's field paths and error types. For an older target release
 * (`errs.since`), as that release's internal/apis/certmanager/validation/issuer.go
 * (module github.com/cert-manager/cert-manager@vX.Y.Z).
 */
import { X509Certificate } from 'node:crypto';
import type { PathSegment } from '../../schema/field-path.js';
import type { FieldErrors } from './field-error.js';
import type { RuleId } from '../registry.js';
import { goSplitHostPort } from '../../gocompat/go-net.js';
import { isDNS1123Subdomain } from './k8s-names.js';
import { parseGoDuration } from '../../gocompat/go-duration.js';
import { isObject, list, obj, present, str, bool, type Json } from './values.js';

const ISSUER_TYPES = ['acme', 'ca', 'selfSigned', 'vault', 'venafi'] as const;
const TSIG_ALGORITHMS = ['HMACMD5', 'HMACSHA1', 'HMACSHA256', 'HMACSHA512'];
const AZURE_ENVIRONMENTS = ['AzurePublicCloud', 'AzureChinaCloud', 'AzureGermanCloud', 'AzureUSGovernmentCloud'];
const DEPRECATED_EAB_KEY_ALGORITHM = "ACME issuer spec field 'externalAccount.keyAlgorithm' is deprecated. The value of this field will be ignored.";

export function validateIssuerSpec(spec: Json, errs: FieldErrors): void {
  let configs = 0;
  for (const type of ISSUER_TYPES) {
    if (!present(spec, type)) continue;
    const at: PathSegment[] = ['spec', type];
    if (configs > 0) {
      errs.add('issuer-type', 'Forbidden', at, 'may not specify more than one issuer type');
      continue;
    }
    configs++;
    const cfg = obj(spec[type]) ?? {};
    if (type === 'acme') validateAcme(cfg, at, errs);
    else if (type === 'ca') validateCA(cfg, at, errs);
    else if (type === 'vault') validateVault(cfg, at, errs);
    else if (type === 'venafi') validateVenafi(cfg, at, errs);
  }
  if (configs === 0) errs.add('issuer-type', 'Required', ['spec'], 'at least one issuer must be configured');
}

/** Go's x509.CertPool.AppendCertsFromPEM: true when at least one PEM certificate parses. */
function caBundleHasCertificate(base64: string): boolean {
  let pem: string;
  try {
    pem = Buffer.from(base64, 'base64').toString('latin1');
  } catch {
    return false;
  }
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(pem); m; m = re.exec(pem)) {
    try {
      new X509Certificate(m[0]);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

function validateAcme(acme: Json, at: PathSegment[], errs: FieldErrors): void {
  const rule = 'acme-issuer';
  const caBundle = str(acme, 'caBundle') ?? '';
  if (caBundle.length > 0 && bool(acme, 'skipTLSVerify')) {
    errs.add(rule, 'Invalid', [...at, 'caBundle'], 'caBundle and skipTLSVerify are mutually exclusive and cannot both be set');
    errs.add(rule, 'Invalid', [...at, 'skipTLSVerify'], 'caBundle and skipTLSVerify are mutually exclusive and cannot both be set');
  }
  if (caBundle.length > 0 && !caBundleHasCertificate(caBundle)) {
    errs.add(rule, 'Invalid', [...at, 'caBundle'], "cert bundle didn't contain any valid certificates");
  }
  if ((str(obj(acme.privateKeySecretRef), 'name') ?? '') === '') {
    errs.add(rule, 'Required', [...at, 'privateKeySecretRef', 'name'], 'private key secret name is a required field');
  }
  if ((str(acme, 'server') ?? '') === '') errs.add(rule, 'Required', [...at, 'server'], 'acme server URL is a required field');

  if (present(acme, 'externalAccountBinding')) {
    const eab = obj(acme.externalAccountBinding) ?? {};
    const eabAt = [...at, 'externalAccountBinding'];
    if ((str(eab, 'keyID') ?? '') === '') {
      errs.add('acme-external-account-binding', 'Required', [...eabAt, 'keyID'], 'the keyID field is required when using externalAccountBinding');
    }
    validateSecretKeySelector(obj(eab.keySecretRef), [...eabAt, 'keySecretRef'], 'acme-external-account-binding', errs);
    if ((str(eab, 'keyAlgorithm') ?? '').length !== 0) errs.warn('acme-eab-key-algorithm-deprecated', [...eabAt, 'keyAlgorithm'], DEPRECATED_EAB_KEY_ALGORITHM);
  }

  list(acme, 'solvers').forEach((raw, i) => validateSolver(isObject(raw) ? raw : {}, [...at, 'solvers', i], errs));
}

function validateSolver(sol: Json, at: PathSegment[], errs: FieldErrors): void {
  let providers = 0;
  if (present(sol, 'http01')) {
    providers++;
    validateHttp01(obj(sol.http01) ?? {}, [...at, 'http01'], errs);
  }
  if (present(sol, 'dns01')) {
    if (providers > 0) errs.add('acme-solver', 'Forbidden', at, 'may not specify more than one solver type in a single solver');
    else {
      providers++;
      validateDns01(obj(sol.dns01) ?? {}, [...at, 'dns01'], errs);
    }
  }
  if (providers === 0) errs.add('acme-solver', 'Required', at, 'no solver type configured');
  const wait = sol.waitInsteadOfSelfCheck;
  // The field and its check came in v1.21.
  if (typeof wait === 'string' && errs.since('v1.21')) {
    const d = parseGoDuration(wait);
    if ('ns' in d && d.ns < 0) errs.add('acme-solver', 'Invalid', [...at, 'waitInsteadOfSelfCheck'], 'waitInsteadOfSelfCheck must not be negative');
  }
}

function validateHttp01(http01: Json, at: PathSegment[], errs: FieldErrors): void {
  const rule = 'acme-http01';
  let defined = 0;
  if (present(http01, 'ingress')) {
    defined++;
    const ing = obj(http01.ingress) ?? {};
    const ingAt = [...at, 'ingress'];
    const specified = (present(ing, 'class') ? 1 : 0) + (present(ing, 'ingressClassName') ? 1 : 0) + ((str(ing, 'name') ?? '').length > 0 ? 1 : 0);
    // Before v1.19 the webhook refused only all three together (ValidateACMEIssuerChallengeSolverHTTP01IngressConfig).
    if (specified > (errs.since('v1.19') ? 1 : 2)) errs.add(rule, 'Forbidden', ingAt, "only one of 'ingressClassName', 'name' or 'class' should be specified");
    const icn = ing.ingressClassName;
    if (typeof icn === 'string') {
      const problems = isDNS1123Subdomain(icn);
      if (problems.length) errs.add(rule, 'Invalid', [...ingAt, 'ingressClassName'], `must be a valid IngressClass name: ${problems.join(', ')}`);
    }
    validateServiceType(ing, ingAt, rule, errs);
  }
  if (present(http01, 'gatewayHTTPRoute')) {
    defined++;
    const gw = obj(http01.gatewayHTTPRoute) ?? {};
    const gwAt = [...at, 'gatewayHTTPRoute'];
    // cert-manager names this path "gateway" in its errors.
    const cm = (rest: PathSegment[]) => fieldPathString([...at, 'gateway', ...rest]);
    const st = str(gw, 'serviceType');
    if (st !== undefined && st !== '' && st !== 'ClusterIP' && st !== 'NodePort') {
      errs.add(rule, 'Invalid', [...gwAt, 'serviceType'], 'must be empty, "ClusterIP" or "NodePort"', cm(['serviceType']));
    }
    const refs = list(gw, 'parentRefs');
    // Before v1.20 the webhook required a parentRef and did not look into them (ValidateACMEIssuerChallengeSolverHTTP01GatewayConfig).
    if (!errs.since('v1.20')) {
      if (refs.length === 0) errs.add(rule, 'Required', [...gwAt, 'parentRefs'], 'at least 1 parentRef is required', cm(['parentRefs']));
    } else for (let i = 0; i < refs.length; i++) {
      const r = obj(refs[i]) ?? {};
      const name = str(r, 'name') ?? '';
      if (present(r, 'kind') && name === '') {
        errs.add(rule, 'Required', [...gwAt, 'parentRefs', i, 'name'], 'name is required when kind is specified', cm(['parentRefs', i, 'name']));
        break;
      }
      if (name !== '' && !present(r, 'kind')) {
        errs.add(rule, 'Required', [...gwAt, 'parentRefs', i, 'kind'], 'kind is required when name is specified', cm(['parentRefs', i, 'kind']));
        break;
      }
    }
  }
  if (defined === 0) errs.add(rule, 'Required', at, 'no HTTP01 solver type configured');
  if (defined > 1) errs.add(rule, 'Required', at, 'only 1 HTTP01 solver type may be configured');
}

function validateServiceType(o: Json, at: PathSegment[], rule: RuleId, errs: FieldErrors): void {
  const st = str(o, 'serviceType');
  if (st !== undefined && st !== '' && st !== 'ClusterIP' && st !== 'NodePort') {
    errs.add(rule, 'Invalid', [...at, 'serviceType'], 'must be empty, "ClusterIP" or "NodePort"');
  }
}

function fieldPathString(at: PathSegment[]): string {
  let out = '';
  for (const s of at) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

function validateCA(ca: Json, at: PathSegment[], errs: FieldErrors): void {
  if ((str(ca, 'secretName') ?? '') === '') errs.add('ca-issuer', 'Required', [...at, 'secretName'], '');
  list(ca, 'ocspServers').forEach((u, i) => {
    if (u === '') {
      errs.add('ca-issuer', 'Invalid', [...at, 'ocspServers', i], 'must be a valid URL, e.g., http://ocsp.int-x3.letsencrypt.org', fieldPathString([...at, 'ocspServer', i]));
    }
  });
  list(ca, 'issuingCertificateURLs').forEach((u, i) => {
    if (u === '') errs.add('ca-issuer', 'Invalid', [...at, 'issuingCertificateURLs', i], 'must be a valid URL');
  });
}

function containsDotDot(p: string | undefined): boolean {
  return (p ?? '').split('/').includes('..');
}

function validateVault(v: Json, at: PathSegment[], errs: FieldErrors): void {
  const rule = 'vault-issuer';
  if ((str(v, 'server') ?? '') === '') errs.add(rule, 'Required', [...at, 'server'], '');
  const path = str(v, 'path') ?? '';
  if (path === '') errs.add(rule, 'Required', [...at, 'path'], '');
  // The '..' checks of Vault paths came in v1.21 (containsDotDotSegment).
  else if (containsDotDot(path) && errs.since('v1.21')) errs.add(rule, 'Invalid', [...at, 'path'], "must not contain '..' path segments");
  const caBundle = str(v, 'caBundle') ?? '';
  if (caBundle.length > 0 && !caBundleHasCertificate(caBundle)) errs.add(rule, 'Invalid', [...at, 'caBundle'], "cert bundle didn't contain any valid certificates");
  if (caBundle.length > 0 && present(v, 'caBundleSecretRef')) {
    errs.add(rule, 'Invalid', [...at, 'caBundle'], 'specified caBundle and caBundleSecretRef cannot be used together');
    errs.add(rule, 'Invalid', [...at, 'caBundleSecretRef'], 'specified caBundleSecretRef and caBundle cannot be used together');
  }
  // clientCertSecretRef and clientKeySecretRef came in v1.15, with the check that they go together.
  const cert = present(v, 'clientCertSecretRef') && errs.since('v1.15');
  const key = present(v, 'clientKeySecretRef') && errs.since('v1.15');
  if (cert && !key) errs.add(rule, 'Invalid', [...at, 'clientKeySecretRef'], 'clientKeySecretRef must be provided when defining the clientCertSecretRef');
  else if (!cert && key) errs.add(rule, 'Invalid', [...at, 'clientCertSecretRef'], 'clientCertSecretRef must be provided when defining the clientKeySecretRef');

  const auth = obj(v.auth) ?? {};
  const authAt = [...at, 'auth'];
  let union = 0;
  if (present(auth, 'tokenSecretRef')) union++;
  if (present(auth, 'appRole')) {
    union++;
    const ar = obj(auth.appRole) ?? {};
    if ((str(ar, 'roleId') ?? '') === '') errs.add(rule, 'Required', [...authAt, 'appRole', 'roleId'], '');
    if ((str(obj(ar.secretRef), 'name') ?? '') === '') errs.add(rule, 'Required', [...authAt, 'appRole', 'secretRef', 'name'], '');
    if (containsDotDot(str(ar, 'path')) && errs.since('v1.21')) errs.add(rule, 'Invalid', [...authAt, 'appRole', 'path'], "must not contain '..' path segments");
  }
  // The clientCertificate auth method came in v1.16.
  if (present(auth, 'clientCertificate') && errs.since('v1.16')) {
    union++;
    if (containsDotDot(str(obj(auth.clientCertificate), 'mountPath')) && errs.since('v1.21')) {
      // The field is mountPath; cert-manager's error path calls it "path".
      errs.add(rule, 'Invalid', [...authAt, 'clientCertificate', 'mountPath'], "must not contain '..' path segments", fieldPathString([...authAt, 'clientCertificate', 'path']));
    }
  }
  if (present(auth, 'kubernetes')) {
    union++;
    const k = obj(auth.kubernetes) ?? {};
    const kAt = [...authAt, 'kubernetes'];
    if ((str(k, 'role') ?? '') === '') errs.add(rule, 'Required', [...kAt, 'role'], '');
    if (containsDotDot(str(k, 'mountPath')) && errs.since('v1.21')) errs.add(rule, 'Invalid', [...kAt, 'mountPath'], "must not contain '..' path segments", fieldPathString([...kAt, 'path']));
    let kube = 0;
    if ((str(obj(k.secretRef), 'name') ?? '').length > 0) kube++;
    if (present(k, 'serviceAccountRef')) {
      kube++;
      if ((str(obj(k.serviceAccountRef), 'name') ?? '') === '') errs.add(rule, 'Required', [...kAt, 'serviceAccountRef', 'name'], '');
    }
    if (kube === 0) errs.add(rule, 'Required', kAt, 'please supply one of: secretRef, serviceAccountRef');
    if (kube > 1) errs.add(rule, 'Forbidden', kAt, 'please supply one of: secretRef, serviceAccountRef');
  }
  // The aws auth method came in v1.21.
  if (present(auth, 'aws') && errs.since('v1.21')) {
    union++;
    const a = obj(auth.aws) ?? {};
    const aAt = [...authAt, 'aws'];
    if ((str(a, 'role') ?? '') === '') errs.add(rule, 'Required', [...aAt, 'role'], '');
    if (containsDotDot(str(a, 'mountPath'))) errs.add(rule, 'Invalid', [...aAt, 'mountPath'], "must not contain '..' path segments");
    if (present(a, 'serviceAccountRef')) {
      if ((str(obj(a.serviceAccountRef), 'name') ?? '') === '') errs.add(rule, 'Required', [...aAt, 'serviceAccountRef', 'name'], '');
      if ((str(a, 'iamRoleArn') ?? '') === '') errs.add(rule, 'Required', [...aAt, 'iamRoleArn'], 'iamRoleArn is required when using serviceAccountRef for IRSA');
    }
  }
  if (union === 0) {
    const methods = errs.since('v1.21') ? ', clientCertificate, aws' : errs.since('v1.16') ? ', clientCertificate' : '';
    errs.add(rule, 'Required', authAt, `please supply one of: appRole, kubernetes, tokenSecretRef${methods}`);
  }
}

function validateVenafi(v: Json, at: PathSegment[], errs: FieldErrors): void {
  const rule = 'venafi-issuer';
  if ((str(v, 'zone') ?? '') === '') errs.add(rule, 'Required', [...at, 'zone'], '');
  let union = 0;
  if (present(v, 'tpp')) {
    union++;
    const tpp = obj(v.tpp) ?? {};
    if ((str(tpp, 'url') ?? '') === '') errs.add(rule, 'Required', [...at, 'tpp', 'url'], '');
    // caBundleSecretRef came in v1.16, with the check that it excludes caBundle.
    if ((str(tpp, 'caBundle') ?? '').length > 0 && present(tpp, 'caBundleSecretRef') && errs.since('v1.16')) {
      errs.add(rule, 'Forbidden', [...at, 'tpp'], 'may not specify more than one of caBundle/caBundleSecretRef as TPP CA Bundle');
    }
  }
  if (present(v, 'cloud')) union++;
  // ngts came in v1.21.
  if (present(v, 'ngts') && errs.since('v1.21')) {
    union++;
    const ngts = obj(v.ngts) ?? {};
    if ((str(ngts, 'tsgID') ?? '') === '') errs.add(rule, 'Required', [...at, 'ngts', 'tsgID'], '');
    if ((str(obj(ngts.credentialsRef), 'name') ?? '') === '') errs.add(rule, 'Required', [...at, 'ngts', 'credentialsRef', 'name'], '');
  }
  const kinds = errs.since('v1.21') ? 'tpp, cloud, ngts' : 'tpp, cloud';
  if (union === 0) errs.add(rule, 'Required', at, `please supply one of: ${kinds}`);
  if (union > 1) errs.add(rule, 'Forbidden', at, `please supply one of: ${kinds}`);
}

function validateSecretKeySelector(sks: Json | undefined, at: PathSegment[], rule: RuleId, errs: FieldErrors): void {
  if ((str(sks, 'name') ?? '') === '') errs.add(rule, 'Required', [...at, 'name'], 'secret name is required');
  if ((str(sks, 'key') ?? '') === '') errs.add(rule, 'Required', [...at, 'key'], 'secret key is required');
}

function secretKeySelectorErrors(sks: Json | undefined): number {
  return ((str(sks, 'name') ?? '') === '' ? 1 : 0) + ((str(sks, 'key') ?? '') === '' ? 1 : 0);
}

/** util.ValidNameserver for RFC 2136: host:port, [ipv6]:port, or a host (port 53). */
function validRfc2136Nameserver(nameserver: string): string | undefined {
  const ns = nameserver.trim();
  if (ns === '') return 'RFC2136 nameserver missing';
  let host: string;
  const split = goSplitHostPort(ns);
  if ('error' in split) {
    if (split.error.includes('missing port')) host = ns.replace(/^\[+|\]+$/g, '');
    else return `RFC2136 nameserver is invalid: ${split.error}`;
  } else host = split.host;
  if (host === '') return `RFC2136 nameserver has no host defined, ${ns}`;
  return undefined;
}

/** util.ValidDNS01Nameserver: <ip address>:<port>, or https://<host> for DNS over HTTPS. */
function validDns01Nameserver(ns: string): string | undefined {
  if (ns.startsWith('https://')) {
    let ok = false;
    try {
      const u = new URL(ns);
      ok = u.host !== '';
    } catch {
      ok = false;
    }
    return ok ? undefined : 'must be in the format https://<DoH RFC 8484 server address>';
  }
  return 'error' in goSplitHostPort(ns) ? 'must be in the format <ip address>:<port>' : undefined;
}

function validateDns01(p: Json, at: PathSegment[], errs: FieldErrors): void {
  const rule = 'acme-dns01';
  const strategy = str(p, 'cnameStrategy') ?? '';
  if (strategy.length > 0 && strategy !== 'None' && strategy !== 'Follow') {
    errs.add(rule, 'Invalid', [...at, 'cnameStrategy'], 'must be one of "None" or "Follow"');
  }
  list(p, 'nameservers').forEach((ns, i) => {
    // The field and its check came after v1.21 (next).
    if (typeof ns !== 'string' || !errs.since('next')) return;
    const problem = validDns01Nameserver(ns);
    if (problem) errs.add(rule, 'Invalid', [...at, 'nameservers', i], problem);
  });

  let providers = 0;
  const second = (name: string): boolean => {
    if (providers > 0) {
      errs.add(rule, 'Forbidden', [...at, name], 'may not specify more than one provider type');
      return true;
    }
    providers++;
    return false;
  };

  if (present(p, 'akamai')) {
    providers++;
    const a = obj(p.akamai) ?? {};
    for (const k of ['accessTokenSecretRef', 'clientSecretSecretRef', 'clientTokenSecretRef'] as const) {
      const cmName = k === 'accessTokenSecretRef' ? 'accessToken' : k === 'clientSecretSecretRef' ? 'clientSecret' : 'clientToken';
      const sks = obj(a[k]);
      if ((str(sks, 'name') ?? '') === '') errs.add(rule, 'Required', [...at, 'akamai', k, 'name'], 'secret name is required', fieldPathString([...at, 'akamai', cmName, 'name']));
      if ((str(sks, 'key') ?? '') === '') errs.add(rule, 'Required', [...at, 'akamai', k, 'key'], 'secret key is required', fieldPathString([...at, 'akamai', cmName, 'key']));
    }
    if ((str(a, 'serviceConsumerDomain') ?? '') === '') errs.add(rule, 'Required', [...at, 'akamai', 'serviceConsumerDomain'], '');
  }
  if (present(p, 'azureDNS') && !second('azureDNS')) {
    const az = obj(p.azureDNS) ?? {};
    const azAt = [...at, 'azureDNS'];
    const clientID = str(az, 'clientID') ?? '';
    const tenantID = str(az, 'tenantID') ?? '';
    const hasSecret = present(az, 'clientSecretSecretRef');
    if (clientID.length > 0 || tenantID.length > 0 || hasSecret) {
      if (clientID === '') errs.add(rule, 'Required', [...azAt, 'clientID'], '');
      if (!hasSecret) errs.add(rule, 'Required', [...azAt, 'clientSecretSecretRef'], '');
      else validateSecretKeySelector(obj(az.clientSecretSecretRef), [...azAt, 'clientSecretSecretRef'], rule, errs);
      if (tenantID === '') errs.add(rule, 'Required', [...azAt, 'tenantID'], '');
      if (present(az, 'managedIdentity')) {
        const cannot = errs.since('v1.18') ? 'cannot' : 'can not';
        errs.add(rule, 'Forbidden', [...azAt, 'managedIdentity'], `managed identity ${cannot} be used at the same time as clientID, clientSecretSecretRef or tenantID`);
      }
    } else if (present(az, 'managedIdentity')) {
      const mi = obj(az.managedIdentity) ?? {};
      const miClient = (str(mi, 'clientID') ?? '').length > 0;
      const miResource = (str(mi, 'resourceID') ?? '').length > 0;
      // managedIdentity.tenantID and its checks came in v1.17.
      const miTenant = (str(mi, 'tenantID') ?? '').length > 0 && errs.since('v1.17');
      if (miClient && miResource) errs.add(rule, 'Forbidden', [...azAt, 'managedIdentity'], 'managedIdentityClientID and managedIdentityResourceID cannot both be specified');
      if (miTenant && miResource) errs.add(rule, 'Forbidden', [...azAt, 'managedIdentity'], 'managedIdentityTenantID and managedIdentityResourceID cannot both be specified');
      if (miTenant && !miClient) errs.add(rule, 'Required', [...azAt, 'managedIdentity'], 'managedIdentityClientID is required when using managedIdentityTenantID');
    }
    if ((str(az, 'subscriptionID') ?? '') === '') errs.add(rule, 'Required', [...azAt, 'subscriptionID'], '');
    if ((str(az, 'resourceGroupName') ?? '') === '') errs.add(rule, 'Required', [...azAt, 'resourceGroupName'], '');
    const env = str(az, 'environment') ?? '';
    if (env !== '' && !AZURE_ENVIRONMENTS.includes(env)) {
      errs.add(rule, 'Invalid', [...azAt, 'environment'], `must be either empty or one of ${AZURE_ENVIRONMENTS.slice(0, 3).join(', ')}${errs.since('v1.20') ? ',' : ''} or ${AZURE_ENVIRONMENTS[3]}`);
    }
  }
  if (present(p, 'cloudDNS') && !second('cloudDNS')) {
    const c = obj(p.cloudDNS) ?? {};
    if (present(c, 'serviceAccountSecretRef')) validateSecretKeySelector(obj(c.serviceAccountSecretRef), [...at, 'cloudDNS', 'serviceAccountSecretRef'], rule, errs);
    if ((str(c, 'project') ?? '') === '') errs.add(rule, 'Required', [...at, 'cloudDNS', 'project'], '');
  }
  if (present(p, 'cloudflare') && !second('cloudflare')) {
    const c = obj(p.cloudflare) ?? {};
    const cAt = [...at, 'cloudflare'];
    const hasKey = present(c, 'apiKeySecretRef');
    const hasToken = present(c, 'apiTokenSecretRef');
    if (hasKey) validateSecretKeySelector(obj(c.apiKeySecretRef), [...cAt, 'apiKeySecretRef'], rule, errs);
    if (hasToken) validateSecretKeySelector(obj(c.apiTokenSecretRef), [...cAt, 'apiTokenSecretRef'], rule, errs);
    if (hasKey && hasToken) errs.add(rule, 'Forbidden', cAt, 'apiKeySecretRef and apiTokenSecretRef cannot both be specified');
    if (!hasKey && !hasToken) errs.add(rule, 'Required', cAt, 'apiKeySecretRef or apiTokenSecretRef is required');
    if ((str(c, 'email') ?? '') === '' && hasKey) errs.add(rule, 'Required', [...cAt, 'email'], '');
  }
  if (present(p, 'route53') && !second('route53')) {
    const r = obj(p.route53) ?? {};
    const rAt = [...at, 'route53'];
    // Before v1.16 region was required (ambient credentials without it came later).
    if (!errs.since('v1.16') && (str(r, 'region') ?? '') === '') errs.add(rule, 'Required', [...rAt, 'region'], '');
    if ((str(r, 'accessKeyID') ?? '').length > 0 && present(r, 'accessKeyIDSecretRef')) {
      errs.add(rule, 'Required', rAt, 'accessKeyID and accessKeyIDSecretRef cannot both be specified');
    }
    if (present(r, 'accessKeyIDSecretRef')) validateSecretKeySelector(obj(r.accessKeyIDSecretRef), [...rAt, 'accessKeyIDSecretRef'], rule, errs);
  }
  if (present(p, 'acmeDNS')) {
    providers++;
    const a = obj(p.acmeDNS) ?? {};
    validateSecretKeySelector(obj(a.accountSecretRef), [...at, 'acmeDNS', 'accountSecretRef'], rule, errs);
    if ((str(a, 'host') ?? '') === '') errs.add(rule, 'Required', [...at, 'acmeDNS', 'host'], '');
  }
  if (present(p, 'digitalocean') && !second('digitalocean')) {
    validateSecretKeySelector(obj(obj(p.digitalocean)?.tokenSecretRef), [...at, 'digitalocean', 'tokenSecretRef'], rule, errs);
  }
  if (present(p, 'rfc2136') && !second('rfc2136')) {
    const r = obj(p.rfc2136) ?? {};
    const rAt = [...at, 'rfc2136'];
    const ns = str(r, 'nameserver') ?? '';
    if (ns.length === 0) errs.add(rule, 'Required', [...rAt, 'nameserver'], '');
    else if (validRfc2136Nameserver(ns)) {
      errs.add(
        rule,
        'Invalid',
        [...rAt, 'nameserver'],
        'nameserver must be set in the form host:port where host is an IPv4 address, an enclosed IPv6 address or a hostname and port is an optional port number.',
      );
    }
    const alg = str(r, 'tsigAlgorithm') ?? '';
    if (alg.length > 0 && !TSIG_ALGORITHMS.includes(alg.toUpperCase())) {
      errs.add(rule, 'NotSupported', [...rAt, 'tsigAlgorithm'], `supported values: ${TSIG_ALGORITHMS.map((a) => `"${a}"`).join(', ')}`);
    }
    const secret = obj(r.tsigSecretSecretRef);
    if ((str(r, 'tsigKeyName') ?? '').length > 0) validateSecretKeySelector(secret, [...rAt, 'tsigSecretSecretRef'], rule, errs);
    if (secretKeySelectorErrors(secret) === 0 && (str(r, 'tsigKeyName') ?? '') === '') {
      errs.add(rule, 'Required', [...rAt, 'tsigKeyName'], '');
    }
  }
  if (present(p, 'webhook') && !second('webhook')) {
    if ((str(obj(p.webhook), 'solverName') ?? '') === '') errs.add(rule, 'Required', [...at, 'webhook', 'solverName'], 'solver name must be specified');
  }
  if (providers === 0) errs.add(rule, 'Required', at, 'no DNS01 provider configured');
}
