// Issue 2, proof 4: a build published while the app is open is offered with
// a prompt, is never loaded behind the user's back, and is running after
// the user accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyDist, startServer, launchBrowser, waitForServiceWorker, regenerateWorker, openNewerVersion } from './support.mjs';

test('a new build shows the update prompt and loads only when accepted', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await page.goto(server.url + 'settings');
    await waitForServiceWorker(page);
    const buildId = page.getByTestId('build-id');
    await page.waitForFunction(() => /^[0-9a-f]{16}$/.test(document.querySelector('[data-testid=build-id]')?.textContent));
    const oldVersion = await buildId.textContent();

    // Publish a changed build: same file names (Trunk may keep a name while
    // its bytes change), different bytes, then the build step runs again.
    const css = readdirSync(dist.dir).find((f) => f.endsWith('.css'));
    appendFileSync(join(dist.dir, css), '\n/* republished */\n');
    const newVersion = regenerateWorker(dist.dir);
    assert.notEqual(newVersion, oldVersion);

    await page.evaluate(() => {
      window.__stillTheSamePage = true;
    });
    await page.getByRole('button', { name: 'Check for updates' }).click();
    const prompt = page.getByTestId('update-prompt');
    await prompt.waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1_000);
    assert.equal(await page.evaluate(() => window.__stillTheSamePage), true, 'no reload before the user accepts');
    assert.equal(await buildId.textContent(), oldVersion, 'the old version keeps running meanwhile');

    await prompt.getByRole('button', { name: 'Reload' }).click();
    await page.waitForFunction(() => window.__stillTheSamePage === undefined, null, { timeout: 20_000 });
    await page.waitForFunction(
      (v) => document.querySelector('[data-testid=build-id]')?.textContent === v,
      newVersion,
      { timeout: 20_000 },
    );
    assert.equal(await prompt.count(), 0, 'the prompt is gone after the update');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

test('"Later" hides the prompt and Settings still offers the new version', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await page.goto(server.url + 'settings');
    await waitForServiceWorker(page);
    appendFileSync(join(dist.dir, 'manifest.webmanifest'), '\n');
    regenerateWorker(dist.dir);
    await page.getByRole('button', { name: 'Check for updates' }).click();
    const prompt = page.getByTestId('update-prompt');
    await prompt.waitFor({ timeout: 20_000 });
    await prompt.getByRole('button', { name: 'Later' }).click();
    await prompt.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Use the new version' }).waitFor();
    // Checking again must not lose the waiting version. The button is on
    // screen before the check starts, so the test waits for the check to
    // have finished (issue 9) before it looks again.
    const checks = () => page.getByTestId('update-status').getAttribute('data-checks').then(Number);
    const before = await checks();
    await page.getByRole('button', { name: 'Check for updates' }).click();
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid=update-status]').dataset.checks) > n,
      before,
      { timeout: 20_000 },
    );
    assert.equal(await page.getByRole('button', { name: 'Use the new version' }).count(), 1, 'still offered after the check');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// A newer Talkoo opened in another tab upgrades the database at once: every
// connection of this page (its own, and the sync worker it prepared while
// the regions are listed) closes as soon as the upgrade asks, instead of
// leaving the other tab on its loading screen until this one is closed, and
// this page says it must be reloaded.
test('storage gives way to a newer version opened in another tab, and the page asks to be reloaded', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await page.getByRole('checkbox', { name: 'Kainuu' }).waitFor();

    // A blank window of the same origin stands in for another tab with a
    // newer build: it opens the database at the next version, as that
    // build's upgrade would.
    assert.equal(await openNewerVersion(page), 'upgraded');

    const prompt = page.getByTestId('storage-given-way');
    await prompt.waitFor();
    assert.match(await prompt.textContent(), /updated in another tab or window/);
    await prompt.getByRole('button', { name: 'Reload' }).waitFor();
    assert.equal(await page.getByTestId('update-prompt').count(), 0, 'no second prompt');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});
