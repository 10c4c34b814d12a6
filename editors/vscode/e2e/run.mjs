// In real VS Code: code-server (VS Code's server build) serves the workbench to headless
// Chromium, with the Chiso .vsix installed. Opens the DTI 2022 rulebook (a copy), types an error
// and reads it in the Problems panel (in Vietnamese), hovers an indicator, runs Format Document
// and saves; the saved file is checked on disk. Screenshots go to $ARTIFACTS
// (default target/vscode-e2e) — look at them as a policy officer would.
//
//   node run.mjs path/to/chiso-X.Y.Z-linux-x64.vsix      (run.sh sets everything up)
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const vsix = path.resolve(process.argv[2] ?? '');
const out = process.env.ARTIFACTS ?? path.join(root, 'target', 'vscode-e2e');
const codeServer = path.join(here, 'node_modules', '.bin', 'code-server');
fs.mkdirSync(out, { recursive: true });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chiso-e2e-'));
const userData = path.join(tmp, 'user-data');
const extensions = path.join(tmp, 'extensions');
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.writeFileSync(
  path.join(userData, 'User', 'settings.json'),
  JSON.stringify(
    {
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      'chiso.locale': 'vi',
      // DejaVu Sans Mono (the usual Linux monospace) lacks the precomposed Vietnamese letters
      // (ố, ể, …), so tone marks land beside their vowels; Noto Sans Mono (Debian's
      // fonts-noto-core) and Noto Mono (fonts-noto-mono) have them.
      'editor.fontFamily': "'Noto Sans Mono', 'Noto Mono', monospace",
      'editor.fontSize': 15,
      'workbench.colorTheme': 'Default Light Modern',
      'window.commandCenter': false,
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
    },
    null,
    2,
  ),
);
// Work on a copy: the test edits and saves.
const ws = path.join(tmp, 'dti-2022');
fs.cpSync(path.join(root, 'examples', 'dti-2022'), ws, { recursive: true });
const file = path.join(ws, 'dti-2022.chiso');
const original = fs.readFileSync(file, 'utf8');

const log = (m) => console.log(`e2e: ${m}`);
const fail = (m) => {
  console.error(`e2e: FAILED: ${m}`);
  process.exitCode = 1;
};

// Its own config file, so nothing is written to the user's ~/.config.
const config = path.join(tmp, 'config.yaml');
fs.writeFileSync(config, 'auth: none\ncert: false\n');
execFileSync(codeServer, ['--config', config, '--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', vsix], {
  stdio: 'inherit',
});

const port = 20000 + (process.pid % 20000);
const server = spawn(
  codeServer,
  [
    '--config', config,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userData,
    '--extensions-dir', extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ws,
  ],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));
await new Promise((resolve, reject) => {
  const t = setInterval(() => {
    if (serverLog.includes('HTTP server listening')) {
      clearInterval(t);
      resolve();
    }
  }, 200);
  server.on('exit', (code) => reject(new Error(`code-server exited (${code}):\n${serverLog}`)));
});
log(`code-server on 127.0.0.1:${port}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
const shot = async (name) => {
  await page.screenshot({ path: path.join(out, name) });
  log(`screenshot ${name}`);
};
const LONG = { timeout: 180_000 };
// Go to a line (and column) with Ctrl+G, and wait for the input to close before typing on.
const goTo = async (line, column) => {
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget', { state: 'visible', ...LONG });
  await page.keyboard.type(column ? `${line}:${column}` : String(line));
  await page.keyboard.press('Enter');
  await page.waitForSelector('.quick-input-widget', { state: 'hidden', ...LONG });
};

try {
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
  await page.waitForSelector('.monaco-workbench', LONG);
  await page.waitForTimeout(3000);

  // Open the rulebook from the Explorer.
  const entry = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'dti-2022.chiso' });
  await entry.first().waitFor(LONG);
  await entry.first().click();
  await page.waitForSelector('.monaco-editor .view-lines', LONG);

  // The server's diagnostics arrive: the Problems panel fills.
  await page.keyboard.press('Control+Shift+M');
  await page.waitForSelector('.markers-panel .monaco-list-row', LONG);
  await shot('1-opened-with-problems.png');

  // Go to 6.12's owner and misspell it.
  const lines = original.split('\n');
  const ownerLine = lines.findIndex((l, i) => l.includes('owner VPUBND_PVHCC') && lines[i - 2]?.includes('indicator 6.12')) + 1;
  if (ownerLine <= 0) throw new Error('6.12 owner line not found');
  await page.click('.monaco-editor .view-lines');
  await goTo(ownerLine);
  await page.keyboard.press('End');
  await page.keyboard.type('X');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'VPUBND_PVHCCX' });
  await row.first().waitFor(LONG);
  const problem = await row.first().innerText();
  log(`problem: ${problem.replace(/\s+/g, ' ')}`);
  if (!/cơ quan chưa được khai báo/.test(problem)) fail(`the problem is not in Vietnamese: ${problem}`);
  await shot('2-typed-error-in-problems.png');

  // Hover the indicator id on line ownerLine - 2.
  const header = lines[ownerLine - 3];
  await goTo(ownerLine - 2, header.indexOf('6.12') + 2);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover', { hasText: 'Tỷ lệ hồ sơ xử lý trực tuyến' });
  await hover.first().waitFor(LONG);
  const hoverText = await hover.first().innerText();
  // The extension runs with `chiso.locale: vi`: the card's words are Vietnamese too.
  if (!hoverText.includes('tối đa 20 điểm')) fail(`hover lacks the max: ${hoverText}`);
  if (!hoverText.includes('chủ trì')) fail(`hover lacks the owner, in Vietnamese: ${hoverText}`);
  await shot('3-hover-indicator.png');
  await page.keyboard.press('Escape');

  // Mis-indent the owner line, then Format Document and save.
  await goTo(ownerLine, 1);
  await page.keyboard.type('      ');
  await page.waitForTimeout(1000);
  // Format Document through the command palette (its key binding differs by platform).
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget', LONG);
  await page.keyboard.type('Format Document');
  await page.waitForTimeout(1000);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(3000);
  await shot('4-formatted.png');
  await page.keyboard.press('Control+S');
  await page.waitForTimeout(2000);
  const saved = fs.readFileSync(file, 'utf8');
  const expected = lines.map((l, i) => (i === ownerLine - 1 ? `${l}X` : l)).join('\n');
  if (saved !== expected) {
    fail('the saved file is not the original with the one edit, formatted');
    fs.writeFileSync(path.join(out, 'saved.chiso'), saved);
  } else {
    log('Format Document restored the indentation; the saved file has exactly the typed edit');
  }
} catch (e) {
  fail(e.stack ?? String(e));
  await shot('failure.png').catch(() => {});
} finally {
  await browser.close();
  server.kill();
  fs.rmSync(tmp, { recursive: true, force: true });
}
