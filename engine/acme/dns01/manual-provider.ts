/**
 * The manual DNS-01 "provider" for the CLI and the editor: it does not
 * change DNS; it tells the person which TXT records to create (and later,
 * which to delete), and the self check then waits until they are visible.
 */
import type { Dns01Provider, TxtRecord } from './dns01-provider.js';

export class ManualDns01Provider implements Dns01Provider {
  readonly description = 'manual (you create the TXT records)';

  constructor(
    private readonly tell: (message: string, records: TxtRecord[]) => void,
  ) {}

  async present(record: TxtRecord): Promise<void> {
    this.tell(`create this TXT record: ${record.fqdn}. ${record.ttl} IN TXT "${record.value}"`, [record]);
  }

  async cleanUp(record: TxtRecord): Promise<void> {
    this.tell(`the TXT record ${record.fqdn}. TXT "${record.value}" is no longer needed and can be deleted`, [record]);
  }
}
