/**
 * Cross-resource checks with the live names of a cluster context (the
 * language server's opt-in cluster checks): a reference found only in the
 * cluster is fine, one found nowhere is an error naming the context, and a
 * list that is not known (RBAC denied it) or known for one namespace only
 * never makes a name "missing" outside what it covers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaStore } from '../../engine/schema/schema-store.js';
import { Workspace } from '../../engine/workspace/workspace.js';
import type { LiveObjects } from '../../engine/rules/cross/live-objects.js';

const cert = (o: { issuer: string; kind?: string; ns?: string }) => `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
${o.ns ? `  namespace: ${o.ns}\n` : ''}spec:
  secretName: web-tls
  dnsNames: [web.example.com]
  issuerRef:
    name: ${o.issuer}
${o.kind ? `    kind: ${o.kind}\n` : ''}`;

const caIssuer = (secret: string, ns = 'apps') => `apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: ca
  namespace: ${ns}
spec:
  ca:
    secretName: ${secret}
`;

const LIVE: LiveObjects = {
  context: 'admin@test',
  namespace: 'apps',
  issuers: { scope: 'all', items: [{ name: 'live-issuer', namespace: 'apps' }, { name: 'shop-issuer', namespace: 'shop' }] },
  clusterIssuers: { scope: 'all', items: [{ name: 'live-cluster-issuer' }] },
  secrets: { scope: 'all', items: [{ name: 'live-ca', namespace: 'apps' }] },
};

function cross(files: Record<string, string>, live?: LiveObjects): { code: string; severity: string; message: string }[] {
  const ws = new Workspace(schemaStore());
  for (const [uri, text] of Object.entries(files)) ws.set(uri, text);
  ws.setLive(live);
  return [...ws.crossDiagnostics().values()].flat().map((d) => ({ code: String(d.code), severity: d.severity, message: d.message }));
}

test('an issuerRef that exists only in the cluster: no finding; without live data the old warning stays', () => {
  const files = { 'file:///i.yaml': caIssuer('x'), 'file:///c.yaml': cert({ issuer: 'live-issuer' }) };
  assert.deepEqual(cross(files).filter((d) => d.code.startsWith('issuer-')).map((d) => `${d.code} ${d.severity}`), ['issuer-not-found warning']);
  assert.deepEqual(cross(files, LIVE).filter((d) => d.code.startsWith('issuer-')), []);
  assert.deepEqual(cross({ 'file:///c.yaml': cert({ issuer: 'live-cluster-issuer', kind: 'ClusterIssuer' }) }, LIVE), []);
});

test('an issuerRef found neither in the files nor in the cluster is an error naming the context (even when the files define no issuer)', () => {
  const [d, ...rest] = cross({ 'file:///c.yaml': cert({ issuer: 'nowhere' }) }, LIVE);
  assert.deepEqual(rest, []);
  assert.equal(d.code, 'issuer-not-found');
  assert.equal(d.severity, 'error');
  assert.equal(d.message, 'No Issuer "nowhere" in namespace "apps" exists in the files checked or in context "admin@test" (nor a ClusterIssuer of that name): the certificate will never be issued.');
  const [c] = cross({ 'file:///c.yaml': cert({ issuer: 'nowhere', kind: 'ClusterIssuer' }) }, LIVE);
  assert.match(c.message, /^No ClusterIssuer "nowhere" exists in the files checked or in context "admin@test"/);
});

test('live kind mismatch and wrong namespace are told as such', () => {
  const [k] = cross({ 'file:///c.yaml': cert({ issuer: 'live-cluster-issuer' }) }, LIVE);
  assert.equal(k.code, 'issuer-kind-mismatch');
  assert.match(k.message, /is a ClusterIssuer in context "admin@test"/);
  const [w] = cross({ 'file:///c.yaml': cert({ issuer: 'shop-issuer' }) }, LIVE);
  assert.equal(w.code, 'issuer-wrong-namespace');
  assert.match(w.message, /In context "admin@test" the Issuer "shop-issuer" is in namespace shop, not in "apps"/);
});

test('a list RBAC denied (undefined) or known in another namespace only leaves the local behaviour', () => {
  const denied: LiveObjects = { context: 'reader@test', namespace: 'team-a', clusterIssuers: { scope: 'all', items: [] } };
  // Issuers unknown: not an error; ClusterIssuers known: the kind-Issuer ref is not claimed missing either.
  assert.deepEqual(cross({ 'file:///c.yaml': cert({ issuer: 'x' }) }, denied), []);
  const oneNs: LiveObjects = { ...denied, issuers: { scope: { namespace: 'team-a' }, items: [] } };
  assert.deepEqual(cross({ 'file:///c.yaml': cert({ issuer: 'x', ns: 'other' }) }, oneNs), []);
  assert.deepEqual(cross({ 'file:///c.yaml': cert({ issuer: 'x', ns: 'team-a' }) }, oneNs).map((d) => `${d.code} ${d.severity}`), ['issuer-not-found error']);
});

test("a CA issuer's Secret: found live is fine, found nowhere is an error naming the context, unknown stays information", () => {
  assert.deepEqual(cross({ 'file:///i.yaml': caIssuer('live-ca') }, LIVE), []);
  const [d] = cross({ 'file:///i.yaml': caIssuer('missing-ca') }, LIVE);
  assert.equal(d.code, 'ca-secret-not-produced');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /context "admin@test" has no such Secret/);
  const { secrets: _s, ...noSecrets } = LIVE;
  assert.deepEqual(cross({ 'file:///i.yaml': caIssuer('missing-ca') }, noSecrets).map((x) => `${x.code} ${x.severity}`), ['ca-secret-not-produced information']);
});

test('setLive(undefined) goes back to the files alone', () => {
  const ws = new Workspace(schemaStore());
  ws.set('file:///c.yaml', cert({ issuer: 'nowhere' }));
  ws.setLive(LIVE);
  assert.equal([...ws.crossDiagnostics().values()].flat().length, 1);
  ws.setLive(undefined);
  assert.equal([...ws.crossDiagnostics().values()].flat().length, 0);
});
