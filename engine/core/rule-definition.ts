import type { Severity } from './diagnostic.js';

/** A rule is data: a stable id (the diagnostic `code`), a severity, a text and a docs link. */
export interface RuleDefinition<Id extends string = string> {
  id: Id;
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
  family: RuleFamily;
}


type RuleFamily = 'yaml' | 'file' | 'api' | 'metadata' | 'schema' | 'version' | 'webhook' | 'cross' | 'operations' | 'shim';

/** How a rule is looked up by its id (the registry in engine/rules, or a capability's own rules). */
export type RuleLookup<Id extends string = string> = (id: Id) => RuleDefinition;
