/**
 * The chain inspector panel's HTML rendered in headless Chromium with VS
 * Code's light, dark and high-contrast theme colours, on chains made with
 * openssl (a good chain, and a broken one: expired leaf, root included,
 * wrong order). Screenshots go to test/results/panels/ and are part of the
 * test output. Checks what a user sees: the verdict, one entry per
 * certificate, findings with explanations, keyboard folding.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { inspectBytes } from '../../engine/chain/inspect.js';
import { extractInput } from '../../engine/chain/pem.js';
import { renderChainHtml } from '../../client/panels/chain-html.js';
import { ROOT } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { Pki } from './pki.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed (${CHROMIUM}): run npm run setup`;
const OUT = join(ROOT, 'test', 'results', 'panels');

/** The few VS Code theme variables the panel uses, as VS Code sets them in each theme. */
const THEMES: Record<string, Record<string, string>> = {
  light: { 'editor-background': '#ffffff', foreground: '#3b3b3b', errorForeground: '#e51400', 'editorWarning-foreground': '#bf8803', 'testing-iconPassed': '#388a34', descriptionForeground: '#717171', 'panel-border': '#e5e5e5', focusBorder: '#005fb8', 'font-family': 'system-ui, sans-serif' },
  dark: { 'editor-background': '#1f1f1f', foreground: '#cccccc', errorForeground: '#f85149', 'editorWarning-foreground': '#cca700', 'testing-iconPassed': '#73c991', descriptionForeground: '#9d9d9d', 'panel-border': '#2b2b2b', focusBorder: '#0078d4', 'font-family': 'system-ui, sans-serif' },
  'high-contrast': { 'editor-background': '#000000', foreground: '#ffffff', errorForeground: '#f48771', 'editorWarning-foreground': '#ffd700', 'testing-iconPassed': '#73c991', descriptionForeground: '#ffffff', 'panel-border': '#6fc3df', focusBorder: '#f38518', 'font-family': 'system-ui, sans-serif' },
};

let browser: Browser | undefined;
before(async () => {
  if (skip) return;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
});
after(async () => {
  await browser?.close();
});

async function render(name: string, html: string, theme: string): Promise<{ verdict: string; entries: number; explanations: number; text: string }> {
  const context = await browser!.newContext({ bypassCSP: true, viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  // No network at all: the panel must not need any.
  await page.route('**/*', (r) => r.abort());
  await page.setContent(html);
  const vars = Object.entries(THEMES[theme]!).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
  await page.addStyleTag({ content: `:root { ${vars} }` });
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, `${name}-${theme}.png`), fullPage: true });
  const verdict = (await page.textContent('#verdict')) ?? '';
  const entries = await page.locator('#chain > li.cert').count();
  // Keyboard: Tab to the first summary, Enter folds it.
  await page.keyboard.press('Tab');
  const focused = await page.evaluate('document.activeElement && document.activeElement.tagName');
  await page.keyboard.press('Enter');
  const folded = await page.evaluate('!document.querySelector("#chain details").open');
  assert.equal(focused, 'SUMMARY', 'the first certificate is reachable with Tab');
  assert.equal(folded, true, 'Enter folds it');
  const explanations = await page.locator('.explanation').count();
  const text = (await page.textContent('body')) ?? '';
  await context.close();
  return { verdict, entries, explanations, text };
}

test('a good chain and a broken one, in light, dark and high-contrast themes', { skip }, async (t) => {
  const dir = tempDir(t);
  const pki = new Pki(dir);
  pki.selfSigned('root', { subj: '/CN=Panel Test Root', ext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash'] });
  pki.issue('inter', 'root', { subj: '/CN=Panel Test Intermediate', ext: ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid'] });
  pki.issue('leaf', 'inter', { subj: '/CN=www.example.test', ext: ['subjectAltName=DNS:www.example.test,DNS:example.test', 'extendedKeyUsage=serverAuth', 'keyUsage=critical,digitalSignature', 'authorityKeyIdentifier=keyid'], days: 90 });
  pki.issue('old', 'inter', { subj: '/CN=old.example.test', ext: ['subjectAltName=DNS:old.example.test', 'extendedKeyUsage=serverAuth'], days: 1 });
  const roots = { certificates: extractInput(readFileSync(pki.path('root.pem'))).certificates, description: 'the test root' };
  const good = inspectBytes(readFileSync(pki.path('leaf.pem'), 'utf8') + readFileSync(pki.path('inter.pem'), 'utf8'), { roots, hostname: 'www.example.test' });
  // Expired (evaluated later), root included, intermediate first.
  const brokenInput = readFileSync(pki.path('inter.pem'), 'utf8') + readFileSync(pki.path('old.pem'), 'utf8') + readFileSync(pki.path('root.pem'), 'utf8');
  const broken = inspectBytes(brokenInput, { roots, at: new Date(Date.now() + 3 * 86_400_000) });
  for (const theme of Object.keys(THEMES)) {
    const g = await render('good', renderChainHtml(good, 'leaf.pem + inter.pem', 'n'), theme);
    assert.match(g.verdict, /^Trusted chain · 0 error/);
    assert.equal(g.entries, 3, 'leaf, intermediate, root');
    assert.match(g.text, /www\.example\.test, example\.test/);
    assert.match(g.text, /days left/);
    const b = await render('broken', renderChainHtml(broken, 'broken bundle', 'n'), theme);
    assert.match(b.verdict, /^Not trusted/);
    assert.match(b.text, /expired .* ago/);
    assert.ok(b.explanations >= 3, `findings come with explanations (${b.explanations})`);
    assert.match(b.text, /chain-leaf-not-first/);
    assert.match(b.text, /chain-root-included|root/);
  }
});
