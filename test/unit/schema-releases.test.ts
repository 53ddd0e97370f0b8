/**
 * The per-release cert-manager schemas (schemas/releases/, `npm run schemas:releases`):
 * the store gives back each release's schemas exactly, "next" is the bundled
 * schemas, "since" facts come out of the CRDs, versions that are not bundled
 * find the nearest one, and the engine's validator respects each release boundary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { canonicalJson, parseFieldPath, ReleaseSchemas, type JsonObject } from '../../engine/schema/release-schemas.js';
import { changesMarkdown, convertReleaseCrds, readCrds } from '../../schemas/generate-releases.js';
import { SchemaStore, schemaStore } from '../../engine/schema/schema-store.js';
import { Workspace } from '../../engine/workspace/workspace.js';

const RELEASES_DIR = join(ROOT, 'schemas', 'releases');
const STORE_DIR = join(RELEASES_DIR, 'cert-manager');
const rs = ReleaseSchemas.load(STORE_DIR);
const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

function kindsOf(release: string): { group: string; version: string; kind: string }[] {
  return rs.kindKeys(release).map((k) => {
    const [group, version, kind] = k.split('/');
    return { group, version, kind };
  });
}

test('the bundled releases are every minor from v1.14 to v1.21, then next; the default target is the newest release', () => {
  assert.deepEqual(
    rs.releases().map((r) => r.id),
    ['v1.14', 'v1.15', 'v1.16', 'v1.17', 'v1.18', 'v1.19', 'v1.20', 'v1.21', 'next'],
  );
  assert.equal(rs.newest().id, 'v1.21');
  const source = readFileSync(join(RELEASES_DIR, 'SOURCE.md'), 'utf8');
  for (const r of rs.releases()) {
    if (r.id === 'next') {
      assert.match(r.version, /^[0-9a-f]{40}$/);
      assert.ok(readFileSync(join(ROOT, 'schemas', 'upstream', 'cert-manager', 'SOURCE.md'), 'utf8').includes(r.version));
      continue;
    }
    assert.match(r.version, new RegExp(`^${r.id.replace('.', '\\.')}\\.\\d+$`));
    assert.match(r.moduleSum!, /^h1:[A-Za-z0-9+/]{43}=$/);
    // SOURCE.md records the version, the module zip's hash and each CRD file's sha256.
    assert.ok(source.includes(`| ${r.id} | ${r.version} | ${r.moduleSum} |`), `SOURCE.md lacks ${r.id}`);
    for (const [name, sum] of Object.entries(r.crdFiles))
      assert.ok(source.includes(`\`${sum}\` ${name}`), `SOURCE.md lacks ${r.id} ${name}`);
    assert.equal(Object.keys(r.crdFiles).length, 6, `${r.id}: six CRD files`);
  }
});

test("the store gives back each release's schemas exactly (checksums recorded at generation)", () => {
  for (const r of rs.releases()) {
    const kinds = kindsOf(r.id);
    assert.deepEqual(
      kinds.map((k) => k.kind).sort(),
      ['Certificate', 'CertificateRequest', 'Challenge', 'ClusterIssuer', 'Issuer', 'Order'],
      r.id,
    );
    for (const { group, version, kind } of kinds) {
      const schema = rs.schema(r.id, group, version, kind)!;
      assert.equal(sha256(canonicalJson(schema)), rs.recordedSha256(r.id, group, version, kind), `${r.id} ${kind}`);
      assert.equal(schema.additionalProperties, false, `${r.id} ${kind}: unknown fields are errors`);
    }
  }
});

let goModCache: string | undefined | null = null;

/** Where `go mod download` extracted a module version, if Go and that version are on this machine. */
function moduleDir(version: string): string | undefined {
  if (goModCache === null) {
    const r = spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8', timeout: 30_000 });
    goModCache = r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
  }
  if (!goModCache) return undefined;
  const dir = join(goModCache, 'github.com', 'cert-manager', `cert-manager@${version}`, 'deploy', 'crds');
  return existsSync(dir) ? dir : undefined;
}

test('each release in the Go module cache converts again to exactly what the store holds', (t) => {
  const missing: string[] = [];
  for (const r of rs.releases()) {
    const dir = r.id === 'next' ? join(ROOT, 'schemas', 'upstream', 'cert-manager') : moduleDir(r.version);
    if (!dir) {
      missing.push(r.version);
      continue;
    }
    const files = readCrds(dir);
    // The same bytes as at generation time (SOURCE.md), converted the same way.
    assert.deepEqual(Object.fromEntries(files.map((f) => [f.name, f.sha256])), r.crdFiles, `${r.id}: CRD files differ from SOURCE.md`);
    const fresh = convertReleaseCrds(files, r.id);
    assert.deepEqual([...fresh.keys()].sort(), rs.kindKeys(r.id).sort(), r.id);
    for (const [key, { entry, schema }] of fresh) {
      const [group, version, kind] = key.split('/');
      assert.equal(canonicalJson(rs.schema(r.id, group, version, kind)!), canonicalJson(schema), `${r.id} ${key}`);
      assert.deepEqual(
        rs.kinds(r.id).find((e) => e.kind === kind),
        entry,
        `${r.id} ${key} entry`,
      );
    }
  }
  // "next" is always here; released modules only where `npm run schemas:releases` (or the oracle build) downloaded them.
  if (missing.length) t.diagnostic(`not in the Go module cache, compared by checksum only: ${missing.join(', ')}`);
});

test('"next" is exactly the bundled schemas (schemas/<group>/<version>/<Kind>.json and index.json)', () => {
  const index = JSON.parse(readFileSync(join(ROOT, 'schemas', 'index.json'), 'utf8')) as {
    kinds: (JsonObject & { file: string; group: string })[];
  };
  const bundled = index.kinds.filter((e) => e.group === 'cert-manager.io' || e.group === 'acme.cert-manager.io');
  assert.equal(bundled.length, kindsOf('next').length);
  for (const e of bundled) {
    const schema = rs.schema('next', e.group, e.version as string, e.kind as string)!;
    // Byte for byte, in the bundled files' own format: the store keeps the newest key order.
    assert.equal(JSON.stringify(schema, null, 1) + '\n', readFileSync(join(ROOT, 'schemas', e.file), 'utf8'), e.file);
    const { file: _file, source: _source, ...entry } = e;
    assert.deepEqual(
      rs.kinds('next').find((k) => k.kind === e.kind),
      entry,
    );
  }
});

test('since facts come out of the CRDs: profile v1.18, rfc2136.protocol v1.19, azureDNS.zoneType v1.20, waitInsteadOfSelfCheck and renewal v1.21', () => {
  const since = (group: string, kind: string, path: string) => {
    const f = rs.field(group, 'v1', kind, path);
    assert.ok(f, `${kind} ${path} is in no release`);
    assert.equal(f.removedIn, undefined, `${kind} ${path} was not removed`);
    return f.since;
  };
  const cm = 'cert-manager.io';
  const acme = 'acme.cert-manager.io';
  for (const kind of ['Issuer', 'ClusterIssuer']) {
    assert.equal(since(cm, kind, 'spec.acme.profile'), 'v1.18');
    assert.equal(since(cm, kind, 'spec.acme.solvers[].dns01.rfc2136.protocol'), 'v1.19');
    assert.equal(since(cm, kind, 'spec.acme.solvers[].dns01.azureDNS.zoneType'), 'v1.20');
    assert.equal(since(cm, kind, 'spec.acme.solvers[].waitInsteadOfSelfCheck'), 'v1.21');
    assert.equal(since(cm, kind, 'spec.acme.solvers[].dns01.nameservers'), 'next');
    assert.equal(since(cm, kind, 'spec.vault.serverName'), 'v1.18');
  }
  assert.equal(since(acme, 'Challenge', 'spec.solver.dns01.rfc2136.protocol'), 'v1.19');
  assert.equal(since(acme, 'Challenge', 'spec.solver.waitInsteadOfSelfCheck'), 'v1.21');
  assert.equal(since(acme, 'Order', 'spec.profile'), 'v1.18');
  assert.equal(since(cm, 'Certificate', 'spec.renewal'), 'v1.21');
  assert.equal(since(cm, 'Certificate', 'spec.renewal.windows[].cron'), 'v1.21');
  assert.equal(since(cm, 'Certificate', 'spec.renewBeforePercentage'), 'v1.16');
  assert.equal(since(cm, 'Certificate', 'spec.signatureAlgorithm'), 'v1.18');
  // The engine's own document paths (numbers for list items) work too.
  assert.equal(rs.field(cm, 'v1', 'Issuer', ['spec', 'acme', 'solvers', 0, 'dns01', 'rfc2136', 'protocol'])!.since, 'v1.19');

  const webhook = rs.field(cm, 'v1', 'Issuer', 'spec.acme.solvers[].dns01.webhook')!;
  assert.equal(webhook.inOldest, true, 'a field every release has is "in the oldest"');
  assert.equal(rs.field(cm, 'v1', 'Issuer', 'spec.acme.noSuchField'), undefined);

  // Enum values, with the release that added each.
  const protocol = rs.field(cm, 'v1', 'Issuer', 'spec.acme.solvers[].dns01.rfc2136.protocol')!;
  assert.deepEqual(protocol.enumValues, [
    { value: 'TCP', since: 'v1.19' },
    { value: 'UDP', since: 'v1.19' },
  ]);
  const pkcs12 = rs.field(cm, 'v1', 'Certificate', 'spec.keystores.pkcs12.profile')!;
  assert.deepEqual(
    pkcs12.enumValues?.find((e) => e.value === 'Modern2026'),
    { value: 'Modern2026', since: 'v1.21' },
  );
  assert.equal(pkcs12.enumValues?.find((e) => e.value === 'LegacyRC2')?.since, 'v1.14');

  // Defaults: the CRD's `default` keyword, and the one the description states (rotationPolicy became Always in v1.18).
  const pullSecretName = rs.field(cm, 'v1', 'Issuer', 'spec.acme.solvers[].http01.ingress.podTemplate.spec.imagePullSecrets[].name')!;
  assert.deepEqual(pullSecretName.defaults, [
    { from: 'v1.14', to: 'v1.14' },
    { from: 'v1.15', to: 'next', value: '' },
  ]);
  assert.deepEqual(rs.field(cm, 'v1', 'Certificate', 'spec.privateKey.rotationPolicy')!.describedDefaults, [
    { from: 'v1.14', to: 'v1.17', value: 'Never' },
    { from: 'v1.18', to: 'next', value: 'Always' },
  ]);

  // Required-ness: a keystore's passwordSecretRef stopped being required in v1.17 (password came instead).
  assert.deepEqual(rs.field(cm, 'v1', 'Certificate', 'spec.keystores.jks.passwordSecretRef')!.requiredIn, ['v1.14', 'v1.15', 'v1.16']);
  assert.equal(rs.field(cm, 'v1', 'Certificate', 'spec.keystores.jks.password')!.since, 'v1.17');
  // A field the description calls deprecated.
  assert.deepEqual(
    rs.field(cm, 'v1', 'Issuer', 'spec.acme.externalAccountBinding.keyAlgorithm')!.deprecatedIn,
    rs.releases().map((r) => r.id),
  );
});

test('the change list covers the fields that differ, and CHANGES.md is what it says', () => {
  const issuer = rs.changes('cert-manager.io', 'v1', 'Issuer');
  const added = (path: string) => issuer.find((c) => c.path === path && c.what === 'presence');
  assert.deepEqual(added('spec.acme.profile')?.runs, [
    { from: 'v1.14', to: 'v1.17', value: false },
    { from: 'v1.18', to: 'next', value: true },
  ]);
  // A field inside an added subtree is not listed again: it came with its parent.
  assert.ok(added('spec.venafi.ngts'));
  assert.equal(added('spec.venafi.ngts.url'), undefined);
  // CertificateRequest changed only in how server-side apply merges spec.usages.
  assert.deepEqual(
    rs.changes('cert-manager.io', 'v1', 'CertificateRequest').map((c) => `${c.path} ${c.what}`),
    ['spec.usages x-kubernetes-list-type'],
  );
  assert.equal(readFileSync(join(RELEASES_DIR, 'CHANGES.md'), 'utf8'), changesMarkdown(rs));
});

test('a version that is not bundled finds the nearest bundled release, and says so', () => {
  assert.deepEqual(rs.nearest('1.17'), { release: rs.release('v1.17'), exact: true });
  assert.equal(rs.nearest('v1.19.3')!.release.id, 'v1.19');
  assert.equal(rs.nearest('v1.19.3')!.exact, true);
  assert.equal(rs.nearest('v1.21.0-alpha.1')!.release.id, 'v1.21');
  for (const name of ['next', 'main', 'master', 'NEXT']) assert.equal(rs.nearest(name)!.release.id, 'next', name);
  const old = rs.nearest('1.13')!;
  assert.equal(old.release.id, 'v1.14');
  assert.equal(old.exact, false);
  assert.match(old.message!, /cert-manager 1\.13 is not bundled.*nearest bundled release, v1\.14/);
  const newer = rs.nearest('1.22')!;
  assert.equal(newer.release.id, 'v1.21', 'a newer minor gets the newest release, not next');
  assert.match(newer.message!, /v1\.21/);
  assert.equal(rs.nearest('v2.0.0')!.release.id, 'v1.21');
  assert.equal(rs.nearest('0.16')!.release.id, 'v1.14');
  assert.equal(rs.nearest('latest'), undefined);
  assert.equal(rs.nearest(''), undefined);
});

/** A schemas/ folder for the engine's SchemaStore holding one release's cert-manager schemas. */
function schemasFolder(t: Parameters<typeof tempDir>[0], release: string): string {
  const dir = tempDir(t);
  const kinds = rs.kinds(release).map((e) => {
    const file = `${e.group}/${e.version}/${e.kind}.json`;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), JSON.stringify(rs.schema(release, e.group, e.version, e.kind)));
    return { ...e, file };
  });
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ kinds }));
  return dir;
}

test('each release boundary is respected by the engine: a field is accepted from its since release and unknown one release before', (t) => {
  const issuer = (solver: string, acmeExtra = '') => `apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: letsencrypt
  namespace: web
spec:
  acme:
    server: https://acme.example/directory
    privateKeySecretRef:
      name: account${acmeExtra}
    solvers:
      - ${solver}
`;
  const cases = [
    { path: 'spec.acme.profile', doc: issuer('http01: {ingress: {}}', '\n    profile: shortlived'), key: 'profile' },
    {
      path: 'spec.acme.solvers[].dns01.rfc2136.protocol',
      doc: issuer('dns01: {rfc2136: {nameserver: "127.0.0.1:53", protocol: TCP}}'),
      key: 'protocol',
    },
    {
      path: 'spec.acme.solvers[].dns01.azureDNS.zoneType',
      doc: issuer('dns01: {azureDNS: {subscriptionID: s, resourceGroupName: g, zoneType: AzurePrivateZone}}'),
      key: 'zoneType',
    },
    {
      path: 'spec.acme.solvers[].waitInsteadOfSelfCheck',
      doc: issuer('{waitInsteadOfSelfCheck: 5s, http01: {ingress: {}}}'),
      key: 'waitInsteadOfSelfCheck',
    },
  ];
  const stores = new Map<string, SchemaStore>();
  const unknownFields = (release: string, doc: string): string[] => {
    if (!stores.has(release)) stores.set(release, new SchemaStore(schemasFolder(t, release)));
    const ws = new Workspace(stores.get(release)!);
    ws.set('file:///test/issuer.yaml', doc);
    return ws
      .get('file:///test/issuer.yaml')!
      .diagnostics()
      .filter((d) => d.code === 'schema-unknown-field')
      .map((d) => doc.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character));
  };
  const ids = rs.releases().map((r) => r.id);
  for (const c of cases) {
    const since = rs.field('cert-manager.io', 'v1', 'Issuer', c.path)!.since;
    const before = ids[ids.indexOf(since) - 1];
    assert.deepEqual(unknownFields(since, c.doc), [], `${c.path} at ${since}`);
    assert.deepEqual(unknownFields(before, c.doc), [c.key], `${c.path} at ${before}`);
  }
});

test('the store is small: it adds well under 1 MB to the .vsix', () => {
  let raw = 0;
  let compressed = 0;
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) visit(p);
      else {
        const data = readFileSync(p);
        raw += data.length;
        compressed += gzipSync(data, { level: 9 }).length;
      }
    }
  };
  visit(STORE_DIR);
  // The .vsix is a zip (deflate per file, as gzip); measured about 120 kB.
  assert.ok(compressed < 250_000, `compressed ${compressed} bytes (raw ${raw})`);
});

test('field paths as diagnostics write them, keys with blanks and dots included, parse without an error', () => {
  assert.deepEqual(parseFieldPath('spec.acme.solvers[0].dns01.rfc2136.protocol'), ['spec', 'acme', 'solvers', '[]', 'dns01', 'rfc2136', 'protocol']);
  assert.deepEqual(parseFieldPath('spec[a b]'), ['spec', 'a b']);
  assert.deepEqual(parseFieldPath('metadata.annotations[cert-manager.io/issuer]'), ['metadata', 'annotations', 'cert-manager.io/issuer']);
  assert.deepEqual(parseFieldPath('spec.dnsNames[]'), ['spec', 'dnsNames', '[]']);
  const ws = new Workspace(schemaStore());
  ws.set('file:///keys.yaml', 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: a\n  namespace: b\nspec:\n  "a b": 1\n  "a.b": 2\n  secretName: x\n  dnsNames: [a.example.com]\n  issuerRef: {name: x}\n');
  assert.deepEqual(ws.get('file:///keys.yaml')!.diagnostics().map((d) => `${d.range.start.line} ${d.code}`), ['6 schema-unknown-field', '7 schema-unknown-field']);
});
