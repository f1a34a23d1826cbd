// Issue 2, proof 1–3: the installed shell starts with no server at all, in
// the language the user chose, and the control run shows that it is the
// service worker that makes this work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import {
  copyDist,
  startServer,
  launchBrowser,
  waitForServiceWorker,
  chooseLanguage,
  heading,
  watchErrors,
} from './support.mjs';

const SV_SETTINGS = 'Inställningar';
const SV_CATALOGUE = 'Hitta verksamhet nära dig';

async function loadAndChooseSwedish(context, server) {
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url);
  await chooseLanguage(page, server.url, 'sv', SV_SETTINGS);
  // A restart while online keeps the choice (it is stored in IndexedDB).
  await page.reload();
  await heading(page, SV_SETTINGS).waitFor();
  return { page, errors };
}

test('the app starts offline in the chosen language, also in a new tab', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    const { page, errors } = await loadAndChooseSwedish(context, server);
    await waitForServiceWorker(page);

    await server.stop();
    await page.reload();
    await heading(page, SV_SETTINGS).waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'sv');
    assert.equal(
      await page.getByTestId('online-status').getAttribute('data-online'),
      'true',
      'the browser itself is online; only the server is gone',
    );

    const fresh = await context.newPage();
    await fresh.goto(server.url);
    await heading(fresh, SV_CATALOGUE).waitFor({ timeout: 10_000 });
    // index.html paints that title too (issue 13): the app is there once
    // its boot screen is gone.
    await fresh.locator('#boot').waitFor({ state: 'detached', timeout: 10_000 });
    // A deep link that was never visited also starts offline.
    await fresh.goto(server.url + 'events');
    await heading(fresh, 'Evenemang').waitFor({ timeout: 10_000 });

    const cspErrors = errors.filter((e) => /Content Security Policy|panicked/i.test(e));
    assert.deepEqual(cspErrors, [], 'no CSP violations or panics');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

test('the shell carries the Finnish messages only; a language that cannot be read offline is refused in words; a device in Swedish reads its own once, and English comes offline too (issue 13)', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const messages = (page) => {
      const asked = [];
      page.on('request', (r) => {
        if (r.url().endsWith('.ftl')) asked.push(new URL(r.url()).pathname);
      });
      return asked;
    };
    // A Finnish device reads no messages at all.
    const fi = await (await browser.newContext({ locale: 'fi-FI' })).newPage();
    const fiAsked = messages(fi);
    await fi.goto(server.url);
    await heading(fi, 'Löydä toimintaa lähelläsi').waitFor();
    await fi.locator('#boot').waitFor({ state: 'detached' });
    assert.deepEqual(fiAsked, []);

    // Offline before the service worker has the Swedish messages, choosing
    // Swedish says that it cannot be loaded yet, and the choice goes back
    // to Finnish (the select used to show Svenska over a Finnish app).
    const blocked = await browser.newContext({ locale: 'fi-FI', serviceWorkers: 'block' });
    const bp = await blocked.newPage();
    await bp.goto(server.url + 'settings');
    const select = bp.getByLabel('Sovelluksen kieli');
    await select.waitFor();
    await blocked.setOffline(true);
    await select.selectOption('sv');
    const failed = bp.getByTestId('language-failed');
    await failed.waitFor();
    assert.match(await failed.textContent(), /Svenska.*Yritä uudelleen, kun olet verkossa/);
    assert.equal(await select.inputValue(), 'fi');
    assert.equal(await bp.evaluate(() => document.documentElement.lang), 'fi');
    await blocked.setOffline(false);
    await select.selectOption('sv');
    await heading(bp, 'Inställningar').waitFor();
    assert.equal(await failed.count(), 0);
    await blocked.close();

    // A Swedish one reads sv.ftl once: index.html asks for it while the
    // wasm downloads, and the app takes that answer.
    const context = await browser.newContext({ locale: 'sv-SE' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const asked = messages(page);
    await page.goto(server.url);
    await heading(page, SV_CATALOGUE).waitFor();
    await page.locator('#boot').waitFor({ state: 'detached' });
    await page.getByRole('navigation').first().getByRole('link', { name: 'Inställningar' }).waitFor();
    assert.deepEqual(asked, ['/sv.ftl']);

    // Offline, English comes from the service worker's copy.
    await waitForServiceWorker(page);
    await server.stop();
    await chooseLanguage(page, server.url, 'en', 'Settings');
    await page.reload();
    await heading(page, 'Settings').waitFor({ timeout: 10_000 });
    assert.deepEqual(errors.filter((e) => /panicked/i.test(e)), []);
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

test('the offline indicator follows the network', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    const status = page.getByTestId('online-status');
    await status.waitFor();
    assert.equal(await status.getAttribute('data-online'), 'true');
    await context.setOffline(true);
    await page.waitForFunction(() => document.querySelector('[data-testid=online-status]').dataset.online === 'false');
    await context.setOffline(false);
    await page.waitForFunction(() => document.querySelector('[data-testid=online-status]').dataset.online === 'true');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

test('control: with service workers blocked the app does not start offline', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const { page } = await loadAndChooseSwedish(context, server);
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null);

    await server.stop();
    const started = await page
      .reload()
      .then(() => heading(page, SV_SETTINGS).waitFor({ timeout: 5_000 }))
      .then(
        () => true,
        () => false,
      );
    assert.equal(started, false, 'without the service worker the reload must fail; otherwise the offline test proves nothing');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Found in a clean-clone run (issue 13): the badges test switched to
// Finnish, saw the Finnish heading, opened a card and got it in English.
// The screen changed language before the choice was saved, and leaving
// the page dropped the save. Here another transaction holds the settings
// for a second while the language is chosen, so the save waits, as it
// did on a loaded machine.
test('a language on screen is a language saved: a reload at once keeps it, even while the settings are busy (issue 13)', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(server.url + 'settings');
    await heading(page, 'Settings').waitFor();
    await page.evaluate(() => new Promise((held, failed) => {
      const open = indexedDB.open('talkoo');
      open.onerror = () => failed(open.error);
      open.onsuccess = () => {
        const settings = open.result.transaction('settings', 'readwrite').objectStore('settings');
        const until = performance.now() + 1000;
        const keep = () => {
          settings.get('nothing').onsuccess = () => (performance.now() < until ? keep() : open.result.close());
        };
        settings.get('nothing').onsuccess = () => {
          held();
          keep();
        };
      };
    }));
    // As `chooseLanguage` does, on the page already open.
    await page.getByRole('combobox').first().selectOption('sv');
    await heading(page, SV_SETTINGS).waitFor();
    await page.waitForFunction(() => document.documentElement.lang === 'sv');
    await page.reload();
    await heading(page, SV_SETTINGS).waitFor({ timeout: 10_000 });
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

/** An HTTP proxy in front of `target` that notes each answer's path and status. */
function countingProxy(target) {
  const answers = [];
  const proxy = http.createServer((request, response) => {
    const upstream = http.request(new URL(request.url, target), { method: request.method, headers: request.headers }, (answer) => {
      answers.push({ path: request.url, status: answer.statusCode });
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
    request.pipe(upstream);
  });
  return new Promise((resolve) => {
    proxy.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${proxy.address().port}/`,
      answers,
      close: () => new Promise((done) => { proxy.closeAllConnections(); proxy.close(done); }),
    }));
  });
}

// Issue 13: the service worker's install downloaded the first-load shell a
// second time (`cache: "reload"`), moments after the page had: about
// 300 KB more on a first visit, on the phone link that the first run's
// region list and download share.
test('issue 13: on a first visit the service worker asks the server whether the shell the page just downloaded changed, and does not download it again', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const proxy = await countingProxy(server.url);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(proxy.url);
    await waitForServiceWorker(page);
    const files = readdirSync(dist.dir);
    const shellWasm = files.find((f) => /^talkoo-[0-9a-f]+_bg\.wasm$/.test(f));
    const answered = (file) => proxy.answers.filter((a) => a.path === `/${file}`).map((a) => a.status);
    assert.deepEqual(answered(shellWasm), [200, 304], `the shell's wasm, once for the page, then only checked: ${JSON.stringify(proxy.answers)}`);
    // What the page did not fetch, the service worker downloads.
    assert.deepEqual(answered('talkoo-badges_bg.wasm'), [200]);
  } finally {
    await browser.close();
    await proxy.close();
    await server.stop();
    dist.remove();
  }
});
