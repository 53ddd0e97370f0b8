/**
 * Kubeconfig loading as kubectl does it (client-go's loading rules), through
 * engine/cluster/kubeconfig.ts: KUBECONFIG with several files (missing ones
 * skipped, the first to set a value wins), ~/.kube/config, --kubeconfig,
 * --context, the namespace (flag, context, "default"), paths relative to
 * their file, errors that name what to fix, and files never written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { loadKubeconfig } from '../../engine/cluster/kubeconfig.js';
import { ClusterError } from '../../engine/cluster/cluster-error.js';
import { tempDir } from '../support/temp.js';

interface Entry {
  name: string;
  server?: string;
  ca?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
}

function kubeconfig(o: { current?: string; clusters: Entry[]; contexts: Entry[]; users?: string[] }): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: o.clusters.map((c) => ({ name: c.name, cluster: { server: c.server, ...(c.ca ? { 'certificate-authority': c.ca } : {}) } })),
    users: (o.users ?? ['u']).map((u) => ({ name: u, user: { token: `token-of-${u}` } })),
    contexts: o.contexts.map((c) => ({ name: c.name, context: { cluster: c.cluster, user: c.user ?? 'u', ...(c.namespace ? { namespace: c.namespace } : {}) } })),
    ...(o.current ? { 'current-context': o.current } : {}),
  });
}

function files(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'b'));
  const a = join(dir, 'a.yaml');
  const b = join(dir, 'b', 'b.yaml');
  writeFileSync(
    a,
    kubeconfig({
      current: 'ctx-a',
      clusters: [{ name: 'cluster-a', server: 'https://a.example.test:6443' }],
      contexts: [
        { name: 'ctx-a', cluster: 'cluster-a', namespace: 'team-a' },
        { name: 'dup', cluster: 'cluster-a' },
      ],
    }),
  );
  writeFileSync(
    b,
    kubeconfig({
      current: 'ctx-b',
      clusters: [
        { name: 'cluster-b', server: 'https://b.example.test:6443', ca: 'ca.pem' },
        { name: 'cluster-a', server: 'https://shadowed.example.test' },
      ],
      contexts: [
        { name: 'ctx-b', cluster: 'cluster-b' },
        { name: 'dup', cluster: 'cluster-b' },
        { name: 'orphan', cluster: 'no-such-cluster' },
      ],
      users: ['u', 'v'],
    }),
  );
  return { dir, a, b };
}

function configError(fn: () => unknown, message: RegExp, hint?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ClusterError, String(e));
    assert.equal(e.kind, 'config');
    assert.match(e.message, message);
    if (hint) assert.match(e.hint ?? '', hint);
    return true;
  });
}

test('KUBECONFIG: missing files skipped, the first file to set current-context and each name wins', (t) => {
  const { dir, a, b } = files(t);
  const env = { KUBECONFIG: [join(dir, 'missing.yaml'), a, b].join(delimiter) };
  const target = loadKubeconfig({ env });
  assert.deepEqual(target.files, [a, b]);
  assert.equal(target.context, 'ctx-a');
  assert.equal(target.server, 'https://a.example.test:6443');
  assert.equal(target.namespace, 'team-a');
  assert.equal(target.namespaceSource, 'context');
  assert.deepEqual(target.contexts.map((c) => c.name).sort(), ['ctx-a', 'ctx-b', 'dup', 'orphan']);

  // "dup" is in both files: the first file's entry (cluster-a) wins; cluster-a is also in both.
  const dup = loadKubeconfig({ env, context: 'dup' });
  assert.equal(dup.cluster, 'cluster-a');
  assert.equal(dup.server, 'https://a.example.test:6443');
  assert.equal(dup.namespace, 'default');
  assert.equal(dup.namespaceSource, 'default');

  // --context picks another; a relative certificate-authority is relative to the file that names it.
  const other = loadKubeconfig({ env, context: 'ctx-b', namespace: 'team-x' });
  assert.equal(other.server, 'https://b.example.test:6443');
  assert.equal(other.kc.getCurrentCluster()?.caFile, join(dir, 'b', 'ca.pem'));
  assert.equal(other.namespace, 'team-x');
  assert.equal(other.namespaceSource, 'flag');
  // The other file's current-context loses to the first.
  const reversed = loadKubeconfig({ env: { KUBECONFIG: [b, a].join(delimiter) } });
  assert.equal(reversed.context, 'ctx-b');
});

test('--kubeconfig is the only file read; otherwise ~/.kube/config', (t) => {
  const { dir, a, b } = files(t);
  const only = loadKubeconfig({ kubeconfig: b, env: { KUBECONFIG: a } });
  assert.deepEqual(only.files, [b]);
  assert.equal(only.context, 'ctx-b');
  mkdirSync(join(dir, 'home', '.kube'), { recursive: true });
  writeFileSync(join(dir, 'home', '.kube', 'config'), readFileSync(a));
  const home = loadKubeconfig({ env: {}, home: join(dir, 'home') });
  assert.deepEqual(home.files, [join(dir, 'home', '.kube', 'config')]);
  assert.equal(home.context, 'ctx-a');
});

test('errors name the file, the context and what exists', (t) => {
  const { dir, a, b } = files(t);
  configError(() => loadKubeconfig({ kubeconfig: join(dir, 'nope.yaml') }), /nope\.yaml \(--kubeconfig\) does not exist/);
  configError(() => loadKubeconfig({ env: { KUBECONFIG: [join(dir, 'x'), join(dir, 'y')].join(delimiter) } }), /none of the files in KUBECONFIG exists/);
  configError(() => loadKubeconfig({ env: {}, home: join(dir, 'nohome') }), /no kubeconfig: .*nohome\/\.kube\/config does not exist/);
  configError(() => loadKubeconfig({ kubeconfig: a, context: 'prod' }), /context "prod" \(--context\) is not in the kubeconfig .*a\.yaml/, /Contexts there: ctx-a, dup/);
  configError(() => loadKubeconfig({ kubeconfig: b, context: 'orphan' }), /context "orphan" names cluster "no-such-cluster", which is not in the kubeconfig/);
  const noCurrent = join(dir, 'nocurrent.yaml');
  writeFileSync(noCurrent, kubeconfig({ clusters: [{ name: 'c', server: 'https://c' }], contexts: [{ name: 'only', cluster: 'c' }] }));
  configError(() => loadKubeconfig({ kubeconfig: noCurrent }), /has no current-context/, /--context NAME \(contexts: only\)/);
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'clusters: [unclosed\n');
  configError(() => loadKubeconfig({ kubeconfig: broken }), /cannot read the kubeconfig .*broken\.yaml/);
});

test('loading and switching context never writes the kubeconfig files', (t) => {
  const { a, b } = files(t);
  const before = [a, b].map((f) => ({ text: readFileSync(f, 'utf8'), mtime: statSync(f).mtimeMs }));
  const env = { KUBECONFIG: [a, b].join(delimiter) };
  for (const context of ['ctx-a', 'ctx-b', 'dup']) {
    const target = loadKubeconfig({ env, context, namespace: 'x' });
    target.kc.setCurrentContext('ctx-b');
  }
  assert.deepEqual(
    [a, b].map((f) => ({ text: readFileSync(f, 'utf8'), mtime: statSync(f).mtimeMs })),
    before,
  );
});
