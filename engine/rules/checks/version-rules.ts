/** The rules about fields and values that the targeted cert-manager release does not have (engine/rules/checks/cert-manager-version.ts). */
import type { RuleDefinition } from '../../core/rule-definition.js';

const VERSIONS = 'https://cert-manager.io/docs/releases/';

export const VERSION_RULES = [
  {
    id: 'cert-manager-version-field',
    family: 'version',
    severity: 'error',
    title: 'A field that only a newer cert-manager release has',
    description:
      "The field exists in cert-manager's CRDs only from a later release than the one targeted (the setting certsmith.certManagerVersion, --cert-manager-version, the version installed in the cluster, or by default the newest bundled release). An API server with the targeted release's CRDs drops it (or refuses it with kubectl's strict field validation), so the manifest silently does something else. Upgrade cert-manager, or remove the field.",
    docs: VERSIONS,
    example: 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: le\nspec:\n  acme:\n    server: https://acme-v02.api.letsencrypt.org/directory\n    profile: shortlived   # since v1.18\n',
  },
  {
    id: 'cert-manager-version-value',
    family: 'version',
    severity: 'error',
    title: 'An enum value that only a newer cert-manager release allows',
    description: "The value is allowed by cert-manager's CRDs only from a later release than the one targeted; the targeted release's API server refuses the object. Upgrade cert-manager, or use a value the targeted release has.",
    docs: VERSIONS,
    example: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  keystores:\n    pkcs12:\n      create: true\n      profile: Modern2026   # since v1.21\n',
  },
] as const satisfies readonly RuleDefinition[];
