/**
 * Values that are placeholders for a later substitution are replaced before
 * anything reaches the API server, so their content is not judged: a
 * diagnostic whose reported text holds one is dropped. Everything else about
 * the document is still checked. They are Flux post-build variables and
 * envsubst (`${SECRET_DOMAIN}`, `${APP:=web}`), kustomize vars
 * (`$(NAMESPACE)`), and the markers that kustomize `replacements` overwrite:
 * kubebuilder's `SERVICE_NAME.SERVICE_NAMESPACE.svc` and
 * `CERTIFICATE_NAMESPACE/CERTIFICATE_NAME`, and `SERVICE_NAME_PLACEHOLDER` as
 * some Cluster API providers write them.
 */
const PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:]?[-=+?][^}]*)?\}|\$\([A-Za-z_][A-Za-z0-9_.]*\)/;
const REPLACEMENT_MARKER = /\b(?:SERVICE_NAME|SERVICE_NAMESPACE|CERTIFICATE_NAME|CERTIFICATE_NAMESPACE|[A-Z][A-Z0-9_]*_PLACEHOLDER)\b/;

/** A cheap test of a whole document: could any of its values be a placeholder? */
export function mayHavePlaceholders(text: string): boolean {
  return text.includes('$') || text.includes('SERVICE_NAME') || text.includes('CERTIFICATE_NAME') || text.includes('_PLACEHOLDER');
}

export function hasPlaceholder(text: string): boolean {
  return (text.includes('$') && PLACEHOLDER.test(text)) || REPLACEMENT_MARKER.test(text);
}
