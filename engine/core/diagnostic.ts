import type { Range } from '../manifests/position.js';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A rule is data: a stable id (the diagnostic `code`), a severity, a text and a docs link. */
export interface RuleDefinition {
  id: string;
  severity: Severity;
  /** One line: what the rule catches. */
  title: string;
  /** What it means for the user and what to do about it. */
  description: string;
  /** Where to read more (cert-manager or Kubernetes documentation). */
  docs: string;
  /** A minimal document that triggers the rule. */
  example: string;
  /** The family the rule belongs to, for docs/rules.md. */
  family: 'yaml' | 'file' | 'api' | 'metadata' | 'schema' | 'webhook' | 'cross' | 'shim';
}

export interface Diagnostic {
  range: Range;
  severity: Severity;
  /** The rule id. */
  code: string;
  message: string;
  /** The rule's documentation link. */
  href: string;
  /** Who reports it, when not Certsmith's local checks ("certsmith-cluster": an API server's answer). */
  source?: string;
  /** The field path the diagnostic is about (`spec.privateKey.algorithm`), when there is one. */
  path?: string;
  /** For rules that reproduce cert-manager's webhook: its field error type (Required, Invalid, ...) and detail text. */
  fieldError?: { type: string; detail: string };
  /** Quick fixes: text edits in the same coordinates as `range`. */
  fixes?: Fix[];
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor may apply on its own ("fix all"). */
  preferred?: boolean;
}
