/**
 * Every check across files, in one pass over the workspace's objects: the
 * references between objects (cross/) and what will happen when they run
 * (operations/). Findings about a ${VAR} placeholder are dropped: they are
 * not about the real value (see placeholders.ts).
 */
import { checkWorkspace, type CrossFinding, type WorkspaceObject } from './cross/check-workspace.js';
import { checkOperations, type OperationsFinding, type OperationsOptions } from './operations/check-operations.js';
import { hasPlaceholder } from './placeholders.js';

export type AcrossFilesFinding = CrossFinding | OperationsFinding;
export type AcrossFilesOptions = OperationsOptions;

/** The findings about every object, or only about those `isTarget` accepts (the others still count as what references resolve to). */
export function checkAcrossFiles(objects: Iterable<WorkspaceObject>, options: AcrossFilesOptions, isTarget?: (o: WorkspaceObject) => boolean): AcrossFilesFinding[] {
  const all = Array.isArray(objects) ? (objects as WorkspaceObject[]) : [...objects];
  const operations = checkOperations(all, options, isTarget).filter((f) => !hasPlaceholder(f.object.text.slice(f.start, f.end)));
  return [...checkWorkspace(all, options, isTarget), ...operations];
}
