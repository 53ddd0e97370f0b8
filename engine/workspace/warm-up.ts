/**
 * Runs the checking pipeline over a few hundred synthetic documents so that
 * V8 has optimised its hot paths before the first real file arrives. The
 * language server runs it at start-up (about 0.1 s, in steps between its
 * first messages), so that the first large file a user opens is checked at
 * full speed.
 */
import type { SchemaStore } from '../schema/schema-store.js';
import { ManifestFile } from './manifest-file.js';

function sampleDocuments(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 0:
        docs.push(`apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: warm-${i}
  namespace: ns-${i % 7}
  labels:
    app: app-${i}
spec:
  secretName: warm-${i}-tls
  issuerRef:
    name: issuer-${i % 3}
    kind: ClusterIssuer
    group: cert-manager.io
  commonName: a${i}.example.com
  dnsNames:
  - a${i}.example.com
  - 'b${i}.example.com'
  duration: 2160h
  renewBefore: 360h
  privateKey:
    algorithm: ${i % 8 === 0 ? 'RSB' : 'ECDSA'}
    size: ${i % 8 === 4 ? '"256"' : 256}
  usages:
  - server auth
  - digital signature
  subject:
    organizations:
    - Example # comment`);
        break;
      case 1:
        docs.push(`apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: issuer-${i}
spec:
  acme:
    server: https://acme-staging-v02.api.letsencrypt.org/directory
    email: ops@example.com
    privateKeySecretRef:
      name: account-${i}
    solvers:
    - http01:
        ingress:
          ingressClassName: nginx
    - dns01:
        rfc2136:
          nameserver: 127.0.0.1:53
          tsigKeyName: key
          tsigAlgorithm: HMACSHA256
      selector:
        dnsZones:
        - example.com`);
        break;
      case 2:
        docs.push(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web-${i}
  annotations:
    cert-manager.io/cluster-issuer: issuer-1
spec:
  ingressClassName: nginx
  tls:
  - hosts:
    - w${i}.example.com
    secretName: web-${i}-tls
  rules:
  - host: w${i}.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80`);
        break;
      default:
        docs.push(`apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: ca-${i}
  namespace: ns-${i % 5}
spec:
  ca:
    secretName: ca-key-pair
  unknownField: true`);
    }
  }
  return docs.join('\n---\n') + '\n';
}

/**
 * The warm-up in steps of a few milliseconds, for a server that must not
 * keep its first messages waiting (the editor opens a file right after
 * starting it): run one step at a time, letting messages in between.
 */
export function warmUpSteps(store: SchemaStore, documents = 400, perStep = 25): (() => void)[] {
  const text = sampleDocuments(documents);
  const steps: (() => void)[] = [];
  const docs = text.split('\n---\n');
  for (let i = 0; i < docs.length; i += perStep) {
    const part = docs.slice(i, i + perStep).join('\n---\n') + '\n';
    steps.push(() => {
      const file = new ManifestFile('certsmith:warm-up', store);
      file.update(part);
      file.diagnostics();
      // An edit, as typing does: re-split and re-check one document.
      file.update(part.replace(/warm-(\d+)/, 'warm-$1x'));
      file.diagnostics();
    });
  }
  return steps;
}
