/** Limits that keep a hostile or accidental file from taking the tools down. */

/** Files larger than this are not parsed (the API server takes at most 3 MiB per request). */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export type TextProblem = { code: 'file-too-large' | 'file-not-text' | 'file-template'; message: string };

/** Go template actions as Helm charts use them: `{{ .Values.x }}`, `{{- if ... }}`, `{{ include ... }}`. */
const TEMPLATE_ACTION = /\{\{-?\s*(\.|\$|if\b|else\b|end\b|range\b|with\b|include\b|template\b|define\b|toYaml\b|tpl\b|required\b|default\b|quote\b|\/\*)/;

/** A text as the checks read it: without a byte order mark (editors and Windows tools write one). */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** Checks the size and that a text is text (no NUL characters). */
export function checkText(text: string, maxBytes = DEFAULT_MAX_FILE_BYTES): TextProblem | undefined {
  // Length in UTF-16 units is a lower bound of the UTF-8 size; good enough for a limit.
  if (text.length > maxBytes) {
    return {
      code: 'file-too-large',
      message: `This file is ${formatBytes(text.length)}, over the ${formatBytes(maxBytes)} limit, so it is not checked. A Kubernetes API request is at most 3 MiB; split the file, or raise the limit (--max-file-size, certsmith.maxFileSize).`,
    };
  }
  if (text.includes('\u0000')) {
    return { code: 'file-not-text', message: 'This file contains NUL bytes: it is binary data, not a YAML manifest.' };
  }
  if (text.includes('{{') && TEMPLATE_ACTION.test(text)) {
    return {
      code: 'file-template',
      message: 'This is a template (Helm or another Go-template tool), not YAML until it is rendered, so it is not checked. Check the rendered output instead, e.g. helm template . | certsmith lint -.',
    };
  }
  return undefined;
}

/** Decodes file bytes as UTF-8 (BOM removed), or explains why it is not text. */
export function decodeFile(bytes: Uint8Array, maxBytes = DEFAULT_MAX_FILE_BYTES): { text: string } | { problem: TextProblem } {
  if (bytes.length > maxBytes) {
    return {
      problem: {
        code: 'file-too-large',
        message: `This file is ${formatBytes(bytes.length)}, over the ${formatBytes(maxBytes)} limit, so it is not checked. A Kubernetes API request is at most 3 MiB; split the file, or raise the limit (--max-file-size, certsmith.maxFileSize).`,
      },
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { problem: { code: 'file-not-text', message: 'This file is not valid UTF-8 text: it is binary data, not a YAML manifest.' } };
  }
  const p = checkText(text, maxBytes);
  return p ? { problem: p } : { text };
}
