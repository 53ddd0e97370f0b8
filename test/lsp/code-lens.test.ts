/**
 * Code lenses and the Certificate list over LSP (stdio), through the bundled
 * server: the command ids and arguments the editor extension relies on,
 * issuers resolved across files under cert-manager's namespace rules, DNS-01
 * lenses from the solver picker, TLS Secrets, the Certificates request and
 * its changed notification (protocol/messages.ts), and a large
 * file answered without re-parsing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { TestLspClient } from '../support/lsp-client.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertificatesChangedNotification, CertificatesRequest, type CertificateEntry } from '../../protocol/messages.js';
import { SERVER_COMMANDS } from '../../protocol/commands.js';
import { tempDir } from '../support/temp.js';

let client: TestLspClient;
before(async () => {
  client = new TestLspClient();
  await client.initialize();
});
after(async () => {
  await client.shutdown();
});

let n = 0;
const uri = (name: string) => `file:///certsmith-tests/code-lens/${++n}/${name}`;
const at = (line: number, character = 0) => ({ start: { line, character }, end: { line, character } });

/**
 * Opens documents and waits for their diagnostics. Files without cert-manager,
 * networking or Gateway objects (a lone Secret) get none: `quiet` ones are not waited for.
 */
async function openAll(docs: Record<string, string>, c: TestLspClient = client, quiet: string[] = []): Promise<Record<string, string>> {
  const uris: Record<string, string> = {};
  for (const [name, text] of Object.entries(docs)) {
    uris[name] = uri(name);
    c.open(uris[name], text);
  }
  for (const [name, u] of Object.entries(uris)) if (!quiet.includes(name)) await c.waitForVersion(u, 1);
  return uris;
}

function lenses(u: string, c: TestLspClient = client): Promise<CodeLens[]> {
  return c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: u } });
}

/** A server whose client says it can refresh code lenses (workspace/codeLens/refresh), without indexing a workspace. */
async function refreshingClient(t: { after(fn: () => unknown): void }): Promise<TestLspClient> {
  const c = new TestLspClient();
  t.after(() => c.shutdown());
  await c.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { workspace: { codeLens: { refreshSupport: true } } },
    workspaceFolders: null,
    initializationOptions: { indexWorkspace: false, editorCommands: true },
  });
  await c.connection.sendNotification('initialized', {});
  return c;
}

/** Lenses as [line, title, command, arguments], for exact comparison. */
const brief = (ls: CodeLens[]) => ls.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]);

const acmeIssuer = (kind: 'Issuer' | 'ClusterIssuer', name: string, server: string, solvers: string, namespace?: string) => `apiVersion: cert-manager.io/v1
kind: ${kind}
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  acme:
    server: ${server}
    privateKeySecretRef:
      name: ${name}-account
    solvers:
${solvers}`;

const HTTP01 = `      - http01:
          ingress:
            ingressClassName: nginx
`;

const certificate = (name: string, issuer: string, opts: { kind?: string; namespace?: string; dnsNames?: string[]; commonName?: string } = {}) => `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ${name}
${opts.namespace ? `  namespace: ${opts.namespace}\n` : ''}spec:
  secretName: ${name}-tls
${opts.commonName ? `  commonName: ${opts.commonName}\n` : ''}  dnsNames: [${(opts.dnsNames ?? [`${name}.example.com`]).map((d) => JSON.stringify(d)).join(', ')}]
  issuerRef:
    name: ${issuer}
${opts.kind ? `    kind: ${opts.kind}\n` : ''}`;

const LE_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';
const LE_PRODUCTION = 'https://acme-v02.api.letsencrypt.org/directory';


/** Waits (bounded, 10 s) until `done()`; fails with what it waited for. */
async function until(done: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !done(); ) {
    if (Date.now() > deadline) assert.fail(`no ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a Certificate whose ClusterIssuer (in another file) uses Let\'s Encrypt staging: "Issue (staging)" and "Inspect", exact ids and arguments, on its first line', async () => {
  const u = await openAll({
    'issuer.yaml': acmeIssuer('ClusterIssuer', 'le-staging-1', LE_STAGING, HTTP01),
    // A ConfigMap and a comment first: the lenses sit on the Certificate's apiVersion line.
    'cert.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n# the web certificate\n${certificate('web', 'le-staging-1', { kind: 'ClusterIssuer', namespace: 'shop' })}`,
  });
  const ls = await lenses(u['cert.yaml']);
  assert.deepEqual(
    ls.map((l) => ({ range: l.range, command: l.command })),
    [
      { range: at(5), command: { title: 'Issue (staging)', command: 'certsmith.issueCertificate', arguments: [{ uri: u['cert.yaml'], name: 'web', namespace: 'shop' }] } },
      { range: at(5), command: { title: 'Inspect', command: 'certsmith.inspectChain', arguments: [{ kind: 'certificate', uri: u['cert.yaml'], name: 'web', namespace: 'shop' }] } },
    ],
  );
  // No dns01 solver anywhere: no DNS-01 lens; the issuer's file has no lenses.
  assert.deepEqual(await lenses(u['issuer.yaml']), []);
});

test('issue titles by issuer: LE production "Issue (staging)", another ACME server "Issue", SelfSigned and CA "Issue (local)", not found "Issue" (namespace null when unset)', async () => {
  const u = await openAll({
    'issuers.yaml': [
      acmeIssuer('ClusterIssuer', 'le-prod-2', LE_PRODUCTION, HTTP01),
      acmeIssuer('ClusterIssuer', 'zerossl-2', 'https://acme.zerossl.com/v2/DV90', HTTP01),
      'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: self-2\n  namespace: ns2\nspec:\n  selfSigned: {}\n',
      'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: ca-2\nspec:\n  ca:\n    secretName: root-ca\n',
    ].join('---\n'),
    'certs.yaml': [
      certificate('prod', 'le-prod-2', { kind: 'ClusterIssuer', namespace: 'ns2' }),
      certificate('zero', 'zerossl-2', { kind: 'ClusterIssuer', namespace: 'ns2' }),
      certificate('self', 'self-2', { namespace: 'ns2' }),
      certificate('ca', 'ca-2', { kind: 'ClusterIssuer', namespace: 'ns2' }),
      certificate('lost', 'nowhere-2'),
    ].join('---\n'),
  });
  const ls = (await lenses(u['certs.yaml'])).filter((l) => l.command?.command === 'certsmith.issueCertificate');
  assert.deepEqual(
    ls.map((l) => [l.command!.title, l.command!.arguments]),
    [
      ['Issue (staging)', [{ uri: u['certs.yaml'], name: 'prod', namespace: 'ns2' }]],
      ['Issue', [{ uri: u['certs.yaml'], name: 'zero', namespace: 'ns2' }]],
      ['Issue (local)', [{ uri: u['certs.yaml'], name: 'self', namespace: 'ns2' }]],
      ['Issue (local)', [{ uri: u['certs.yaml'], name: 'ca', namespace: 'ns2' }]],
      ['Issue', [{ uri: u['certs.yaml'], name: 'lost', namespace: null }]],
    ],
  );
  // Each lens is on its Certificate's first line (documents of 10 or 11 lines, after a --- line each).
  const firstLines = (await lenses(u['certs.yaml'])).filter((l) => l.command?.title === 'Inspect').map((l) => l.range.start.line);
  const text = [
    certificate('prod', 'le-prod-2', { kind: 'ClusterIssuer', namespace: 'ns2' }),
    certificate('zero', 'zerossl-2', { kind: 'ClusterIssuer', namespace: 'ns2' }),
    certificate('self', 'self-2', { namespace: 'ns2' }),
    certificate('ca', 'ca-2', { kind: 'ClusterIssuer', namespace: 'ns2' }),
    certificate('lost', 'nowhere-2'),
  ].join('---\n');
  const expected = text.split('\n').flatMap((l, i) => (l === 'apiVersion: cert-manager.io/v1' ? [i] : []));
  assert.deepEqual(firstLines, expected);
});

test('"Check DNS-01" lists exactly the names a DNS-01 solver would get; a wildcard with an HTTP-01-only issuer gets none', async () => {
  const solvers = `      - http01:
          ingress: {}
      - selector:
          dnsZones: [dns.example]
        dns01:
          rfc2136:
            nameserver: 192.0.2.53
`;
  const u = await openAll({
    'issuers.yaml': [acmeIssuer('Issuer', 'mixed-3', LE_STAGING, solvers, 'ns3'), acmeIssuer('Issuer', 'http-3', LE_STAGING, HTTP01, 'ns3')].join('---\n'),
    'certs.yaml': [
      certificate('mixed', 'mixed-3', { namespace: 'ns3', dnsNames: ['www.http.example', 'b.dns.example', '*.dns.example', 'b.dns.example'] }),
      certificate('wild', 'http-3', { namespace: 'ns3', dnsNames: ['*.http.example', 'www.http.example'] }),
      certificate('plain', 'mixed-3', { namespace: 'ns3', dnsNames: ['www.http.example'] }),
    ].join('---\n'),
  });
  const ls = await lenses(u['certs.yaml']);
  const dns = ls.filter((l) => l.command?.command === 'certsmith.checkDns01');
  assert.deepEqual(
    dns.map((l) => [l.command!.title, l.command!.arguments]),
    [['Check DNS-01', [{ names: ['b.dns.example', '*.dns.example'] }]]],
  );
  // It belongs to the first Certificate, next to its other lenses.
  assert.equal(dns[0].range.start.line, ls[0].range.start.line);
  assert.deepEqual(
    ls.map((l) => l.command!.title),
    ['Issue (staging)', 'Inspect', 'Check DNS-01', 'Issue (staging)', 'Inspect', 'Issue (staging)', 'Inspect'],
  );
});

test('a dns01 block gets "Check DNS-01 propagation" with the names of the Certificates that use this issuer and this solver', async () => {
  const solvers = `      - selector:
          dnsZones: [a.example]
        dns01:
          rfc2136:
            nameserver: 192.0.2.53
      - http01:
          ingress: {}
      - dns01:
          cloudflare:
            apiTokenSecretRef: {name: cf, key: token}
`;
  const issuerText = acmeIssuer('Issuer', 'dns-4', LE_STAGING, solvers, 'ns4');
  const u = await openAll({
    'issuer.yaml': issuerText,
    'certs.yaml': [
      certificate('one', 'dns-4', { namespace: 'ns4', dnsNames: ['x.a.example', '*.b.example', 'www.b.example'] }),
      certificate('two', 'dns-4', { namespace: 'ns4', dnsNames: ['y.a.example', '*.c.example'], commonName: 'y.a.example' }),
      // Another namespace: the Issuer does not serve it, so its names are not listed.
      certificate('elsewhere', 'dns-4', { namespace: 'other4', dnsNames: ['z.a.example', '*.d.example'] }),
    ].join('---\n'),
  });
  const ls = await lenses(u['issuer.yaml']);
  const lines = issuerText.split('\n');
  const dnsLines = lines.flatMap((l, i) => (/^\s+(- )?dns01:$/.test(l) ? [[i, l.indexOf('dns01')]] : []));
  assert.equal(dnsLines.length, 2);
  assert.deepEqual(
    ls.map((l) => [l.range.start.line, l.range.start.character, l.command!.title, l.command!.command, l.command!.arguments]),
    [
      [dnsLines[0][0], dnsLines[0][1], 'Check DNS-01 propagation', 'certsmith.checkDns01', [{ names: ['x.a.example', 'y.a.example'] }]],
      // The unselective dns01 solver takes the wildcards (offered DNS-01 only); www.b.example goes to HTTP-01.
      [dnsLines[1][0], dnsLines[1][1], 'Check DNS-01 propagation', 'certsmith.checkDns01', [{ names: ['*.b.example', '*.c.example'] }]],
    ],
  );

  // An issuer no Certificate uses: the lens is there, with no names.
  const lonely = await openAll({ 'lonely.yaml': acmeIssuer('ClusterIssuer', 'lonely-4', LE_STAGING, solvers) });
  assert.deepEqual(
    (await lenses(lonely['lonely.yaml'])).map((l) => l.command!.arguments),
    [[{ names: [] }], [{ names: [] }]],
  );
});

test('TLS Secrets get "Inspect chain" with the range of the Secret; other Secrets do not', async () => {
  const docs = [
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: opaque\ntype: Opaque\ndata:\n  password: cGFzcw==\n',
    '# a TLS secret\napiVersion: v1\nkind: Secret\nmetadata:\n  name: web-tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: LS0tLS1CRUdJTg==\n  tls.key: LS0tLS1CRUdJTg==\n',
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: only-ca\ndata:\n  ca.crt: LS0tLS1CRUdJTg==\n',
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: string-data\nstringData:\n  tls.crt: |\n    -----BEGIN CERTIFICATE-----\n    MIIB\n    -----END CERTIFICATE-----\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-a-secret\ndata:\n  tls.crt: x\n',
  ];
  const text = docs.join('---\n');
  const u = await openAll({ 'secrets.yaml': text }, client, ['secrets.yaml']);
  const ls = await lenses(u['secrets.yaml']);
  const lines = text.split('\n');
  // Each object starts three lines above its name (web-tls after its comment line).
  const webStart = lines.indexOf('  name: web-tls') - 3;
  const stringStart = lines.indexOf('  name: string-data') - 3;
  assert.equal(lines[webStart - 1], '# a TLS secret');
  assert.deepEqual(
    ls.map((l) => ({ range: l.range, command: l.command })),
    [
      {
        range: at(webStart),
        command: {
          title: 'Inspect chain',
          command: 'certsmith.inspectChain',
          arguments: [{ kind: 'secret', uri: u['secrets.yaml'], range: { start: { line: webStart, character: 0 }, end: { line: webStart + 8, character: 0 } } }],
        },
      },
      {
        range: at(stringStart),
        command: {
          title: 'Inspect chain',
          command: 'certsmith.inspectChain',
          arguments: [{ kind: 'secret', uri: u['secrets.yaml'], range: { start: { line: stringStart, character: 0 }, end: { line: stringStart + 9, character: 0 } } }],
        },
      },
    ],
  );
  assert.equal(lines[webStart], 'apiVersion: v1');
  assert.equal(lines[webStart + 8], '---');
  assert.equal(lines[stringStart + 9], '---');
});

test('certsmith/certificates: every Certificate with its issuer, resolved across files; an Issuer of another namespace is not, a ClusterIssuer is', async () => {
  const issuersText = [
    'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: ns-ca-5\n  namespace: alpha5\nspec:\n  ca:\n    secretName: root\n',
    acmeIssuer('ClusterIssuer', 'cluster-le-5', LE_STAGING, HTTP01),
  ].join('---\n');
  const certsText = [
    certificate('in-alpha', 'ns-ca-5', { namespace: 'alpha5', dnsNames: ['a.example.com', 'b.example.com'], commonName: 'a.example.com' }),
    certificate('in-beta', 'ns-ca-5', { namespace: 'beta5' }),
    certificate('via-cluster', 'cluster-le-5', { namespace: 'beta5', kind: 'ClusterIssuer' }),
    'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: external\nspec:\n  secretName: ext-tls\n  dnsNames: [ext.example.com]\n  issuerRef:\n    name: ns-ca-5\n    kind: AWSPCAClusterIssuer\n    group: awspca.cert-manager.io\n',
  ].join('---\n');
  const u = await openAll({ 'issuers.yaml': issuersText, 'certs.yaml': certsText });
  const result = await client.connection.sendRequest(CertificatesRequest);
  assert.deepEqual(Object.keys(result), ['certificates']);
  const mine = result.certificates.filter((c) => c.uri === u['certs.yaml']);
  const certLines = certsText.split('\n');
  const startOf = (name: string) => certLines.indexOf(`  name: ${name}`) - 3;
  const endOf = (name: string) => {
    const s = startOf(name);
    const next = certLines.findIndex((l, i) => i > s && l === '---');
    return next === -1 ? certLines.length - 1 : next;
  };
  const objRange = (name: string) => ({ start: { line: startOf(name), character: 0 }, end: { line: endOf(name), character: 0 } });
  const issuerRange = { start: { line: 0, character: 0 }, end: { line: 8, character: 0 } };
  const clusterStart = issuersText.split('\n').indexOf('---') + 1;
  const clusterRange = { start: { line: clusterStart, character: 0 }, end: { line: issuersText.split('\n').length - 1, character: 0 } };
  const expected: CertificateEntry[] = [
    {
      uri: u['certs.yaml'],
      name: 'in-alpha',
      namespace: 'alpha5',
      secretName: 'in-alpha-tls',
      dnsNames: ['a.example.com', 'b.example.com'],
      range: objRange('in-alpha'),
      issuerRef: { name: 'ns-ca-5', kind: 'Issuer', group: 'cert-manager.io' },
      issuer: { kind: 'Issuer', name: 'ns-ca-5', uri: u['issuers.yaml'], range: issuerRange, type: 'CA', acmeServer: null },
    },
    {
      uri: u['certs.yaml'],
      name: 'in-beta',
      namespace: 'beta5',
      secretName: 'in-beta-tls',
      dnsNames: ['in-beta.example.com'],
      range: objRange('in-beta'),
      issuerRef: { name: 'ns-ca-5', kind: 'Issuer', group: 'cert-manager.io' },
      issuer: null,
    },
    {
      uri: u['certs.yaml'],
      name: 'via-cluster',
      namespace: 'beta5',
      secretName: 'via-cluster-tls',
      dnsNames: ['via-cluster.example.com'],
      range: objRange('via-cluster'),
      issuerRef: { name: 'cluster-le-5', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      issuer: { kind: 'ClusterIssuer', name: 'cluster-le-5', uri: u['issuers.yaml'], range: clusterRange, type: 'ACME', acmeServer: LE_STAGING },
    },
    {
      uri: u['certs.yaml'],
      name: 'external',
      namespace: null,
      secretName: 'ext-tls',
      dnsNames: ['ext.example.com'],
      range: objRange('external'),
      issuerRef: { name: 'ns-ca-5', kind: 'AWSPCAClusterIssuer', group: 'awspca.cert-manager.io' },
      issuer: null,
    },
  ];
  assert.deepEqual(mine, expected);
  // Certificates of the other tests' documents are listed too (the whole workspace).
  assert.ok(result.certificates.some((c) => c.uri !== u['certs.yaml'] && c.name === 'web'), JSON.stringify(result.certificates.map((c) => c.name)));
});

test('certsmith/certificatesChanged arrives (debounced) after an edit that adds a Certificate, and not after an edit that changes none', { timeout: 60_000 }, async (t) => {
  const c = new TestLspClient();
  t.after(() => c.shutdown());
  await c.initialize();
  const received: number[] = [];
  const waiters: (() => void)[] = [];
  c.connection.onNotification(CertificatesChangedNotification.method, (params: unknown) => {
    // No parameters: an empty object, which every client accepts (protocol/messages.ts).
    assert.deepEqual(params, {});
    received.push(Date.now());
    waiters.splice(0).forEach((w) => w());
  });
  const next = (timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });

  const issuer = acmeIssuer('ClusterIssuer', 'le-6', LE_STAGING, HTTP01);
  const u = await openAll({ 'issuer.yaml': issuer, 'other.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n' }, c, ['other.yaml']);
  // Opening only an issuer changes no Certificate: nothing is sent.
  assert.equal(await next(1000), false, 'no notification without Certificates');

  const added = `---\n${certificate('new-6', 'le-6', { kind: 'ClusterIssuer', namespace: 'ns6' })}`;
  const lines = issuer.split('\n').length - 1;
  const editedAt = Date.now();
  const gotIt = next(10_000);
  c.change(u['issuer.yaml'], { start: { line: lines, character: 0 }, end: { line: lines, character: 0 } }, added);
  assert.equal(await gotIt, true, 'a notification after adding a Certificate');
  assert.ok(received[received.length - 1] - editedAt >= 250, `debounced (${received[received.length - 1] - editedAt} ms)`);
  const list = await c.connection.sendRequest(CertificatesRequest);
  assert.deepEqual(
    list.certificates.map((x) => [x.name, x.issuer?.name ?? null]),
    [['new-6', 'le-6']],
  );

  // A burst of edits that do not touch Certificates or their positions: no notification.
  const before = received.length;
  for (let i = 0; i < 5; i++) c.change(u['other.yaml'], { start: { line: 3, character: 8 }, end: { line: 3, character: 11 } }, `cfg${i}`);
  assert.equal(await next(1000), false, 'no notification when the list is unchanged');
  assert.equal(received.length, before);

  // Closing the file that holds the Certificate removes it: sent again.
  const gone = next(10_000);
  c.close(u['issuer.yaml']);
  assert.equal(await gone, true, 'a notification after the Certificate went away');
  assert.deepEqual((await c.connection.sendRequest(CertificatesRequest)).certificates, []);
});

test('a client that can refresh code lenses is asked to when an issuer in another file gains a DNS-01 solver (the list itself is unchanged)', { timeout: 60_000 }, async (t) => {
  const c = await refreshingClient(t);
  const events: string[] = [];
  let onRefresh: (() => void) | undefined;
  c.connection.onRequest('workspace/codeLens/refresh', () => {
    events.push('refresh');
    onRefresh?.();
    return null;
  });
  c.connection.onNotification(CertificatesChangedNotification.method, () => void events.push('changed'));
  const dnsSolver = `      - dns01:
          rfc2136:
            nameserver: 192.0.2.53
`;
  const issuer = acmeIssuer('ClusterIssuer', 'le-8', LE_STAGING, HTTP01);
  const u = await openAll({ 'issuer.yaml': issuer, 'cert.yaml': certificate('web', 'le-8', { kind: 'ClusterIssuer', namespace: 'ns8', dnsNames: ['*.example.org'] }) }, c);
  const titles = async () => (await lenses(u['cert.yaml'], c)).map((l) => l.command!.title);
  assert.deepEqual(await titles(), ['Issue (staging)', 'Inspect']);
  // The first round (the Certificate appeared): one notification and one refresh.
  await until(() => events.length >= 2, 'the first certificatesChanged and refresh');
  assert.deepEqual(events, ['changed', 'refresh']);

  // The HTTP-01 solver (the issuer's last three lines) becomes a DNS-01 solver: the issuer keeps its range.
  const refreshed = new Promise<void>((resolve) => (onRefresh = resolve));
  const lines = issuer.split('\n').length - 1;
  assert.equal(issuer.split('\n').slice(lines - 3).join('\n'), HTTP01);
  c.change(u['issuer.yaml'], { start: { line: lines - 3, character: 0 }, end: { line: lines, character: 0 } }, dnsSolver);
  await refreshed;
  assert.deepEqual(events, ['changed', 'refresh', 'refresh']);
  assert.deepEqual(await titles(), ['Issue (staging)', 'Inspect', 'Check DNS-01']);
});

test('a file of 2,000 Certificates: code lenses come in one pass', { timeout: 120_000 }, async (t) => {
  const c = new TestLspClient();
  t.after(() => c.shutdown());
  await c.initialize();
  const solvers = `      - http01:
          ingress: {}
      - selector:
          dnsZones: [dns.example]
        dns01:
          rfc2136:
            nameserver: 192.0.2.53
`;
  const docs = [acmeIssuer('ClusterIssuer', 'big-7', LE_STAGING, solvers)];
  for (let i = 0; i < 2000; i++) docs.push(certificate(`c${i}`, 'big-7', { kind: 'ClusterIssuer', namespace: 'ns7', dnsNames: [`w${i}.http.example`, `d${i}.dns.example`] }));
  const u = await openAll({ 'big.yaml': docs.join('---\n') }, c);
  const t0 = performance.now();
  const ls = await lenses(u['big.yaml'], c);
  const first = performance.now() - t0;
  const t1 = performance.now();
  await lenses(u['big.yaml'], c);
  const second = performance.now() - t1;
  // Per Certificate: Issue, Inspect, Check DNS-01; and the issuer's dns01 block with all 2,000 DNS-01 names.
  assert.equal(ls.length, 2000 * 3 + 1);
  const block = ls.find((l) => l.command?.title === 'Check DNS-01 propagation')!;
  assert.equal((block.command!.arguments![0] as { names: string[] }).names.length, 2000);
  assert.deepEqual(brief(ls.slice(-3)).map((x) => x.slice(1, 3)), [
    ['Issue (staging)', 'certsmith.issueCertificate'],
    ['Inspect', 'certsmith.inspectChain'],
    ['Check DNS-01', 'certsmith.checkDns01'],
  ]);
  // (how fast is measured by npm run bench:lsp, not asserted here)
  t.diagnostic(`codeLens on 2,000 Certificates: ${first.toFixed(0)} ms, then ${second.toFixed(0)} ms`);
});

test('with a kubeconfig (the setting names one that exists): Apply and Diff above each object, Status above Certificates; the client is asked to refresh', { timeout: 60_000 }, async (t) => {
  const c = await refreshingClient(t);
  let refreshes = 0;
  let onRefresh: (() => void) | undefined;
  c.connection.onRequest('workspace/codeLens/refresh', () => {
    refreshes++;
    onRefresh?.();
    return null;
  });
  const issuer = acmeIssuer('ClusterIssuer', 'le-9', LE_STAGING, HTTP01);
  const u = await openAll({ 'both.yaml': `${issuer}---\n${certificate('api', 'le-9', { kind: 'ClusterIssuer', namespace: 'ns9', dnsNames: ['api.example.org'] })}` }, c);
  const before = (await lenses(u['both.yaml'], c)).map((l) => l.command!.title);
  assert.deepEqual(before, ['Issue (staging)', 'Inspect'], 'no cluster lenses until a cluster is configured');
  // The refresh for the opened files comes first; count from there.
  await until(() => refreshes >= 1, 'the refresh after opening the files');
  const counted = refreshes;
  const refreshed = new Promise<void>((resolve) => (onRefresh = resolve));
  const kubeconfig = join(tempDir(t), 'kubeconfig');
  writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
  await c.settings({ cluster: { kubeconfig } });
  await refreshed;
  assert.ok(refreshes > counted);
  const ls = await lenses(u['both.yaml'], c);
  const issuerLine = 0;
  const certLine = issuer.split('\n').length;
  assert.deepEqual(
    ls.map((l) => [l.range.start.line, l.command!.title, l.command!.command]),
    [
      [issuerLine, 'Apply', 'certsmith.cluster.apply'],
      [issuerLine, 'Diff', 'certsmith.cluster.diff'],
      [certLine, 'Apply', 'certsmith.cluster.apply'],
      [certLine, 'Diff', 'certsmith.cluster.diff'],
      [certLine, 'Status', 'certsmith.cluster.showStatus'],
      [certLine, 'Why not Ready?', 'certsmith.cluster.explain'],
      [certLine, 'Issue (staging)', 'certsmith.issueCertificate'],
      [certLine, 'Inspect', 'certsmith.inspectChain'],
    ],
  );
  // Apply and Diff name the object's range (the client applies that object only); Status names the Certificate.
  const applyCert = ls.find((l) => l.range.start.line === certLine && l.command!.title === 'Apply')!;
  const args = applyCert.command!.arguments![0] as { uri: string; range: { start: { line: number }; end: { line: number } } };
  assert.equal(args.uri, u['both.yaml']);
  assert.equal(args.range.start.line, certLine);
  assert.deepEqual(ls.find((l) => l.command!.title === 'Status')!.command!.arguments, [{ name: 'api', namespace: 'ns9' }]);
});

test('a client without editor commands of its own (any LSP editor): lenses name the commands the server executes (workspace/executeCommand), which it announces', async (t) => {
  const c = new TestLspClient(['lsp', '--stdio'], { indexWorkspace: false });
  t.after(() => c.shutdown());
  const init = (await c.initialize()) as { capabilities: { executeCommandProvider?: { commands: string[] } } };
  assert.deepEqual(init.capabilities.executeCommandProvider?.commands, Object.values(SERVER_COMMANDS));
  const u = await openAll({ 'generic.yaml': `${acmeIssuer('ClusterIssuer', 'le-g', LE_STAGING, HTTP01)}---\n${certificate('gen', 'le-g', { kind: 'ClusterIssuer', namespace: 'nsg', dnsNames: ['gen.example.org'] })}` }, c);
  assert.deepEqual(
    (await lenses(u['generic.yaml'], c)).map((l) => [l.command!.title, l.command!.command]),
    [
      ['Issue (staging)', SERVER_COMMANDS.issue],
      ['Inspect', SERVER_COMMANDS.inspect],
    ],
  );
});
