/**
 * Where the server's settings come from: the `certsmith` section the client
 * pushes with workspace/didChangeConfiguration (VS Code does, with
 * synchronize.configurationSection), or pulls with workspace/configuration
 * when the notification carries none (other LSP clients), plus
 * certsmith/editorState (trust, the cluster choice). Each change is resolved
 * once (settings.ts) and every handler sees the result.
 */
import { chooseTarget, TargetVersionError } from '../../../engine/schema/cert-manager-target.js';
import { releaseSchemas } from '../../../engine/schema/release-schemas.js';
import { upgradeCheck } from '../../../engine/workspace/upgrade-check.js';
import { CertManagerTargetRequest, EditorStateNotification, SettingsAppliedNotification, UpgradeCheckRequest, type UpgradeCheckResult } from '../../../protocol/messages.js';
import { guarded } from '../guard.js';
import type { RawSettings } from '../settings.js';
import type { ServerState } from '../server-state.js';

export function registerSettingsSync(state: ServerState, canPull: () => boolean): { pull(): Promise<void> } {
  const { connection } = state;
  const pull = async (): Promise<void> => {
    if (!canPull()) return;
    try {
      const [section] = (await connection.sendRequest('workspace/configuration', { items: [{ section: 'certsmith' }] })) as [RawSettings | null];
      state.update({ raw: section ?? {} });
      state.log(`Certsmith: settings read (workspace/configuration).`);
    } catch (e) {
      state.logError('reading the settings', e);
    }
  };
  connection.onDidChangeConfiguration((params) => {
    const pushed = (params?.settings as { certsmith?: RawSettings } | undefined)?.certsmith;
    if (pushed && typeof pushed === 'object') {
      state.update({ raw: pushed });
      state.log('Certsmith: settings changed.');
    } else void pull();
  });
  connection.onNotification(EditorStateNotification, (params) => {
    state.update({ trusted: params.trusted ?? undefined, choice: params.cluster ?? undefined });
  });
  connection.onRequest(CertManagerTargetRequest, () => {
    const t = state.target;
    const bundled = releaseSchemas().releases().map((r) => r.id);
    return { release: t.release, version: t.version, origin: t.origin, from: t.from, bundled, ...(t.note ? { note: t.note } : {}), ...(state.targetProblem ? { problem: state.targetProblem } : {}) };
  });
  connection.onRequest(
    UpgradeCheckRequest,
    guarded(state, 'the upgrade check', { entries: [], error: 'the upgrade check failed' } as UpgradeCheckResult, (p): UpgradeCheckResult => {
      let from, to;
      try {
        from = chooseTarget(p.from, 'flag', 'from');
        to = chooseTarget(p.to, 'flag', 'to');
      } catch (e) {
        if (e instanceof TargetVersionError) return { entries: [], error: e.message };
        throw e;
      }
      const files = state.workspace.fileTexts().map((f) => ({ ...f, display: f.uri }));
      const report = upgradeCheck(files, from, to);
      return { from: report.from, to: report.to, entries: report.entries.map(({ file, ...e }) => ({ ...e, uri: file })) };
    }),
  );
  // After every change: the client asks again for what it shows (in order: this comes after the change is applied).
  state.onSettings(() => void connection.sendNotification(SettingsAppliedNotification, {}));
  return { pull };
}
