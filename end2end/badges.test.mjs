// Issue 11, "Check a badge" and the size budget: neither the verifier
// worker nor the badges module (the badge pages' own wasm) is part of the
// first load, a coordinator can check a badge online and
// offline (the service worker caches the worker's files), a worker that
// cannot start is reported instead of leaving the page waiting, and the
// page passes axe in fi, sv and en.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  copyDist,
  startServer,
  launchBrowser,
  waitForServiceWorker,
  chooseLanguage,
  heading,
  watchErrors,
  recorder,
  axeViolations,
} from './support.mjs';

const WORKER_FILES = /verifier-loader\.js|talkoo-verifier(_bg\.wasm|\.js)/;
const MODULE_FILES = /badges-loader\.js|talkoo-badges(_bg\.wasm|\.js)/;
// Kiosk mode's own files: its stylesheet; its screens are in the module.
const KIOSK_FILES = /kiosk\.css/;
const NOT_A_BADGE = 'This is not a badge, or it cannot be read. Check that you chose the right file.';
const NOT_A_CREDENTIAL = 'The file is JSON, but it is not a competence badge.';

/** Opens the check page in English and waits for its heading. */
async function openCheckPage(page, url) {
  await chooseLanguage(page, url, 'en', 'Settings');
  await page.goto(url + 'badges/check');
  await heading(page, 'Check a badge').waitFor();
}

/** Checks what the form holds and waits for the result's heading. */
async function submitAndWait(page, title) {
  await page.getByTestId('badge-check-submit').click();
  const result = page.getByRole('heading', { level: 2, name: title });
  await result.waitFor({ timeout: 30_000 });
  return result;
}

test('the first load fetches none of the verifier and none of the badge pages; checking a file that is no badge says so', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const html = readFileSync(join(dist.dir, 'index.html'), 'utf8');
    assert.doesNotMatch(html, WORKER_FILES, 'index.html neither loads nor preloads the verifier');
    assert.doesNotMatch(html, MODULE_FILES, 'index.html neither loads nor preloads the badges module');
    assert.doesNotMatch(html, KIOSK_FILES, 'index.html does not load the kiosk stylesheet');

    // Service workers are blocked so that every request is the page's own
    // (and its workers'), not the install's precaching.
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const firstLoad = requested.splice(0);
    assert.ok(firstLoad.some((u) => u.endsWith('_bg.wasm')), `the app's wasm was recorded: ${firstLoad.join(', ')}`);
    assert.deepEqual(firstLoad.filter((u) => WORKER_FILES.test(u)), [], 'the first load fetched none of the verifier');
    assert.deepEqual(firstLoad.filter((u) => MODULE_FILES.test(u)), [], 'the first load fetched none of the badges module');
    // Nor any of kiosk mode, which a phone never is: its screens, PIN hash
    // and set-up link are the module's, and its stylesheet is linked only
    // on a kiosk (the kiosk test sees both fetched there).
    assert.deepEqual(firstLoad.filter((u) => KIOSK_FILES.test(u)), [], 'the first load fetched none of kiosk mode');

    // The way in is the badges page's link.
    await chooseLanguage(page, server.url, 'en', 'Settings');
    await page.goto(server.url + 'badges');
    await page.getByRole('link', { name: "Check someone else's badge" }).click();
    await heading(page, 'Check a badge').waitFor();
    assert.match(await page.getByTestId('badge-check-not-stored').innerText(), /not saved on this device/);
    assert.deepEqual(requested.filter((u) => WORKER_FILES.test(u)), [], 'opening the page starts nothing yet');
    // The control for the first-load check of the module: a badge page
    // fetches it, once, however many badge pages follow.
    assert.equal(requested.filter((u) => u.endsWith('talkoo-badges_bg.wasm')).length, 1, `the module's wasm was fetched once: ${requested.join(', ')}`);

    await page.locator('#badge-file').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Kahvinkeitto ja vuorolista, ei merkki.'),
    });
    assert.equal(await page.getByTestId('badge-file-chosen').innerText(), 'notes.txt');
    const result = await submitAndWait(page, 'The badge could not be checked');
    assert.equal(await page.getByTestId('badge-check-error').innerText(), NOT_A_BADGE);
    // The heading takes focus in the frame after it appears, so the test
    // waits for that rather than reading focus at once (it lost that race
    // once the test server stopped delaying small answers).
    await page.waitForFunction((h) => document.activeElement === h, await result.elementHandle());
    // The control for the first-load check: the recorder does see the
    // worker's files once a check starts it.
    assert.ok(requested.some((u) => u.endsWith('talkoo-verifier_bg.wasm')), `the worker's wasm was fetched: ${requested.join(', ')}`);

    // A second check reuses the worker the first one started.
    const before = requested.length;
    await page.getByLabel("Or paste the badge's text (JSON or JWT)").fill('not a badge either');
    assert.equal(await page.getByTestId('badge-file-chosen').innerText(), 'No file chosen', 'typing replaces the file');
    await page.getByTestId('badge-check-submit').click();
    await page.getByRole('heading', { level: 2, name: 'The badge could not be checked' }).waitFor();
    assert.deepEqual(requested.slice(before).filter((u) => WORKER_FILES.test(u)), [], 'no second worker');
    assert.deepEqual(errors.filter((e) => /Content Security Policy|panicked/i.test(e)), []);
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

test('checking a badge works offline once the service worker has the shell', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await openCheckPage(page, server.url);

    const fromCache = [];
    page.on('response', (r) => {
      if (WORKER_FILES.test(r.url())) fromCache.push([r.url().split('/').pop(), r.fromServiceWorker()]);
    });
    await server.stop();
    await context.setOffline(true);
    await page.reload();
    await heading(page, 'Check a badge').waitFor({ timeout: 10_000 });
    await page.getByLabel("Or paste the badge's text (JSON or JWT)").fill('{"hello": "world"}');
    await submitAndWait(page, 'The badge could not be checked');
    assert.equal(await page.getByTestId('badge-check-error').innerText(), NOT_A_CREDENTIAL);
    // With the server gone the worker could only come from the cache, and
    // its requests say so.
    assert.ok(fromCache.some(([file]) => file === 'talkoo-verifier_bg.wasm'), `the worker's wasm was fetched: ${fromCache.join('; ')}`);
    for (const [file, viaWorker] of fromCache) assert.ok(viaWorker, `${file} came from the service worker`);
    assert.deepEqual(errors.filter((e) => /Content Security Policy|panicked/i.test(e)), []);
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

test('a verifier that cannot load is reported, not waited for', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await openCheckPage(page, server.url);
    const record = recorder(page);
    try {
      await context.route('**/talkoo-verifier_bg.wasm', (route) => route.abort());
      await page.getByLabel("Or paste the badge's text (JSON or JWT)").fill('anything');
      await submitAndWait(page, 'The badge could not be checked');
      assert.equal(
        await page.getByTestId('badge-check-error').innerText(),
        'The badge checker could not start. Reload the page while online and try again.',
      );
      // The failed worker is dropped, so a later check starts a new one.
      await context.unroute('**/talkoo-verifier_bg.wasm');
      await page.getByTestId('badge-check-submit').click();
      await page.getByTestId('badge-check-error').filter({ hasText: NOT_A_BADGE }).waitFor({ timeout: 30_000 });
    } catch (error) {
      throw await record.explain(error);
    }
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

test('no WCAG 2.1 A/AA violations on Check a badge, with a result, in fi, sv and en', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  const found = [];
  let checked = 0;
  try {
    // axe is injected as a script, which the app's CSP rightly forbids.
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    for (const [lang, settingsTitle, resultTitle] of [
      ['fi', 'Asetukset', 'Merkkiä ei voitu tarkistaa'],
      ['sv', 'Inställningar', 'Märket kunde inte kontrolleras'],
      ['en', 'Settings', 'The badge could not be checked'],
    ]) {
      await chooseLanguage(page, server.url, lang, settingsTitle);
      await page.goto(server.url + 'badges/check');
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.locator('#badge-text').fill('no badge');
      await submitAndWait(page, resultTitle);
      const violations = await axeViolations(page);
      checked += 1;
      found.push(...violations.map((v) => `${lang}: ${v}`));
    }
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
  assert.equal(checked, 3);
  assert.deepEqual(found, [], found.join('\n'));
});

test('Check a badge fits a phone (390 px) and a desktop (1280 px) without sideways scrolling', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  const widths = [];
  try {
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 844 }, locale: 'fi-FI' });
      const page = await context.newPage();
      await chooseLanguage(page, server.url, 'fi', 'Asetukset');
      await page.goto(server.url + 'badges/check');
      await page.getByLabel('Tai liitä merkin teksti (JSON tai JWT)').fill('x'.repeat(400));
      await submitAndWait(page, 'Merkkiä ei voitu tarkistaa');
      const fits = await page.evaluate(() => {
        const inside = (el) => {
          const r = el.getBoundingClientRect();
          return r.left >= 0 && r.right <= window.innerWidth;
        };
        return {
          scroll: document.documentElement.scrollWidth <= window.innerWidth,
          parts: ['.drop-zone', '#badge-text', '[data-testid=badge-check-submit]', '#badge-result'].every((s) => inside(document.querySelector(s))),
        };
      });
      widths.push([width, fits]);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
  assert.deepEqual(widths, [
    [390, { scroll: true, parts: true }],
    [1280, { scroll: true, parts: true }],
  ]);
});
