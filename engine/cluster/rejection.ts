/**
 * An API server's refusal of one object, as diagnostics at the YAML position
 * of each field it names (through the parsed nodes: see field-path.ts), with
 * the server's own message. Whole-object refusals (RBAC, a missing namespace,
 * a kind the cluster does not serve, anything without a field) go on the
 * object's `kind` line. Messages about Secrets are cleaned of secret values.
 */
import type { Diagnostic } from '../core/diagnostic.js';
import { CLUSTER_CODES, clusterDiagnostic, type ClusterCode } from './cluster-codes.js';
import { conflictManager, parseForbidden, parseTypedPatchErrors, tidyTypedPatchMessage, unknownFields, type ApiStatus, type ForbiddenDetails } from './api-status.js';
import { fieldOffsets, kindOffsets, resolveFieldPath, type FieldEmphasis } from './field-path.js';
import { isSecret, redactMessage } from './secret-redaction.js';
import { objectRange, type SourceObject } from './source-objects.js';

export type NamespaceOrigin = 'document' | 'flag' | 'setting' | 'context' | 'default';

export interface RejectionContext {
  context: string;
  namespace?: string;
  namespaceOrigin?: NamespaceOrigin;
}

export interface FieldConflict {
  manager: string;
  /** As the server names it (merge-diff path: .spec.secretName). */
  field: string;
}

export interface Rejection {
  /** What kind of refusal: for exit codes, JSON and tests. */
  kind: 'invalid' | 'conflict' | 'forbidden' | 'namespace-missing' | 'not-served' | 'other';
  httpStatus: number;
  reason?: string;
  /** The server's message (Secret values removed). */
  message: string;
  diagnostics: Diagnostic[];
  conflicts?: FieldConflict[];
  forbidden?: ForbiddenDetails;
}

/** Reads the field path and puts a diagnostic there (on the kind line when the path names no field of this YAML). */
export function fieldDiagnostic(so: SourceObject, code: ClusterCode, field: string, message: string, emphasis: FieldEmphasis): Diagnostic {
  let target = resolveFieldPath(so.object, field);
  if (!target.complete && isSecret(so.apiVersion, so.kind)) {
    // The server merges a Secret's stringData into data before validating: data[key] may have been written as stringData.key.
    const m = /^\.?data(\[.*)$/.exec(field) ?? /^\.?data\.(.*)$/.exec(field);
    if (m) {
      const alt = resolveFieldPath(so.object, m[1].startsWith('[') ? `stringData${m[1]}` : `stringData.${m[1]}`);
      if (alt.complete) target = alt;
    }
  }
  const display = field.replace(/^\./, '');
  return clusterDiagnostic(code, objectRange(so, fieldOffsets(so.object, target, emphasis)), message, display || undefined);
}

export function kindDiagnostic(so: SourceObject, code: ClusterCode, message: string): Diagnostic {
  return clusterDiagnostic(code, objectRange(so, kindOffsets(so.object)), message);
}

const ORIGIN: Record<NamespaceOrigin, string> = {
  document: 'its metadata.namespace',
  flag: '--namespace',
  setting: 'the namespace chosen in the editor',
  context: "the context's default namespace",
  default: 'the default namespace, as neither the object nor the context names one',
};

/** Diagnostics for a failed write of one object (status ≥ 400, except 401, which stops everything). */
export function rejectionOf(httpStatus: number, status: ApiStatus | undefined, rawText: string, so: SourceObject, ctx: RejectionContext): Rejection {
  const obj = so.object;
  const safe = (m: string, field?: string) => redactMessage(m, obj, field);
  const message = safe(status?.message ?? (rawText.trim().slice(0, 500) || `HTTP ${httpStatus}`));
  const reason = status?.reason;
  const causes = status?.details?.causes ?? [];
  const base = { httpStatus, reason, message };

  if (httpStatus === 409 && causes.some((c) => c.reason === 'FieldManagerConflict')) {
    const conflicts: FieldConflict[] = causes.filter((c) => c.reason === 'FieldManagerConflict').map((c) => ({ manager: conflictManager(c.message), field: c.field ?? '' }));
    const diagnostics = conflicts.map((c) =>
      fieldDiagnostic(
        so,
        CLUSTER_CODES.conflict,
        c.field,
        `${c.field.replace(/^\./, '') || 'A field'} is owned by field manager "${c.manager}" (server-side apply conflict). Apply with --force-conflicts to take it over, or remove the field here to leave it to "${c.manager}".`,
        'key',
      ),
    );
    return { ...base, kind: 'conflict', diagnostics, conflicts };
  }

  if (httpStatus === 403) {
    const forbidden = parseForbidden(status?.message);
    if (forbidden) {
      return { ...base, kind: 'forbidden', forbidden, diagnostics: [kindDiagnostic(so, CLUSTER_CODES.forbidden, `${message} (context "${ctx.context}")`)] };
    }
    // An admission plugin (quota, a policy) answering 403: a rejection with the server's words.
    return { ...base, kind: 'other', diagnostics: [kindDiagnostic(so, CLUSTER_CODES.rejected, message)] };
  }

  if (httpStatus === 404 && status?.details?.kind === 'namespaces') {
    const ns = status.details.name ?? ctx.namespace ?? '';
    const origin = ctx.namespaceOrigin ? ` (${ORIGIN[ctx.namespaceOrigin]})` : '';
    return {
      ...base,
      kind: 'namespace-missing',
      diagnostics: [kindDiagnostic(so, CLUSTER_CODES.namespaceMissing, `Namespace "${ns}"${origin} does not exist in context "${ctx.context}". Create it, or apply a Namespace object with the manifests.`)],
    };
  }

  if (httpStatus === 404) {
    return { ...base, kind: 'not-served', diagnostics: [kindDiagnostic(so, CLUSTER_CODES.kindNotServed, `The API server of context "${ctx.context}" has no ${so.apiVersion} ${so.kind} here: ${message}`)] };
  }

  const typed = parseTypedPatchErrors(status?.message);
  if (typed) {
    const diagnostics = typed.map((e) => {
      const unknown = /field not declared in schema/.test(e.message);
      const text = unknown
        ? `${e.path.replace(/^\./, '')}: field not declared in schema: the API server does not know this field (strict field validation)`
        : `${e.path.replace(/^\./, '')}: ${tidyTypedPatchMessage(e.message)}`;
      return fieldDiagnostic(so, CLUSTER_CODES.rejected, e.path, safe(text, e.path), unknown ? 'key' : 'value');
    });
    return { ...base, kind: 'invalid', diagnostics };
  }

  if (causes.some((c) => c.field)) {
    const diagnostics = causes.map((c) => {
      const field = c.field ?? '';
      const unknown = c.reason === 'FieldValueNotFound' || /unknown field/.test(c.message ?? '');
      const required = c.reason === 'FieldValueRequired';
      const text = field ? `${field}: ${c.message ?? c.reason ?? 'invalid'}` : (c.message ?? message);
      return fieldDiagnostic(so, CLUSTER_CODES.rejected, field, safe(text, field), unknown || required ? 'key' : 'value');
    });
    return { ...base, kind: 'invalid', diagnostics };
  }

  const unknown = unknownFields(status?.message);
  if (httpStatus === 400 && unknown.length) {
    const diagnostics = unknown.map((f) => fieldDiagnostic(so, CLUSTER_CODES.rejected, f, safe(`${f}: unknown field: the API server does not know this field (strict field validation)`, f), 'key'));
    return { ...base, kind: 'invalid', diagnostics };
  }

  return { ...base, kind: httpStatus === 422 ? 'invalid' : 'other', diagnostics: [kindDiagnostic(so, CLUSTER_CODES.rejected, message)] };
}
