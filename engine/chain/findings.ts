/**
 * Every finding the chain inspector reports, in one registry shared by the
 * CLI, the editor panel and the tests: a stable kebab-case code, a severity,
 * a short title, an explanation for a UI (why it matters, what to do), and a
 * builder for the one-line message about a particular certificate.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  code: FindingCode;
  message: string;
  /** Index into the report's certificates, or null for the chain as a whole. */
  certificate: number | null;
}

interface Definition<P> {
  severity: Severity;
  title: string;
  explanation: string;
  message: (p: P) => string;
}

function def<P>(severity: Severity, title: string, explanation: string, message: (p: P) => string): Definition<P> {
  return { severity, title, explanation, message };
}

interface Cert {
  /** How the certificate is named in messages ("CN=www.example.com"). */
  name: string;
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

export const FINDINGS = {
  'chain-leaf-not-first': def<Cert & { first: string }>(
    'error',
    'Leaf certificate is not first',
    'TLS servers send the certificates in the order they are stored, and the first one must be the server certificate matching the private key. Kubernetes ingress controllers (and Go, nginx, Envoy) take the first certificate of tls.crt as the server certificate, so a bundle that starts with an intermediate or root fails to load or is rejected by clients. cert-manager always writes the leaf first.',
    (p) => `The bundle starts with ${p.first}, but the leaf (server) certificate is ${p.name}. Put the leaf first, then each issuer in turn (leaf, intermediate(s); no root).`,
  ),
  'chain-wrong-order': def<{ expected: string }>(
    'warning',
    'Intermediates out of order',
    'RFC 8446 and RFC 5246 expect each certificate to be followed by the one that issued it. Many clients reorder, but strict ones (older Java, embedded TLS stacks, some load balancers) fail with an unknown-issuer error.',
    (p) => `The intermediates are not in issuance order. Reorder the bundle as: ${p.expected}.`,
  ),
  'chain-missing-intermediate': def<Cert & { issuer: string; aia: string[]; isCA: boolean }>(
    'error',
    'Missing intermediate certificate',
    'The certificate that signed this one is not in the bundle, and it is not a trusted root either. Browsers sometimes hide this by fetching the intermediate from the AIA URL or using a cached copy, but curl, Go, Java, Python and most API clients fail with "unable to get local issuer certificate". For cert-manager, this usually means the issuer does not return the chain (check the Issuer) or the Secret was written by hand.',
    (p) =>
      `No certificate in the input or the trusted roots issued ${p.name}; its issuer ${p.issuer} is missing. ${p.isCA ? 'If that issuer is an intermediate, add it after this certificate in tls.crt; if it is a private root, trust it (--roots).' : 'Add that intermediate after it in tls.crt.'}${p.aia.length ? ` The certificate says its issuer can be downloaded from ${p.aia.join(', ')} (AIA caIssuers; not fetched).` : ' The certificate has no AIA caIssuers URL; get the intermediate from your CA.'}`,
  ),
  'chain-aki-ski-mismatch': def<Cert & { candidate: string; aki: string; ski: string }>(
    'error',
    'Issuer key identifier does not match',
    "The certificate's Authority Key Identifier names the key that signed it; a certificate with the issuer's name but a different Subject Key Identifier is a different key (often an old or renewed CA with the same name). Clients will not use it as the issuer.",
    (p) => `${p.name} was signed by the key with identifier ${p.aki}, but the candidate issuer ${p.candidate} has key identifier ${p.ski}. Supply the issuer certificate for the right key (a renewed CA?).`,
  ),
  'chain-root-included': def<Cert>(
    'warning',
    'Root certificate included in the bundle',
    'A root is trusted because clients already have it in their trust store; sending it proves nothing and only adds bytes to every handshake. Worse, a client that does not trust the root may be misled about which path to build, and tools that read tls.crt may take the included root as trusted. cert-manager keeps roots out of tls.crt: tls.crt holds the leaf and intermediates, and the CA certificate (when the issuer knows it) goes to ca.crt for clients to trust explicitly.',
    (p) => `The bundle includes the self-signed root ${p.name}. Remove it from tls.crt (cert-manager puts it in ca.crt instead); clients must already trust it.`,
  ),
  'chain-duplicate-certificate': def<Cert & { first: number }>(
    'warning',
    'Duplicate certificate',
    'The same certificate appears more than once. It is harmless for most clients but wastes handshake bytes and usually means a bundle was concatenated twice.',
    (p) => `${p.name} appears again (first as certificate ${p.first}). Remove the duplicate.`,
  ),
  'chain-unrelated-certificate': def<Cert>(
    'warning',
    'Certificate unrelated to the chain',
    'This certificate neither issues nor is issued by any certificate on the chain. Servers send it anyway, which wastes bytes and can confuse clients; it is often a leftover from a previous CA or a different site.',
    (p) => `${p.name} is not part of the chain of the leaf certificate. Remove it from the bundle.`,
  ),
  'chain-unused-certificate': def<Cert>(
    'info',
    'Certificate not on the chosen path',
    'This certificate is related to the chain (for example a cross-signed copy of an intermediate or root) but the best path to a trusted root does not need it. Older clients may use it to reach an older root.',
    (p) => `${p.name} is related to the chain but not needed for the path that was built.`,
  ),
  'chain-untrusted-root': def<Cert & { trust: string }>(
    'error',
    'Root is not trusted',
    'The chain ends in a self-signed root that is not among the trusted roots, so clients reject it with "self-signed certificate in certificate chain" unless they are configured to trust this root (for a private CA: distribute ca.crt to clients, or use trust-manager).',
    (p) => `The chain ends at ${p.name}, which is not among ${p.trust}. Clients must be given this root to trust (pass it with --roots if you do).`,
  ),
  'chain-bad-signature': def<Cert & { issuer: string; reason: string }>(
    'error',
    'Signature does not verify',
    'The certificate was not signed by the key of the certificate that names itself as its issuer: the certificate was altered or corrupted, or the issuer certificate is a different one with the same name.',
    (p) => `The signature of ${p.name} does not verify with ${p.issuer}: ${p.reason}.`,
  ),
  'chain-issuer-not-ca': def<Cert & { child: string }>(
    'error',
    'Issuer is not a CA',
    'Only certificates with basicConstraints CA:TRUE may sign other certificates. Clients reject a chain in which a non-CA certificate issued another one ("invalid CA certificate").',
    (p) => `${p.name} issued ${p.child} but is not a CA certificate (no basicConstraints CA:TRUE). Reissue it as a CA, or have the certificate issued by a real CA.`,
  ),
  'chain-issuer-key-usage': def<Cert & { child: string }>(
    'error',
    'Issuer may not sign certificates',
    'A CA certificate with a key usage extension must include keyCertSign to sign certificates. Clients reject the chain otherwise.',
    (p) => `${p.name} issued ${p.child} but its key usage does not include keyCertSign.`,
  ),
  'chain-path-length-exceeded': def<Cert & { pathLen: number; below: number }>(
    'error',
    'Path length constraint exceeded',
    'A CA certificate with pathLenConstraint N may be followed by at most N intermediate CA certificates before the leaf.',
    (p) => `${p.name} allows ${p.pathLen} intermediate CA${p.pathLen === 1 ? '' : 's'} below it (pathlen:${p.pathLen}), but the chain has ${p.below}.`,
  ),
  'chain-name-constraints-violated': def<Cert & { ca: string; violations: string[] }>(
    'error',
    'Name constraints violated',
    'A CA certificate with name constraints limits which names certificates below it may carry. Clients (OpenSSL, Go, browsers) reject a certificate whose names fall outside the permitted subtrees or inside the excluded ones.',
    (p) => `${p.name} violates the name constraints of ${p.ca}: ${p.violations.join('; ')}.`,
  ),
  'cert-expired': def<Cert & { notAfter: string; ago: number }>(
    'error',
    'Certificate expired',
    'Clients refuse expired certificates. For a cert-manager Certificate, an expired leaf means renewal has been failing: check `kubectl describe certificate` and the CertificateRequest/Order events.',
    (p) => `${p.name} expired on ${p.notAfter} (${days(p.ago)} ago).`,
  ),
  'cert-not-yet-valid': def<Cert & { notBefore: string }>(
    'error',
    'Certificate not yet valid',
    'The certificate is dated in the future. Clients reject it until then; this usually means a clock is wrong on the machine that issued it or on the client.',
    (p) => `${p.name} is not valid until ${p.notBefore}.`,
  ),
  'cert-expiring-soon': def<Cert & { notAfter: string; left: number; threshold: number }>(
    'warning',
    'Certificate expires soon',
    'The certificate expires within the warning threshold. cert-manager renews well before expiry (by default when 2/3 of the lifetime has passed), so a managed certificate this close to expiry usually means renewal is failing.',
    (p) => `${p.name} expires on ${p.notAfter}, in ${days(p.left)} (threshold ${days(p.threshold)}).`,
  ),
  'cert-weak-key': def<Cert & { key: string; min: string }>(
    'error',
    'Weak key',
    'RSA keys shorter than 2048 bits (and elliptic curves under 224 bits) are below the minimum of the CA/Browser Forum and of current OpenSSL security levels; clients at security level 2 or above reject them. In a cert-manager Certificate set spec.privateKey.size: 2048 (or more) or use ECDSA.',
    (p) => `${p.name} has a ${p.key} key; at least ${p.min} is required.`,
  ),
  'cert-weak-signature-hash': def<Cert & { algorithm: string }>(
    'error',
    'Weak signature algorithm',
    'SHA-1 (and MD5) signatures can be forged; browsers, Go and OpenSSL at security level 1 and above reject certificates signed with them. The issuer must re-sign with SHA-256 or better.',
    (p) => `${p.name} is signed with ${p.algorithm}. Have it reissued with a SHA-256 (or stronger) signature.`,
  ),
  'cert-unknown-critical-extension': def<Cert & { oids: string[] }>(
    'error',
    'Unknown critical extension',
    'A certificate with a critical extension the client does not understand must be rejected (RFC 5280). Certsmith and OpenSSL do not handle these.',
    (p) => `${p.name} has critical extension${p.oids.length === 1 ? '' : 's'} ${p.oids.join(', ')} that clients will not understand, so they reject it.`,
  ),
  'cert-unreadable-extension': def<Cert & { problems: string[] }>(
    'warning',
    'Unreadable extension',
    'An extension of this certificate could not be decoded, so the checks that depend on it were skipped.',
    (p) => `${p.name}: ${p.problems.join('; ')}.`,
  ),
  'leaf-no-san': def<Cert>(
    'error',
    'No subject alternative names',
    'Clients match the hostname against the subjectAltName extension only (RFC 6125; Chrome since 58, Go since 1.15); the Common Name is ignored. In a cert-manager Certificate list the names in spec.dnsNames (or ipAddresses).',
    (p) => `${p.name} has no subject alternative names, so no client will accept it for any hostname. Reissue it with the names in subjectAltName (spec.dnsNames).`,
  ),
  'leaf-cn-not-in-sans': def<Cert & { cn: string }>(
    'warning',
    'Common Name not among the SANs',
    'The Common Name is ignored for hostname checks; a CN that is not also a SAN misleads people into thinking the certificate covers that name. cert-manager adds spec.commonName to the SANs for this reason.',
    (p) => `The Common Name "${p.cn}" of ${p.name} is not among its subject alternative names; clients will not accept it for "${p.cn}". Add it to spec.dnsNames.`,
  ),
  'eku-no-server-auth': def<Cert & { ekus: string[] }>(
    'error',
    'No serverAuth extended key usage',
    'A certificate with an extended key usage extension may only be used for the purposes it lists. A TLS server certificate (and every CA above it that has the extension) needs serverAuth. In a cert-manager Certificate, spec.usages must include "server auth".',
    (p) => `${p.name} may only be used for ${p.ekus.join(', ') || 'nothing'}, not for TLS servers (no serverAuth). Add "server auth" to the Certificate's spec.usages.`,
  ),
  'leaf-self-signed': def<Cert>(
    'warning',
    'Self-signed leaf',
    'A self-signed server certificate is only trusted by clients that were given this exact certificate. For anything shared, issue it from a CA (cert-manager: a SelfSigned issuer to bootstrap a CA Issuer).',
    (p) => `${p.name} is self-signed; clients trust it only if they are configured with this very certificate.`,
  ),
  'leaf-validity-too-long': def<Cert & { days: number }>(
    'warning',
    'Validity longer than 398 days',
    'Publicly trusted TLS certificates issued since 1 September 2020 may be valid for at most 398 days (CA/Browser Forum Baseline Requirements; Apple, Chrome and Firefox reject longer ones).',
    (p) => `${p.name} is valid for ${days(p.days)}, more than the 398 days browsers accept for publicly trusted certificates.`,
  ),
  'leaf-renewal-time': def<Cert & { renewal: string; rule: string; inDays: number }>(
    'info',
    'cert-manager renewal time',
    'cert-manager renews a certificate when 2/3 of its lifetime has passed, unless the Certificate sets spec.renewBefore or spec.renewBeforePercentage. It stores this time in the Certificate\'s status.renewalTime.',
    (p) => `cert-manager would renew ${p.name} at ${p.renewal} (${p.rule}), in ${days(p.inDays)}.`,
  ),
  'leaf-renewal-overdue': def<Cert & { renewal: string; rule: string; ago: number }>(
    'warning',
    'Renewal overdue',
    'The renewal time cert-manager would have computed has passed but the certificate was not replaced. If cert-manager manages it, renewal is failing: check `kubectl describe certificate`, the CertificateRequest and, for ACME, the Order and Challenges.',
    (p) => `cert-manager would have renewed ${p.name} at ${p.renewal} (${p.rule}), ${days(p.ago)} ago; check the Certificate's status and events.`,
  ),
  'hostname-mismatch': def<Cert & { hostname: string; sans: string[] }>(
    'error',
    'Hostname does not match',
    'Clients check the hostname they connect to against the leaf certificate\'s subject alternative names (RFC 6125): exact DNS names, a wildcard for exactly one left-most label (*.example.com covers a.example.com, not example.com or a.b.example.com), and IP addresses only against IP SANs. The Common Name is not used.',
    (p) => `${p.name} is not valid for "${p.hostname}"; it covers ${p.sans.length ? p.sans.join(', ') : 'no names'}. Add "${p.hostname}" to the Certificate's spec.${/^[\d.:[\]a-f]+$/i.test(p.hostname) && /[.:]/.test(p.hostname) && !/[g-z]/i.test(p.hostname) ? 'ipAddresses' : 'dnsNames'}.`,
  ),
  'key-mismatch': def<Cert & { where: string; other: string | null }>(
    'error',
    'Private key does not match the certificate',
    'The private key must belong to the leaf certificate (the first in tls.crt); otherwise servers fail to load the pair ("key values mismatch") or the handshake fails. This happens when tls.crt and tls.key were updated separately.',
    (p) => `The private key in ${p.where} does not belong to the leaf ${p.name}${p.other ? `; it belongs to ${p.other}` : ''}. Replace ${p.where} or tls.crt so that they form a pair.`,
  ),
  'key-unreadable': def<{ where: string; reason: string }>(
    'warning',
    'Private key unreadable',
    'The private key could not be read (it may be encrypted or not a key at all), so it was not compared with the certificate. Kubernetes TLS Secrets need an unencrypted PEM key.',
    (p) => `The private key in ${p.where} could not be read (${p.reason}); it was not compared with the certificate.`,
  ),
  'secret-ca-not-root': def<Cert & { root: string | null; onChain: boolean }>(
    'warning',
    'ca.crt is not the root of the chain',
    "cert-manager writes the root of the issuing CA's chain to ca.crt so that clients (and trust-manager) can trust it. A ca.crt that holds an intermediate or an unrelated CA makes clients that trust ca.crt fail or trust more than intended.",
    (p) =>
      p.onChain
        ? `ca.crt holds ${p.name}, which is on the chain but is not its root${p.root ? ` (${p.root})` : ''}. Put the root in ca.crt.`
        : `ca.crt holds ${p.name}, which is not part of the chain of tls.crt${p.root ? ` (whose root is ${p.root})` : ''}; clients that trust ca.crt will reject this certificate.`,
  ),
  'input-note': def<{ note: string }>('info', 'Input note', 'Something in the input was skipped or chosen; nothing is wrong with the chain because of it.', (p) => `${p.note[0].toUpperCase()}${p.note.slice(1)}.`),
} as const;

export type FindingCode = keyof typeof FINDINGS;
export type FindingParams<C extends FindingCode> = Parameters<(typeof FINDINGS)[C]['message']>[0];

export function makeFinding<C extends FindingCode>(code: C, params: FindingParams<C>, certificate: number | null): Finding {
  const d = FINDINGS[code] as unknown as Definition<FindingParams<C>>;
  return { severity: d.severity, code, message: d.message(params), certificate };
}

export function findingExplanation(code: FindingCode): { title: string; explanation: string } {
  return { title: FINDINGS[code].title, explanation: FINDINGS[code].explanation };
}
