/**
 * Debian's Chromium driven by playwright-core, for end-to-end tests of the
 * extension in a real VS Code workbench (code-server, test/world/code-server.ts):
 *
 *   const browser = await launchBrowser();
 *   t.after(() => browser.close());
 *   const wb = await openWorkbench(browser, cs.folderUrl(), 'problems');
 *   await wb.openFile('mistakes.yaml');
 *   await wb.runCommand('Certsmith: Show Log');
 *   await wb.screenshot('log');   // test/results/e2e/problems/01-log.png
 *
 * Every wait is bounded; a failed wait says what it waited for. Selectors are
 * VS Code 1.100's workbench DOM (quick input, notifications, dialogs,
 * Problems panel, suggest and hover widgets, webviews).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/** test/results/e2e (git-ignored; test/run.mjs does not look inside results/). */
export const RESULTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'e2e');

/** Why Chromium cannot be used here, or null when it can. */
export function chromiumMissingReason(): string | null {
  return existsSync(CHROMIUM) ? null : `Chromium is not installed (${CHROMIUM}, Debian package chromium): run \`npm run setup\``;
}

export async function launchBrowser(): Promise<Browser> {
  const reason = chromiumMissingReason();
  if (reason) throw new Error(reason);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** VS Code's key bindings in a Linux browser use Ctrl. */
const MOD = 'Control';

export class Workbench {
  shotsDir = '';
  private shotCount = 0;

  constructor(
    readonly page: Page,
    /** Screenshots go to test/results/e2e/<test>/. */
    test: string,
  ) {
    this.setTest(test);
  }

  /** Screenshots from now on go to test/results/e2e/<test>/, numbered from 01. */
  setTest(test: string): void {
    this.shotsDir = join(RESULTS_DIR, test.replace(/[^\w.-]+/g, '-'));
    this.shotCount = 0;
    mkdirSync(this.shotsDir, { recursive: true });
  }

  /** Saves test/results/e2e/<test>/<NN>-<step>.png (NN: its order in the test) and returns its path. */
  async screenshot(step: string): Promise<string> {
    const file = join(this.shotsDir, `${String(++this.shotCount).padStart(2, '0')}-${step.replace(/[^\w.-]+/g, '-')}.png`);
    // (animations finished at once: a toast that is sliding in is shown as it will look)
    await this.page.screenshot({ path: file, timeout: 15_000, animations: 'disabled' });
    return file;
  }

  /** Waits for the workbench and its extension host (the status bar's problem counter). */
  async ready(timeoutMs = 90_000): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
    await this.page.locator('[id="status.problems"]').waitFor({ timeout: timeoutMs });
    // The explorer lists the folder once the remote file system is connected.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
  }

  /** Closes whatever quick input, hover or widget is open. */
  async escape(times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.page.keyboard.press('Escape');
  }

  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * Gives keyboard focus back to the workbench when a webview (an iframe) has it:
   * keys pressed inside a webview do not reach the workbench's key bindings.
   */
  async releaseWebviewFocus(): Promise<void> {
    // (runs in the page: no DOM types in this project's TypeScript set-up)
    await this.page.evaluate(`(() => { const a = document.activeElement; if (a && a.tagName === 'IFRAME') a.blur(); })()`);
  }

  /**
   * Chooses the quick input row whose label is `label`, as a person does: by
   * what the row says, not by where it is. The list is filled and re-sorted
   * while typing (file search, "recently opened" history on a used profile,
   * "recently used" commands), so the row is looked up by its label, then
   * clicked.
   */
  private async chooseRow(label: RegExp, what: string, timeoutMs: number): Promise<'chosen' | 'closed'> {
    const row = this.quickInput()
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: label }) })
      .first();
    // VS Code closes the quick input when the focus moves (a view or an extension
    // host that is still starting after a window reload takes it): that is seen
    // at once, not after the whole time limit, and the caller opens it again.
    const closed = this.quickInput()
      .waitFor({ state: 'hidden', timeout: timeoutMs })
      .then(() => 'closed' as const, () => 'timeout' as const);
    const shown = row.waitFor({ state: 'visible', timeout: timeoutMs }).then(() => 'shown' as const, (e: unknown) => e);
    const first = await Promise.race([shown, closed]);
    if (first === 'closed') return 'closed';
    if (first !== 'shown') {
      const rows = await this.quickInput().locator('.quick-input-list .monaco-list-row').allInnerTexts();
      throw new Error(`${what} is not offered (the list shows: ${JSON.stringify(rows)})`, { cause: first });
    }
    // The quick input may still close between the row showing and the click: a click
    // that does not land in a few seconds on a shown row is checked against that. (Its
    // time limit is short so that no pending click lands on the next attempt's list.)
    try {
      await row.click({ timeout: Math.min(timeoutMs, 5000) });
    } catch (e) {
      if (!(await this.quickInput().isVisible())) return 'closed';
      throw e;
    }
    return 'chosen';
  }

  /**
   * Opens a quick input (`key`), types `text` and chooses the row `label`; when
   * the quick input closes before that (see chooseRow), opens it once more, as
   * a person would, and says so in the test's output.
   */
  private async pick(key: string, text: string, label: RegExp, what: string, timeoutMs: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.releaseWebviewFocus();
      await this.page.keyboard.press(key);
      await this.quickInput().waitFor({ state: 'visible', timeout: timeoutMs });
      await this.page.keyboard.type(text);
      if ((await this.chooseRow(label, what, timeoutMs)) === 'chosen') return;
      if (attempt === 2) throw new Error(`${what}: the quick input closed twice before the row could be chosen (the focus moved away)`);
      console.log(`# e2e: ${what}: the quick input closed while typing (the focus moved away); opening it again`);
    }
  }

  /** Opens a workspace file by name through Quick Open (Ctrl+P) and waits for its editor tab. */
  async openFile(name: string, timeoutMs = 20_000): Promise<void> {
    const base = name.split('/').pop()!;
    await this.pick(`${MOD}+P`, name, new RegExp(`^${escapeRegExp(base)}$`), `Quick Open: ${name}`, timeoutMs);
    await this.quickInput().waitFor({ state: 'hidden', timeout: timeoutMs });
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${base}"]`).waitFor({ timeout: timeoutMs });
    await this.activeEditor().locator('.view-lines').waitFor({ timeout: timeoutMs });
  }

  /** The editor that has (or last had) focus. */
  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The text the active editor shows (its visible lines, in order; enough for small files). */
  async editorText(): Promise<string> {
    const lines = this.activeEditor().locator('.view-lines .view-line');
    const items = await lines.evaluateAll((els) =>
      els.map((el) => ({ top: parseFloat((el as unknown as { style: { top: string } }).style.top || '0'), text: (el.textContent ?? '').replace(/\u00a0/g, ' ') })),
    );
    return items
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text)
      .join('\n');
  }

  /** Gives the keyboard to the text editor of the first editor group (Ctrl+1; no click, which could hit a code lens). */
  async focusEditor(): Promise<void> {
    await this.releaseWebviewFocus();
    await this.page.keyboard.press(`${MOD}+1`);
  }

  /** Moves the cursor to a 1-based line and column (Go to Line: Ctrl+G "line:col"). */
  async goTo(line: number, column = 1): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press(`${MOD}+G`);
    await this.quickInput().waitFor({ state: 'visible', timeout: 10_000 });
    await this.page.keyboard.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /**
   * Runs a command from the Command Palette (F1, its title, Enter) and waits
   * until the palette is gone. `reloads`: the command reloads the window (do
   * not look at the page afterwards; wait for the new one).
   */
  async runCommand(title: string, timeoutMs = 20_000, reloads = false): Promise<void> {
    await this.pick('F1', title, new RegExp(`^${escapeRegExp(title)}$`), `the Command Palette: "${title}"`, timeoutMs);
    if (reloads) return;
    // The palette closes; a command may open its own quick input (a pick or an input box) at once.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!(await this.quickInput().isVisible())) return;
      const value = await this.quickInput()
        .locator('.quick-input-box input')
        .first()
        .inputValue({ timeout: 1000 })
        .catch(() => '');
      if (!value.startsWith('>')) return;
      if (Date.now() > deadline) throw new Error(`the Command Palette did not run "${title}" within ${timeoutMs} ms`);
      await this.page.waitForTimeout(100);
    }
  }

  /** A notification toast whose text matches; waits until it is visible. */
  async waitForNotification(text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
    const toast = this.page.locator('.notification-toast', { hasText: text }).first();
    try {
      await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch (e) {
      throw new Error(`no notification ${String(text)} within ${timeoutMs} ms (visible: ${JSON.stringify(await this.notificationTexts())})`, { cause: e });
    }
    return toast;
  }

  /** The texts of the notification toasts now visible. */
  async notificationTexts(): Promise<string[]> {
    return this.page.locator('.notification-toast').allInnerTexts();
  }

  /** Clears all notifications (so a later wait sees only new ones). */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** The modal dialog now shown (waits for it), with its title text. */
  async waitForDialog(title: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
    const dialog = this.page.locator('.monaco-dialog-box', { hasText: title }).first();
    try {
      await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch (e) {
      throw new Error(`no dialog ${String(title)} within ${timeoutMs} ms (notifications: ${JSON.stringify(await this.notificationTexts())})`, { cause: e });
    }
    return dialog;
  }

  /** Reloads the window ("Developer: Reload Window": state is saved first) and waits for the new workbench. */
  async reloadWindow(timeoutMs = 90_000): Promise<void> {
    const main = this.page.mainFrame();
    const navigated = this.page.waitForEvent('framenavigated', { predicate: (f) => f === main, timeout: timeoutMs });
    await this.runCommand('Developer: Reload Window', 20_000, true);
    await navigated;
    await this.page.waitForLoadState('domcontentloaded', { timeout: timeoutMs });
    await this.ready(timeoutMs);
  }

  /** Opens the Problems panel (Ctrl+Shift+M) and returns it. */
  async problems(): Promise<Locator> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press(`${MOD}+Shift+M`);
    await panel.waitFor({ state: 'visible', timeout: 15_000 });
    return panel;
  }

  /** The Output panel's visible text (after a command such as "Certsmith: Show Log" opened a channel). */
  async outputText(): Promise<string> {
    const view = this.page.locator('.part.panel .monaco-editor .view-lines').first();
    await view.waitFor({ state: 'visible', timeout: 15_000 });
    const lines = await view.locator('.view-line').evaluateAll((els) =>
      els.map((el) => ({ top: parseFloat((el as unknown as { style: { top: string } }).style.top || '0'), text: (el.textContent ?? '').replace(/\u00a0/g, ' ') })),
    );
    return lines
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text)
      .join('\n');
  }

  /**
   * The frame of a webview whose document has `selector` (code-server nests each
   * webview in two iframes; the inner one holds the extension's HTML).
   */
  async webviewFrame(selector: string, timeoutMs = 20_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame()) continue;
        const found = await frame
          .locator(selector)
          .count()
          .catch(() => 0);
        if (found > 0) return frame;
      }
      if (Date.now() > deadline) throw new Error(`no webview with ${selector} within ${timeoutMs} ms (${this.page.frames().length} frames)`);
      await this.page.waitForTimeout(200);
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens the workbench at `url` (cs.folderUrl()) in a new page and waits until it is ready. */
export async function openWorkbench(browser: Browser, url: string, test: string, viewport = { width: 1400, height: 900 }): Promise<Workbench> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(30_000);
  const wb = new Workbench(page, test);
  await page.goto(url, { timeout: 60_000 });
  await wb.ready();
  return wb;
}
