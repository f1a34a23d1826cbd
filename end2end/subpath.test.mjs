// Issue 2: the app, its service worker and its manifest work when served
// from a sub-path (built with `--public-url /talkoo/`, see scripts/test.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startServer, launchBrowser, waitForServiceWorker, heading } from './support.mjs';

test('served from /talkoo/: routes, worker scope, manifest and offline start', async () => {
  const root = mkdtempSync(join(tmpdir(), 'talkoo-subpath-'));
  cpSync(join(ROOT, 'target/subpath'), root, { recursive: true });
  const server = await startServer(root);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    const app = server.url + 'talkoo/';
    await page.goto(app);
    await heading(page, 'Find activities near you').waitFor();
    // index.html paints that title too (issue 13): the app is there once
    // its boot screen is gone.
    await page.locator('#boot').waitFor({ state: 'detached' });
    await waitForServiceWorker(page);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
    assert.equal(scope, app);

    await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
    await heading(page, 'Settings').waitFor();
    assert.equal(page.url(), app + 'settings');

    const manifest = await page.evaluate(async () => {
      const link = document.querySelector('link[rel=manifest]');
      const body = await (await fetch(link.href)).json();
      return { start: new URL(body.start_url, link.href).href, scope: new URL(body.scope, link.href).href };
    });
    assert.deepEqual(manifest, { start: app, scope: app });

    await server.stop();
    await page.goto(app + 'events');
    await heading(page, 'Events').waitFor({ timeout: 10_000 });
  } finally {
    await browser.close();
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
