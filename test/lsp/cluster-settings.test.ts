/**
 * One set of cluster settings, resolved once by the language server, seen
 * the same by every cluster feature: the dry run, Apply (its plan and its
 * objects' namespace), Diff, Status, the Cluster view, the target the status
 * bar shows, and the code lenses. Against a real kube-apiserver + etcd, with
 * the kubeconfig named as a person writes it in a setting: relative to the
 * workspace folder, and with `~`. The kubeconfig's own current-context points
 * at a silent address, so a feature that ignored the context setting would
 * time out instead of answering.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import {
  ApplyPlanRequest,
  ApplyRequest,
  CertificateStatusRequest,
  CheckAgainstClusterRequest,
  ClusterOverviewRequest,
  ClusterTargetRequest,
  DiffRequest,
  EditorStateNotification,
} from '../../protocol/messages.js';
import { EDITOR_COMMANDS } from '../../protocol/commands.js';
import { TestLspClient } from '../support/lsp-client.js';
import { tempDir } from '../support/temp.js';
import { installCertManagerCrds, kubectlOk, kubernetesBinaryDir, kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';

const skip = kubernetesPeersBuilt() ? false : `kube-apiserver/etcd are not built (${kubernetesBinaryDir()}): run \`npm run setup\``;
let kube: KubeApiServer | undefined;
let silent: net.Server | undefined;
const sockets = new Set<net.Socket>();

before(async () => {
  if (skip) return;
  kube = await startKubeApiServer();
  await installCertManagerCrds(kube.adminKubeconfig);
  await kubectlOk(['create', 'namespace', 'team-x'], kube.adminKubeconfig);
  await kubectlOk(['create', 'namespace', 'team-y'], kube.adminKubeconfig);
  silent = net.createServer((s) => (sockets.add(s), s.on('error', () => undefined), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => silent!.listen(0, '127.0.0.1', r));
});
after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => (silent ? silent.close(() => r()) : r()));
  await kube?.stop();
});

/** The admin kubeconfig with one more context, "silent", made current: only a context setting reaches the API server. */
function kubeconfigText(): string {
  const kc = parse(readFileSync(kube!.adminKubeconfig, 'utf8')) as { clusters: unknown[]; contexts: { name: string; context: Record<string, string> }[]; users: { name: string }[]; 'current-context': string };
  const port = (silent!.address() as net.AddressInfo).port;
  kc.clusters.push({ name: 'silent', cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } });
  kc.contexts.push({ name: 'silent', context: { cluster: 'silent', user: kc.users[0]!.name } });
  kc['current-context'] = 'silent';
  return stringify(kc);
}

const CERT = (name: string) => `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ${name}
spec:
  secretName: ${name}-tls
  dnsNames: [${name}.example.test]
  issuerRef:
    name: missing-issuer
`;

for (const form of ['relative to the workspace folder', 'with ~']) {
  test(`every cluster feature sees the same kubeconfig (${form}), context, namespace and time limit`, { skip, timeout: 120_000 }, async (t) => {
    const folder = tempDir(t);
    const home = tempDir(t);
    let setting: string;
    if (form.startsWith('relative')) {
      mkdirSync(join(folder, 'kube'));
      writeFileSync(join(folder, 'kube', 'config'), kubeconfigText());
      setting = 'kube/config';
    } else {
      writeFileSync(join(home, 'kc.yaml'), kubeconfigText());
      setting = '~/kc.yaml';
    }
    const adminContext = (parse(readFileSync(kube!.adminKubeconfig, 'utf8')) as { 'current-context': string })['current-context'];
    const c = new TestLspClient(['lsp', '--stdio'], { indexWorkspace: false, editorCommands: true }, pathToFileURL(folder).href, { ...process.env, HOME: home, KUBECONFIG: join(home, 'no-such-file') });
    t.after(() => c.shutdown());
    await c.initialize();
    await c.settings({ cluster: { kubeconfig: setting, context: adminContext, namespace: 'team-x', requestTimeoutSeconds: 7 } });

    const target = await c.connection.sendRequest(ClusterTargetRequest);
    assert.ok(target.target, target.problem);
    assert.equal(target.target.context, adminContext);
    assert.equal(target.target.contextOrigin, 'setting');
    assert.equal(target.target.namespace, 'team-x');
    assert.equal(target.target.namespaceOrigin, 'setting');
    assert.equal(target.target.server, kube!.server);
    assert.deepEqual(target.target.kubeconfigFiles, [form.startsWith('relative') ? join(folder, 'kube', 'config') : join(home, 'kc.yaml')]);
    assert.equal(target.target.kubeconfigOrigin, 'setting');
    assert.equal(target.target.requestTimeoutSeconds, 7);

    const name = form.startsWith('relative') ? 'rel' : 'tilde';
    const uri = pathToFileURL(join(folder, `${name}.yaml`)).href;
    writeFileSync(join(folder, `${name}.yaml`), CERT(name));
    c.open(uri, CERT(name));
    await c.waitForVersion(uri, 1);

    const dry = await c.connection.sendRequest(CheckAgainstClusterRequest, { uri });
    assert.deepEqual([dry.error, dry.context, dry.namespace, dry.server, dry.rejected], [undefined, adminContext, 'team-x', kube!.server, 0]);

    const plan = await c.connection.sendRequest(ApplyPlanRequest, { uri });
    assert.deepEqual([plan.problem, plan.context, plan.namespace, plan.server], [undefined, adminContext, 'team-x', kube!.server]);
    const applied = await c.connection.sendRequest(ApplyRequest, { uri, context: plan.context });
    assert.equal(applied.error, undefined);
    assert.deepEqual(applied.results.map((r) => [r.label, r.namespace, r.outcome]), [[`certificate.cert-manager.io/${name}`, 'team-x', 'created']]);
    assert.match(await kubectlOk(['get', 'certificate', name, '-n', 'team-x', '-o', 'name'], kube!.adminKubeconfig), new RegExp(`certificate.cert-manager.io/${name}`));

    const diff = await c.connection.sendRequest(DiffRequest, { uri });
    assert.deepEqual([diff.error, diff.context, diff.server], [undefined, adminContext, kube!.server]);
    assert.deepEqual(diff.objects.map((o) => [o.path, o.outcome]), [[`cert-manager.io/v1/Certificate/team-x/${name}`, 'unchanged']]);

    const status = await c.connection.sendRequest(CertificateStatusRequest, { name });
    assert.equal(status.error, undefined);
    assert.deepEqual([status.report?.context, status.report?.namespace, status.report?.name], [adminContext, 'team-x', name]);

    const view = await c.connection.sendRequest(ClusterOverviewRequest);
    assert.equal(view.problem, undefined);
    assert.deepEqual(view.contexts.find((x) => x.current), { name: adminContext, current: true, server: kube!.server });
    assert.equal(view.overview?.namespace, 'team-x');
    assert.ok(view.overview?.certificates.some((x) => x.name === name && x.namespace === 'team-x'));

    const lenses = (await c.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { command: { title: string; command: string } }[];
    assert.deepEqual(lenses.filter((l) => ['Apply', 'Diff', 'Status'].includes(l.command.title)).map((l) => l.command.command), [EDITOR_COMMANDS.clusterApply, EDITOR_COMMANDS.clusterDiff, EDITOR_COMMANDS.clusterShowStatus]);

    // The workspace's choice (Switch Context) wins over the settings, for everything alike.
    await c.connection.sendNotification(EditorStateNotification, { cluster: { namespace: 'team-y' } });
    const chosen = await c.connection.sendRequest(ClusterTargetRequest);
    assert.deepEqual([chosen.target?.namespace, chosen.target?.namespaceOrigin, chosen.target?.context], ['team-y', 'workspace choice', adminContext]);
    assert.equal((await c.connection.sendRequest(ApplyPlanRequest, { uri })).namespace, 'team-y');
    assert.equal((await c.connection.sendRequest(ClusterOverviewRequest)).overview?.namespace, 'team-y');

    // The time limit is the setting's: the silent current-context, chosen for this workspace, gives up after 1 s, not 30.
    await c.settings({ cluster: { kubeconfig: setting, requestTimeoutSeconds: 1 } });
    await c.connection.sendNotification(EditorStateNotification, { cluster: {} });
    const t0 = Date.now();
    const slow = await c.connection.sendRequest(CheckAgainstClusterRequest, { uri });
    assert.equal(slow.context, 'silent');
    assert.match(slow.error ?? '', /did not answer .* within 1 s/);
    assert.ok(Date.now() - t0 < 20_000, `gave up after ${Date.now() - t0} ms`);
  });
}

test('no kubeconfig: no cluster lenses, and every feature says why in the same words', { timeout: 60_000 }, async (t) => {
  const home = tempDir(t);
  const c = new TestLspClient(['lsp', '--stdio'], { indexWorkspace: false, editorCommands: true }, pathToFileURL(home).href, { ...process.env, HOME: home, KUBECONFIG: '' });
  t.after(() => c.shutdown());
  await c.initialize();
  const uri = pathToFileURL(join(home, 'c.yaml')).href;
  c.open(uri, CERT('none'));
  await c.waitForVersion(uri, 1);
  const target = await c.connection.sendRequest(ClusterTargetRequest);
  assert.match(target.problem ?? '', /no kubeconfig: .*\.kube\/config does not exist and KUBECONFIG is not set/);
  assert.equal((await c.connection.sendRequest(ApplyPlanRequest, { uri })).problem, target.problem);
  assert.equal((await c.connection.sendRequest(ClusterOverviewRequest)).problem, target.problem);
  const lenses = (await c.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { command: { title: string } }[];
  assert.deepEqual(lenses.map((l) => l.command.title), ['Issue', 'Inspect']);
});

test('an untrusted workspace: nothing is sent to a cluster', { skip, timeout: 60_000 }, async (t) => {
  const folder = tempDir(t);
  copyFileSync(kube!.adminKubeconfig, join(folder, 'kubeconfig'));
  const c = new TestLspClient(['lsp', '--stdio'], { indexWorkspace: false, editorCommands: true, trusted: false }, pathToFileURL(folder).href);
  t.after(() => c.shutdown());
  await c.initialize();
  await c.settings({ cluster: { kubeconfig: 'kubeconfig' } });
  const uri = pathToFileURL(join(folder, 'u.yaml')).href;
  c.open(uri, CERT('untrusted'));
  await c.waitForVersion(uri, 1);
  assert.match((await c.connection.sendRequest(ClusterTargetRequest)).problem ?? '', /not available in an untrusted workspace/);
  assert.match((await c.connection.sendRequest(CheckAgainstClusterRequest, { uri })).error ?? '', /not trusted/);
  assert.match((await c.connection.sendRequest(ApplyRequest, { uri, context: 'x' })).error ?? '', /untrusted workspace/);
  const lenses = (await c.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { command: { title: string } }[];
  assert.ok(!lenses.some((l) => l.command.title === 'Apply'), 'no Apply lens in an untrusted workspace');
});
