/**
 * Values that are placeholders for a later substitution — Flux post-build
 * variables and envsubst (`${SECRET_DOMAIN}`, `${APP:=web}`), kustomize vars
 * (`$(NAMESPACE)`) — are replaced before anything reaches the API server, so
 * their content is not judged: a diagnostic whose reported text holds one is
 * dropped. Everything else about the document is still checked.
 */
const PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:]?[-=+?][^}]*)?\}|\$\([A-Za-z_][A-Za-z0-9_.]*\)/;

export function hasPlaceholder(text: string): boolean {
  return text.includes('$') && PLACEHOLDER.test(text);
}
