/**
 * GitOps manifests carry placeholders that are substituted before apply
 * (Flux post-build variables, envsubst, kustomize vars): their content is not
 * judged, the rest of the document still is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

function codes(t: { after(fn: () => void): void }, text: string): string[] {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'm.yaml'), text);
  const r = runCli(['lint', '--format', 'json', 'm.yaml'], { cwd: dir });
  const json = JSON.parse(r.stdout) as { files: { diagnostics: { range: { start: { line: number } }; code: string }[] }[] };
  return json.files[0].diagnostics.map((d) => `${d.range.start.line + 1} ${d.code}`);
}

test('${VAR} placeholders in names, hosts, durations and issuer names are not judged; a real mistake next to them still is', (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: \${APP}-tls
  namespace: \${NAMESPACE:=default}
spec:
  secretName: \${APP}-tls
  duration: \${CERT_DURATION}
  dnsNames:
    - "\${SECRET_DOMAIN}"
    - "*.\${SECRET_DOMAIN}"
  issuerRef:
    name: \${CLUSTER_ISSUER}
    kind: ClusterIssuer
  privateKey:
    algorithm: EC
`;
  assert.deepEqual(codes(t, text), ['16 schema-enum']);
});

test('kustomize $(VAR) references are placeholders too; a name that is plainly wrong is still an error', (t) => {
  assert.deepEqual(codes(t, 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: $(PREFIX)-ca\nspec:\n  selfSigned: {}\n'), []);
  assert.deepEqual(codes(t, 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: My_CA\nspec:\n  selfSigned: {}\n'), ['4 metadata-name-invalid']);
});
