/** Hover: the field's description, type and allowed values from the schema. */
import type { Position, Range } from '../core/position.js';
import type { SchemaStore } from '../schema/schema-store.js';
import { subschemaAt } from '../schema/navigate.js';
import { typeLabel } from '../schema/json-schema.js';
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
  if (group.endsWith('cert-manager.io')) parts.push(`[${obj.kind} API reference](${API_DOCS}#${group}/${obj.version}.${obj.kind})`);
  const r = at.node.range!;
  return { contents: parts.join('\n\n'), range: file.toFileRange(fd, doc.lines.rangeOf(r[0], r[1])) };
}
