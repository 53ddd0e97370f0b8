/**
 * The workspace's Certificates for the client's tree view (certsmith/certificates,
 * and certsmith/certificatesChanged when the list differs from the last one
 * sent), the Certificate under the cursor, and code lens refreshes: lenses
 * depend on other files too (an issuer's server or solvers), so the client is
 * asked to refresh them when the list or the DNS-01 names change, if it can.
 */
import { certificateAt } from '../../../engine/issue/certificate-at.js';
import { createHash } from 'node:crypto';
import { certificateEntries, dns01Names, listCertificates, resolveWorkspace } from '../../../engine/language/certificate-list.js';
import { CertificateAtRequest, CertificatesChangedNotification, CertificatesRequest, type CertificatesResult } from '../../../protocol/messages.js';
import { guarded } from '../guard.js';
import type { DiagnosticsPublisher } from '../diagnostics-publisher.js';
import type { ServerState } from '../server-state.js';

const DEBOUNCE_MS = 300;

export class CertificateList {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Hashes of the last list and DNS-01 names told about (a monorepo's list is tens of MB as JSON: not kept). */
  private lastCertificates = fingerprint([]);
  private lastLensInputs = fingerprint([]);

  constructor(
    private readonly state: ServerState,
    private readonly publisher: DiagnosticsPublisher,
  ) {}

  /** Asks the client to refresh code lenses, when it can. */
  refreshLenses(): void {
    if (this.state.codeLensRefresh) void this.state.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }

  /** Something changed: compare the list (debounced) and tell the client. */
  maybeChanged(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.publisher.flushNow();
        const resolved = resolveWorkspace(this.state.workspace);
        const list = fingerprint(certificateEntries(resolved));
        let refresh = false;
        if (list !== this.lastCertificates) {
          this.lastCertificates = list;
          refresh = true;
          void this.state.connection.sendNotification(CertificatesChangedNotification, {});
        }
        const lensInputs = fingerprint(resolved.certificates.map(dns01Names));
        if (lensInputs !== this.lastLensInputs) {
          this.lastLensInputs = lensInputs;
          refresh = true;
        }
        if (refresh) this.refreshLenses();
      } catch (e) {
        this.state.logError('listing certificates', e);
      }
    }, DEBOUNCE_MS);
    this.timer.unref?.();
  }

  register(): void {
    const { state, publisher } = this;
    state.connection.onRequest(
      CertificatesRequest,
      guarded(state, 'listing certificates', { certificates: [] } as CertificatesResult, () => {
        publisher.flushNow();
        return { certificates: listCertificates(state.workspace) };
      }),
    );
    state.connection.onRequest(
      CertificateAtRequest,
      guarded(state, 'finding the Certificate at the cursor', null, (params) => {
        const doc = state.documents.get(params.uri);
        if (!doc) return null;
        const hit = certificateAt(doc.getText(), doc.offsetAt(params.position));
        return hit ? { name: hit.name, namespace: hit.namespace, uri: params.uri } : null;
      }),
    );
  }
}

/** A hash of the items' JSON, taken one item at a time. */
function fingerprint(items: Iterable<unknown>): string {
  const hash = createHash('sha256');
  for (const item of items) hash.update(JSON.stringify(item)).update('\n');
  return hash.digest('base64');
}
