/**
 * Which cert-manager release the checks target: the schemas (fields, enums,
 * defaults) and the webhook rules of that release. Chosen by a setting or
 * flag, detected in a cluster, or by default the newest bundled release
 * (not "next", the unreleased commit). A version that is not bundled maps to
 * the nearest bundled one, with a note that says so.
 */
import { releaseSchemas, type ReleaseSchemas } from './release-schemas.js';

export type TargetOrigin = 'default' | 'setting' | 'flag' | 'cluster';

export interface CertManagerTarget {
  /** The bundled release: "v1.14" … "v1.21", or "next". */
  release: string;
  /** The version its CRDs come from ("v1.21.2", or the commit for next). */
  version: string;
  origin: TargetOrigin;
  /** Where it came from, for messages: "setting certsmith.certManagerVersion", "--cert-manager-version", "context kind (CRD label)", "default: the newest bundled release". */
  from: string;
  /** What was asked for, when it was not exactly a bundled release (the note says which was chosen). */
  note?: string;
}

export class TargetVersionError extends Error {}

/**
 * The target for a version a person or a cluster names (`asked`; undefined or
 * "" for the default). Throws TargetVersionError for text that is not a version.
 */
export function chooseTarget(asked: string | undefined, origin: Exclude<TargetOrigin, 'default'>, from: string, releases: ReleaseSchemas = releaseSchemas()): CertManagerTarget {
  if (!asked?.trim()) return defaultTarget(releases);
  const choice = releases.nearest(asked);
  if (!choice) {
    const bundled = releases.releases().map((r) => r.id);
    throw new TargetVersionError(`"${asked}" is not a cert-manager version: write a minor such as 1.17 or v1.17.4, or "next" (bundled: ${bundled.join(', ')})`);
  }
  return { release: choice.release.id, version: choice.release.version, origin, from, ...(choice.exact ? {} : { note: choice.message }) };
}

export function defaultTarget(releases: ReleaseSchemas = releaseSchemas()): CertManagerTarget {
  const r = releases.newest();
  return { release: r.id, version: r.version, origin: 'default', from: 'default: the newest bundled release' };
}

