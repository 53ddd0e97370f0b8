/**
 * Completion of keys and values from the schemas, with the CRD descriptions
 * as documentation.
 */
import type { Position, Range } from '../core/position.js';
import type { SchemaStore } from '../schema/schema-store.js';
import { propertiesOf, subschemaAt } from '../schema/navigate.js';
import { typeLabel, typesOf, type JsonSchema } from '../schema/json-schema.js';
import type { PathSegment } from '../schema/field-path.js';
import type { ManifestFile } from '../workspace/manifest-file.js';
import { lineShape, parentPath, siblingKeys } from './indent-context.js';
import { SNIPPETS } from './snippets.js';
import { SHIM_ANNOTATIONS } from '../rules/shim/annotations.js';
import type { Workspace } from '../workspace/workspace.js';

export interface CompletionEntry {
  label: string;
  kind: 'property' | 'value' | 'enum' | 'kind' | 'snippet' | 'reference';
  /** insertText uses LSP snippet syntax (${1:placeholder}). */
  snippet?: boolean;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  /** The text the completion replaces (file positions). */
  range: Range;
  sortText?: string;
}

const MAX_DOC = 4000;

/** Annotation values cert-manager's certificate-shim accepts, for keys with a fixed set. */
const ANNOTATION_VALUES: Record<string, string[]> = {
  'cert-manager.io/private-key-algorithm': ['RSA', 'ECDSA', 'Ed25519'],
  'cert-manager.io/private-key-encoding': ['PKCS1', 'PKCS8'],
  'cert-manager.io/private-key-rotation-policy': ['Never', 'Always'],
  'cert-manager.io/issuer-kind': ['Issuer', 'ClusterIssuer'],
  'acme.cert-manager.io/http01-edit-in-place': ['true', 'false'],
};

/** Names of the issuers in the workspace that a reference from `namespace` can use. */
function issuerNames(ws: Workspace | undefined, kind: 'Issuer' | 'ClusterIssuer' | undefined, namespace: string | undefined, range: Range): CompletionEntry[] {
  if (!ws) return [];
  const out = new Map<string, CompletionEntry>();
  for (const e of ws.entries()) {
    const o = e.object;
    if (o.group !== 'cert-manager.io' || !o.name || (o.kind !== 'Issuer' && o.kind !== 'ClusterIssuer')) continue;
    if (kind && o.kind !== kind) continue;
    if (o.kind === 'Issuer' && namespace && o.namespace && o.namespace !== namespace) continue;
    const key = `${o.kind}/${o.name}`;
    if (!out.has(key)) {
      const type = o.facts?.type === 'Issuer' ? o.facts.issuerType : undefined;
      out.set(key, {
        label: o.name,
        kind: 'reference',
        detail: `${o.kind}${o.kind === 'Issuer' && o.namespace ? ` (namespace ${o.namespace})` : ''}${type ? `, ${type}` : ''}`,
        insertText: o.name,
        range,
      });
    }
  }
  return [...out.values()];
}

function documentNamespace(lines: readonly string[]): string | undefined {
  for (let i = 0; i < lines.length; i++) {
    if (/^metadata\s*:/.test(lines[i])) {
      for (let j = i + 1; j < lines.length && /^\s+/.test(lines[j]); j++) {
        const m = /^\s{2}namespace\s*:\s*["']?([^"'\s#]+)/.exec(lines[j]);
        if (m) return m[1];
      }
    }
  }
  return undefined;
}

export function complete(file: ManifestFile, pos: Position, store: SchemaStore, ws?: Workspace): CompletionEntry[] {
  const fileDoc = file.documentAtLine(pos.line);
  if (!fileDoc) return [];
  const seg = fileDoc.segment;
  const lines = fileDoc.checked.lines;
  const relLine = pos.line - seg.line;
  const lineText = lines.lineText(relLine);
  const before = lineText.slice(0, pos.character);
  const allLines = allLineTexts(lines);

  // Which kind of object is this? Read apiVersion/kind from the document's top-level lines.
  const { apiVersion, kind } = topLevelIdentity(allLines);
  const schema = apiVersion && kind ? store.schema(apiVersion, kind) : undefined;

  // Value position: "key: partial" or "- partial".
  const valueMatch = /^(\s*(?:-\s+)*)([^\s#'"{[][^:#]*?|"[^"]*"|'[^']*')\s*:\s+(\S*)$/.exec(before);
  const itemMatch = /^(\s*(?:-\s+)*)-\s+([^:\s]*)$/.exec(before);
  if (valueMatch) {
    const shape = lineShape(before);
    const key = shape.key ?? '';
    const partial = valueMatch[3];
    const range = wordRange(pos, partial.length);
    const basePath = parentPath(allLines, relLine, shape.col, shape.dashes);
    if (basePath.length === 0 && key === 'apiVersion') return apiVersionValues(store, range, kind);
    if (basePath.length === 0 && key === 'kind') return kindValues(store, range, apiVersion);
    const ns = documentNamespace(allLines);
    if (basePath.join('.') === 'spec.issuerRef' && (kind === 'Certificate' || kind === 'CertificateRequest')) {
      if (key === 'kind') {
        return ['Issuer', 'ClusterIssuer'].map((k) => ({ label: k, kind: 'enum' as const, detail: 'cert-manager.io issuer kind', insertText: k, range }));
      }
      if (key === 'name') {
        const kindLine = allLines.find((l) => /^\s+kind\s*:\s*(Cluster)?Issuer\b/.test(l));
        const refKind = kindLine ? (/ClusterIssuer/.test(kindLine) ? 'ClusterIssuer' : 'Issuer') : undefined;
        return issuerNames(ws, refKind, ns, range);
      }
    }
    if (basePath.join('.') === 'metadata.annotations' && (kind === 'Ingress' || kind === 'Gateway')) {
      if (key === 'cert-manager.io/cluster-issuer') return issuerNames(ws, 'ClusterIssuer', ns, range);
      if (key === 'cert-manager.io/issuer') return issuerNames(ws, 'Issuer', ns, range);
      const values = ANNOTATION_VALUES[key];
      if (values) return values.map((v) => ({ label: v, kind: 'enum' as const, detail: key, insertText: /^(true|false)$/.test(v) ? `"${v}"` : v, range }));
    }
    if (!schema) return [];
    const sub = subschemaAt(schema, [...basePath, key]);
    return sub ? valueEntries(sub, range) : [];
  }
  if (itemMatch && !before.trimEnd().endsWith(':')) {
    const shape = lineShape(before);
    const partial = itemMatch[2];
    const range = wordRange(pos, partial.length);
    if (!schema) return [];
    const dashes = shape.dashes;
    const lastDash = dashes[dashes.length - 1];
    const path = [...parentPath(allLines, relLine, lastDash, dashes.slice(0, -1)), 0];
    const arr = subschemaAt(schema, path.slice(0, -1));
    const items = arr?.items;
    if (!items) return [];
    const values = valueEntries(items, range);
    if (values.length) return values;
    // A list of objects: offer the item's keys.
    return keyEntries(items, path, new Set(), range, lastDash + 2);
  }

  // Key position: indentation, optional "- ", an optional partial key.
  const keyMatch = /^(\s*(?:-\s+)*)([\w.\/-]*)$/.exec(before);
  if (!keyMatch) return [];
  const shape = lineShape(before);
  const partial = keyMatch[2];
  const col = shape.col;
  const range = wordRange(pos, partial.length);
  const path = parentPath(allLines, relLine, col, shape.dashes);
  if (path.length === 0 && col === 0 && !schema) {
    // An empty document: whole manifests, or the first keys.
    const snippets: CompletionEntry[] = !apiVersion && !kind
      ? SNIPPETS.map((sn, i) => ({ label: sn.label, kind: 'snippet' as const, snippet: true, detail: 'cert-manager snippet', documentation: sn.description, insertText: sn.body, range, sortText: `9${String(i).padStart(2, '0')}` }))
      : [];
    return [...rootIdentityKeys(range, apiVersion, kind), ...snippets];
  }
  if (!schema) return [];
  const parent = subschemaAt(schema, path);
  if (!parent) return [];
  const present = siblingKeys(allLines, relLine, col);
  if (path.join('.') === 'metadata.annotations' && (kind === 'Ingress' || kind === 'Gateway')) {
    // The annotations cert-manager's certificate-shim reads on this kind.
    return SHIM_ANNOTATIONS.filter((a) => a.readOn.includes(kind) && !present.has(a.key)).map((a) => ({
      label: a.key,
      kind: 'property' as const,
      detail: `cert-manager annotation (${a.readOn.join(', ')})`,
      insertText: `${a.key}: `,
      range,
      sortText: a.key === 'cert-manager.io/cluster-issuer' || a.key === 'cert-manager.io/issuer' ? `0${a.key}` : `1${a.key}`,
    }));
  }
  return keyEntries(parent, path, present, range, col);
}

function allLineTexts(lines: { lineCount: number; lineText(i: number): string }): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.lineCount; i++) out.push(lines.lineText(i));
  return out;
}

function topLevelIdentity(lines: readonly string[]): { apiVersion?: string; kind?: string } {
  let apiVersion: string | undefined;
  let kind: string | undefined;
  for (const l of lines) {
    const m = /^(apiVersion|kind)\s*:\s*["']?([^"'\s#]+)/.exec(l);
    if (!m) continue;
    if (m[1] === 'apiVersion') apiVersion ??= m[2];
    else kind ??= m[2];
  }
  return { apiVersion, kind };
}

function wordRange(pos: Position, length: number): Range {
  return { start: { line: pos.line, character: pos.character - length }, end: pos };
}

function firstSentence(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const t = s.length > MAX_DOC ? s.slice(0, MAX_DOC) + '…' : s;
  return t;
}

function keyEntries(parent: JsonSchema, path: PathSegment[], present: Set<string>, range: Range, col: number): CompletionEntry[] {
  const props = propertiesOf(parent);
  const required = new Set(parent.required ?? []);
  const isRoot = path.length === 0;
  const out: CompletionEntry[] = [];
  for (const [name, sub] of Object.entries(props)) {
    if (present.has(name)) continue;
    if (isRoot && name === 'status') continue; // written by the controller, never by hand
    const types = typesOf(sub);
    const indent = ' '.repeat(col + 2);
    let insertText = `${name}: `;
    if (types.includes('object') && !types.includes('string')) insertText = `${name}:\n${indent}`;
    else if (types.includes('array')) {
      const itemTypes = sub.items ? typesOf(sub.items) : [];
      insertText = itemTypes.includes('object') ? `${name}:\n${indent}- ` : `${name}:\n${indent}- `;
    }
    out.push({
      label: name,
      kind: 'property',
      detail: `${typeLabel(sub)}${required.has(name) ? ' (required)' : ''}`,
      documentation: firstSentence(sub.description),
      insertText,
      range,
      sortText: `${required.has(name) ? '0' : '1'}${name}`,
    });
  }
  return out;
}

function valueEntries(sub: JsonSchema, range: Range): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  if (sub.enum) {
    for (const v of sub.enum) {
      if (v === null) continue;
      out.push({
        label: String(v),
        kind: 'enum',
        detail: typeLabel(sub),
        documentation: firstSentence(sub.description),
        insertText: String(v),
        range,
      });
    }
    return out;
  }
  if (typesOf(sub).includes('boolean')) {
    for (const v of ['true', 'false']) out.push({ label: v, kind: 'value', detail: 'boolean', documentation: firstSentence(sub.description), insertText: v, range });
  }
  return out;
}

function apiVersionValues(store: SchemaStore, range: Range, kind: string | undefined): CompletionEntry[] {
  const seen = new Set<string>();
  const out: CompletionEntry[] = [];
  for (const e of store.entries) {
    if (kind && e.kind !== kind) continue;
    if (seen.has(e.apiVersion)) continue;
    seen.add(e.apiVersion);
    out.push({ label: e.apiVersion, kind: 'value', detail: store.kindsOf(e.apiVersion).map((k) => k.kind).join(', '), insertText: e.apiVersion, range });
  }
  return out;
}

function kindValues(store: SchemaStore, range: Range, apiVersion: string | undefined): CompletionEntry[] {
  const entries = apiVersion && store.kindsOf(apiVersion).length ? store.kindsOf(apiVersion) : store.entries.filter((e) => e.storage);
  const seen = new Set<string>();
  const out: CompletionEntry[] = [];
  for (const e of entries) {
    if (seen.has(e.kind)) continue;
    seen.add(e.kind);
    const schema = store.schema(e.apiVersion, e.kind);
    out.push({ label: e.kind, kind: 'kind', detail: e.apiVersion, documentation: firstSentence(schema?.description), insertText: e.kind, range });
  }
  return out;
}

function rootIdentityKeys(range: Range, apiVersion?: string, kind?: string): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  if (!apiVersion) out.push({ label: 'apiVersion', kind: 'property', detail: 'string (required)', insertText: 'apiVersion: ', range, sortText: '0a' });
  if (!kind) out.push({ label: 'kind', kind: 'property', detail: 'string (required)', insertText: 'kind: ', range, sortText: '0b' });
  return out;
}
