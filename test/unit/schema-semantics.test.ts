/**
 * Schema validation with Kubernetes semantics, through the engine's Workspace
 * (the same code the CLI and the language server run): unknown fields,
 * required, types, int-or-string, enums, patterns, formats, null values,
 * x-kubernetes-preserve-unknown-fields, list-type map keys, limits, oneOf.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../engine/workspace/workspace.js';
import { schemaStore } from '../../engine/schema/schema-store.js';
import type { Diagnostic } from '../../engine/core/diagnostic.js';

/** The document's own diagnostics (cross-resource findings have their own tests). */
function check(text: string): Diagnostic[] {
  const ws = new Workspace(schemaStore());
  ws.set('file:///test/manifest.yaml', text);
  return ws.get('file:///test/manifest.yaml')!.diagnostics();
}

/** "line:col severity code" with 1-based positions, as an editor shows them. */
const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code}`);
const show = (ds: Diagnostic[]) => JSON.stringify(ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}: ${d.message}`), null, 1);

/** A Certificate around a spec; a name is added at the end when the spec has none (cert-manager needs one). */
const certificate = (spec: string) => `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  namespace: web
spec:
${spec}${/^ {2}(dnsNames|commonName|ipAddresses|uris|emailAddresses|literalSubject|otherNames):/m.test(spec) ? '' : `${spec.endsWith('\n') ? '' : '\n'}  dnsNames: [example.com]\n`}`;

const issuer = (spec: string) => `apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: letsencrypt
  namespace: web
spec:
${spec}`;

const gateway = (spec: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: infra
spec:
  gatewayClassName: istio
${spec}`;

// --- unknown fields ----------------------------------------------------------

test('unknown field: the typo renewbefore is caught at the key, with a suggestion', () => {
  const ds = check(
    certificate(`  secretName: web-tls
  renewbefore: 360h
  issuerRef:
    name: ca
`),
  );
  assert.deepEqual(brief(ds), ['8:3 error schema-unknown-field'], show(ds));
  assert.deepEqual(ds[0].range, { start: { line: 7, character: 2 }, end: { line: 7, character: 13 } }, 'the range is the key');
  assert.match(ds[0].message, /spec\.renewbefore/);
  assert.match(ds[0].message, /Did you mean "renewBefore"\?/);
  assert.equal(ds[0].path, 'spec.renewbefore');
});

test('unknown field: a key at the wrong indentation is reported where it is, listing the known fields', () => {
  const ds = check(
    issuer(`  ca:
    secretName: ca-key-pair
    selfSigned: {}
`),
  );
  // selfSigned is a field of spec, indented one level too deep: a misplaced block, with a fix.
  assert.deepEqual(brief(ds), ['9:5 error misplaced-block'], show(ds));
  assert.match(ds[0].message, /"selfSigned" is indented under spec\.ca, but it belongs under spec/);
  assert.equal(ds[0].fixes?.length, 1);
});

test('unknown field: wrong case of a key is caught and the right case suggested', () => {
  const ds = check(
    certificate(`  secretName: web-tls
  DNSNames: [example.com]
  issuerRef:
    name: ca
`),
  );
  assert.deepEqual(brief(ds), ['8:3 error schema-unknown-field'], show(ds));
  assert.match(ds[0].message, /Did you mean "dnsNames"\?/);
});

// --- required ------------------------------------------------------------------

test('required: issuerRef without name is schema-required, reported at issuerRef', () => {
  const ds = check(
    certificate(`  secretName: web-tls
  issuerRef:
    kind: ClusterIssuer
`),
  );
  assert.deepEqual(brief(ds), ['8:3 error schema-required'], show(ds));
  assert.match(ds[0].message, /spec\.issuerRef\.name/);
});

test('required: a Certificate spec without secretName and issuerRef gets both errors', () => {
  const ds = check(certificate(`  dnsNames: [example.com]\n`));
  assert.deepEqual(ds.map((d) => d.code), ['schema-required', 'schema-required'], show(ds));
  assert.ok(ds.some((d) => /spec\.secretName/.test(d.message)));
  assert.ok(ds.some((d) => /spec\.issuerRef/.test(d.message)));
});

test('required: a required field with no value counts as missing', () => {
  const ds = check(
    certificate(`  secretName:
  issuerRef:
    name: ca
`),
  );
  assert.deepEqual(ds.map((d) => `${d.severity} ${d.code}`), ['error schema-required'], show(ds));
  assert.match(ds[0].message, /secretName/);
});

// --- types -----------------------------------------------------------------------

test('types: dnsNames given as a string is schema-type at the value, suggesting a list', () => {
  const ds = check(
    certificate(`  secretName: web-tls
  dnsNames: example.com
  issuerRef:
    name: ca
`),
  );
  assert.deepEqual(brief(ds), ['8:13 error schema-type'], show(ds));
  assert.match(ds[0].message, /spec\.dnsNames must be a list, not the string "example\.com"/);
});

test('types: privateKey.size given as the string "2048" is schema-type; the integer 2048 is fine', () => {
  const spec = (size: string) =>
    certificate(`  secretName: web-tls
  privateKey:
    algorithm: RSA
    size: ${size}
  issuerRef:
    name: ca
`);
  const ds = check(spec('"2048"'));
  assert.deepEqual(brief(ds), ['10:11 error schema-type'], show(ds));
  assert.match(ds[0].message, /must be an integer, not the string "2048"/);
  assert.deepEqual(check(spec('2048')), []);
  assert.deepEqual(brief(check(spec('2048.5'))), ['10:11 error schema-type']);
});

test('types: an object where a string is expected, and a list where an object is expected', () => {
  const ds = check(
    certificate(`  secretName:
    name: web-tls
  issuerRef:
    - name: ca
`),
  );
  assert.deepEqual(ds.map((d) => d.code).sort(), ['schema-type', 'schema-type'], show(ds));
});

test('types: a boolean field given a string is schema-type', () => {
  const ds = check(
    certificate(`  secretName: web-tls
  isCA: "true"
  issuerRef:
    name: ca
`),
  );
  assert.deepEqual(brief(ds), ['8:9 error schema-type'], show(ds));
});

// --- int-or-string -----------------------------------------------------------------

test('int-or-string: a NetworkPolicy port accepts a number and a name, and rejects a list', () => {
  const policy = (port: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-acme-solver
spec:
  podSelector: {}
  ingress:
    - ports:
        - protocol: TCP
          port: ${port}
`;
  assert.deepEqual(check(policy('8089')), []);
  assert.deepEqual(check(policy('http')), []);
  assert.deepEqual(check(policy('"8089"')), []);
  const ds = check(policy('[80, 443]'));
  assert.deepEqual(brief(ds), ['10:17 error schema-type'], show(ds));
  assert.match(ds[0].message, /an integer or a string/);
  assert.deepEqual(brief(check(policy('{number: 80}'))), ['10:17 error schema-type']);
});

test('int-or-string: ACME solver pod resources accept 1 and "100m", reject a list, and check the quantity pattern', () => {
  const withResources = (limits: string) =>
    issuer(`  acme:
    server: https://acme-staging-v02.api.letsencrypt.org/directory
    privateKeySecretRef:
      name: letsencrypt
    solvers:
      - http01:
          ingress:
            ingressClassName: nginx
            podTemplate:
              spec:
                resources:
                  limits:
${limits}`);
  assert.deepEqual(check(withResources('                    cpu: 100m\n                    memory: 64Mi\n')), []);
  assert.deepEqual(check(withResources('                    cpu: 1\n                    memory: 1\n')), []);
  const list = check(withResources('                    cpu: [1]\n'));
  assert.deepEqual(list.map((d) => d.code), ['schema-type'], show(list));
  assert.equal(list[0].range.start.line + 1, 19);
  const bad = check(withResources('                    cpu: lots\n'));
  assert.deepEqual(bad.map((d) => d.code), ['schema-pattern'], show(bad));
});

// --- enums -------------------------------------------------------------------------

test('enum: privateKey.algorithm outside RSA/ECDSA/Ed25519 is schema-enum at the value, listing the values', () => {
  const spec = (alg: string) =>
    certificate(`  secretName: web-tls
  privateKey:
    algorithm: ${alg}
  issuerRef:
    name: ca
`);
  const ds = check(spec('EC'));
  assert.deepEqual(brief(ds), ['9:16 error schema-enum'], show(ds));
  assert.match(ds[0].message, /"RSA", "ECDSA", "Ed25519"/);
  const lower = check(spec('ecdsa'));
  assert.deepEqual(lower.map((d) => d.code), ['schema-enum']);
  assert.match(lower[0].message, /Did you mean "ECDSA"\?/);
  for (const ok of ['RSA', 'ECDSA', 'Ed25519']) assert.deepEqual(check(spec(ok)), [], ok);
});

test('enum: rotationPolicy and encoding are checked too', () => {
  const ds = check(
    certificate(`  secretName: web-tls
  privateKey:
    rotationPolicy: always
    encoding: PKCS12
  issuerRef:
    name: ca
`),
  );
  assert.deepEqual(brief(ds), ['9:21 error schema-enum', '10:15 error schema-enum'], show(ds));
});

// --- patterns ------------------------------------------------------------------------

test('pattern: a Gateway listener hostname with uppercase letters or an underscore is schema-pattern', () => {
  const listener = (hostname: string) =>
    gateway(`  listeners:
    - name: https
      hostname: ${hostname}
      port: 443
      protocol: HTTPS
      tls:
        certificateRefs:
          - name: web-tls
`);
  for (const bad of ['Example.COM', 'bad_host.example.com', '"example.com."', '"*example.com"']) {
    const ds = check(listener(bad));
    assert.deepEqual(brief(ds), ['10:17 error schema-pattern'], `${bad}: ${show(ds)}`);
  }
  for (const good of ['example.com', '"*.example.com"', 'a-b.c-d.example']) {
    assert.deepEqual(check(listener(good)), [], good);
  }
});

test('pattern: a listener name with uppercase letters is schema-pattern', () => {
  const ds = check(
    gateway(`  listeners:
    - name: HTTPS
      port: 443
      protocol: HTTPS
`),
  );
  assert.deepEqual(brief(ds), ['9:13 error schema-pattern'], show(ds));
});

// --- formats ---------------------------------------------------------------------------

test('format: spec.acme.caBundle must be base64 (format byte)', () => {
  const acme = (caBundle: string) =>
    issuer(`  acme:
    server: https://acme.internal.example/directory
    caBundle: ${caBundle}
    privateKeySecretRef:
      name: acme-account
    solvers:
      - http01:
          ingress:
            ingressClassName: nginx
`);
  const ds = check(acme('"-----BEGIN CERTIFICATE-----"'));
  assert.deepEqual(brief(ds), ['9:15 error schema-format'], show(ds));
  assert.match(ds[0].message, /base64/);
  assert.deepEqual(brief(check(acme('not base64!'))), ['9:15 error schema-format']);
  // Base64 of a PEM header with no certificate in it: the schema accepts it, cert-manager's webhook does not.
  assert.deepEqual(brief(check(acme('LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=='))), ['9:15 error acme-issuer']);
  // A real (self-signed, public) certificate is fine.
  assert.deepEqual(check(acme(TEST_CA_BASE64)), []);
});

/** A self-signed EC certificate ("CN=Test ACME CA"), base64 of its PEM; only public material. */
const TEST_CA_BASE64 =
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJoVENDQVN1Z0F3SUJBZ0lVT093cFJxQ1N0cnRwMlNwL21YVUVDTC83SVBzd0NnWUlLb1pJemowRUF3SXcKRnpFVk1CTUdBMVVFQXd3TVZHVnpkQ0JCUTAxRklFTkJNQ0FYRFRJMk1URXlNekUxTlRRd01sb1lEekl4TWpZeApNRE13TVRVMU5EQXlXakFYTVJVd0V3WURWUVFEREF4VVpYTjBJRUZEVFVVZ1EwRXdXVEFUQmdjcWhrak9QUUlCCkJnZ3Foa2pPUFFNQkJ3TkNBQVJDR3B0YXQ4TCtxaWVSSER0bXV2OFc5dzd4VTc2dkV6bzQ0OVJDUlRrdVRzeloKRnlJSFFEbGRkbE5QTlcwdnduQlc1R1F0bnJiWDdURmhoY0hwWnFvcG8xTXdVVEFkQmdOVkhRNEVGZ1FVTW5CUgpIbXlMZmprQnhLeWhpb05jSWRzYTBkd3dId1lEVlIwakJCZ3dGb0FVTW5CUkhteUxmamtCeEt5aGlvTmNJZHNhCjBkd3dEd1lEVlIwVEFRSC9CQVV3QXdFQi96QUtCZ2dxaGtqT1BRUURBZ05JQURCRkFpQjZqa2xoMGZ6dWZ6VjMKUDAycS8zQ2R0cjJ5VE16allaT2JzVjkyRmlPQTNBSWhBT2VYbytUa2w5aVVoUTBnNkloUTBzTmxBaEJKTEovZAplVjMzbldvT0hOOEkKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=';

// --- null values -------------------------------------------------------------------------

test('null: a key with no value on a field that is not nullable is a schema-null-value warning, not an error', () => {
  const ds = check(
    certificate(`  secretName: web-tls
  dnsNames:
  duration: null
  issuerRef:
    name: ca
`),
  );
  // The empty dnsNames is dropped, so cert-manager's webhook sees a Certificate with no name at all.
  assert.deepEqual(brief(ds), ['8:3 warning schema-null-value', '9:3 warning schema-null-value', '6:1 error certificate-identity'], show(ds));
});

test('null: metadata.creationTimestamp: null, as kubectl --dry-run -o yaml writes it, is information only', () => {
  const ds = check(certificate('  secretName: web-tls\n  issuerRef: {name: ca}\n').replace('  namespace: web\n', '  namespace: web\n  creationTimestamp: null\n'));
  assert.deepEqual(brief(ds), ['6:3 information schema-null-value'], show(ds));
  assert.match(ds[0]!.message, /Harmless here/);
});

test('null: a field declared nullable in a schema accepts null without any diagnostic (when the schemas have one)', () => {
  // The generated schemas are scanned for a property that allows null.
  const store = schemaStore();
  let found: { apiVersion: string; kind: string; path: string[] } | undefined;
  const walk = (s: any, path: string[], entry: { apiVersion: string; kind: string }): void => {
    if (found || !s || typeof s !== 'object' || path.length > 4) return;
    for (const [k, sub] of Object.entries<any>(s.properties ?? {})) {
      const types = Array.isArray(sub?.type) ? sub.type : [sub?.type];
      if (sub?.nullable === true || types.includes('null')) {
        if (path.every((p) => p !== 'status' && p !== 'metadata')) found = { ...entry, path: [...path, k] };
        return;
      }
      walk(sub, [...path, k], entry);
    }
  };
  for (const e of store.entries) walk(store.schema(e.apiVersion, e.kind), [], e);
  if (!found) {
    // None in these CRDs: then every null is the warning above (checked there).
    // `selfSigned:` with no value is dropped: a warning there, and the issuer then has no type at all.
    assert.deepEqual(
      check(`apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: x\nspec:\n  selfSigned:\n`).map((d) => `${d.severity} ${d.code}`),
      ['warning schema-null-value', 'error issuer-type'],
    );
    return;
  }
  const lines = [`apiVersion: ${found.apiVersion}`, `kind: ${found.kind}`, 'metadata:', '  name: x'];
  found.path.forEach((p, i) => lines.push(`${'  '.repeat(i)}${p}:${i === found!.path.length - 1 ? ' null' : ''}`));
  const ds = check(lines.join('\n') + '\n').filter((d) => d.code === 'schema-null-value' || d.code === 'schema-type');
  assert.deepEqual(ds, []);
});

// --- preserve unknown fields -------------------------------------------------------------------

test('x-kubernetes-preserve-unknown-fields: an ACME webhook solver config accepts arbitrary keys', () => {
  const ds = check(
    issuer(`  acme:
    server: https://acme-staging-v02.api.letsencrypt.org/directory
    privateKeySecretRef:
      name: letsencrypt
    solvers:
      - dns01:
          webhook:
            groupName: acme.example.com
            solverName: my-dns
            config:
              apiKeySecretRef:
                name: my-dns-key
                key: api-key
              zone: example.com
              ttl: 300
              anyThing: [1, "two", {three: 3}]
              Nested:
                Deeper:
                  deepest: true
`),
  );
  assert.deepEqual(ds, [], show(ds));
});

test('x-kubernetes-preserve-unknown-fields does not leak: a typo next to config is still caught', () => {
  const ds = check(
    issuer(`  acme:
    server: https://acme-staging-v02.api.letsencrypt.org/directory
    privateKeySecretRef:
      name: letsencrypt
    solvers:
      - dns01:
          webhook:
            groupName: acme.example.com
            solverNmae: my-dns
            config:
              whatever: 1
`),
  );
  assert.deepEqual(brief(ds).map((s) => s.split(' ').slice(1).join(' ')), ['error schema-unknown-field', 'error schema-required'], show(ds));
});

// --- list types -----------------------------------------------------------------------------------

test('list-type map: two Gateway listeners with the same name are schema-duplicate at the second one', () => {
  const ds = check(
    gateway(`  listeners:
    - name: https
      hostname: a.example.com
      port: 443
      protocol: HTTPS
    - name: https
      hostname: b.example.com
      port: 443
      protocol: HTTPS
`),
  );
  // The list-map key check, and the Gateway CRD's own CEL rule on listener names, as the API server reports both.
  assert.deepEqual(ds.map((d) => d.code), ['schema-duplicate', 'schema-cel'], show(ds));
  assert.match(ds[1].message, /unique/i);
  assert.equal(ds[0].range.start.line + 1, 13);
  assert.match(ds[0].message, /name="https"/);
  assert.match(ds[0].message, /spec\.listeners\[0\]/);
});

test('list-type map: listeners with distinct names are fine', () => {
  const ds = check(
    gateway(`  listeners:
    - name: http
      port: 80
      protocol: HTTP
    - name: https
      port: 443
      protocol: HTTPS
`),
  );
  assert.deepEqual(ds, [], show(ds));
});

// --- limits ------------------------------------------------------------------------------------------

test('limits: a listener port outside 1..65535 and an empty listeners list are schema-limit', () => {
  const ports = check(
    gateway(`  listeners:
    - name: a
      port: 0
      protocol: HTTP
    - name: b
      port: 70000
      protocol: HTTP
`),
  );
  assert.deepEqual(brief(ports), ['10:13 error schema-limit', '13:13 error schema-limit'], show(ports));
  const empty = check(gateway('  listeners: []\n'));
  assert.deepEqual(empty.map((d) => d.code), ['schema-limit'], show(empty));
});

// --- oneOf -------------------------------------------------------------------------------------------------

test('oneOf: a Gateway address of type IPAddress must hold an IP address', () => {
  const address = (value: string) =>
    gateway(`  addresses:
    - type: IPAddress
      value: ${value}
  listeners:
    - name: http
      port: 80
      protocol: HTTP
`);
  assert.deepEqual(check(address('192.0.2.10')), []);
  assert.deepEqual(check(address('"2001:db8::1"')), []);
  const ds = check(address('not-an-ip'));
  assert.deepEqual(ds.map((d) => d.code), ['schema-alternatives'], show(ds));
});

test('oneOf: Gateway addresses of type Hostname or a domain-prefixed type are accepted (valid Gateway API)', () => {
  for (const [type, value] of [
    ['Hostname', 'lb.example.com'],
    ['NamedAddress', 'my-reserved-address'],
    ['example.com/custom', 'anything'],
  ]) {
    const ds = check(
      gateway(`  addresses:
    - type: ${type}
      value: ${value}
  listeners:
    - name: http
      port: 80
      protocol: HTTP
`),
    );
    assert.deepEqual(brief(ds), [], `type ${type}: ${show(ds)}`);
  }
});

// --- YAML merge keys (YAML 1.1, supported by Kubernetes) -------------------------------------------------------

test('a YAML 1.1 merge key (<<) is not an unknown field, and the merged fields are validated', () => {
  const text = certificate(`  secretName: web-tls
  privateKey:
    <<: {algorithm: ECDSA, size: 256}
    rotationPolicy: Always
  issuerRef:
    name: ca
`);
  const ds = check(text);
  assert.deepEqual(brief(ds), [], show(ds));
  const bad = check(text.replace('algorithm: ECDSA', 'algorithm: EC'));
  assert.deepEqual(bad.map((d) => d.code), ['schema-enum'], show(bad));
});

test('anchors and aliases to valid values are accepted', () => {
  const ds = check(
    certificate(`  secretName: web-tls
  secretTemplate:
    labels: &labels
      app: web
      team: platform
    annotations: *labels
  dnsNames:
    - &host web.example.com
  commonName: *host
  issuerRef:
    name: ca
`),
  );
  assert.deepEqual(ds, [], show(ds));
});
