/** The rules about a file and its YAML, found while reading it (engine/manifests): what kubectl could not even parse. */
import type { RuleDefinition } from '../core/rule-definition.js';

const FIELD_VALIDATION = 'https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation';
const YAML_SPEC = 'https://yaml.org/spec/1.2.2/';

export const MANIFEST_RULES = [
  // --- YAML -----------------------------------------------------------------
  {
    id: 'yaml-syntax',
    family: 'yaml',
    severity: 'error',
    title: 'The YAML cannot be read',
    description: 'kubectl and the API server would refuse the file. The message says what the parser expected at that point.',
    docs: YAML_SPEC,
    example: 'metadata:\n  name: "unterminated\n',
  },
  {
    id: 'yaml-duplicate-key',
    family: 'yaml',
    severity: 'error',
    title: 'The same key twice in one mapping',
    description: 'Strict decoding rejects duplicate keys; a lenient reader would silently keep only the last one.',
    docs: FIELD_VALIDATION,
    example: 'spec:\n  secretName: a\n  secretName: b\n',
  },
  {
    id: 'yaml-tab-indentation',
    family: 'yaml',
    severity: 'error',
    title: 'A tab used for indentation',
    description: 'YAML indentation is spaces only. Replace the tab with spaces.',
    docs: YAML_SPEC,
    example: 'spec:\n\tsecretName: a\n',
  },
  {
    id: 'yaml-alias-limit',
    family: 'yaml',
    severity: 'error',
    title: 'Aliases expand to too many nodes (a YAML bomb)',
    description:
      'The document uses anchors and aliases that expand to an enormous tree ("billion laughs"). Kubernetes refuses it as excessive aliasing; Certsmith stops reading it instead of running out of memory.',
    docs: 'https://en.wikipedia.org/wiki/Billion_laughs_attack',
    example: 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n# ... and so on\n',
  },
  {
    id: 'yaml-too-deep',
    family: 'yaml',
    severity: 'error',
    title: 'Nesting deeper than any manifest needs',
    description: 'The document nests more than 256 levels (a deep cert-manager object has about 15). It is not checked further, so that a hostile file cannot exhaust the stack.',
    docs: YAML_SPEC,
    example: 'a: [[[[[[[[ ... ]]]]]]]]\n',
  },
  // --- Files ----------------------------------------------------------------
  {
    id: 'file-too-large',
    family: 'file',
    severity: 'error',
    title: 'The file is too large to check',
    description:
      'Files over the size limit (10 MiB by default, `--max-file-size` / `certsmith.maxFileSize`) are not parsed. The API server limits one request to 3 MiB, so a manifest file this size is usually a mistake (a log, a dump, a binary).',
    docs: 'https://kubernetes.io/docs/setup/best-practices/cluster-large/',
    example: '(a 50 MB file)',
  },
  {
    id: 'file-template',
    family: 'file',
    severity: 'information',
    title: 'A template, not YAML yet',
    description:
      'The file holds Go template actions ({{ .Values.x }}, {{- if }}), as Helm charts do: it is not YAML until rendered, so it is not checked (and the language server stays quiet on it). Lint the rendered output: helm template . | certsmith lint -.',
    docs: 'https://helm.sh/docs/helm/helm_template/',
    example: 'metadata:\n  name: {{ .Values.issuer.name }}\n',
  },
  {
    id: 'file-not-text',
    family: 'file',
    severity: 'error',
    title: 'The file is not text',
    description: 'The file contains NUL bytes or is not valid UTF-8: it is binary, not a YAML manifest.',
    docs: YAML_SPEC,
    example: '(binary data)',
  },
] as const satisfies readonly RuleDefinition[];

export type ManifestRuleId = (typeof MANIFEST_RULES)[number]['id'];
