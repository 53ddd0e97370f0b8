/**
 * ACME problem documents inside cert-manager's messages. cert-manager records
 * a CA's refusal as `<HTTP status> <problem type>: <detail>` (its acme
 * client's Error.Error()), wrapped in its own words: "Failed to create Order:
 * 400 urn:ietf:params:acme:error:malformed: Order included ...". The problem
 * is taken out unchanged, so that it can be shown verbatim.
 */
import type { AcmeProblem } from './explanation.js';

const PROBLEM = /(?:(\d{3}) )?(urn:(?:ietf:params:)?acme:error:[A-Za-z0-9]+):\s*([\s\S]*)$/;

export function acmeProblemIn(message: string | undefined): AcmeProblem | undefined {
  if (!message) return undefined;
  const m = PROBLEM.exec(message);
  if (!m) return undefined;
  const verbatim = m[0].trim();
  return { ...(m[1] ? { status: Number(m[1]) } : {}), type: m[2]!, detail: m[3]!.trim(), verbatim };
}

/** "malformed" from urn:ietf:params:acme:error:malformed */
export function problemName(type: string): string {
  return type.slice(type.lastIndexOf(':') + 1);
}
