/**
 * Refreshes schemas/upstream/kubernetes/apis__networking.k8s.io__v1_openapi.json
 * from the API server of the test world (test/world/kube-apiserver.ts, the
 * kube-apiserver built by `npm run setup`), instead of copying a file from the
 * kubernetes/kubernetes repository by hand:
 *
 *   npx tsx test/world/fetch-kubernetes-openapi.ts           # fetch, write, update SOURCE.md
 *   npx tsx test/world/fetch-kubernetes-openapi.ts --check   # fetch, compare, write nothing (exit 1 when different)
 *   npm run schemas                                          # then regenerate schemas/networking.k8s.io
 *
 * It starts etcd and kube-apiserver on loopback, reads GET /version and
 * GET /openapi/v3/apis/networking.k8s.io/v1 with the admin kubeconfig (through
 * engine/cluster's ClusterConnection, as `certsmith apply` connects), writes
 * the document in kubernetes/kubernetes' api/openapi-spec format (keys
 * sorted, 2-space indent, final newline), records the server's version, the
 * size and the sha256 in SOURCE.md, and stops the servers.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterConnection, jsonBody } from '../../engine/cluster/connection.js';
import { loadKubeconfig } from '../../engine/cluster/kubeconfig.js';
import { startKubeApiServer } from './kube-apiserver.js';

const ROOT = join(__dirname, '..', '..');
export const OPENAPI_DIR = join(ROOT, 'schemas', 'upstream', 'kubernetes');
export const OPENAPI_FILE_NAME = 'apis__networking.k8s.io__v1_openapi.json';
export const OPENAPI_PATH = '/openapi/v3/apis/networking.k8s.io/v1';

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

/**
 * The text written to disk for a served document: keys sorted at every level,
 * 2-space indent, final newline. That is the format of kubernetes/kubernetes'
 * own api/openapi-spec/v3 files (hack/update-openapi-spec.sh pipes the server's
 * answer through `jq -S`), so the file can be compared with theirs byte for byte.
 */
export function stableOpenApiText(served: string): string {
  return JSON.stringify(sortKeys(JSON.parse(served)), null, 2) + '\n';
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

interface Fetched {
  version: { gitVersion: string; gitCommit: string; goVersion: string; platform: string };
  text: string;
}

async function fetchFromTestWorld(): Promise<Fetched> {
  const kube = await startKubeApiServer();
  let conn: ClusterConnection | undefined;
  try {
    conn = await ClusterConnection.open(loadKubeconfig({ kubeconfig: kube.adminKubeconfig }), { timeoutMs: 30_000 });
    const get = async (path: string) => {
      const r = await conn!.request('GET', path, { what: `to GET ${path}` });
      if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status}: ${r.text.slice(0, 500)}`);
      return r;
    };
    const version = jsonBody(await get('/version'));
    if (typeof version?.gitVersion !== 'string') throw new Error('GET /version: no gitVersion');
    // The discovery document names the group version's current URL (with its hash); the plain path serves the same document.
    const discovery = jsonBody(await get('/openapi/v3'));
    const listed = discovery?.paths?.['apis/networking.k8s.io/v1']?.serverRelativeURL as string | undefined;
    if (!listed) throw new Error('GET /openapi/v3 does not list apis/networking.k8s.io/v1');
    const r = await get(OPENAPI_PATH);
    const text = stableOpenApiText(r.text);
    const doc = JSON.parse(text);
    if (!doc?.components?.schemas?.['io.k8s.api.networking.v1.Ingress']) throw new Error(`${OPENAPI_PATH} has no io.k8s.api.networking.v1.Ingress schema`);
    return { version, text };
  } finally {
    conn?.close();
    await kube.stop();
  }
}

function sourceNote(f: Fetched, today: string): string {
  const doc = JSON.parse(f.text);
  const schemas = Object.keys(doc.components?.schemas ?? {}).length;
  const paths = Object.keys(doc.paths ?? {}).length;
  const kinds = Object.values(doc.components?.schemas ?? {})
    .map((s: any) => s?.['x-kubernetes-group-version-kind'])
    .filter((g: any) => Array.isArray(g) && g.length === 1 && g[0].group === 'networking.k8s.io' && !String(g[0].kind).endsWith('List'))
    .map((g: any) => g[0].kind as string)
    .sort();
  return [
    `# Source of ${OPENAPI_FILE_NAME}`,
    '',
    `Kubernetes ${f.version.gitVersion} (the document's \`info.version\`: "${doc.info?.version}").`,
    '',
    `- Served by kube-apiserver ${f.version.gitVersion} (${/^[0-9a-f]{40}$/.test(f.version.gitCommit) ? `git commit \`${f.version.gitCommit}\`, ` : ''}${f.version.goVersion}, ${f.version.platform}), as \`GET /version\` reported it: the API server of the cluster tests (test/world/kube-apiserver.ts, built from the Go module \`k8s.io/kubernetes\` by \`npm run setup\`).`,
    `- Fetched on ${today} by \`npx tsx test/world/fetch-kubernetes-openapi.ts\`, which starts that server on loopback, reads \`GET ${OPENAPI_PATH}\` with the admin kubeconfig and stops it. The document is the server's answer with its keys sorted and a 2-space indent, the format of kubernetes/kubernetes' own \`api/openapi-spec/v3/\` files (\`jq -S\`): ${Buffer.byteLength(f.text)} bytes, sha256 \`${sha256(f.text)}\`.`,
    `- It is the OpenAPI 3.0 document of the \`networking.k8s.io/v1\` API group (${kinds.join(', ')}, their List/Spec/Status types and ${paths} REST paths), together with the core/v1 and meta/v1 schemas it references (${schemas} entries in \`components.schemas\`). \`schemas/generate.ts\` reads \`components.schemas\` for the types and \`paths\` for each kind's resource name and scope.`,
    '- License: Apache-2.0 (the Kubernetes API definitions). `LICENSE` beside this file is the kubernetes/kubernetes `LICENSE` file as of commit `4800b9dbcbf871278b276e8bb3e862b98e30a7ba` (the standard Apache License 2.0 text with a Kubernetes Authors copyright line).',
    '- To refresh it after the pinned Kubernetes version changes (test/world/go-peers/build-kubernetes.sh): run the script above, then `npm run schemas`. `--check` fetches and compares without writing.',
    '',
  ].join('\n');
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const started = Date.now();
  const fetched = await fetchFromTestWorld();
  const file = join(OPENAPI_DIR, OPENAPI_FILE_NAME);
  const current = readFileSync(file, 'utf8');
  console.log(`kube-apiserver ${fetched.version.gitVersion}: ${OPENAPI_PATH} → ${Buffer.byteLength(fetched.text)} bytes, sha256 ${sha256(fetched.text)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (check) {
    const same = current === fetched.text;
    console.log(same ? `${file} is what the server serves` : `${file} differs from what the server serves: run without --check, then npm run schemas`);
    return same ? 0 : 1;
  }
  writeFileSync(file, fetched.text);
  writeFileSync(join(OPENAPI_DIR, 'SOURCE.md'), sourceNote(fetched, new Date().toISOString().slice(0, 10)));
  console.log(`wrote ${file} and SOURCE.md${current === fetched.text ? ' (document unchanged)' : ''}; now run npm run schemas`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`fetch-kubernetes-openapi failed: ${(e as Error).stack ?? e}`);
      process.exit(2);
    },
  );
}
