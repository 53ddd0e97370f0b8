/**
 * Reading kustomizations: which files are patches and which files kustomize
 * puts into a namespace, through overlays and folders, for file:// URIs (the
 * language server) and plain paths (the CLI).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kustomizeRoles, readKustomization } from '../../engine/workspace/kustomization.js';

test('a kustomization: resources, components, patch files (not inline ones), namespace; anything else is not one', () => {
  const k = readKustomization(`apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
resources: [certificate.yaml, ../base, https://github.com/example/repo//deploy?ref=v1]
components: [../components/tls]
patches:
  - path: issuer-patch.yaml
  - patch: |-
      - op: replace
        path: /spec/acme/server
        value: https://acme-v02.api.letsencrypt.org/directory
    target: {kind: ClusterIssuer}
patchesStrategicMerge:
  - certificate-patch.yaml
  - |-
    apiVersion: cert-manager.io/v1
    kind: Certificate
    metadata: {name: web}
`);
  assert.deepEqual(k, { namespace: 'shop', resources: ['certificate.yaml', '../base', '../components/tls'], patches: ['issuer-patch.yaml', 'certificate-patch.yaml'] });
  assert.equal(readKustomization('- a\n- b\n'), undefined);
  assert.equal(readKustomization('key: [unclosed'), undefined);
});

test('roles through an overlay: patches by path, namespaces given to a base through the overlays that use it', () => {
  for (const root of ['file:///repo', 'repo']) {
    const files = [
      { uri: `${root}/base/kustomization.yaml`, text: 'resources: [issuer.yaml, certificate.yaml]\n' },
      { uri: `${root}/base/issuer.yaml`, text: '' },
      { uri: `${root}/base/certificate.yaml`, text: '' },
      { uri: `${root}/overlays/prod/kustomization.yaml`, text: 'namespace: prod\nresources: [../../base]\npatches: [{path: issuer.yaml}]\n' },
      { uri: `${root}/overlays/prod/issuer.yaml`, text: '' },
      { uri: `${root}/overlays/staging/kustomization.yaml`, text: 'namespace: staging\nresources: [../../base, extra.yaml]\n' },
      { uri: `${root}/plain/certificate.yaml`, text: '' },
    ];
    const roles = kustomizeRoles(files);
    assert.deepEqual([...roles.patches], [[`${root}/overlays/prod/issuer.yaml`, `${root}/overlays/prod/kustomization.yaml`]]);
    assert.deepEqual(Object.fromEntries(roles.namespaces), {
      [`${root}/base/issuer.yaml`]: ['prod', 'staging'],
      [`${root}/base/certificate.yaml`]: ['prod', 'staging'],
      [`${root}/overlays/prod/issuer.yaml`]: ['prod'],
      [`${root}/overlays/staging/extra.yaml`]: ['staging'],
    });
  }
});

test('kustomizations that include each other end', () => {
  const roles = kustomizeRoles([
    { uri: 'a/kustomization.yaml', text: 'namespace: x\nresources: [../b]\n' },
    { uri: 'b/kustomization.yaml', text: 'resources: [../a, cert.yaml]\n' },
  ]);
  assert.deepEqual(Object.fromEntries(roles.namespaces), { 'b/cert.yaml': ['x'] });
});
