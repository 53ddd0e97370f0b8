/**
 * The certificate-shim rules (engine/rules/shim/), through the real CLI: every
 * rule on a manifest that triggers it (with its position) and on one that does
 * not, and realistic clean Ingresses and Gateways (from cert-manager's docs)
 * that must get nothing at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { goReadCsv, splitWithEscapeCsv } from '../../engine/gocompat/go-csv.js';
import { goAtoi, goParseBool, goParseInt } from '../../engine/gocompat/go-strconv.js';
import { decodeSecretTemplate } from '../../engine/rules/shim/secret-template.js';
import { checkAnnotationKey } from '../../engine/rules/shim/annotations.js';
import { SHIM_RULES } from '../../engine/rules/shim/shim-rules.js';
import { checkDocument } from '../../engine/rules/check-document.js';
import { schemaStore } from '../../engine/schema/schema-store.js';

interface Diag {
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  severity: string;
  code: string;
  message: string;
}

function lint(t: TestContext, text: string): Diag[] {
  const dir = tempDir(t);
  const f = join(dir, 'manifest.yaml');
  writeFileSync(f, text);
  const r = runCli(['lint', '--format', 'json', f], { cwd: dir });
  assert.ok(r.status === 0 || r.status === 1, `lint failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as {
    files: { diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity: string; code: string; message: string }[] }[];
  };
  return out.files.flatMap((file) =>
    file.diagnostics.map((d) => ({
      line: d.range.start.line,
      character: d.range.start.character,
      endLine: d.range.end.line,
      endCharacter: d.range.end.character,
      severity: d.severity,
      code: d.code,
      message: d.message,
    })),
  );
}

/** The shim diagnostics only (other families are tested elsewhere). */
function shim(ds: Diag[]): Diag[] {
  return ds.filter((d) => d.code.startsWith('shim-'));
}

/** 0-based position of the nth occurrence of `needle` in `text`. */
function at(text: string, needle: string, nth = 0): { line: number; character: number } {
  let i = -1;
  for (let n = 0; n <= nth; n++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `"${needle}" not found in the manifest`);
  }
  const before = text.slice(0, i);
  const line = before.split('\n').length - 1;
  return { line, character: i - (before.lastIndexOf('\n') + 1) };
}

/** Exactly one diagnostic with this code, at the start of `needle` (and ending after it when `whole`). */
function expectOne(ds: Diag[], text: string, code: string, needle: string, opts: { nth?: number; severity?: string; message?: RegExp; whole?: boolean } = {}): Diag {
  const hits = ds.filter((d) => d.code === code);
  assert.equal(hits.length, 1, `expected one ${code}, got:\n${ds.map((d) => `  ${d.line}:${d.character} ${d.code} ${d.message}`).join('\n')}`);
  const d = hits[0];
  const p = at(text, needle, opts.nth);
  assert.deepEqual({ line: d.line, character: d.character }, p, `${code} position`);
  if (opts.whole !== false) {
    assert.deepEqual({ line: d.endLine, character: d.endCharacter }, { line: p.line, character: p.character + needle.length }, `${code} end position`);
  }
  if (opts.severity) assert.equal(d.severity, opts.severity);
  if (opts.message) assert.match(d.message, opts.message);
  return d;
}

function expectNone(ds: Diag[], code?: string): void {
  const hits = code ? ds.filter((d) => d.code === code) : shim(ds);
  assert.deepEqual(
    hits.map((d) => `${d.line}:${d.character} ${d.code} ${d.message}`),
    [],
    `expected no ${code ?? 'shim-*'} diagnostics`,
  );
}

const CLUSTER_ISSUER = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: letsencrypt-staging
spec:
  acme:
    server: https://acme-staging-v02.api.letsencrypt.org/directory
    email: ops@example.com
    privateKeySecretRef:
      name: letsencrypt-staging-account
    solvers:
      - http01:
          ingress:
            ingressClassName: nginx
`;

/** An Ingress with the given annotation lines (already indented by 4) and spec. */
function ingress(annotations: string, spec = TLS_SPEC): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
${annotations ? `  annotations:\n${annotations}` : ''}spec:
${spec}`;
}

const TLS_SPEC = `  ingressClassName: nginx
  tls:
    - hosts:
        - shop.example.com
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: shop
                port:
                  number: 80
`;

const ISSUER_LINE = '    cert-manager.io/cluster-issuer: letsencrypt-staging\n';

/** A Gateway with the given annotation lines and listeners (indented by 4). */
function gateway(annotations: string, listeners: string, namespace = 'shop'): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
${namespace ? `  namespace: ${namespace}\n` : ''}  annotations:
${annotations}spec:
  gatewayClassName: istio
  listeners:
${listeners}`;
}

const HTTPS_LISTENER = `    - name: https
      hostname: shop.example.com
      port: 443
      protocol: HTTPS
      tls:
        mode: Terminate
        certificateRefs:
          - name: shop-tls
`;

// --- Realistic clean manifests ----------------------------------------------------

test('clean: the annotated Ingress and Gateway from cert-manager\'s docs, an Ingress without annotations and one with ingress-nginx annotations get nothing', (t) => {
  const text = [
    CLUSTER_ISSUER,
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    # add an annotation indicating the issuer to use.
    cert-manager.io/cluster-issuer: letsencrypt-staging
  name: myingress
  namespace: myingress
spec:
  rules:
  - host: example.com
    http:
      paths:
      - pathType: Prefix
        path: /
        backend:
          service:
            name: myservice
            port:
              number: 80
  tls: # < placing a host in the TLS config will determine what ends up in the cert's subjectAltNames
  - hosts:
    - example.com
    secretName: myingress-cert # < cert-manager will store the created certificate in this secret.
`,
    `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: example
  namespace: default
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt-staging
spec:
  gatewayClassName: foo
  listeners:
    - name: http
      hostname: example.com
      port: 443
      protocol: HTTPS
      allowedRoutes:
        namespaces:
          from: All
      tls:
        mode: Terminate
        certificateRefs:
          - name: example-com-tls
`,
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: plain
spec:
  ingressClassName: nginx
  tls:
    - secretName: default-cert
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`,
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: nginx-app
  namespace: web
  annotations:
    kubernetes.io/ingress.class: nginx
    nginx.ingress.kubernetes.io/rewrite-target: /$2
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
    nginx.ingress.kubernetes.io/from-to-www-redirect: "true"
    nginx.ingress.kubernetes.io/proxy-body-size: 50m
    cert-manager.io/cluster-issuer: letsencrypt-staging
    cert-manager.io/duration: 2160h
    cert-manager.io/renew-before: 360h
    cert-manager.io/usages: "key agreement,digital signature, server auth"
    cert-manager.io/private-key-algorithm: ECDSA
    cert-manager.io/private-key-size: "384"
    cert-manager.io/private-key-rotation-policy: Always
    cert-manager.io/revision-history-limit: "3"
    cert-manager.io/subject-organizations: '"Example, Inc",Example Labs'
    acme.cert-manager.io/http01-edit-in-place: "true"
spec:
  tls:
    - hosts:
        - example.com
        - www.example.com
        - "*.apps.example.com"
      secretName: example-com-tls
  rules:
    - host: example.com
      http:
        paths:
          - path: /api(/|$)(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: api
                port:
                  number: 8080
    - host: grafana.apps.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: grafana
                port:
                  name: http
`,
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: tls-acme
  annotations:
    kubernetes.io/tls-acme: "true"
    cert-manager.io/common-name: legacy.example.com
spec:
  tls:
    - hosts: [legacy.example.com]
      secretName: legacy-tls
  rules:
    - host: legacy.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: legacy
                port:
                  number: 80
`,
  ].join('---\n');
  const ds = lint(t, text);
  expectNone(ds);
  assert.deepEqual(
    ds.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => `${d.line}:${d.character} ${d.code} ${d.message}`),
    [],
    'no errors or warnings at all',
  );
});

test('clean: the Gateway of cert-manager\'s docs with listeners it skips on purpose (HTTP, passthrough, ignored) and a v1beta1 Gateway', (t) => {
  const text = [
    gateway(
      `    cert-manager.io/issuer: my-issuer\n    cert-manager.io/ignore-tls-listeners: partner\n`,
      `    - name: http
      hostname: example.com
      port: 80
      protocol: HTTP
    - name: passthrough
      hostname: db.example.com
      port: 5432
      protocol: TLS
      tls:
        mode: Passthrough
    - name: partner
      port: 8443
      protocol: HTTPS
      tls:
        certificateRefs:
          - name: partner-cert
            namespace: partners
${HTTPS_LISTENER}    - name: wildcard
      hostname: "*.example.com"
      port: 443
      protocol: HTTPS
      tls:
        certificateRefs:
          - kind: Secret
            group: ""
            name: wildcard-tls
    - name: core-group
      hostname: core.example.com
      port: 9443
      protocol: HTTPS
      tls:
        certificateRefs:
          - kind: Secret
            group: core
            name: core-tls
            namespace: shop
`,
    ),
    gateway(`    cert-manager.io/cluster-issuer: letsencrypt-staging\n`, HTTPS_LISTENER, '').replace('gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'),
    // No namespace: the namespace of a certificateRef cannot be compared.
    gateway(
      `    cert-manager.io/cluster-issuer: letsencrypt-staging\n`,
      `    - name: https
      hostname: shop.example.com
      port: 443
      protocol: HTTPS
      tls:
        certificateRefs:
          - name: shop-tls
            namespace: shop
`,
      '',
    ),
  ].join('---\n');
  expectNone(lint(t, text));
});

// --- Annotation keys -------------------------------------------------------------

test('shim-annotation-unknown: a misspelt issuer annotation, on the key, with a suggestion', (t) => {
  const text = ingress('    cert-manager.io/cluster-isuer: letsencrypt-staging\n');
  const ds = shim(lint(t, text));
  expectOne(ds, text, 'shim-annotation-unknown', 'cert-manager.io/cluster-isuer', { severity: 'warning', message: /Did you mean "cert-manager\.io\/cluster-issuer"\?/ });
});

test('shim-annotation-unknown: misspelt domain, pre-v0.11 domain, a key for Secrets, acme key in the wrong domain, singular subject key', (t) => {
  const cases: [string, RegExp][] = [
    ['certmanager.io/cluster-issuer', /domain is misspelt.*Did you mean "cert-manager\.io\/cluster-issuer"/],
    ['certmanager.k8s.io/cluster-issuer', /before v0\.11.*Use "cert-manager\.io\/cluster-issuer"/],
    ['cert-manager.io/issuer-name', /Secrets.*Did you mean "cert-manager\.io\/issuer"/],
    ['cert-manager.io/http01-edit-in-place', /Did you mean "acme\.cert-manager\.io\/http01-edit-in-place"/],
    ['cert-manager.io/subject-organization', /Did you mean "cert-manager\.io\/subject-organizations"/],
  ];
  for (const [key, message] of cases) {
    const text = ingress(`${ISSUER_LINE}    ${key}: "x"\n`);
    expectOne(shim(lint(t, text)), text, 'shim-annotation-unknown', key, { message });
  }
});

test('shim-annotation-unknown: not for cert-manager\'s own keys, other tools\' keys, or other cert-manager domains', (t) => {
  const text = ingress(
    `${ISSUER_LINE}    cert-manager.io/issue-temporary-certificate: "true"
    acme.cert-manager.io/http01-ingress-class: nginx
    acme.cert-manager.io/http01-ingress-ingressclassname: nginx
    trust.cert-manager.io/inject: "true"
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
    external-dns.alpha.kubernetes.io/hostname: shop.example.com
`,
  );
  expectNone(lint(t, text));
});

// --- Issuer annotations -----------------------------------------------------------

test('shim-issuer-and-cluster-issuer: both set, reported on the second; one alone is fine', (t) => {
  const text = ingress(`    cert-manager.io/issuer: ca-issuer\n${ISSUER_LINE}`);
  const ds = shim(lint(t, text));
  expectOne(ds, text, 'shim-issuer-and-cluster-issuer', 'cert-manager.io/cluster-issuer', { severity: 'error', message: /may not be set.*no Certificate/ });
  expectNone(shim(lint(t, ingress('    cert-manager.io/issuer: ca-issuer\n'))));
});

test('shim-cluster-issuer-with-kind: cluster-issuer with issuer-kind; an external issuer through cert-manager.io/issuer is fine', (t) => {
  const text = ingress(`    cert-manager.io/cluster-issuer: pca\n    cert-manager.io/issuer-kind: AWSPCAClusterIssuer\n`);
  expectOne(shim(lint(t, text)), text, 'shim-cluster-issuer-with-kind', 'cert-manager.io/issuer-kind', { severity: 'error', message: /use cert-manager\.io\/issuer with/ });
  const external = ingress(`    cert-manager.io/issuer: pca\n    cert-manager.io/issuer-kind: AWSPCAClusterIssuer\n    cert-manager.io/issuer-group: awspca.cert-manager.io\n`);
  expectNone(lint(t, external));
});

test('shim-issuer-name-empty: an empty issuer name, on the value', (t) => {
  const text = ingress(`    cert-manager.io/cluster-issuer: ""\n`);
  expectOne(shim(lint(t, text)), text, 'shim-issuer-name-empty', '""', { severity: 'error' });
  expectNone(lint(t, ingress(ISSUER_LINE)), 'shim-issuer-name-empty');
});

// --- Annotation values ------------------------------------------------------------

test('shim-annotation-invalid: each value cert-manager cannot parse, on the value, with cert-manager\'s reason', (t) => {
  const cases: [string, string, RegExp][] = [
    ['cert-manager.io/duration', '90d', /time: unknown unit "d" in duration "90d".*write 2160h for 90 days.*creates no Certificate/],
    ['cert-manager.io/duration', '30m', /duration must be greater than or equal to 1h0m0s/],
    ['cert-manager.io/renew-before', '1m', /renewBefore must be greater than or equal to 5m0s/],
    ['cert-manager.io/renew-before-percentage', '"ten"', /strconv\.ParseInt: parsing "ten": invalid syntax/],
    ['cert-manager.io/usages', '"digital signature,serverauth"', /invalid key usage name "serverauth".*Did you mean "server auth"/],
    ['cert-manager.io/revision-history-limit', '"0"', /revision history limit must be a positive number "0"/],
    ['cert-manager.io/revision-history-limit', '"3.5"', /strconv\.ParseInt: parsing "3\.5": invalid syntax/],
    ['cert-manager.io/private-key-algorithm', 'rsa', /invalid private key algorithm "rsa".*Did you mean "RSA"/],
    ['cert-manager.io/private-key-encoding', 'PKCS#8', /invalid private key encoding/],
    ['cert-manager.io/private-key-size', '"1024"', /invalid private key size for RSA algorithm "1024"/],
    ['cert-manager.io/private-key-size', '"4k"', /strconv\.Atoi: parsing "4k": invalid syntax/],
    ['cert-manager.io/private-key-rotation-policy', 'always', /invalid private key rotation policy "always".*Did you mean "Always"/],
    ['cert-manager.io/subject-organizations', `'Acme, "Foo, Inc"'`, /bare " in non-quoted-field/],
    ['cert-manager.io/subject-countries', '""', /no values found/],
    ['cert-manager.io/ip-sans', '"10.0.0.1, 10.0.0.300"', /"10\.0\.0\.300" is not a valid IP address/],
    ['cert-manager.io/email-sans', '"Ops <ops@example.com>"', /must only contain the email address itself/],
    ['cert-manager.io/common-name', 'a-very-long-common-name-that-is-certainly-longer-than-64-bytes.example.com', /common name may not be more than 64 bytes/],
    ['cert-manager.io/secret-template', `'{"label": {"team": "web"}}'`, /json: unknown field "label"/],
    ['cert-manager.io/secret-template', `'{"annotations": {"cert-manager.io/issuer-name": "x"}}'`, /must not have cert-manager\.io\/ annotations/],
  ];
  for (const [key, value, message] of cases) {
    const text = ingress(`${ISSUER_LINE}    ${key}: ${value}\n`);
    expectOne(shim(lint(t, text)), text, 'shim-annotation-invalid', value, { severity: 'error', message });
  }
});

test('shim-annotation-invalid: an ECDSA size checked against the algorithm annotation', (t) => {
  const text = ingress(`${ISSUER_LINE}    cert-manager.io/private-key-algorithm: ECDSA\n    cert-manager.io/private-key-size: "2048"\n`);
  expectOne(shim(lint(t, text)), text, 'shim-annotation-invalid', '"2048"', { message: /invalid private key size for ECDSA algorithm/ });
});

test('shim-annotation-invalid: not for the values cert-manager accepts', (t) => {
  const text = ingress(
    `${ISSUER_LINE}    cert-manager.io/duration: 2160h
    cert-manager.io/renew-before: 720h30m
    cert-manager.io/usages: "key agreement,digital signature, server auth"
    cert-manager.io/revision-history-limit: "+7"
    cert-manager.io/private-key-algorithm: RSA
    cert-manager.io/private-key-encoding: PKCS8
    cert-manager.io/private-key-size: "3072"
    cert-manager.io/private-key-rotation-policy: Never
    cert-manager.io/subject-organizations: '"10 Downing Street, Westminster",Manchester'
    cert-manager.io/subject-organizationalunits: IT Services,Cloud Services
    cert-manager.io/subject-serialnumber: "10978342379280287615"
    cert-manager.io/ip-sans: "10.0.0.1, ::1"
    cert-manager.io/email-sans: "me@example.com,you@example.com"
    cert-manager.io/alt-names: shop.internal,shop.local
    cert-manager.io/common-name: shop.example.com
    cert-manager.io/secret-template: '{"Labels": {"team": "web"}, "annotations": null}'
`,
  );
  expectNone(lint(t, text));
  const ed = ingress(`${ISSUER_LINE}    cert-manager.io/private-key-algorithm: Ed25519\n    cert-manager.io/private-key-size: "1"\n`);
  expectNone(lint(t, ed));
});

test('shim-certificate-rejected: renew-before not less than the default duration; with renew-before-percentage', (t) => {
  const text = ingress(`${ISSUER_LINE}    cert-manager.io/renew-before: 3000h\n`);
  expectOne(shim(lint(t, text)), text, 'shim-certificate-rejected', '3000h', { severity: 'error', message: /certificate duration 2160h0m0s must be greater than renewBefore 3000h0m0s/ });

  const both = ingress(`${ISSUER_LINE}    cert-manager.io/renew-before: 240h\n    cert-manager.io/renew-before-percentage: "30"\n`);
  const ds = shim(lint(t, both)).filter((d) => d.code === 'shim-certificate-rejected');
  assert.deepEqual(
    ds.map((d) => [d.line, d.character]),
    [
      [at(both, '240h').line, at(both, '240h').character],
      [at(both, '"30"').line, at(both, '"30"').character],
    ],
  );
  assert.match(ds[0].message, /mutually exclusive/);
});

test('shim-certificate-rejected: not for a renew-before less than the duration', (t) => {
  expectNone(lint(t, ingress(`${ISSUER_LINE}    cert-manager.io/duration: 24h\n    cert-manager.io/renew-before: 8h\n`)));
  expectNone(lint(t, ingress(`${ISSUER_LINE}    cert-manager.io/renew-before-percentage: "30"\n`)));
});

test('shim-annotation-ignored-value: edit-in-place other than "true", tls-acme Go cannot read, an ignore-tls-listeners name no listener has', (t) => {
  const text = ingress(`${ISSUER_LINE}    acme.cert-manager.io/http01-edit-in-place: "True"\n`);
  expectOne(shim(lint(t, text)), text, 'shim-annotation-ignored-value', '"True"', { severity: 'warning', message: /only for the exact value "true"/ });

  const acme = ingress(`    kubernetes.io/tls-acme: "yes"\n`);
  expectOne(shim(lint(t, acme)), acme, 'shim-annotation-ignored-value', '"yes"', { message: /ParseBool/ });

  const gw = gateway(`${ISSUER_LINE}    cert-manager.io/ignore-tls-listeners: htps\n`, HTTPS_LISTENER);
  expectOne(shim(lint(t, gw)), gw, 'shim-annotation-ignored-value', 'htps', { message: /"htps" \(did you mean "https"\?\)/ });
});

test('shim-annotation-ignored-value: not for "true"/"false" or a listener the Gateway has', (t) => {
  expectNone(lint(t, ingress(`${ISSUER_LINE}    acme.cert-manager.io/http01-edit-in-place: "false"\n`)));
  expectNone(lint(t, ingress(`    kubernetes.io/tls-acme: "true"\n`)));
  expectNone(lint(t, gateway(`${ISSUER_LINE}    cert-manager.io/ignore-tls-listeners: "https, other"\n`, HTTPS_LISTENER.replace('name: https', 'name: other') + HTTPS_LISTENER.replace('port: 443', 'port: 8443'))));
});

test('shim-no-issuer: certificate annotations without an issuer annotation, on the first key', (t) => {
  const text = ingress(`    nginx.ingress.kubernetes.io/ssl-redirect: "true"\n    cert-manager.io/duration: 2160h\n    cert-manager.io/renew-before: 360h\n`);
  expectOne(shim(lint(t, text)), text, 'shim-no-issuer', 'cert-manager.io/duration', { severity: 'warning', message: /neither cert-manager\.io\/issuer nor cert-manager\.io\/cluster-issuer/ });
  expectNone(lint(t, ingress(`    kubernetes.io/tls-acme: "true"\n    cert-manager.io/duration: 2160h\n`)));
  expectNone(lint(t, ingress('')));
});

// --- Ingress TLS ------------------------------------------------------------------

test('shim-no-tls: an issuer annotation on an Ingress without spec.tls, or on a Gateway with only HTTP listeners', (t) => {
  const text = ingress(ISSUER_LINE, TLS_SPEC.replace(/  tls:\n(.*\n){3}/, ''));
  expectOne(shim(lint(t, text)), text, 'shim-no-tls', 'cert-manager.io/cluster-issuer', { severity: 'warning', message: /no spec\.tls/ });

  const gw = gateway(ISSUER_LINE, `    - name: http\n      hostname: shop.example.com\n      port: 80\n      protocol: HTTP\n`);
  expectOne(shim(lint(t, gw)), gw, 'shim-no-tls', 'cert-manager.io/cluster-issuer', { message: /no listener of this Gateway is HTTPS or TLS/ });
});

test('shim-no-tls: not with tls entries, without an issuer annotation, or with a custom protocol', (t) => {
  expectNone(lint(t, ingress(ISSUER_LINE)));
  expectNone(lint(t, ingress('', TLS_SPEC.replace(/  tls:\n(.*\n){3}/, ''))));
  expectNone(lint(t, ingress(`    kubernetes.io/tls-acme: "true"\n`, TLS_SPEC.replace(/  tls:\n(.*\n){3}/, ''))));
  expectNone(lint(t, gateway(ISSUER_LINE, `    - name: quic\n      hostname: shop.example.com\n      port: 443\n      protocol: example.com/QUIC\n`)));
});

test('shim-tls-no-secret-name and shim-tls-no-hosts: the entry is skipped, reported on the entry', (t) => {
  const spec = TLS_SPEC.replace('      secretName: shop-tls\n', '').replace('  rules:', '    - secretName: other-tls\n  rules:');
  const text = ingress(ISSUER_LINE, spec);
  const ds = shim(lint(t, text));
  const noSecret = expectOne(ds, text, 'shim-tls-no-secret-name', 'hosts:', { severity: 'warning', whole: false, message: /no secretName/ });
  assert.deepEqual({ line: noSecret.endLine, character: noSecret.endCharacter }, { line: at(text, 'shop.example.com').line, character: at(text, 'shop.example.com').character + 'shop.example.com'.length });
  expectOne(ds, text, 'shim-tls-no-hosts', 'secretName: other-tls', { severity: 'warning', message: /no hosts/ });
  expectNone(ds, 'shim-tls-duplicate-secret-name');
});

test('shim-tls-no-secret-name and shim-tls-no-hosts: not for complete entries or without an issuer', (t) => {
  expectNone(lint(t, ingress(ISSUER_LINE)));
  const spec = TLS_SPEC.replace('  rules:', '    - secretName: other-tls\n  rules:');
  expectNone(lint(t, ingress('', spec)));
});

test('shim-tls-duplicate-secret-name: two entries with one secretName, on the first', (t) => {
  const spec = TLS_SPEC.replace('  rules:', '    - hosts: [www.shop.example.com]\n      secretName: shop-tls\n  rules:');
  const text = ingress(ISSUER_LINE, spec);
  expectOne(shim(lint(t, text)), text, 'shim-tls-duplicate-secret-name', 'shop-tls', { severity: 'error', message: /also used in spec\.tls\[1\]\.secretName/ });
  const distinct = ingress(ISSUER_LINE, spec.replace('secretName: shop-tls\n  rules', 'secretName: www-tls\n  rules'));
  expectNone(lint(t, distinct), 'shim-tls-duplicate-secret-name');
});

test('shim-tls-host-not-served: a TLS host no rule matches, on the host, with the closest rule host', (t) => {
  const text = ingress(ISSUER_LINE, TLS_SPEC.replace('        - shop.example.com\n', '        - shop.exmaple.com\n'));
  expectOne(shim(lint(t, text)), text, 'shim-tls-host-not-served', 'shop.exmaple.com', { severity: 'warning', message: /Did you mean "shop\.example\.com"\?/ });
});

test('shim-tls-host-not-served: not for wildcard rule hosts, rules without a host, the www twin, wildcard TLS hosts, IPs, or no rules', (t) => {
  const hosts = (list: string[], rules: string) =>
    ingress(ISSUER_LINE, `  tls:\n    - hosts: [${list.map((h) => JSON.stringify(h)).join(', ')}]\n      secretName: shop-tls\n  rules:\n${rules}`);
  const rule = (host?: string) =>
    `    - ${host ? `host: "${host}"\n      ` : ''}http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: shop\n                port:\n                  number: 80\n`;
  expectNone(lint(t, hosts(['a.example.com', 'b.example.com'], rule('*.example.com'))));
  expectNone(lint(t, hosts(['a.example.com', 'other.org'], rule('a.example.com') + rule())));
  expectNone(lint(t, hosts(['example.com', 'www.example.com'], rule('example.com'))));
  expectNone(lint(t, hosts(['*.example.com'], rule('shop.example.com'))));
  expectNone(lint(t, hosts(['SHOP.example.com', '10.0.0.1'], rule('shop.example.com'))));
  const noRules = ingress(ISSUER_LINE, `  defaultBackend:\n    service:\n      name: shop\n      port:\n        number: 80\n  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls\n`);
  expectNone(lint(t, noRules));
  // A wildcard rule host matches one label only.
  const deep = hosts(['a.b.example.com'], rule('*.example.com'));
  expectOne(shim(lint(t, deep)), deep, 'shim-tls-host-not-served', '"a.b.example.com"');
});

// --- Gateway listeners ------------------------------------------------------------

test('shim-gateway-listener-skipped: no hostname (on the listener), no tls (on the listener), no certificateRefs', (t) => {
  const noHost = gateway(ISSUER_LINE, HTTPS_LISTENER.replace('      hostname: shop.example.com\n', ''));
  const d = expectOne(shim(lint(t, noHost)), noHost, 'shim-gateway-listener-skipped', 'name: https', { severity: 'warning', message: /listener "https": it has no hostname/ });
  assert.match(d.message, /ignore-tls-listeners/);

  const noTls = gateway(ISSUER_LINE, `    - name: https\n      hostname: shop.example.com\n      port: 443\n      protocol: HTTPS\n`);
  expectOne(shim(lint(t, noTls)), noTls, 'shim-gateway-listener-skipped', 'name: https', { message: /no tls block/ });

  const noRefs = gateway(ISSUER_LINE, HTTPS_LISTENER.replace('        certificateRefs:\n          - name: shop-tls\n', '        certificateRefs: []\n        options:\n          vendor.example.com/cert: shop\n'));
  expectOne(shim(lint(t, noRefs)), noRefs, 'shim-gateway-listener-skipped', 'certificateRefs', { message: /no tls\.certificateRefs/ });
});

test('shim-gateway-listener-skipped: a reference that is not a Secret of the Gateway\'s namespace, on the field; a lowercase protocol', (t) => {
  const kind = gateway(ISSUER_LINE, HTTPS_LISTENER.replace('          - name: shop-tls\n', '          - name: shop-tls\n            kind: ConfigMap\n'));
  expectOne(shim(lint(t, kind)), kind, 'shim-gateway-listener-skipped', 'ConfigMap', { message: /kind "ConfigMap"/ });

  const group = gateway(ISSUER_LINE, HTTPS_LISTENER.replace('          - name: shop-tls\n', '          - name: shop-tls\n            group: example.com\n'));
  expectOne(shim(lint(t, group)), group, 'shim-gateway-listener-skipped', 'example.com', { nth: 1, message: /group "example\.com"/ });

  const ns = gateway(ISSUER_LINE, HTTPS_LISTENER.replace('          - name: shop-tls\n', '          - name: shop-tls\n            namespace: certs\n'));
  expectOne(shim(lint(t, ns)), ns, 'shim-gateway-listener-skipped', 'certs', { message: /cross-namespace secret references are not allowed/ });

  const lower = gateway(ISSUER_LINE, HTTPS_LISTENER.replace('protocol: HTTPS', 'protocol: https'));
  expectOne(shim(lint(t, lower)), lower, 'shim-gateway-listener-skipped', 'https', { nth: 1, message: /case-sensitively/ });
});

test('shim-gateway-listener-skipped: nothing without an issuer annotation', (t) => {
  const text = gateway(`    example.com/owner: team-a\n`, HTTPS_LISTENER.replace('      hostname: shop.example.com\n', ''));
  expectNone(lint(t, text));
});

// --- The Go parsing the rules rely on ----------------------------------------------

test('Go parsing helpers: encoding/csv, strconv and the secret-template decoder', () => {
  assert.deepEqual(goReadCsv('"a,b",c\n'), { records: [['a,b', 'c']] });
  assert.deepEqual(goReadCsv('"a",'), { records: [['a', '']] });
  assert.deepEqual(goReadCsv('"a""b"'), { records: [['a"b']] });
  assert.deepEqual(goReadCsv('"abc'), { error: 'parse error on line 1, column 5: extraneous or missing " in quoted-field' });
  assert.deepEqual(goReadCsv('"a"b'), { error: 'parse error on line 1, column 3: extraneous or missing " in quoted-field' });
  assert.deepEqual(splitWithEscapeCsv('a\nb'), { error: 'refusing to use "a\\nb" as input as it parses as multiple lines of CSV' });
  assert.deepEqual(goParseInt('2147483648', 32), { error: 'strconv.ParseInt: parsing "2147483648": value out of range' });
  assert.deepEqual(goParseInt('-7', 32), { value: -7 });
  assert.deepEqual(goParseInt(' 7', 32), { error: 'strconv.ParseInt: parsing " 7": invalid syntax' });
  assert.deepEqual(goAtoi('4096'), { value: 4096 });
  assert.equal(goParseBool('True'), true);
  assert.equal(goParseBool('yes'), undefined);
  assert.deepEqual(decodeSecretTemplate('{"labels": {"a": "b"}} trailing'), { template: { annotations: {}, labels: { a: 'b' } } });
  assert.deepEqual(decodeSecretTemplate('[]'), { error: 'json: cannot unmarshal array into Go value of type v1.CertificateSecretTemplate' });
  assert.deepEqual(decodeSecretTemplate('{"labels": {"a": 1}}'), { error: 'json: cannot unmarshal number into Go struct field CertificateSecretTemplate.labels of type string' });
  assert.deepEqual(decodeSecretTemplate('  '), { error: 'EOF' });
  assert.equal(checkAnnotationKey('cert-manager.io/cluster-issuer', 'Ingress'), undefined);
  assert.equal(checkAnnotationKey('cert-manager.dev/issuer', 'Ingress'), undefined);
});

test('every shim rule\'s example in docs/rules.md triggers the rule', () => {
  const store = schemaStore();
  for (const r of SHIM_RULES) {
    const codes = checkDocument(r.example, store).diagnostics.map((d) => d.code);
    assert.ok(codes.includes(r.id), `${r.id}: its example gives ${JSON.stringify(codes)}`);
    assert.match(r.docs, /^https:\/\/cert-manager\.io\/docs\/usage\/(ingress|gateway)\//, r.id);
  }
});
