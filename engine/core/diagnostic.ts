/** What Certsmith reports about a place in a text: the one shape every capability and adapter shares. */
import type { Range } from './position.js';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

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

interface TextEdit {
  range: Range;
  newText: string;
}

interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor may apply on its own ("fix all"). */
  preferred?: boolean;
}
