import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

test('lint reports a typo in a field name with a suggestion, 1-based position and rule id', (t) => {
  const dir = tempDir(t);
  const f = join(dir, 'cert.yaml');
  writeFileSync(
    f,
    'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  renewbefore: 360h\n  dnsNames: [example.com]\n  issuerRef:\n    name: le\n',
  );
  const r = runCli(['lint', f], { cwd: dir });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /cert\.yaml:7:3: error: .*renewbefore.*Did you mean "renewBefore"\? \[schema-unknown-field\]/);
});
