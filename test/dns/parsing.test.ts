/** Input parsing of the DNS checker: names, nameserver addresses, durations, resolv.conf. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { challengeRecordName, DnsNameError, normalizeDnsName } from '../../engine/dns/dns-name.js';
import { formatNameserver, NameserverSyntaxError, parseNameserver, parseNameserverList } from '../../engine/dns/nameserver-address.js';
import { DurationSyntaxError, parseDuration } from '../../engine/dns/durations.js';
import { parseResolvConf } from '../../engine/dns/default-nameservers.js';

test('challenge record names: domains, wildcards, record names, IDN, trailing dots', () => {
  assert.equal(challengeRecordName('Example.COM.'), '_acme-challenge.example.com');
  assert.equal(challengeRecordName('*.example.com'), '_acme-challenge.example.com');
  assert.equal(challengeRecordName('_acme-challenge.example.com'), '_acme-challenge.example.com');
  assert.equal(challengeRecordName('bücher.example'), '_acme-challenge.xn--bcher-kva.example');
  for (const bad of ['', 'a b.com', 'a..com', '-a.com', 'a-.com', 'a.*.com', '1.2.3.4', `${'a'.repeat(64)}.com`, '.']) {
    assert.throws(() => challengeRecordName(bad), DnsNameError, bad);
  }
  assert.throws(() => normalizeDnsName('*.example.com'), /wildcard/);
});

test('nameserver addresses: host:port, bare IPs, IPv6 with brackets, DoH URLs; host names refused', () => {
  assert.deepEqual(parseNameserver('127.0.0.1:5353'), { kind: 'dns', host: '127.0.0.1', port: 5353, family: 4 });
  assert.deepEqual(parseNameserver('10.0.0.1'), { kind: 'dns', host: '10.0.0.1', port: 53, family: 4 });
  assert.deepEqual(parseNameserver('[::1]:5300'), { kind: 'dns', host: '::1', port: 5300, family: 6 });
  assert.deepEqual(parseNameserver('2001:db8::1'), { kind: 'dns', host: '2001:db8::1', port: 53, family: 6 });
  assert.deepEqual(parseNameserver('https://dns.example/dns-query'), { kind: 'https', url: 'https://dns.example/dns-query' });
  assert.equal(formatNameserver(parseNameserver('[::1]:53')), '[::1]:53');
  assert.deepEqual(parseNameserverList('127.0.0.1:1, 127.0.0.1:2').map(formatNameserver), ['127.0.0.1:1', '127.0.0.1:2']);
  for (const bad of ['dns.google:53', 'localhost', '127.0.0.1:0', '127.0.0.1:x', '[::1', 'udp://1.1.1.1', '', '1.2.3.4:53:53']) {
    assert.throws(() => parseNameserverList(bad), NameserverSyntaxError, bad);
  }
});

test('durations: Go style and plain seconds', () => {
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('2'), 2000);
  assert.equal(parseDuration('1.5s'), 1500);
  for (const bad of ['', 'soon', '5d', '-1s', '1s2']) assert.throws(() => parseDuration(bad), DurationSyntaxError, bad);
});

test('resolv.conf: nameserver lines only, IPv6 zone ids dropped, comments ignored', () => {
  const text = '# comment\nsearch example.com\nnameserver 10.0.0.2\nnameserver fe80::1%eth0 ; x\nnameserver bogus\noptions ndots:2\n';
  assert.deepEqual(parseResolvConf(text).map(formatNameserver), ['10.0.0.2:53', '[fe80::1]:53']);
});
