/**
 * Engine pieces with rules of their own: cert-manager's renewal time, RFC
 * 6125 name matching, name-constraint subtrees, messy input, and the finding
 * registry the CLI and the editor panel share.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FINDINGS } from '../../engine/chain/findings.js';
import { dnsNameMatches, matchHostname } from '../../engine/chain/hostname.js';
import { parseIp } from '../../engine/chain/general-names.js';
import { dnsWithin } from '../../engine/chain/name-constraints.js';
import { ChainInputError, extractInput } from '../../engine/chain/pem.js';
import { renewalTime } from '../../engine/chain/renewal.js';

test('renewal time as cert-manager computes it', () => {
  const nb = new Date('2025-01-01T00:00:00Z');
  const na = new Date('2025-04-01T00:00:00Z'); // 90 days
  // Default: 2/3 through the lifetime (30 days before expiry).
  assert.equal(renewalTime(nb, na).renewalTime.toISOString(), '2025-03-02T00:00:00.000Z');
  // renewBefore wins when shorter than the lifetime...
  assert.equal(renewalTime(nb, na, { renewBeforeMs: 10 * 86_400_000 }).renewalTime.toISOString(), '2025-03-22T00:00:00.000Z');
  // ...and is ignored when not, falling back to the percentage or the default.
  assert.equal(renewalTime(nb, na, { renewBeforeMs: 100 * 86_400_000 }).rule, 'default');
  assert.equal(renewalTime(nb, na, { renewBeforeMs: 100 * 86_400_000, renewBeforePercentage: 50 }).renewalTime.toISOString(), '2025-02-15T00:00:00.000Z');
  assert.equal(renewalTime(nb, na, { renewBeforePercentage: 100 }).rule, 'default');
  // Truncated to the second: a 10 s lifetime renews 3.33 s before expiry, i.e. at the 6th second.
  assert.equal(renewalTime(new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T00:00:10Z')).renewalTime.toISOString(), '2025-01-01T00:00:06.000Z');
});

test('RFC 6125 DNS-ID matching', () => {
  const yes: [string, string][] = [['www.example.com', 'www.example.com'], ['a.example.com', '*.example.com'], ['a.example.com', '*.EXAMPLE.com.']];
  const no: [string, string][] = [
    ['example.com', '*.example.com'],
    ['a.b.example.com', '*.example.com'],
    ['a.com', '*.com'],
    ['foo.example.com', 'f*.example.com'],
    ['a.b.example.com', 'a.*.example.com'],
    ['www.example.com', 'www.example.co'],
  ];
  for (const [h, p] of yes) assert.equal(dnsNameMatches(h, p), true, `${h} vs ${p}`);
  for (const [h, p] of no) assert.equal(dnsNameMatches(h, p), false, `${h} vs ${p}`);
  const sans = [{ type: 'dns' as const, value: '127.0.0.1' }, { type: 'ip' as const, bytes: parseIp('::1')!, value: '::1' }];
  assert.equal(matchHostname('127.0.0.1', sans).matches, false, 'an IP never matches a DNS SAN');
  assert.equal(matchHostname('[::1]', sans).matches, true);
  assert.equal(matchHostname('0:0:0:0:0:0:0:1', sans).matches, true);
  assert.equal(matchHostname('bücher.example', [{ type: 'dns', value: 'xn--bcher-kva.example' }]).matches, true);
});

test('name-constraint DNS subtrees', () => {
  assert.equal(dnsWithin('good.test', 'good.test'), true);
  assert.equal(dnsWithin('a.good.test', 'good.test'), true);
  assert.equal(dnsWithin('notgood.test', 'good.test'), false);
  assert.equal(dnsWithin('good.test', '.good.test'), false);
  assert.equal(dnsWithin('a.good.test', '.good.test'), true);
});

test('messy input: what is found and what is refused', () => {
  assert.throws(() => extractInput(''), ChainInputError);
  assert.throws(() => extractInput('-----BEGIN CERTIFICATE-----\nAAAA'), /has no "-----END CERTIFICATE-----"/);
  assert.throws(() => extractInput('apiVersion: v1\nkind: Secret\ndata:\n  tls.crt: "!!"\n'), /not valid base64/);
  const body = 'MAMCAQA=';
  const r = extractInput(`x\n-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----\n-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\ntrailing`);
  assert.equal(r.certificates.length, 1);
  assert.match(r.notes[0], /CERTIFICATE REQUEST/);
  const json = extractInput(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'j' }, stringData: { 'tls.crt': `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n` } }));
  assert.equal(json.kind, 'secret');
  assert.equal(json.secret, 'Secret j');
});

test('the finding registry: stable kebab-case codes, each with a severity and an explanation', () => {
  for (const [code, d] of Object.entries(FINDINGS)) {
    assert.match(code, /^[a-z0-9]+(-[a-z0-9]+)+$/);
    assert.ok(['error', 'warning', 'info'].includes(d.severity), code);
    assert.ok(d.title.length > 0 && d.explanation.length > 40, code);
  }
});
