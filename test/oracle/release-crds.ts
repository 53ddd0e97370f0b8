/**
 * The CRDs the API server oracle serves for a cert-manager release: that
 * release's own `deploy/crds/*.yaml` from the Go module cache (the module zip
 * `npm run setup` and build-cert-manager-oracle.sh download; each file checked
 * against the sha256 schemas/releases recorded, so the API server and
 * Certsmith's schemas are the same release), or for "next" the project's copies
 * (schemas/upstream/cert-manager). The Gateway API CRDs are the project's.
 *
 * Helm template lines (v1.15 to v1.18 ship the CRDs as chart templates) are
 * removed as schemas/generate-releases.ts removes them; labels and annotations
 * whose values are still template text are dropped (the API server would refuse
 * them as label values, and they say nothing about validation).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ReleaseInfo } from '../../engine/schema/release-schemas.js';
import { readCrds, stripHelm } from '../../schemas/generate-releases.js';
import { crdFiles, kubectlOk, type KubeApiServer } from '../world/kube-apiserver.js';

const ROOT = join(__dirname, '..', '..');
const MODULE = 'github.com/cert-manager/cert-manager';
const CERT_MANAGER_GROUPS = ['cert-manager.io', 'acme.cert-manager.io'];

type Json = Record<string, unknown>;

function goModCache(): string {
  if (process.env.GOMODCACHE) return process.env.GOMODCACHE;
  const r = spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/local/go/bin` } });
  const out = r.status === 0 ? r.stdout.trim() : '';
  return out || join(process.env.GOPATH || join(homedir(), 'go'), 'pkg', 'mod');
}

function withoutTemplateText(meta: Json, key: 'labels' | 'annotations'): void {
  const m = meta[key];
  if (!m || typeof m !== 'object') return;
  for (const [k, v] of Object.entries(m as Json)) if (typeof v === 'string' && v.includes('{{')) delete (m as Json)[k];
}

/** The release's cert-manager CRDs as objects, or why they cannot be had. */
export function releaseCrds(release: ReleaseInfo): { crds: Json[] } | { missing: string } {
  let dir: string;
  if (release.id === 'next') dir = join(ROOT, 'schemas', 'upstream', 'cert-manager');
  else {
    dir = join(goModCache(), `${MODULE}@${release.version}`, 'deploy', 'crds');
    if (!existsSync(dir)) {
      return { missing: `the CRDs of cert-manager ${release.version} are not in the Go module cache (${dir}): run \`bash test/world/go-peers/build-cert-manager-oracle.sh ${release.version}\`, which downloads that module` };
    }
  }
  const crds: Json[] = [];
  for (const f of readCrds(dir)) {
    if (release.crdFiles[f.name] !== f.sha256) {
      return { missing: `${join(dir, f.name)} is not the file schemas/releases recorded for cert-manager ${release.id} (sha256 ${f.sha256}, recorded ${release.crdFiles[f.name] ?? 'none'})` };
    }
    for (const doc of parseAllDocuments(stripHelm(f.text))) {
      const crd = doc.toJS() as Json | null;
      if (!crd) continue;
      const meta = (crd.metadata ?? {}) as Json;
      withoutTemplateText(meta, 'labels');
      withoutTemplateText(meta, 'annotations');
      crds.push(crd);
    }
  }
  if (JSON.stringify(crds).includes('{{')) return { missing: `template text is left in the CRDs of cert-manager ${release.id} after removing Helm's lines` };
  return { crds };
}

/**
 * Serves a release's cert-manager CRDs (and the Gateway API CRDs) on the API
 * server, replacing another release's. Another release's CRDs are updated in
 * place, then the API server is restarted: it picks up an updated CRD
 * asynchronously (its CRD informer), so a request right after the update could
 * still meet the old schema; a restart reads them from etcd afresh. (Deleting
 * and creating them instead sometimes left a CRD terminating for minutes.)
 * Waits until each is Established.
 */
export async function serveReleaseCrds(kube: KubeApiServer, crds: Json[], timeoutMs = 120_000): Promise<void> {
  const kubeconfig = kube.adminKubeconfig;
  const existing = await kubectlOk(['get', 'crd', '-o', 'jsonpath={range .items[*]}{.spec.group}{"\\n"}{end}'], kubeconfig);
  const replacing = existing.split('\n').some((group) => CERT_MANAGER_GROUPS.includes(group.trim()));
  const gateway = crdFiles().filter((f) => f.includes(join('schemas', 'upstream', 'gateway-api')));
  const list = { apiVersion: 'v1', kind: 'List', items: crds };
  const applied = await kubectlOk(['apply', '--server-side', '--force-conflicts', '--field-manager=certsmith-test', '-f', '-', ...gateway.flatMap((f) => ['-f', f]), '-o', 'name'], kubeconfig, {
    input: JSON.stringify(list),
    timeoutMs,
  });
  const names = applied.split('\n').map((l) => l.trim()).filter(Boolean);
  if (names.length !== crds.length + gateway.length) throw new Error(`kubectl apply created ${names.length} of ${crds.length + gateway.length} CRDs:\n${applied}`);
  if (replacing) {
    await kube.stopApiServer();
    await kube.startApiServer();
  }
  await kubectlOk(['wait', '--for=condition=Established', `--timeout=${Math.round(timeoutMs / 1000)}s`, ...names], kubeconfig, { timeoutMs: timeoutMs + 10_000 });
}
