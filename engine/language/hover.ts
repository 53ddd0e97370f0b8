/** Hover: the field's description, type and allowed values from the schema. */
import type { Position, Range } from '../core/position.js';
import { CERT_MANAGER_GROUPS, type SchemaStore } from '../schema/schema-store.js';
import { releaseSchemas } from '../schema/release-schemas.js';
import { subschemaAt } from '../schema/navigate.js';
import { typeLabel, type JsonSchema } from '../schema/json-schema.js';
import { formatPath } from '../schema/field-path.js';
import type { ManifestFile } from '../workspace/manifest-file.js';
import { nodeAt } from './node-at.js';

export interface HoverInfo {
  /** Markdown. */
  contents: string;
  range: Range;
}

const API_DOCS = 'https://cert-manager.io/docs/reference/api-docs/';

export function hover(file: ManifestFile, pos: Position, store: SchemaStore): HoverInfo | undefined {
  const fd = file.documentAtLine(pos.line);
  if (!fd) return undefined;
  const { doc, objects } = fd.checked.parsed();
  const offset = doc.lines.offsetAt({ line: pos.line - fd.segment.line, character: pos.character });
  const at = nodeAt(doc, offset);
  if (!at || at.path.length === 0) return undefined;
  const obj = objects.find((o) => {
    const r = o.node.range;
    return r && r[0] <= offset && offset <= r[1];
  });
  if (!obj?.apiVersion || !obj.kind) return undefined;
  const schema = store.schema(obj.apiVersion, obj.kind);
  if (!schema) return undefined;
  // Inside a List, the path starts with items[i].
  const path = obj.listItemIndex !== undefined ? at.path.slice(2) : at.path;
  const fieldPath = path;
  let sub = subschemaAt(schema, fieldPath);
  // On a value inside a list of scalars, describe the list.
  if (!sub && typeof fieldPath[fieldPath.length - 1] === 'number') sub = subschemaAt(schema, fieldPath.slice(0, -1));
  // A field the targeted release lacks: described from the newest release that has it.
  let missingFrom: string | undefined;
  if (!sub && CERT_MANAGER_GROUPS.has(obj.group) && fieldPath.length > 1) {
    const releases = releaseSchemas();
    const history = releases.field(obj.group, obj.version, obj.kind, fieldPath);
    const newest = history?.releases.at(-1);
    const other = newest ? (releases.schema(newest, obj.group, obj.version, obj.kind) as unknown as JsonSchema | undefined) : undefined;
    sub = other ? subschemaAt(other, fieldPath) : undefined;
    if (sub) missingFrom = `Not in cert-manager ${store.target.release} (${store.target.from}): since ${history!.since}.`;
  }
  if (!sub) return undefined;
  const parts: string[] = [];
  const name = fieldPath.length === 1 && (fieldPath[0] === 'kind' || fieldPath[0] === 'apiVersion')
    ? `${obj.kind} (${obj.apiVersion})`
    : formatPath(fieldPath);
  parts.push(`**${name}** \`${typeLabel(sub)}\``);
  const description = fieldPath.length === 1 && (fieldPath[0] === 'kind' || fieldPath[0] === 'apiVersion') ? schema.description : sub.description;
  if (description) parts.push(description);
  if (sub.enum) parts.push(`Allowed values: ${sub.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (sub.pattern) parts.push(`Pattern: \`${sub.pattern}\``);
  const group = obj.group;
  if (CERT_MANAGER_GROUPS.has(group)) {
    // Which releases have the field, from the CRDs' own history, and the release checked against.
    const history = fieldPath.length > 1 ? releaseSchemas().field(group, obj.version, obj.kind, fieldPath) : undefined;
    const since = history && !history.inOldest ? ` Since cert-manager ${history.since}.` : '';
    parts.push(missingFrom ?? `Checked against cert-manager ${store.target.release} (${store.target.from}).${since}`);
    parts.push(`[${obj.kind} API reference](${API_DOCS}#${group}/${obj.version}.${obj.kind})`);
  }
  const r = at.node.range!;
  return { contents: parts.join('\n\n'), range: file.toFileRange(fd, doc.lines.rangeOf(r[0], r[1])) };
}
