/**
 * Partial objects: kustomize patches hold only the fields they change, and
 * kustomize merges them into a base before anything reaches a cluster. A
 * finding that something is missing says nothing about such a file; every
 * finding about what it does contain still holds.
 */
import type { Diagnostic } from '../core/diagnostic.js';

/** Findings that are about a field or object being absent (required fields, "at least one of", a missing name). */
export function aboutAbsence(d: Diagnostic): boolean {
  if (d.code === 'schema-required' || d.code === 'metadata-name-missing') return true;
  if (d.fieldError?.type === 'Required') return true;
  return d.code === 'certificate-identity' && d.message.includes('at least one of');
}
