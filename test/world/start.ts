/**
 * `npm start`: the whole product on this machine, for a newcomer.
 *
 *  1. builds dist/certsmith.vsix if it is missing or older than the sources;
 *  2. starts a local ACME world (test/world/acme-world.ts): bind9,
 *     authoritative for example.test with TSIG updates, and Pebble, a test
 *     ACME CA whose validation authority asks that bind9;
 *  3. writes manifests for it into examples/local/ (git-ignored: they change
 *     at every start): an Issuer pointing at Pebble with its caBundle, the
 *     TSIG Secret, and a Certificate for app.example.test + *.example.test;
 *  4. writes workspace settings (examples/.vscode/settings.json, git-ignored)
 *     so that issuing talks to that bind9 and Pebble;
 *  5. when set-up built them, starts a kube-apiserver with etcd
 *     (test/world/kube-apiserver.ts) with the cert-manager and Gateway API
 *     CRDs, and cert-manager itself (its real controller and webhook,
 *     test/world/cert-manager.ts, resolving DNS-01 zones through that bind9),
 *     and points the extension's cluster features at it: Apply, Dry Run (with
 *     cert-manager's webhook in the loop), Diff, Status, Why not Ready?, and
 *     the Cluster view, where applied Certificates become Ready;
 *  6. starts code-server (VS Code in the browser, installed by `npm run
 *     setup`) with the extension installed and examples/ as the workspace, at
 *     http://127.0.0.1:8080 (or a free port when 8080 is taken).
 *
 * Ctrl-C stops everything (and removes the settings file, whose ports would
 * be stale). Everything listens on 127.0.0.1 only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { certificateYaml, startAcmeWorld, type AcmeWorld } from './acme-world.js';
import { codeServerMissingReason, startCodeServer, type CodeServer } from './code-server.js';
import { freePort } from './free-port.js';
import { certManagerControllerBuilt, startCertManager, type CertManager } from './cert-manager.js';
import { installCertManagerCrds, kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from './kube-apiserver.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VSIX = join(ROOT, 'dist', 'certsmith.vsix');
const EXAMPLES = join(ROOT, 'examples');
const LOCAL = join(EXAMPLES, 'local');
const SETTINGS = join(EXAMPLES, '.vscode', 'settings.json');
const PREFERRED_PORT = 8080;

function say(message: string): void {
  console.log(`start: ${message}`);
}

/** Newest modification time of the files under these paths (directories searched recursively). */
function newest(paths: string[]): number {
  let max = 0;
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules' && !name.startsWith('.')) visit(join(p, name));
    } else max = Math.max(max, s.mtimeMs);
  };
  paths.forEach(visit);
  return max;
}

function buildVsixIfNeeded(): void {
  const sources = newest(['client', 'engine', 'server', 'schemas', 'package.json', 'esbuild.config.mjs'].map((p) => join(ROOT, p)));
  if (existsSync(VSIX) && statSync(VSIX).mtimeMs >= sources) {
    say(`using ${VSIX} (newer than the sources)`);
    return;
  }
  say(existsSync(VSIX) ? 'the sources changed since dist/certsmith.vsix was built: npm run package' : 'building the extension: npm run package');
  const r = spawnSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
  if (r.status !== 0) throw new Error('`npm run package` failed (see above)');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = net.createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
  });
}

function writeManifests(world: AcmeWorld): void {
  rmSync(LOCAL, { recursive: true, force: true });
  mkdirSync(LOCAL, { recursive: true });
  const header = `# Written by \`npm start\` for the local ACME world (bind9 on ${world.bind9.address}, Pebble at ${world.pebble.directoryUrl}).\n# Rewritten at every start; git-ignored.\n`;
  writeFileSync(join(LOCAL, 'issuer.yaml'), header + world.issuerYaml());
  writeFileSync(join(LOCAL, 'certificate.yaml'), header + certificateYaml({ name: 'app', dnsNames: [`app.${world.zone}`, `*.${world.zone}`] }));
  writeFileSync(
    join(LOCAL, 'README.md'),
    `# examples/local (written by \`npm start\`)

- \`issuer.yaml\`: an Issuer for the local Pebble (ACME test CA) with its
  listener CA as \`caBundle\`, a DNS-01 rfc2136 solver for bind9, and the
  TSIG Secret it needs.
- \`certificate.yaml\`: a Certificate for app.${world.zone} and *.${world.zone}.

Open certificate.yaml and click **Issue** above the Certificate (or run
"Certsmith: Issue Certificate…" from the Command Palette). The result goes to
examples/.certsmith/issued/default/app-tls/.
`,
  );
}

function writeSettings(world: AcmeWorld, kube: KubeApiServer | undefined): void {
  mkdirSync(dirname(SETTINGS), { recursive: true });
  const settings = {
    ...(kube ? { 'certsmith.cluster.kubeconfig': kube.adminKubeconfig, 'certsmith.cluster.checkAgainstCluster': true } : {}),
    'certsmith.recursiveNameservers': [world.bind9.address],
    'certsmith.dns01.authoritativePort': world.bind9.port,
    'certsmith.http01.listen': `127.0.0.1:${world.pebble.httpPort}`,
    'certsmith.acme.defaultServer': world.pebble.directoryUrl,
  };
  writeFileSync(SETTINGS, `${JSON.stringify(settings, null, 2)}\n`);
}

async function main(): Promise<void> {
  const missing = codeServerMissingReason();
  if (missing) throw new Error(missing);
  buildVsixIfNeeded();

  let world: AcmeWorld | undefined;
  let kube: KubeApiServer | undefined;
  let cm: CertManager | undefined;
  let cs: CodeServer | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping code-server, cert-manager, Pebble, bind9 and the API server');
    await cs?.stop().catch(() => {});
    await cm?.stop().catch(() => {});
    await world?.stop().catch(() => {});
    await kube?.stop().catch(() => {});
    rmSync(SETTINGS, { force: true });
    try {
      rmSync(dirname(SETTINGS)); // only when empty
    } catch {
      // it holds other settings: keep it
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    say('starting bind9 and Pebble');
    world = await startAcmeWorld();
    say(`bind9 ${world.bind9.address} (zone ${world.zone}), Pebble ${world.pebble.directoryUrl}`);
    writeManifests(world);
    if (kubernetesPeersBuilt()) {
      say('starting kube-apiserver and etcd, with the cert-manager and Gateway API CRDs');
      kube = await startKubeApiServer();
      await installCertManagerCrds(kube.adminKubeconfig);
      say(`kube-apiserver ${kube.server} (kubeconfig ${kube.adminKubeconfig})`);
      if (certManagerControllerBuilt()) {
        say('starting cert-manager (its controller and webhook)');
        // cert-manager's own backoff after a failed issuance (1 h doubling to 32 h), so that "Why not Ready?" says the real next attempt.
        cm = await startCertManager({ kube, installCrds: false, recursiveNameservers: [world.bind9.address], recursiveOnly: true, intervals: { certificateRequestMinimumBackoff: '1h', certificateRequestMaximumBackoff: '32h' } });
        say(`cert-manager ready (controller in ${cm.timings.controllerMs} ms, webhook in ${cm.timings.webhookMs} ms; logs: ${cm.logs.controller})`);
      } else {
        say('cert-manager\'s controller is not built (npm run setup builds it): Certificates applied there stay not Ready');
      }
    } else {
      say('kube-apiserver is not built (npm run setup builds it): the cluster features have no cluster to talk to');
    }
    writeSettings(world, kube);
    const port = (await portFree(PREFERRED_PORT)) ? PREFERRED_PORT : await freePort();
    if (port !== PREFERRED_PORT) say(`port ${PREFERRED_PORT} is taken: using ${port}`);
    say('starting code-server (VS Code) with the extension installed');
    cs = await startCodeServer({ workspace: EXAMPLES, vsix: VSIX, port });
  } catch (e) {
    console.error(`start: ${(e as Error).message}`);
    await stop(1);
    return;
  }
  console.log(`
  Certsmith is running: open ${cs.url}/?folder=${encodeURIComponent(EXAMPLES)}

  In the browser: open local/certificate.yaml and click "Issue" above the
  Certificate (or F1 → "Certsmith: Issue Certificate…"). The other examples
  and examples/mistakes/ show diagnostics, completion, hover and quick fixes.${kube ? `
  A local API server (${kube.server}) is configured${cm ? ',\n  with cert-manager running' : ''}: "Apply", "Diff", "Status" and "Why not
  Ready?" above each resource, F1 → "Certsmith: Dry Run Against Cluster",
  and the Cluster view in the Explorer.${cm ? `

  Open selfsigned-ca.yaml, click "Apply" (or F1 → "Certsmith: Apply to
  Cluster…") and watch the Certificate and the ClusterIssuers become Ready
  in the Cluster view; click the Certificate for its status and its chain.` : ''}
  kubectl --kubeconfig ${kube.adminKubeconfig} shows what landed there.` : ''}

  Press Ctrl-C to stop everything.
`);
}

main().catch((e) => {
  console.error(`start: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
