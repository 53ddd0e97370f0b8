/**
 * The input parser and the inspector against truncated and mutated PEM, DER,
 * base64 and Secret manifests: a seeded mutator, a few thousand inputs. No
 * exception may escape except the engine's typed ChainInputError, and each
 * input must be handled within a (generous) time bound.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { inspectBytes } from '../../engine/chain/inspect.js';
import { ChainInputError, extractInput } from '../../engine/chain/pem.js';
import { tempDir } from '../support/temp.js';
import { Pki } from './pki.js';

const dir = tempDir({ after });
const pki = new Pki(dir);
pki.selfSigned('root', { subj: '/CN=Fuzz Root', ext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign', 'nameConstraints=permitted;DNS:test,permitted;IP:10.0.0.0/255.0.0.0'] });
pki.issue('int', 'root', { subj: '/CN=Fuzz Int', ext: ['basicConstraints=critical,CA:TRUE,pathlen:0', 'authorityInfoAccess=caIssuers;URI:http://pki.invalid/x'] });
pki.issue('leaf', 'int', { subj: '/CN=a.test', ext: ['subjectAltName=DNS:a.test,IP:10.1.2.3,email:x@a.test,URI:spiffe://a.test/x', 'extendedKeyUsage=serverAuth,clientAuth'] });

const pem = (n: string) => readFileSync(pki.path(`${n}.pem`), 'latin1');
const der = (n: string) => Buffer.from(pem(n).replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
const bundle = pem('leaf') + 'junk\n' + pem('int') + pem('root');
const secret = `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  tls.crt: ${Buffer.from(pem('leaf') + pem('int')).toString('base64')}\n  ca.crt: ${Buffer.from(pem('root')).toString('base64')}\n  tls.key: ${readFileSync(pki.path('leaf.key')).toString('base64')}\n`;
const corpus: Buffer[] = [Buffer.from(bundle, 'latin1'), der('leaf'), Buffer.concat([der('leaf'), der('int')]), Buffer.from(secret), Buffer.from(Buffer.from(bundle).toString('base64'))];
const roots = { certificates: extractInput(pem('root')).certificates, description: 'fuzz roots' };

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(rand: () => number, input: Buffer): Buffer {
  const int = (n: number) => Math.floor(rand() * n);
  let b = Buffer.from(input);
  const rounds = 1 + int(3);
  for (let r = 0; r < rounds; r++) {
    switch (int(8)) {
      case 0: // truncate
        b = b.subarray(0, int(b.length + 1));
        break;
      case 1: // flip bytes
        for (let i = 0, n = 1 + int(8); i < n && b.length; i++) b[int(b.length)] ^= 1 << int(8);
        break;
      case 2: {
        // splice with another corpus entry
        const other = corpus[int(corpus.length)];
        const at = int(b.length + 1);
        b = Buffer.concat([b.subarray(0, at), other.subarray(int(other.length)), b.subarray(at)]);
        break;
      }
      case 3: {
        // nest base64 junk and stray markers
        const junk = ['-----BEGIN CERTIFICATE-----\n', '-----END CERTIFICATE-----\n', Buffer.from(b.subarray(0, 200)).toString('base64'), '-----BEGIN ', '====\n', 'tls.crt: ', '\u0000\uffff'][int(7)];
        const at = int(b.length + 1);
        b = Buffer.concat([b.subarray(0, at), Buffer.from(junk, 'latin1'), b.subarray(at)]);
        break;
      }
      case 4: // DER length bytes: set a random byte to a long-form length marker
        if (b.length) b[int(b.length)] = [0x30, 0x82, 0x84, 0xff, 0x80, 0x00][int(6)];
        break;
      case 5: // duplicate a slice
        if (b.length) {
          const s = int(b.length);
          const e = Math.min(b.length, s + int(400));
          b = Buffer.concat([b.subarray(0, e), b.subarray(s, e), b.subarray(e)]);
        }
        break;
      case 6: // delete a slice
        if (b.length) {
          const s = int(b.length);
          b = Buffer.concat([b.subarray(0, s), b.subarray(Math.min(b.length, s + 1 + int(40)))]);
        }
        break;
      default: // re-encode as base64 (a Secret value on its own)
        b = Buffer.from(b.toString('base64'));
    }
  }
  return b;
}

test('thousands of mutated inputs: typed errors or a report, never a crash or a hang', () => {
  const rand = prng(0xce47);
  const N = 3000;
  const PER_INPUT_BOUND_MS = 3000;
  const at = new Date('2026-01-01T00:00:00Z');
  let max = 0;
  let maxIndex = -1;
  let reports = 0;
  let typedErrors = 0;
  for (let i = 0; i < N; i++) {
    const input = mutate(rand, corpus[i % corpus.length]);
    const t0 = performance.now();
    try {
      const r = inspectBytes(input, { roots, at, hostname: 'a.test' });
      assert.ok(Array.isArray(r.chain) && r.chain.length >= 1);
      JSON.stringify(r);
      reports++;
    } catch (e) {
      if (!(e instanceof ChainInputError)) {
        assert.fail(`input ${i} (${input.length} bytes, base64 ${input.toString('base64').slice(0, 200)}...) threw ${(e as Error)?.stack ?? e}`);
      }
      assert.ok(e.message.length > 0 && !e.message.includes('\n'), `one-line message: ${e.message}`);
      typedErrors++;
    }
    const ms = performance.now() - t0;
    if (ms > max) {
      max = ms;
      maxIndex = i;
    }
    assert.ok(ms < PER_INPUT_BOUND_MS, `input ${i} took ${ms.toFixed(0)} ms`);
  }
  assert.equal(reports + typedErrors, N, `all inputs handled; slowest input ${maxIndex}: ${max.toFixed(1)} ms`);
  // Both outcomes must occur, or the mutator is not exercising anything.
  assert.ok(reports > 100 && typedErrors > 100, `reports ${reports}, typed errors ${typedErrors}; slowest ${max.toFixed(1)} ms`);
});
