import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParsedDocument } from '../../engine/manifests/parsed-document.js';
import { objectsOf } from '../../engine/manifests/kube-object.js';
import { asKind, isKind } from '../../engine/manifests/kinds.js';

function objects(text: string) {
  return objectsOf(new ParsedDocument(text));
}

test('typed access: a Certificate reads as typed data, with the YAML node of any field at hand', () => {
  const [obj] = objects(
    'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  secretName: web-tls\n  dnsNames:\n  - a.example.com\n  privateKey:\n    algorithm: ECDSA\n    size: 256\n  issuerRef:\n    name: le\n    kind: ClusterIssuer\n',
  );
  const cert = asKind(obj, 'Certificate')!;
  assert.equal(cert.spec?.secretName, 'web-tls');
  assert.deepEqual(cert.spec?.dnsNames, ['a.example.com']);
  assert.equal(cert.spec?.privateKey?.size, 256);
  assert.equal(cert.spec?.issuerRef?.kind, 'ClusterIssuer');
  assert.equal(obj.namespace, 'shop');
  assert.equal(obj.label, 'Certificate/web');
  // The node of a field keeps its source position (line 11, 0-based 10).
  const algo = obj.nodeAt(['spec', 'privateKey', 'algorithm'])!;
  assert.equal(obj.document.lines.positionAt(algo.range![0]).line, 10);
  assert.equal(asKind(obj, 'Issuer'), undefined);
});

test('typed access distinguishes API groups: an Ingress of networking.k8s.io, a Gateway, a core Secret; other kinds are left alone', () => {
  const docs = [
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  tls:\n  - hosts: [a.example.com]\n    secretName: web-tls\n',
    'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec:\n  gatewayClassName: istio\n  listeners:\n  - name: https\n    port: 443\n    protocol: HTTPS\n',
    'apiVersion: v1\nkind: Secret\nmetadata: {name: ca}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: AAAA\n',
    'apiVersion: example.com/v1\nkind: Ingress\nmetadata: {name: not-networking}\n',
    'apiVersion: cert-manager.io/v1\nkind: CertificateRequest\nmetadata: {name: cr}\nspec:\n  request: AAAA\n  issuerRef: {name: ca}\n',
    'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: ca}\nspec:\n  ca: {secretName: ca}\n',
  ].map((t) => objects(t)[0]);
  assert.deepEqual(asKind(docs[0], 'Ingress')?.spec?.tls?.[0].secretName, 'web-tls');
  assert.equal(asKind(docs[1], 'Gateway')?.spec?.listeners?.[0].port, 443);
  assert.equal(asKind(docs[2], 'Secret')?.data?.['tls.crt'], 'AAAA');
  assert.equal(isKind(docs[3], 'Ingress'), false);
  assert.equal(asKind(docs[4], 'CertificateRequest')?.spec?.request, 'AAAA');
  assert.equal(asKind(docs[5], 'ClusterIssuer')?.spec?.ca?.secretName, 'ca');
});

test('a v1 List yields its items as objects', () => {
  const objs = objects('apiVersion: v1\nkind: List\nitems:\n- apiVersion: cert-manager.io/v1\n  kind: Issuer\n  metadata: {name: a}\n- apiVersion: cert-manager.io/v1\n  kind: Issuer\n  metadata: {name: b}\n');
  assert.deepEqual(objs.map((o) => o.label), ['Issuer/a', 'Issuer/b']);
});
