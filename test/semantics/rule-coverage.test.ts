/**
 * Every rule of the registry, through the real CLI (`certsmith lint --format json`):
 * at least one manifest that triggers it, at an exact position, and at least one
 * closely related correct manifest on which it stays silent.
 *
 * The negative cases are realistic, correct manifests: besides "this rule does
 * not fire", each must come out with no error and no warning at all, so they
 * also guard against false positives of every other rule.
 *
 * Cases of rules that look at one document at a time are linted together in a
 * single run (each file is still its own document; the cross-resource
 * diagnostics that such a mixed run produces are ignored there). Cases of
 * cross-resource rules, and cases that need their own command-line options,
 * get a run of their own.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../engine/rules/registry.js';
import { KNOWN_USAGES } from '../../engine/rules/webhook/certificate.js';
import { ROOT, runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

interface PositiveCase {
  files: Record<string, string>;
  /** Where the diagnostic starts: 'file:line:col', 1-based. */
  at: string;
  /** Further positions where the same rule must fire in this case (and nowhere else). */
  also?: string[];
  /** Extra `certsmith lint` options (the case then runs on its own). */
  args?: string[];
  /** Why this positive case cannot run (the rule cannot fire with what is bundled). */
  skip?: string;
}

interface NegativeCase {
  files: Record<string, string>;
  args?: string[];
}

interface RuleCases {
  positive: PositiveCase[];
  negative: NegativeCase[];
}

/** Dedents a template literal (drops the first newline and the common indentation of its lines). */
function y(strings: TemplateStringsArray, ...values: unknown[]): string {
  let text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  text = text.replace(/^\n/, '').replace(/\n[ ]*$/, '\n');
  const indents = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => /^ */.exec(l)![0].length);
  const common = Math.min(...indents);
  return text
    .split('\n')
    .map((l) => l.slice(Math.min(common, /^ */.exec(l)![0].length)))
    .join('\n');
}

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null'];
/** A real CSR (no extensions), base64 as spec.request wants it. */
const CSR = Buffer.from(openssl(['req', '-new', ...EC_KEY, '-subj', '/CN=web.example.com'])).toString('base64');
/** A real CSR that asks for a CA certificate (basicConstraints CA:TRUE). */
const CA_CSR = Buffer.from(openssl(['req', '-new', ...EC_KEY, '-subj', '/CN=Example Intermediate CA', '-addext', 'basicConstraints=critical,CA:TRUE'])).toString(
  'base64',
);
/** A real self-signed CA certificate, base64 as caBundle wants it. */
const CA_BUNDLE = Buffer.from(openssl(['req', '-x509', '-new', ...EC_KEY, '-subj', '/CN=Example Root CA', '-days', '365'])).toString('base64');

/** 300 nested flow lists: deeper than the parser may recurse. */
const DEEP = '['.repeat(300) + 'web.example.com' + ']'.repeat(300);

/** A "billion laughs" document: 9^9 nodes once the aliases are expanded. */
const LAUGHS = [
  'apiVersion: cert-manager.io/v1',
  'kind: Certificate',
  'metadata:',
  '  name: lol',
  'spec:',
  '  secretName: lol-tls',
  '  issuerRef: {name: lol}',
  '  dnsNames: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ...['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((n, i) => {
    const prev = String.fromCharCode('a'.charCodeAt(0) + i);
    return `  x-${n}: &${n} [${Array(9).fill(`*${prev}`).join(', ')}]`;
  }),
  '',
].join('\n');

/** A small Certificate (208 bytes): over --max-file-size 100, under 4096. */
const SMALL_CERT = y`
  apiVersion: cert-manager.io/v1
  kind: Certificate
  metadata:
    name: web
    namespace: web
  spec:
    secretName: web-tls
    dnsNames: [web.example.com]
    issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer}
`;

const STAGING_ISSUER = y`
  apiVersion: cert-manager.io/v1
  kind: ClusterIssuer
  metadata:
    name: letsencrypt-staging
  spec:
    acme:
      server: https://acme-staging-v02.api.letsencrypt.org/directory
      email: ops@example.com
      privateKeySecretRef:
        name: letsencrypt-staging-account-key
      solvers:
        - http01:
            ingress:
              ingressClassName: nginx
`;

/** A ClusterIssuer "letsencrypt" with the given solvers (written at the indentation of `solvers:` items). */
const acmeClusterIssuer = (solvers: string) =>
  y`
  apiVersion: cert-manager.io/v1
  kind: ClusterIssuer
  metadata:
    name: letsencrypt
  spec:
    acme:
      server: https://acme-staging-v02.api.letsencrypt.org/directory
      email: ops@example.com
      privateKeySecretRef:
        name: letsencrypt-account-key
      solvers:
` + solvers;

const HTTP01_SOLVER = '      - http01:\n          ingress:\n            ingressClassName: nginx\n';
const DNS01_SOLVER = (zone: string) =>
  `      - selector:\n          dnsZones: [${zone}]\n        dns01:\n          cloudflare:\n            apiTokenSecretRef: {name: cloudflare-api-token, key: api-token}\n`;

/** A Certificate for `dnsNames` from ClusterIssuer "letsencrypt" (dnsNames start on line 9). */
const certFor = (dnsNames: string[]) => y`
  apiVersion: cert-manager.io/v1
  kind: Certificate
  metadata:
    name: web
    namespace: web
  spec:
    secretName: web-tls
    dnsNames:
${dnsNames.map((n) => `      - "${n}"`).join('\n')}
    issuerRef:
      name: letsencrypt
      kind: ClusterIssuer
`;

export const CASES: Record<string, RuleCases> = {
  // --- YAML ------------------------------------------------------------------
  'yaml-syntax': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              commonName: "web.example.com
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:8:15',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              commonName: "web.example.com"
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'yaml-duplicate-key': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              secretName: web-tls-v2
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:10:3',
      },
    ],
    negative: [
      {
        // The same key in two different mappings is fine.
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              secretTemplate:
                labels:
                  name: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'yaml-tab-indentation': {
    positive: [
      {
        files: {
          'cert.yaml': [
            'apiVersion: cert-manager.io/v1',
            'kind: Certificate',
            'metadata:',
            '  name: web',
            '  namespace: web',
            'spec:',
            '\tsecretName: web-tls',
            '  dnsNames:',
            '    - web.example.com',
            '  issuerRef:',
            '    name: letsencrypt-staging',
            '    kind: ClusterIssuer',
            '',
          ].join('\n'),
        },
        at: 'cert.yaml:7:1',
      },
    ],
    negative: [
      {
        // A tab inside a value or a comment is not indentation.
        files: {
          'cert.yaml': [
            'apiVersion: cert-manager.io/v1',
            'kind: Certificate',
            'metadata:',
            '  name: web',
            '  namespace: web',
            '  annotations:',
            '    example.com/note: "owner:\tplatform"',
            'spec:',
            '  secretName: web-tls\t# the Secret the ingress reads',
            '  dnsNames:',
            '    - web.example.com',
            '  issuerRef:',
            '    name: letsencrypt-staging',
            '    kind: ClusterIssuer',
            '',
          ].join('\n'),
        },
      },
    ],
  },
  'yaml-alias-limit': {
    positive: [{ files: { 'laughs.yaml': LAUGHS }, at: 'laughs.yaml:9:12' }],
    negative: [
      {
        // Anchors and aliases as people use them: one host named once, used twice.
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: shop
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [&host shop.example.com]
                  secretName: shop-tls
              rules:
                - host: *host
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}
          `,
        },
      },
    ],
  },
  'yaml-too-deep': {
    positive: [
      {
        files: {
          'deep.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: web, namespace: web}
            spec: {secretName: web-tls, issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer}, dnsNames: ${DEEP}}
          `,
        },
        at: 'deep.yaml:1:1',
      },
    ],
    negative: [
      {
        files: {
          'flow.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: web, namespace: web, labels: {app.kubernetes.io/name: web}}
            spec: {secretName: web-tls, issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer}, dnsNames: [web.example.com], privateKey: {algorithm: ECDSA, size: 256}}
          `,
        },
      },
    ],
  },

  // --- Files -----------------------------------------------------------------
  'file-too-large': {
    positive: [{ files: { 'cert.yaml': SMALL_CERT }, args: ['--max-file-size', '100'], at: 'cert.yaml:1:1' }],
    negative: [{ files: { 'cert.yaml': SMALL_CERT }, args: ['--max-file-size', '4096'] }],
  },
  'file-not-text': {
    positive: [{ files: { 'cert.yaml': SMALL_CERT.replace('spec:', 'spec:\u0000') }, at: 'cert.yaml:1:1' }],
    negative: [
      {
        // UTF-8 text with a byte order mark and non-ASCII characters is text.
        files: { 'cert.yaml': '\ufeff# Zertifikat für den Shop — verwaltet vom Plattform-Team\n' + SMALL_CERT },
      },
    ],
  },

  'file-template': {
    positive: [
      {
        // A Helm chart template named explicitly: one information note, nothing else.
        files: {
          'certificate.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: {{ include "web.fullname" . }}
            spec:
              secretName: {{ .Values.tls.secretName }}
          `,
        },
        at: 'certificate.yaml:1:1',
      },
    ],
    negative: [
      {
        // Braces in a plain manifest (a JSON-ish flow map, a literal in a comment) are not templates.
        files: { 'cert.yaml': '# rendered by helm template; values came from {prod}\n' + SMALL_CERT },
      },
    ],
  },

  // --- API version and kind -------------------------------------------------
  'api-version-removed': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1alpha2
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:1:13',
      },
      {
        files: {
          'ingress.yaml': y`
            apiVersion: extensions/v1beta1
            kind: Ingress
            metadata:
              name: web
              namespace: web
            spec:
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - path: /
                        backend:
                          serviceName: web
                          servicePort: 80
          `,
        },
        at: 'ingress.yaml:1:13',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
            spec:
              ingressClassName: nginx
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - path: /
                        pathType: Prefix
                        backend:
                          service:
                            name: web
                            port:
                              number: 80
          `,
        },
      },
    ],
  },
  'api-version-unknown': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v2
            kind: Issuer
            metadata:
              name: selfsigned
              namespace: web
            spec:
              selfSigned: {}
          `,
        },
        at: 'issuer.yaml:1:13',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: selfsigned
              namespace: web
            spec:
              selfSigned: {}
          `,
        },
      },
    ],
  },
  'api-version-deprecated': {
    positive: [
      {
        files: {},
        at: '',
        skip: 'no API version in schemas/index.json is marked deprecated, so the rule cannot fire with the bundled schemas (asserted below)',
      },
    ],
    negative: [
      {
        // gateway.networking.k8s.io/v1beta1 is still served (not the storage version): not deprecated.
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: Gateway
            metadata:
              name: web
              namespace: web
            spec:
              gatewayClassName: istio
              listeners:
                - name: http
                  port: 80
                  protocol: HTTP
          `,
        },
      },
    ],
  },
  'kind-unknown': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certficate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:2:7',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'kind-missing': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:1:1',
      },
    ],
    negative: [
      {
        // kind and apiVersion in an unusual order are still both there.
        files: {
          'cert.yaml': y`
            kind: Certificate
            apiVersion: cert-manager.io/v1
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },

  // --- Metadata --------------------------------------------------------------
  'metadata-name-missing': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              namespace: web
            spec:
              selfSigned: {}
          `,
        },
        at: 'issuer.yaml:3:1',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: selfsigned
              namespace: web
            spec:
              selfSigned: {}
          `,
        },
      },
      {
        // generateName instead of name (kubectl create).
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              generateName: selfsigned-
              namespace: web
            spec:
              selfSigned: {}
          `,
        },
      },
    ],
  },
  'metadata-name-invalid': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: Web_Certificate
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:4:9',
      },
    ],
    negative: [
      {
        // Dots are allowed in object names (DNS subdomains).
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web.example.com
              namespace: web
            spec:
              secretName: web.example.com-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'metadata-namespace-invalid': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: selfsigned
              namespace: Team.A
            spec:
              selfSigned: {}
          `,
        },
        at: 'issuer.yaml:5:14',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: selfsigned
              namespace: team-a
            spec:
              selfSigned: {}
          `,
        },
      },
    ],
  },
  'metadata-namespace-ignored': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: selfsigned
              namespace: default
            spec:
              selfSigned: {}
          `,
        },
        at: 'issuer.yaml:5:3',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: selfsigned
            spec:
              selfSigned: {}
          `,
        },
      },
      {
        // A namespace on a namespaced Issuer is what it should have.
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: selfsigned
              namespace: default
            spec:
              selfSigned: {}
          `,
        },
      },
    ],
  },
  'metadata-label-invalid': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
              labels:
                app.kubernetes.io/name: web
                team: "platform engineering"
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:8:11',
      },
    ],
    negative: [
      {
        // Prefixed keys, dots, underscores and an empty value are all valid.
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
              labels:
                app.kubernetes.io/name: web
                app.kubernetes.io/version: "1.4.2"
                team: platform_engineering
                canary: ""
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'metadata-annotation-invalid': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
              annotations:
                "owner team": platform
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:7:5',
      },
    ],
    negative: [
      {
        // Annotation values may contain anything; keys follow the label key syntax.
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
              annotations:
                argocd.argoproj.io/sync-wave: "1"
                example.com/owner-team: "Platform Engineering <platform@example.com>"
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },

  // --- Schema ------------------------------------------------------------------
  'schema-unknown-field': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              duration: 2160h
              renewbefore: 360h
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:9:3',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              duration: 2160h
              renewBefore: 360h
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'schema-required': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:10:3',
      },
    ],
    negative: [
      {
        // kind and group have defaults; only name is required.
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: web-ca
          `,
        },
      },
    ],
  },
  'schema-type': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:8:13',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              isCA: false
              revisionHistoryLimit: 3
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'schema-enum': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              privateKey:
                algorithm: EC
                size: 256
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:11:16',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              privateKey:
                algorithm: ECDSA
                size: 256
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'schema-pattern': {
    positive: [
      {
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
            spec:
              gatewayClassName: istio
              listeners:
                - name: https
                  hostname: Shop.Example.com
                  port: 443
                  protocol: HTTPS
                  tls:
                    certificateRefs:
                      - name: shop-tls
          `,
        },
        at: 'gateway.yaml:10:17',
      },
    ],
    negative: [
      {
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
            spec:
              gatewayClassName: istio
              listeners:
                - name: https
                  hostname: "*.shop.example.com"
                  port: 443
                  protocol: HTTPS
                  tls:
                    certificateRefs:
                      - name: shop-tls
          `,
        },
      },
    ],
  },
  'schema-format': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: internal-acme
              namespace: web
            spec:
              acme:
                server: https://acme.internal.example.com/directory
                caBundle: "see the wiki!"
                privateKeySecretRef:
                  name: internal-acme-account-key
                solvers:
                  - http01:
                      ingress:
                        ingressClassName: nginx
          `,
        },
        at: 'issuer.yaml:9:15',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: internal-acme
              namespace: web
            spec:
              acme:
                server: https://acme.internal.example.com/directory
                caBundle: ${CA_BUNDLE}
                privateKeySecretRef:
                  name: internal-acme-account-key
                solvers:
                  - http01:
                      ingress:
                        ingressClassName: nginx
          `,
        },
      },
    ],
  },
  'schema-limit': {
    positive: [
      {
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
            spec:
              gatewayClassName: istio
              listeners:
                - name: http
                  port: 80800
                  protocol: HTTP
          `,
        },
        at: 'gateway.yaml:10:13',
      },
    ],
    negative: [
      {
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
            spec:
              gatewayClassName: istio
              listeners:
                - name: http
                  port: 8080
                  protocol: HTTP
          `,
        },
      },
    ],
  },
  'schema-duplicate': {
    positive: [
      {
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
            spec:
              gatewayClassName: istio
              listeners:
                - name: web
                  port: 80
                  protocol: HTTP
                - name: web
                  hostname: shop.example.com
                  port: 443
                  protocol: HTTPS
                  tls:
                    certificateRefs:
                      - name: shop-tls
          `,
        },
        at: 'gateway.yaml:12:7',
      },
    ],
    negative: [
      {
        // Two listeners on the same port are fine when their names differ.
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
            spec:
              gatewayClassName: istio
              listeners:
                - name: http
                  port: 80
                  protocol: HTTP
                - name: shop
                  hostname: shop.example.com
                  port: 443
                  protocol: HTTPS
                  tls:
                    certificateRefs:
                      - name: shop-tls
                - name: blog
                  hostname: blog.example.com
                  port: 443
                  protocol: HTTPS
                  tls:
                    certificateRefs:
                      - name: blog-tls
          `,
        },
      },
    ],
  },
  'schema-alternatives': {
    positive: [
      {
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
            spec:
              gatewayClassName: istio
              addresses:
                - type: IPAddress
                  value: 203.0.113.300
              listeners:
                - name: http
                  port: 80
                  protocol: HTTP
          `,
        },
        at: 'gateway.yaml:9:7',
      },
      {
        // type defaults to IPAddress (the API server defaults before it validates), and
        // a host name is not an IP address: no shape fits.
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
            spec:
              gatewayClassName: istio
              addresses:
                - value: lb.example.com
              listeners:
                - name: http
                  port: 80
                  protocol: HTTP
          `,
        },
        at: 'gateway.yaml:9:7',
      },
    ],
    negative: [
      {
        // type defaults to IPAddress: with that default, exactly one shape fits.
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
            spec:
              gatewayClassName: istio
              addresses:
                - value: 203.0.113.30
              listeners:
                - name: http
                  port: 80
                  protocol: HTTP
          `,
        },
      },
      {
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
            spec:
              gatewayClassName: istio
              addresses:
                - type: IPAddress
                  value: 203.0.113.30
                - type: IPAddress
                  value: "2001:db8::30"
                - type: Hostname
                  value: lb.example.com
              listeners:
                - name: http
                  port: 80
                  protocol: HTTP
          `,
        },
      },
    ],
  },
  'misplaced-block': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
              spec:
                secretName: web-tls
                dnsNames:
                  - web.example.com
                issuerRef:
                  name: letsencrypt-staging
                  kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:6:3',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'schema-cel': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: venafi
              namespace: web
            spec:
              venafi:
                zone: DevOps\\Web
          `,
        },
        at: 'issuer.yaml:7:3',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: venafi
              namespace: web
            spec:
              venafi:
                zone: DevOps\\Web
                cloud:
                  apiTokenSecretRef:
                    name: venafi-cloud
                    key: apikey
          `,
        },
      },
    ],
  },
  'schema-null-value': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              usages:
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:10:3',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              usages:
                - server auth
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },

  // --- Across documents ---------------------------------------------------------
  'issuer-not-found': {
    positive: [
      {
        files: {
          'issuer.yaml': STAGING_ISSUER,
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-prod
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:11:11',
      },
      {
        // An Ingress annotation is an issuer reference too.
        files: {
          'issuer.yaml': STAGING_ISSUER,
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-prod
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:7:37',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': STAGING_ISSUER,
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
      {
        // The files define no issuer at all: they live in the cluster.
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-prod
                kind: ClusterIssuer
          `,
        },
      },
      {
        // An external issuer (another API group) is not looked up.
        files: {
          'issuer.yaml': STAGING_ISSUER,
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: private-ca
                kind: AWSPCAClusterIssuer
                group: awspca.cert-manager.io
          `,
        },
      },
    ],
  },
  'issuer-kind-mismatch': {
    positive: [
      {
        files: {
          'issuer.yaml': STAGING_ISSUER,
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
          `,
        },
        at: 'cert.yaml:11:11',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': STAGING_ISSUER,
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'issuer-wrong-namespace': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: shop-ca
              namespace: shop
            spec:
              ca:
                secretName: shop-ca
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: shop-ca
              namespace: shop
            spec:
              isCA: true
              commonName: Shop CA
              secretName: shop-ca
              issuerRef:
                name: selfsigned
                kind: ClusterIssuer
            ---
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: selfsigned
            spec:
              selfSigned: {}
          `,
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.web.svc.cluster.local
              issuerRef:
                name: shop-ca
          `,
        },
        at: 'cert.yaml:11:11',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: shop-ca
              namespace: shop
            spec:
              ca:
                secretName: shop-ca
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: shop-ca
              namespace: shop
            spec:
              isCA: true
              commonName: Shop CA
              secretName: shop-ca
              issuerRef:
                name: selfsigned
                kind: ClusterIssuer
            ---
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: selfsigned
            spec:
              selfSigned: {}
          `,
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: shop
            spec:
              secretName: web-tls
              dnsNames:
                - web.shop.svc.cluster.local
              issuerRef:
                name: shop-ca
          `,
        },
      },
    ],
  },
  'acme-wildcard-http01': {
    positive: [
      {
        files: { 'issuer.yaml': acmeClusterIssuer(HTTP01_SOLVER), 'cert.yaml': certFor(['example.com', '*.example.com']) },
        at: 'cert.yaml:10:7',
      },
    ],
    negative: [
      {
        files: { 'issuer.yaml': acmeClusterIssuer(HTTP01_SOLVER + DNS01_SOLVER('example.com')), 'cert.yaml': certFor(['example.com', '*.example.com']) },
      },
    ],
  },
  'acme-no-solver': {
    positive: [
      {
        files: { 'issuer.yaml': acmeClusterIssuer(DNS01_SOLVER('example.com')), 'cert.yaml': certFor(['shop.example.com', 'shop.example.org']) },
        at: 'cert.yaml:10:7',
      },
    ],
    negative: [
      {
        files: { 'issuer.yaml': acmeClusterIssuer(DNS01_SOLVER('example.com')), 'cert.yaml': certFor(['shop.example.com', '*.shop.example.com']) },
      },
      {
        // A solver without selector catches the names the others do not select.
        files: {
          'issuer.yaml': acmeClusterIssuer(DNS01_SOLVER('example.com') + HTTP01_SOLVER),
          'cert.yaml': certFor(['shop.example.com', 'shop.example.org']),
        },
      },
    ],
  },
  'acme-production-server': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt-prod
            spec:
              acme:
                server: https://acme-v02.api.letsencrypt.org/directory
                email: ops@example.com
                privateKeySecretRef:
                  name: letsencrypt-prod-account-key
                solvers:
                  - http01:
                      ingress:
                        ingressClassName: nginx
          `,
        },
        at: 'issuer.yaml:7:13',
      },
    ],
    negative: [{ files: { 'issuer.yaml': STAGING_ISSUER } }],
  },
  'secret-name-conflict': {
    positive: [
      {
        files: {
          'a.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: shop
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [shop.example.com]
              issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer}
          `,
          'b.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: blog
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [blog.example.com]
              issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer}
          `,
        },
        at: 'a.yaml:7:15',
        also: ['b.yaml:7:15'],
      },
      {
        // Without namespaces, two documents of one file are applied to the same namespace.
        files: {
          'certs.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: shop
            spec:
              secretName: web-tls
              dnsNames: [shop.example.com]
              issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: blog
            spec:
              secretName: web-tls
              dnsNames: [blog.example.com]
              issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer}
          `,
        },
        at: 'certs.yaml:6:15',
        also: ['certs.yaml:15:15'],
      },
    ],
    negative: [
      {
        files: {
          'a.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: shop
              namespace: web
            spec:
              secretName: shop-tls
              dnsNames: [shop.example.com]
              issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer}
          `,
          'b.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: blog
              namespace: web
            spec:
              secretName: blog-tls
              dnsNames: [blog.example.com]
              issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer}
          `,
        },
      },
      {
        // The same Secret name in two namespaces is two Secrets.
        files: {
          'a.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: staging
            spec:
              secretName: web-tls
              dnsNames: [staging.example.com]
              issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer}
          `,
          'b.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: production
            spec:
              secretName: web-tls
              dnsNames: [www.example.com]
              issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer}
          `,
        },
      },
      {
        // Unset namespaces in different files (e.g. one per overlay) are not known to be the same.
        files: {
          'staging.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
            spec:
              secretName: web-tls
              dnsNames: [staging.example.com]
              issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer}
          `,
          'production.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
            spec:
              secretName: web-tls
              dnsNames: [www.example.com]
              issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer}
          `,
        },
      },
    ],
  },
  'ca-secret-not-produced': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: internal-ca
              namespace: web
            spec:
              ca:
                secretName: internal-ca
          `,
        },
        at: 'issuer.yaml:8:17',
      },
    ],
    negative: [
      {
        // The SelfSigned bootstrap from cert-manager's docs: a CA Certificate writes the Secret.
        files: {
          'bootstrap.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: selfsigned
              namespace: web
            spec:
              selfSigned: {}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: internal-ca
              namespace: web
            spec:
              isCA: true
              commonName: Internal CA
              secretName: internal-ca
              privateKey:
                algorithm: ECDSA
                size: 256
              issuerRef:
                name: selfsigned
                kind: Issuer
          `,
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: internal-ca
              namespace: web
            spec:
              ca:
                secretName: internal-ca
          `,
        },
      },
    ],
  },

  // --- cert-manager's admission webhook -----------------------------------------
  'issuer-ref': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: private-ca
                kind: AWSPCAClusterIssuer
          `,
        },
        at: 'cert.yaml:12:11',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: private-ca
                kind: AWSPCAClusterIssuer
                group: awspca.cert-manager.io
          `,
        },
      },
    ],
  },
  'certificate-secret-name': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: Web_TLS
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:7:15',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web.example.com-tls
              dnsNames:
                - web.example.com
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-literal-subject': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              literalSubject: "cn=web.example.com,O=Example Ltd"
              dnsNames:
                - web.example.com
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:8:19',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              literalSubject: "CN=web.example.com,OU=Web,O=Example Ltd,C=GB"
              dnsNames:
                - web.example.com
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-identity': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              subject:
                organizations: [Example Ltd]
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:6:1',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              subject:
                organizations: [Example Ltd]
              dnsNames: [web.example.com]
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
      {
        // A CN in literalSubject counts as a name.
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: client
              namespace: web
            spec:
              secretName: client-tls
              literalSubject: "CN=billing-client,O=Example Ltd"
              usages: [client auth, digital signature]
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-common-name': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              commonName: customer-portal-frontend.eu-west-1.production.apps.corp.example.com
              dnsNames:
                - customer-portal-frontend.eu-west-1.production.apps.corp.example.com
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:8:15',
      },
    ],
    negative: [
      {
        // Long names belong in dnsNames; a commonName of exactly 64 bytes is allowed.
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              commonName: customer-portal-frontend.eu-west-1.production.apps.example.co.uk
              dnsNames:
                - customer-portal-frontend.eu-west-1.production.apps.example.co.uk
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-ip-address': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: api
              namespace: web
            spec:
              secretName: api-tls
              dnsNames: [api.web.svc.cluster.local]
              ipAddresses:
                - 10.96.0.42
                - 10.96.0.300
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:11:7',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: api
              namespace: web
            spec:
              secretName: api-tls
              dnsNames: [api.web.svc.cluster.local]
              ipAddresses:
                - 10.96.0.42
                - "2001:db8::42"
                - 127.0.0.1
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-email-address': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: jane
              namespace: web
            spec:
              secretName: jane-smime
              emailAddresses:
                - "Jane Doe <jane@example.com>"
              usages: [email protection, digital signature]
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:9:7',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: jane
              namespace: web
            spec:
              secretName: jane-smime
              emailAddresses:
                - jane@example.com
                - jane.doe+certs@mail.example.co.uk
              usages: [email protection, digital signature]
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-other-names': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: jane
              namespace: web
            spec:
              secretName: jane-tls
              otherNames:
                - oid: userPrincipalName
                  utf8Value: jane@example.com
              usages: [client auth, digital signature]
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:9:12',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: jane
              namespace: web
            spec:
              secretName: jane-tls
              otherNames:
                - oid: 1.3.6.1.4.1.311.20.2.3
                  utf8Value: jane@example.com
              usages: [client auth, digital signature]
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-private-key': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              privateKey:
                algorithm: ECDSA
                size: 2048
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:11:11',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              privateKey:
                algorithm: ECDSA
                size: 384
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              privateKey:
                algorithm: RSA
                encoding: PKCS8
                size: 4096
                rotationPolicy: Always
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-signature-algorithm': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              privateKey:
                algorithm: ECDSA
                size: 384
              signatureAlgorithm: SHA384WithRSA
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:12:23',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              privateKey:
                algorithm: ECDSA
                size: 384
              signatureAlgorithm: ECDSAWithSHA384
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
      {
        // Without privateKey the key is RSA.
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              signatureAlgorithm: SHA512WithRSA
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-duration': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              duration: 90d
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:9:13',
      },
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              duration: 24h
              renewBefore: 48h
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:10:16',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              duration: 2160h0m0s
              renewBefore: 360h
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              duration: 720h
              renewBeforePercentage: 33
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-usages': {
    positive: [
      {
        files: {},
        at: '',
        skip: "the Certificate CRD's enum of usages is exactly the set cert-manager's webhook knows (asserted below), so the schema (schema-enum) rejects an unknown usage first and the webhook rule is never reached",
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              usages:
                - server auth
                - client auth
                - digital signature
                - key encipherment
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-revision-history-limit': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              revisionHistoryLimit: 0
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:9:25',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              revisionHistoryLimit: 1
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-secret-template': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              secretTemplate:
                annotations:
                  cert-manager.io/issuer-name: other
              dnsNames: [web.example.com]
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:9:5',
      },
    ],
    negative: [
      {
        // kubernetes-reflector's annotations, as its README shows them.
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              secretTemplate:
                annotations:
                  reflector.v1.k8s.emberstack.com/reflection-allowed: "true"
                  reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces: "shop,blog"
                labels:
                  app.kubernetes.io/part-of: web
              dnsNames: [web.example.com]
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-name-constraints': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              nameConstraints:
                permitted:
                  dnsDomains: [example.com]
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:9:3',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: team-ca
              namespace: cert-manager
            spec:
              isCA: true
              commonName: Team Intermediate CA
              secretName: team-ca
              nameConstraints:
                critical: true
                permitted:
                  dnsDomains: [team.example.com]
                  ipRanges: [10.20.0.0/16]
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-output-formats': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              additionalOutputFormats:
                - type: CombinedPEM
                - type: CombinedPEM
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:11:13',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              additionalOutputFormats:
                - type: CombinedPEM
                - type: DER
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-keystores': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              keystores:
                pkcs12:
                  create: true
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:10:5',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              keystores:
                pkcs12:
                  create: true
                  profile: Modern2023
                  passwordSecretRef:
                    name: web-keystore-password
                    key: password
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'certificate-renewal': {
    positive: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              renewal:
                policy: RenewBefore
                windows:
                  - cron: "61 * * * *"
                    windowDuration: 2h
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
        at: 'cert.yaml:12:15',
      },
    ],
    negative: [
      {
        files: {
          'cert.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: web
            spec:
              secretName: web-tls
              dnsNames: [web.example.com]
              renewal:
                policy: RenewBefore
                windows:
                  - cron: "0 2 * * SAT"
                    windowDuration: 4h
                    timezone: Europe/Berlin
              issuerRef:
                name: letsencrypt-staging
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },
  'issuer-type': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: internal-ca
              namespace: web
            spec:
              ca:
                secretName: internal-ca
              selfSigned: {}
          `,
        },
        at: 'issuer.yaml:9:3',
      },
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: internal-ca
              namespace: web
            spec: {}
          `,
        },
        at: 'issuer.yaml:6:1',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: internal-ca
              namespace: web
            spec:
              ca:
                secretName: internal-ca
          `,
        },
      },
    ],
  },
  'acme-issuer': {
    positive: [
      {
        // Valid base64, but no certificate in it.
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: internal-acme
              namespace: web
            spec:
              acme:
                server: https://acme.internal.example.com/directory
                caBundle: ${Buffer.from('see https://wiki.example.com/pki\n').toString('base64')}
                privateKeySecretRef:
                  name: internal-acme-account-key
                solvers:
                  - http01:
                      ingress:
                        ingressClassName: nginx
          `,
        },
        at: 'issuer.yaml:9:15',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: internal-acme
              namespace: web
            spec:
              acme:
                server: https://acme.internal.example.com/directory
                caBundle: ${CA_BUNDLE}
                privateKeySecretRef:
                  name: internal-acme-account-key
                solvers:
                  - http01:
                      ingress:
                        ingressClassName: nginx
          `,
        },
      },
    ],
  },
  'acme-external-account-binding': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: zerossl
            spec:
              acme:
                server: https://acme.zerossl.com/v2/DV90
                privateKeySecretRef:
                  name: zerossl-account-key
                externalAccountBinding:
                  keyID: Qm9yaW5nS2V5SUQ
                  keySecretRef:
                    name: zerossl-eab
                solvers:
                  - http01:
                      ingress:
                        ingressClassName: nginx
          `,
        },
        at: 'issuer.yaml:12:7',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: zerossl
            spec:
              acme:
                server: https://acme.zerossl.com/v2/DV90
                privateKeySecretRef:
                  name: zerossl-account-key
                externalAccountBinding:
                  keyID: Qm9yaW5nS2V5SUQ
                  keySecretRef:
                    name: zerossl-eab
                    key: secret
                solvers:
                  - http01:
                      ingress:
                        ingressClassName: nginx
          `,
        },
      },
    ],
  },
  'acme-eab-key-algorithm-deprecated': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: zerossl
            spec:
              acme:
                server: https://acme.zerossl.com/v2/DV90
                privateKeySecretRef:
                  name: zerossl-account-key
                externalAccountBinding:
                  keyID: Qm9yaW5nS2V5SUQ
                  keySecretRef:
                    name: zerossl-eab
                    key: secret
                  keyAlgorithm: HS256
                solvers:
                  - http01:
                      ingress:
                        ingressClassName: nginx
          `,
        },
        at: 'issuer.yaml:15:21',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: zerossl
            spec:
              acme:
                server: https://acme.zerossl.com/v2/DV90
                privateKeySecretRef:
                  name: zerossl-account-key
                externalAccountBinding:
                  keyID: Qm9yaW5nS2V5SUQ
                  keySecretRef:
                    name: zerossl-eab
                    key: secret
                solvers:
                  - http01:
                      ingress:
                        ingressClassName: nginx
          `,
        },
      },
    ],
  },
  'acme-solver': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt-staging
            spec:
              acme:
                server: https://acme-staging-v02.api.letsencrypt.org/directory
                privateKeySecretRef:
                  name: letsencrypt-staging-account-key
                solvers:
                  - selector:
                      dnsZones: [example.com]
                  - http01:
                      ingress:
                        ingressClassName: nginx
          `,
        },
        at: 'issuer.yaml:11:9',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt-staging
            spec:
              acme:
                server: https://acme-staging-v02.api.letsencrypt.org/directory
                privateKeySecretRef:
                  name: letsencrypt-staging-account-key
                solvers:
                  - selector:
                      dnsZones: [example.com]
                    dns01:
                      route53:
                        region: eu-west-1
                  - http01:
                      ingress:
                        ingressClassName: nginx
          `,
        },
      },
    ],
  },
  'acme-http01': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt-staging
            spec:
              acme:
                server: https://acme-staging-v02.api.letsencrypt.org/directory
                privateKeySecretRef:
                  name: letsencrypt-staging-account-key
                solvers:
                  - http01:
                      ingress:
                        ingressClassName: nginx
                        class: nginx
          `,
        },
        at: 'issuer.yaml:12:11',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt-staging
            spec:
              acme:
                server: https://acme-staging-v02.api.letsencrypt.org/directory
                privateKeySecretRef:
                  name: letsencrypt-staging-account-key
                solvers:
                  - http01:
                      ingress:
                        ingressClassName: nginx
                        serviceType: ClusterIP
          `,
        },
      },
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt-staging
            spec:
              acme:
                server: https://acme-staging-v02.api.letsencrypt.org/directory
                privateKeySecretRef:
                  name: letsencrypt-staging-account-key
                solvers:
                  - http01:
                      gatewayHTTPRoute:
                        parentRefs:
                          - name: web
                            namespace: web
                            kind: Gateway
          `,
        },
      },
    ],
  },
  'acme-dns01': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt-staging
            spec:
              acme:
                server: https://acme-staging-v02.api.letsencrypt.org/directory
                privateKeySecretRef:
                  name: letsencrypt-staging-account-key
                solvers:
                  - dns01:
                      cloudflare:
                        email: ops@example.com
                        apiKeySecretRef:
                          name: cloudflare-api-key
                          key: api-key
                        apiTokenSecretRef:
                          name: cloudflare-api-token
                          key: api-token
          `,
        },
        at: 'issuer.yaml:12:11',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt-staging
            spec:
              acme:
                server: https://acme-staging-v02.api.letsencrypt.org/directory
                privateKeySecretRef:
                  name: letsencrypt-staging-account-key
                solvers:
                  - dns01:
                      cloudflare:
                        apiTokenSecretRef:
                          name: cloudflare-api-token
                          key: api-token
          `,
        },
      },
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt-staging
            spec:
              acme:
                server: https://acme-staging-v02.api.letsencrypt.org/directory
                privateKeySecretRef:
                  name: letsencrypt-staging-account-key
                solvers:
                  - dns01:
                      rfc2136:
                        nameserver: 10.0.0.53:53
                        tsigKeyName: cert-manager
                        tsigAlgorithm: HMACSHA512
                        tsigSecretSecretRef:
                          name: tsig-secret
                          key: tsig-secret-key
          `,
        },
      },
    ],
  },
  'ca-issuer': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: internal-ca
              namespace: web
            spec:
              ca:
                secretName: internal-ca
                ocspServers:
                  - ""
          `,
        },
        at: 'issuer.yaml:10:9',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: internal-ca
              namespace: web
            spec:
              ca:
                secretName: internal-ca
                ocspServers:
                  - http://ocsp.example.com
                issuingCertificateURLs:
                  - http://pki.example.com/ca.crt
          `,
        },
      },
    ],
  },
  'vault-issuer': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: vault
              namespace: web
            spec:
              vault:
                server: https://vault.example.com
                path: pki_int/sign/example-dot-com
                auth:
                  kubernetes:
                    role: cert-manager
                    mountPath: /v1/auth/kubernetes
          `,
        },
        at: 'issuer.yaml:11:7',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: vault
              namespace: web
            spec:
              vault:
                server: https://vault.example.com
                path: pki_int/sign/example-dot-com
                auth:
                  kubernetes:
                    role: cert-manager
                    mountPath: /v1/auth/kubernetes
                    serviceAccountRef:
                      name: vault-issuer
          `,
        },
      },
    ],
  },
  'venafi-issuer': {
    positive: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: venafi
              namespace: web
            spec:
              venafi:
                zone: ""
                cloud:
                  apiTokenSecretRef:
                    name: venafi-cloud
                    key: apikey
          `,
        },
        at: 'issuer.yaml:8:11',
      },
    ],
    negative: [
      {
        files: {
          'issuer.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: venafi
              namespace: web
            spec:
              venafi:
                zone: DevOps\\Web
                tpp:
                  url: https://tpp.example.com/vedsdk
                  credentialsRef:
                    name: tpp-credentials
          `,
        },
      },
    ],
  },
  'certificate-request': {
    positive: [
      {
        files: {
          'cr.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: CertificateRequest
            metadata:
              name: web-1
              namespace: web
            spec:
              request: bm90IGEgQ1NS
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
        at: 'cr.yaml:7:12',
      },
      {
        // A CSR for a CA certificate, but spec.isCA is not set.
        files: {
          'cr.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: CertificateRequest
            metadata:
              name: intermediate-1
              namespace: web
            spec:
              request: ${CA_CSR}
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
        at: 'cr.yaml:7:12',
      },
    ],
    negative: [
      {
        files: {
          'cr.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: CertificateRequest
            metadata:
              name: web-1
              namespace: web
            spec:
              request: ${CSR}
              usages:
                - digital signature
                - key encipherment
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
      {
        files: {
          'cr.yaml': y`
            apiVersion: cert-manager.io/v1
            kind: CertificateRequest
            metadata:
              name: intermediate-1
              namespace: web
            spec:
              request: ${CA_CSR}
              isCA: true
              issuerRef:
                name: internal-ca
                kind: ClusterIssuer
          `,
        },
      },
    ],
  },

  // --- Ingress and Gateway annotations (certificate-shim) -------------------------
  'shim-annotation-unknown': {
    positive: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-isuer: letsencrypt-staging
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:7:5',
      },
    ],
    negative: [
      {
        // Other controllers' annotations are not cert-manager's business.
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
                acme.cert-manager.io/http01-edit-in-place: "true"
                nginx.ingress.kubernetes.io/ssl-redirect: "true"
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
      },
    ],
  },
  'shim-annotation-invalid': {
    positive: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
                cert-manager.io/duration: 90d
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:8:31',
      },
    ],
    negative: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
                cert-manager.io/duration: 2160h
                cert-manager.io/private-key-algorithm: ECDSA
                cert-manager.io/private-key-size: "384"
                cert-manager.io/usages: "server auth,digital signature"
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
      },
    ],
  },
  'shim-certificate-rejected': {
    positive: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
                cert-manager.io/duration: 24h
                cert-manager.io/renew-before: 48h
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:9:35',
      },
    ],
    negative: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
                cert-manager.io/duration: 48h
                cert-manager.io/renew-before: 24h
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
      },
    ],
  },
  'shim-annotation-ignored-value': {
    positive: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
                acme.cert-manager.io/http01-edit-in-place: "True"
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:8:48',
      },
      {
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
                cert-manager.io/ignore-tls-listeners: legacy-https
            spec:
              gatewayClassName: istio
              listeners:
                - name: https
                  hostname: web.example.com
                  port: 443
                  protocol: HTTPS
                  tls:
                    certificateRefs:
                      - name: web-tls
                - name: legacy
                  hostname: old.example.com
                  port: 8443
                  protocol: HTTPS
                  tls:
                    certificateRefs:
                      - name: old-tls
          `,
        },
        at: 'gateway.yaml:8:43',
      },
    ],
    negative: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
                acme.cert-manager.io/http01-edit-in-place: "true"
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
      },
      {
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
                cert-manager.io/ignore-tls-listeners: legacy
            spec:
              gatewayClassName: istio
              listeners:
                - name: https
                  hostname: web.example.com
                  port: 443
                  protocol: HTTPS
                  tls:
                    certificateRefs:
                      - name: web-tls
                - name: legacy
                  hostname: old.example.com
                  port: 8443
                  protocol: HTTPS
                  tls:
                    certificateRefs:
                      - name: old-tls
          `,
        },
      },
    ],
  },
  'shim-issuer-and-cluster-issuer': {
    positive: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/issuer: internal-ca
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:8:5',
      },
    ],
    negative: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/issuer: internal-ca
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
      },
    ],
  },
  'shim-cluster-issuer-with-kind': {
    positive: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: private-ca
                cert-manager.io/issuer-kind: AWSPCAClusterIssuer
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:8:5',
      },
    ],
    negative: [
      {
        // An external cluster-scoped issuer, as cert-manager's docs say: issuer + kind + group.
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/issuer: private-ca
                cert-manager.io/issuer-kind: AWSPCAClusterIssuer
                cert-manager.io/issuer-group: awspca.cert-manager.io
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
      },
    ],
  },
  'shim-issuer-name-empty': {
    positive: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: ""
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:7:37',
      },
    ],
    negative: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: "letsencrypt-staging"
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
      },
    ],
  },
  'shim-no-issuer': {
    positive: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/duration: 2160h
                cert-manager.io/renew-before: 360h
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:7:5',
      },
    ],
    negative: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
                cert-manager.io/duration: 2160h
                cert-manager.io/renew-before: 360h
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
      },
    ],
  },
  'shim-no-tls': {
    positive: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              ingressClassName: nginx
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:7:5',
      },
      {
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              gatewayClassName: istio
              listeners:
                - name: http
                  hostname: web.example.com
                  port: 80
                  protocol: HTTP
          `,
        },
        at: 'gateway.yaml:7:5',
      },
    ],
    negative: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
      },
      {
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              gatewayClassName: istio
              listeners:
                - name: http
                  hostname: web.example.com
                  port: 80
                  protocol: HTTP
                - name: https
                  hostname: web.example.com
                  port: 443
                  protocol: HTTPS
                  tls:
                    mode: Terminate
                    certificateRefs:
                      - name: web-tls
          `,
        },
      },
    ],
  },
  'shim-tls-no-secret-name': {
    positive: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:11:7',
      },
    ],
    negative: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [web.example.com]
                  secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
      },
    ],
  },
  'shim-tls-no-hosts': {
    positive: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              ingressClassName: nginx
              tls:
                - secretName: web-tls
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:11:7',
      },
    ],
    negative: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              ingressClassName: nginx
              tls:
                - secretName: web-tls
                  hosts:
                    - web.example.com
              rules:
                - host: web.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
      },
    ],
  },
  'shim-tls-duplicate-secret-name': {
    positive: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [example.com]
                  secretName: web-tls
                - hosts: [www.example.com]
                  secretName: web-tls
              rules:
                - host: example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                - host: www.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:12:19',
      },
    ],
    negative: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [example.com, www.example.com]
                  secretName: web-tls
              rules:
                - host: example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                - host: www.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
      },
    ],
  },
  'shim-tls-host-not-served': {
    positive: [
      {
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [exmaple.com]
                  secretName: web-tls
              rules:
                - host: example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          `,
        },
        at: 'ingress.yaml:11:15',
      },
    ],
    negative: [
      {
        // The www. twin (served by a redirect), and a wildcard certificate for a rule host.
        files: {
          'ingress.yaml': y`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [example.com, www.example.com]
                  secretName: web-tls
                - hosts: ["*.apps.example.com"]
                  secretName: apps-tls
              rules:
                - host: example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                - host: shop.apps.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}
          `,
        },
      },
    ],
  },
  'shim-gateway-listener-skipped': {
    positive: [
      {
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              gatewayClassName: istio
              listeners:
                - name: https
                  port: 443
                  protocol: HTTPS
                  tls:
                    certificateRefs:
                      - name: web-tls
          `,
        },
        at: 'gateway.yaml:11:7',
      },
    ],
    negative: [
      {
        // cert-manager's docs example: HTTPS listener with hostname, certificateRefs, mode and kind defaulted.
        files: {
          'gateway.yaml': y`
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: web
              namespace: web
              annotations:
                cert-manager.io/cluster-issuer: letsencrypt-staging
            spec:
              gatewayClassName: istio
              listeners:
                - name: http
                  hostname: web.example.com
                  port: 80
                  protocol: HTTP
                - name: https
                  hostname: web.example.com
                  port: 443
                  protocol: HTTPS
                  tls:
                    certificateRefs:
                      - name: web-tls
                - name: passthrough
                  hostname: db.example.com
                  port: 5432
                  protocol: TLS
                  tls:
                    mode: Passthrough
          `,
        },
      },
    ],
  },
};

// ---------------------------------------------------------------------------
// Running the CLI
// ---------------------------------------------------------------------------

interface JsonDiagnostic {
  range: { start: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

interface Found {
  /** 'file:line:col', 1-based, with the case's own file name. */
  at: string;
  code: string;
  severity: string;
  message: string;
}

const RULE_BY_ID = new Map<string, (typeof RULES)[number]>(RULES.map((r) => [r.id, r]));
const CROSS_RULES = new Set<string>(RULES.filter((r) => r.family === 'cross').map((r) => r.id));

/** Lints files in a directory of their own; returns every diagnostic, by the name the file was given. */
function lint(files: Record<string, string>, args: string[] = []): Map<string, Found[]> {
  const dir = tempDir({ after });
  const names = Object.keys(files);
  for (const name of names) writeFileSync(join(dir, name), files[name]);
  const r = runCli(['lint', '--format', 'json', ...args, ...names], { cwd: dir });
  assert.ok(r.status === 0 || r.status === 1, `certsmith lint exited with ${r.status}: ${r.stderr}`);
  const json = JSON.parse(r.stdout) as { files: { path: string; diagnostics: JsonDiagnostic[] }[] };
  const out = new Map<string, Found[]>();
  for (const f of json.files) {
    out.set(
      f.path,
      f.diagnostics.map((d) => ({
        at: `${f.path}:${d.range.start.line + 1}:${d.range.start.character + 1}`,
        code: d.code,
        severity: d.severity,
        message: d.message,
      })),
    );
  }
  return out;
}

type AnyCase = (PositiveCase | NegativeCase) & { files: Record<string, string> };

/** A case runs alone when it needs options, or when its rule looks across files. */
function runsAlone(id: string, c: AnyCase): boolean {
  return CROSS_RULES.has(id) || (c.args?.length ?? 0) > 0;
}

const batchKey = (id: string, kind: 'p' | 'n', i: number) => `${id}.${kind}${i}`;

let batch: Map<string, Found[]> | undefined;

/**
 * All cases that may share a run, linted at once: each file named after its
 * case (`<rule>.p0.<file>`), every file still a document of its own.
 */
function batchRun(): Map<string, Found[]> {
  if (batch) return batch;
  const files: Record<string, string> = {};
  for (const [id, cases] of Object.entries(CASES)) {
    const add = (kind: 'p' | 'n', list: AnyCase[]) =>
      list.forEach((c, i) => {
        if (runsAlone(id, c) || ('skip' in c && c.skip)) return;
        for (const [name, text] of Object.entries(c.files)) files[`${batchKey(id, kind, i)}.${name}`] = text;
      });
    add('p', cases.positive);
    add('n', cases.negative);
  }
  batch = lint(files);
  return batch;
}

/** The diagnostics of one case (file names as the case gives them), and whether it shared its run. */
function diagnosticsOf(id: string, kind: 'p' | 'n', i: number, c: AnyCase): { found: Found[]; shared: boolean } {
  if (runsAlone(id, c)) {
    const byFile = lint(c.files, c.args);
    return { found: [...byFile.values()].flat(), shared: false };
  }
  const prefix = `${batchKey(id, kind, i)}.`;
  const found: Found[] = [];
  for (const [path, ds] of batchRun()) {
    if (!path.startsWith(prefix)) continue;
    for (const d of ds) found.push({ ...d, at: d.at.slice(prefix.length) });
  }
  return { found, shared: true };
}

const show = (found: Found[]) => (found.length ? found.map((d) => `\n  ${d.at} ${d.severity} ${d.code}: ${d.message}`).join('') : ' (none)');

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

test('every rule of the registry has positive and negative cases, and every case names a rule', () => {
  const missing = RULES.filter((r) => {
    const c = CASES[r.id];
    return !c || c.positive.length === 0 || c.negative.length === 0;
  }).map((r) => r.id);
  assert.deepEqual(missing, [], 'rules without a positive and a negative case');
  const unknown = Object.keys(CASES).filter((id) => !RULE_BY_ID.has(id));
  assert.deepEqual(unknown, [], 'cases for rules the registry does not have');
  for (const [id, c] of Object.entries(CASES)) {
    for (const p of c.positive) {
      if (p.skip) continue;
      const file = p.at.split(':')[0];
      assert.ok(file in p.files && /^[^:]+:\d+:\d+$/.test(p.at), `${id}: "at" must be file:line:col of one of the case's files, not "${p.at}"`);
    }
  }
});

test('api-version-deprecated is skipped honestly: no bundled schema version is deprecated', () => {
  const index = JSON.parse(readFileSync(join(ROOT, 'schemas', 'index.json'), 'utf8')) as { kinds: { apiVersion: string; kind: string; deprecated: boolean }[] };
  assert.ok(index.kinds.length > 0);
  const deprecated = index.kinds.filter((k) => k.deprecated).map((k) => `${k.apiVersion} ${k.kind}`);
  assert.deepEqual(deprecated, [], 'a bundled API version is deprecated: give api-version-deprecated a real positive case');
});

test('certificate-usages is skipped honestly: the CRD enum of usages is exactly the set the webhook knows', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'cert-manager.io', 'v1', 'Certificate.json'), 'utf8')) as {
    properties: { spec: { properties: { usages: { items: { enum: string[] } } } } };
  };
  const enumValues = schema.properties.spec.properties.usages.items.enum;
  assert.deepEqual([...enumValues].sort(), [...KNOWN_USAGES].sort(), 'the schema and the webhook disagree on usages: give certificate-usages a real positive case');
});

for (const rule of RULES) {
  test(`${rule.id}: fires on its positive cases, at the asserted position, and not on its negative cases`, async (t) => {
    const cases = CASES[rule.id];
    assert.ok(cases, `no cases for ${rule.id}`);
    // One subtest per case, so that one failing case does not hide the others.
    for (const [i, c] of cases.positive.entries()) {
      await t.test(`positive ${i}`, { skip: c.skip }, () => {
        const { found } = diagnosticsOf(rule.id, 'p', i, c);
        const mine = found.filter((d) => d.code === rule.id);
        const expected = [c.at, ...(c.also ?? [])].sort();
        assert.deepEqual(mine.map((d) => d.at).sort(), expected, `${rule.id} expected exactly at ${expected.join(', ')}; all diagnostics:${show(found)}`);
        for (const d of mine) assert.equal(d.severity, rule.severity, `${rule.id} at ${d.at} has severity ${d.severity}, the registry says ${rule.severity}`);
      });
    }
    for (const [i, c] of cases.negative.entries()) {
      await t.test(`negative ${i}`, () => {
        const { found, shared } = diagnosticsOf(rule.id, 'n', i, c);
        const mine = found.filter((d) => d.code === rule.id);
        assert.deepEqual(mine, [], `${rule.id} must not fire; all diagnostics:${show(found)}`);
        // A correct manifest gets no error or warning from any rule. (In a shared run the
        // cross-resource rules see the other cases' files too, so they are left out there.)
        const noisy = found.filter((d) => (d.severity === 'error' || d.severity === 'warning') && !(shared && CROSS_RULES.has(d.code)));
        assert.deepEqual(noisy, [], `this correct manifest gets:${show(noisy)}`);
      });
    }
  });
}
