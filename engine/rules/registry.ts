/**
 * Every rule Certsmith reports, in one registry shared by the CLI, the
 * language server, docs/rules.md and the tests. Each capability keeps its
 * rules' definitions beside its checks; this is where they are put together,
 * and where the type of a rule id comes from: a misspelt id does not compile.
 */
import type { Reporter } from '../core/reporter.js';
import type { RuleDefinition } from '../core/rule-definition.js';
import { MANIFEST_RULES } from '../manifests/manifest-rules.js';
import { SCHEMA_RULES } from '../schema/schema-rules.js';
import { CHECK_RULES } from './checks/check-rules.js';
import { VERSION_RULES } from './checks/version-rules.js';
import { WEBHOOK_RULES } from './webhook/webhook-rules.js';
import { SHIM_RULES } from './shim/shim-rules.js';
import { CROSS_RULES } from './cross/cross-rules.js';
import { OPERATIONS_RULES } from './operations/operations-rules.js';

export const RULES = [...MANIFEST_RULES, ...CHECK_RULES, ...SCHEMA_RULES, ...VERSION_RULES, ...CROSS_RULES, ...OPERATIONS_RULES, ...WEBHOOK_RULES, ...SHIM_RULES] as const;

/** The id of a registered rule. */
export type RuleId = (typeof RULES)[number]['id'];

const BY_ID = new Map<string, RuleDefinition>(RULES.map((r) => [r.id, r]));

export function ruleById(id: RuleId): RuleDefinition {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`unknown rule id ${id}`);
  return r;
}

/** A reporter of registered rules. */
export type RuleReporter = Reporter<RuleId>;

/** For ids that come from outside the code (a test table, a JSON file). */
export function isRuleId(id: string): id is RuleId {
  return BY_ID.has(id);
}

/** The families whose rules look across files (their findings come from the workspace, not from one document). */
const ACROSS_FILES_FAMILIES: readonly RuleDefinition['family'][] = ['cross', 'operations'];

/** The ids of the rules that look across files. */
export const ACROSS_FILES_RULE_IDS: ReadonlySet<string> = new Set(RULES.filter((r) => ACROSS_FILES_FAMILIES.includes(r.family)).map((r) => r.id));
