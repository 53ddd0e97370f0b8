/**
 * Server field paths (both notations the API server uses) mapped to YAML
 * positions through the parsed nodes: keys with dots, list items by index,
 * associative-list keys, set values, aliases, flow style, a document that is
 * not the first of its file, and paths that lead to a missing field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readManifestObjects, objectRange, type SourceObject } from '../../engine/cluster/source-objects.js';
import { fieldOffsets, kindOffsets, resolveFieldPath, type FieldEmphasis } from '../../engine/cluster/field-path.js';

const TEXT = [
  'apiVersion: v1', //                                   0
  'kind: ConfigMap', //                                  1
  'metadata:', //                                        2
  '  name: first', //                                    3
  '---', //                                              4
  'apiVersion: gateway.networking.k8s.io/v1', //        5
  'kind: Gateway', //                                    6
  'metadata:', //                                        7
  '  name: gw', //                                       8
  '  labels:', //                                        9
  '    app.kubernetes.io/name: web', //                 10
  '    app: other', //                                  11
  'spec:', //                                           12
  '  gatewayClassName: example', //                     13
  '  listeners:', //                                    14
  '    - name: http', //                                15
  '      protocol: HTTP', //                            16
  '      port: 80', //                                  17
  '    - name: https', //                               18
  '      protocol: HTTPS', //                           19
  '      port: 443', //                                 20
  '      hostname: "*.example.com"', //                 21
  '      tls: {mode: Terminate, certificateRefs: [{name: web-tls}]}', // 22
  '  addresses:', //                                    23
  '    - &addr {type: Hostname, value: a.example.com}', // 24
  '  infrastructure:', //                               25
  '    annotations:', //                                26
  '      example.com/owner: *addr', //                  27
  '',
].join('\n');

function gateway(): SourceObject {
  const { objects, problems } = readManifestObjects([{ display: 'gw.yaml', text: TEXT }]);
  assert.deepEqual(problems, []);
  const gw = objects.find((o) => o.kind === 'Gateway');
  assert.ok(gw);
  return gw;
}

/** "line:col-line:col" (1-based) of where a diagnostic for `field` goes. */
function at(so: SourceObject, field: string, emphasis: FieldEmphasis = 'value'): string {
  const r = objectRange(so, fieldOffsets(so.object, resolveFieldPath(so.object, field), emphasis));
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

test('validation paths (field.Path): dotted fields, indices, map keys in brackets', () => {
  const gw = gateway();
  assert.equal(at(gw, 'spec.gatewayClassName'), '14:21-14:28');
  assert.equal(at(gw, 'spec.listeners[1].port'), '21:13-21:16');
  assert.equal(at(gw, 'spec.listeners[1].hostname'), '22:17-22:32');
  // A collection: its key.
  assert.equal(at(gw, 'spec.listeners'), '15:3-15:12');
  assert.equal(at(gw, 'spec.listeners[1].tls'), '23:7-23:10');
  // A sequence item that is a mapping: its first line.
  assert.equal(at(gw, 'spec.listeners[0]'), '16:7-16:17');
  // Flow style inside.
  assert.equal(at(gw, 'spec.listeners[1].tls.certificateRefs[0].name'), '23:55-23:62');
  // A key with dots and a slash, in brackets.
  assert.equal(at(gw, 'metadata.labels[app.kubernetes.io/name]'), '11:29-11:32');
});

test('merge-diff paths (server-side apply): leading dot, keys with dots after a dot, associative keys, set values', () => {
  const gw = gateway();
  assert.equal(at(gw, '.spec.gatewayClassName', 'key'), '14:3-14:19');
  // The longest key that matches wins: app.kubernetes.io/name, not app.
  assert.equal(at(gw, '.metadata.labels.app.kubernetes.io/name', 'key'), '11:5-11:27');
  assert.equal(at(gw, '.metadata.labels.app', 'key'), '12:5-12:8');
  assert.equal(at(gw, '.spec.listeners[name="https"].port'), '21:13-21:16');
  assert.equal(at(gw, '.spec.listeners[name="http",port=80].protocol'), '17:17-17:21');
  const { objects } = readManifestObjects([{ display: 'c.yaml', text: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: c\nspec:\n  dnsNames:\n    - a.example.com\n    - b.example.com\n' }]);
  assert.equal(at(objects[0], '.spec.dnsNames[="b.example.com"]'), '8:7-8:20');
});

test('aliases are followed to the node they name', () => {
  const gw = gateway();
  // example.com/owner is an alias of the first address: its value's position is the anchored node.
  const t = resolveFieldPath(gw.object, 'spec.infrastructure.annotations[example.com/owner].value');
  assert.equal(t.complete, true);
  assert.equal(at(gw, 'spec.infrastructure.annotations[example.com/owner].value'), '25:37-25:50');
});

test('a missing field goes to the nearest key that exists; the object itself to the kind line', () => {
  const gw = gateway();
  const missing = resolveFieldPath(gw.object, 'spec.listeners[1].tls.options');
  assert.equal(missing.complete, false);
  assert.equal(at(gw, 'spec.listeners[1].tls.options'), '23:7-23:10');
  assert.equal(at(gw, 'spec.nothere.deeper'), '13:1-13:5');
  assert.equal(at(gw, 'spec.listeners[7].port'), '15:3-15:12');
  for (const root of ['', '<nil>']) assert.equal(at(gw, root), '7:1-7:14');
  const kind = objectRange(gw, kindOffsets(gw.object));
  assert.deepEqual(kind, { start: { line: 6, character: 0 }, end: { line: 6, character: 13 } });
});

test('documents without apiVersion, kind or name are problems, not objects', () => {
  const { objects, problems } = readManifestObjects([
    { display: 'x.yaml', text: 'apiVersion: v1\nkind: Secret\nmetadata:\n  generateName: s-\n---\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# only a comment\n---\nfoo: [unclosed\n' },
  ]);
  assert.deepEqual(objects, []);
  assert.deepEqual(
    problems.map((p) => `${p.diagnostic.range.start.line + 1}:${p.diagnostic.code}`),
    ['2:cluster-object-incomplete', '6:cluster-object-incomplete', '12:yaml-syntax'],
  );
  assert.match(problems[0].diagnostic.message, /no metadata\.name.*generateName is not enough/);
  assert.match(problems[1].diagnostic.message, /no apiVersion/);
});
