/**
 * A cert-manager webhook error: cert-manager's field path (as its
 * field.ErrorList reports it), the error type, its detail text, and where in
 * the YAML it belongs.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { keyString } from '../../manifests/parsed-document.js';
import type { KubeObject } from '../../manifests/kube-object.js';
import type { PathSegment } from '../../schema/field-path.js';
import { formatPath } from '../../schema/field-path.js';
import type { RuleId } from '../registry.js';

export type FieldErrorType = 'Required' | 'Invalid' | 'Forbidden' | 'NotSupported' | 'TooLong' | 'Duplicate' | 'TooMany';

export interface FieldError {
  rule: RuleId;
  /** cert-manager's field path, e.g. spec.acme.solvers[0].http01.gateway.serviceType. */
  path: string;
  type: FieldErrorType;
  detail: string;
  /** Where it is in the manifest (JSON field names). */
  at: PathSegment[];
  /** Webhook warnings are not rejections. */
  warning?: boolean;
  /** A quick fix: replace the located value with this text. */
  replaceWith?: { title: string; text: string };
}

/**
 * "v1.14" < … < "v1.21" < "next": whether the targeted release has a check
 * that cert-manager added in `since` (a release id or "next").
 */
function releaseAtLeast(target: string, since: string): boolean {
  return rank(target) >= rank(since);
}

/** Each release id's rank, worked out once: the checks ask for it for every object (a tenth of a monorepo's indexing). */
const ranks = new Map<string, number>();

function rank(id: string): number {
  let r = ranks.get(id);
  if (r === undefined) {
    r = id === 'next' ? Number.MAX_SAFE_INTEGER : (([maj, min]) => maj! * 1000 + min!)(id.slice(1).split('.').map(Number));
    ranks.set(id, r);
  }
  return r;
}

/** Collects field errors for one object; `at` defaults to the path segments. */
export class FieldErrors {
  readonly list: FieldError[] = [];

  /** The cert-manager release whose webhook is reproduced ("v1.21", "next"): checks that came later are skipped. */
  constructor(readonly release = 'next') {}

  /** The targeted release's webhook has this check (added in `since`). */
  since(release: string): boolean {
    return releaseAtLeast(this.release, release);
  }

  add(rule: RuleId, type: FieldErrorType, at: PathSegment[], detail: string, path?: string): void {
    this.list.push({ rule, type, at, detail, path: path ?? cmPath(at) });
  }

  warn(rule: RuleId, at: PathSegment[], detail: string): void {
    this.list.push({ rule, type: 'Invalid', at, detail, path: cmPath(at), warning: true });
  }
}

/** cert-manager's path format: children joined with ".", indexes and map keys in brackets. */
function cmPath(at: readonly PathSegment[]): string {
  return formatPath(at);
}

/**
 * The node to report a field error on: the value when it is a scalar, else the
 * key that holds it; for a field that is absent, the key of its closest parent.
 */
export function locate(obj: KubeObject, at: readonly PathSegment[]): Node {
  const doc = obj.document;
  let cur: Node = obj.node;
  let lastKey: Node | undefined;
  for (const seg of at) {
    const resolved = doc.resolve(cur);
    let next: Node | undefined;
    if (typeof seg === 'number') {
      if (isSeq(resolved)) next = (resolved.items[seg] as Node | undefined) ?? undefined;
      if (next) lastKey = undefined;
    } else if (isMap(resolved)) {
      const pair = resolved.items.find((p) => keyString(doc.resolve(p.key)) === seg);
      if (pair) {
        lastKey = (doc.resolve(pair.key) as Node | undefined) ?? lastKey;
        next = (pair.value as Node | null) ?? undefined;
        if (!next) return lastKey ?? cur;
      }
    }
    if (!next) return lastKey ?? cur;
    cur = next;
  }
  const target = doc.resolve(cur) ?? cur;
  if (isScalar(target)) return target;
  return lastKey ?? target;
}
