// Issue 3: the catalogue is chosen, synced, searched and opened offline; a
// one-card change fetches only what changed; a corrupt file changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT, DEMO_KEY, copyDist, startServer, launchBrowser, waitForServiceWorker, heading, feedTool, firstRun as sharedFirstRun, resultsShown, resultCount,
} from './support.mjs';

async function firstRun(page, url, region = 'Kainuu') {
  // Regression (issue 3): the first-run screen said "updated just now"
  // before any region was downloaded. Since issue 13 it has no sync bar
  // once the regions are listed (the list would push it down).
  await page.goto(url);
  await page.getByRole('checkbox', { name: region }).waitFor();
  assert.equal(await page.getByTestId('sync-bar').count(), 0, 'no sync bar beside the listed regions');
  assert.equal(await page.getByText(/Information updated/).count(), 0);
  await sharedFirstRun(page, url, region);
  await page.getByTestId('sync-bar').getByText('Information updated just now.').waitFor();
}

/** Presses "Update now" and waits until that sync has finished. */
async function updateNow(page) {
  const syncs = () => page.getByTestId('sync-bar').getAttribute('data-syncs').then(Number);
  const before = await syncs();
  await page.getByRole('button', { name: 'Update now' }).click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=sync-bar]').dataset.syncs) > n, before, { timeout: 30_000 });
}

/**
 * Starts the first run's download of Kainuu with its files held: resolves
 * once the sync has asked for one, with the function that lets them come.
 */
async function firstSyncHeld(page, url) {
  let release;
  let held;
  const holding = new Promise((resolve) => { held = resolve; });
  const released = new Promise((resolve) => { release = resolve; });
  await page.route(/\/feed\/kainuu\//, async (route) => {
    held();
    await released;
    await route.continue();
  });
  await page.goto(url);
  await page.getByRole('checkbox', { name: 'Kainuu' }).check();
  await page.getByRole('button', { name: 'Save and download' }).click();
  await holding;
  return release;
}

/**
 * Has every page of `context` keep the messages it posts to each worker in
 * `window.posted`, in order, a list per worker.
 */
function recordWorkerPosts(context) {
  return context.addInitScript(() => {
    const post = Worker.prototype.postMessage;
    window.posted = [];
    // Whether the list of regions was still on screen at each post.
    window.postedOnList = [];
    Worker.prototype.postMessage = function (message, ...rest) {
      // The worker's wasm, posted first as bytes, is not part of the
      // exchange.
      if (typeof message !== 'string') return post.call(this, message, ...rest);
      this.postedTo ??= window.posted.push([]) - 1;
      window.posted[this.postedTo].push(message);
      window.postedOnList.push([message, document.querySelector('input[type=checkbox]') !== null]);
      return post.call(this, message, ...rest);
    };
  });
}

/** Changes one Kainuu card's summary in a copy of the demo sources and builds it over the served feed. */
function publishChangedCard(feedDir, text) {
  const src = mkdtempSync(join(tmpdir(), 'talkoo-src-'));
  cpSync(join(ROOT, 'feed-src'), src, { recursive: true });
  const file = join(src, 'kainuu', 'services.json');
  const services = JSON.parse(readFileSync(file, 'utf8'));
  services[0].summary = { ...services[0].summary, en: text, fi: text };
  writeFileSync(file, JSON.stringify(services, null, 2));
  feedTool('build', src, feedDir, '--key', DEMO_KEY);
  rmSync(src, { recursive: true, force: true });
  return services[0];
}

test('first run picks Kainuu, syncs, and search and cards work offline after a reload', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await firstRun(page, server.url);
    const all = await resultCount(page);
    assert.ok(all >= 40, `Kainuu has ${all} cards`);
    await waitForServiceWorker(page);

    await context.setOffline(true);
    await server.stop();
    await page.reload();
    await page.getByLabel('Search activities').fill('ystava');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=result-count]').textContent.split(' ')[0]) < n, all);
    assert.ok((await resultCount(page)) > 0, 'a search without ä finds ystävä…');
    assert.match(page.url(), /\?q=ystava/, 'the search lives in the URL');
    const first = page.getByTestId('results').getByRole('link').first();
    const name = await first.textContent();
    await first.click();
    await heading(page, name).waitFor();
    await page.reload();
    await heading(page, name).waitFor({ timeout: 10_000 });
    // Issue 13: the list keeps cards without their long texts; a card's
    // page reads its whole record from storage, offline too.
    await page.goto(server.url + 'services/svc-kn-perhekahvila-sotkamo');
    await heading(page, 'Pesue family café').waitFor();
    const description = await page.getByTestId('service-description').textContent();
    assert.match(description, /Come when it suits you, no registration needed/);
    assert.ok(await page.getByRole('link', { name: '+358 40 123 0082' }).isVisible(), 'the contact is shown');

    // Issue 13: a filter's options are markup the browser parses and the
    // choice is the select's value: choosing narrows the list and lives in
    // the address, clearing shows "All" again, and going back to the
    // address with the choice shows it chosen.
    await page.goto(server.url);
    const association = page.getByLabel('Association', { exact: true });
    await association.selectOption({ label: 'Mielenvire Kainuu Mental Health Association' });
    await page.waitForURL(/[?&]org=org-kn-mielenvire/);
    await page.waitForFunction(() => document.querySelector('[data-testid=result-count]').textContent === '5 results');
    await page.getByRole('link', { name: 'Clear the search and filters' }).click();
    await page.waitForFunction((n) => document.querySelector('[data-testid=result-count]').textContent === `${n} results`, all);
    assert.equal(await association.inputValue(), '', 'All is chosen again');
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('[data-testid=result-count]').textContent === '5 results');
    assert.equal(await association.inputValue(), 'org-kn-mielenvire', 'the choice in the address is shown');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

test('a changed card fetches only the changed files, and a corrupt file changes nothing', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await firstRun(page, server.url);
    const before = await resultCount(page);

    const feedDir = join(dist.dir, 'feed');
    const regionOf = () => JSON.parse(readFileSync(join(feedDir, 'manifest.json'), 'utf8')).regions.find((r) => r.id === 'kainuu');
    const stored = regionOf().version;
    const changed = publishChangedCard(feedDir, 'Changed summary for the delta test.');
    const manifest = JSON.parse(readFileSync(join(feedDir, 'manifest.json'), 'utf8'));
    const kainuu = manifest.regions.find((r) => r.id === 'kainuu');
    const regionBytes = kainuu.files.reduce((sum, f) => sum + f.bytes, 0);
    // The sync runs in its worker, whose requests the page's Resource
    // Timing does not list; Playwright reports them as the page's. Their
    // events reach this process on their own schedule (issue 9), so the
    // test waits for the one file the change must fetch, its delta, before
    // reading the list.
    const delta = kainuu.deltas.find((d) => d.from === stored);
    assert.ok(delta, `the new version has a delta from ${stored}`);
    const fetched = [];
    const onFinished = (request) => {
      if (request.url().includes('/feed/')) fetched.push(request.sizes().then((s) => ({ url: request.url(), bytes: s.responseBodySize })));
    };
    page.on('requestfinished', onFinished);
    const deltaFetched = page.waitForEvent('requestfinished', { predicate: (r) => r.url().endsWith(delta.path), timeout: 30_000 });
    await updateNow(page);
    await deltaFetched;
    // The later syncs' requests are not counted: a size still being asked
    // for when the browser closes at the end would fail the test after it
    // ended.
    page.off('requestfinished', onFinished);
    fetched.splice(0, fetched.length, ...(await Promise.all(fetched)));
    assert.ok(fetched.some((f) => f.url.endsWith('manifest.json')), `the manifest was asked for: ${JSON.stringify(fetched)}`);
    const dataFiles = fetched.filter((f) => !f.url.endsWith('manifest.json') && !f.url.endsWith('manifest.json.sig'));
    assert.equal(dataFiles.length, 1, `only one file after a one-card change: ${JSON.stringify(fetched)}`);
    const share = dataFiles[0].bytes / regionBytes;
    assert.ok(dataFiles[0].bytes > 0 && share <= 0.05, `fetched ${dataFiles[0].bytes} of ${regionBytes} bytes (${(share * 100).toFixed(1)} %)`);
    await page.goto(server.url + 'services/' + changed.id);
    await page.getByText('Changed summary for the delta test.').waitFor();

    // Publish again, then damage the new files: the old data must stay.
    publishChangedCard(feedDir, 'This text must never appear.');
    const next = JSON.parse(readFileSync(join(feedDir, 'manifest.json'), 'utf8')).regions.find((r) => r.id === 'kainuu');
    const published = new Set([...kainuu.files, ...kainuu.deltas].map((f) => f.sha256));
    for (const f of [...next.files, ...next.deltas]) {
      if (!published.has(f.sha256)) {
        const path = join(feedDir, f.path);
        writeFileSync(path, readFileSync(path).subarray(0, 100));
      }
    }
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Update now' }).click();
    await page.getByTestId('sync-error').waitFor();
    assert.equal(await resultCount(page), before, 'the catalogue is unchanged');
    await page.goto(server.url + 'services/' + changed.id);
    await page.getByText('Changed summary for the delta test.').waitFor();
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Issue 9, bug 2: a feed request that stalls (a weak link in Lapland) used
// to keep "Update now" disabled until the app was restarted.
test('a stalled feed file ends the sync at its deadline with the network error, and the old data stays', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    // The sync runs in its worker, which Playwright's fake clock does not
    // reach, so the test waits for the real deadline (20 s and 1 s per
    // 8 KiB of the file's declared size).
    const page = await context.newPage();
    await firstRun(page, server.url);
    const before = await resultCount(page);
    const feedDir = join(dist.dir, 'feed');
    const changed = publishChangedCard(feedDir, 'This text must never appear.');
    let stalled;
    const stalling = new Promise((resolve) => { stalled = resolve; });
    // Every data file of the new version stalls: the request is never answered.
    await page.route(/\/feed\/kainuu\//, () => stalled());
    await page.getByRole('button', { name: 'Update now' }).click();
    await stalling;
    const error = page.getByTestId('sync-error');
    await error.waitFor({ timeout: 60_000 });
    assert.match(await error.textContent(), /connection stalled or was too slow/);
    assert.match(await error.textContent(), /information downloaded earlier is still in use/);
    await page.getByRole('button', { name: 'Update now' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Update now' }).isEnabled(), true, 'a new update can be started');
    assert.equal(await resultCount(page), before, 'the catalogue is unchanged');
    // The card's page after a new start, whose own sync stalls on the same
    // files: with them answered, that sync stored the new version before
    // the check in one run of many (issue 13 made syncs quicker).
    await page.goto(server.url + 'services/' + changed.id);
    await heading(page, changed.name.en ?? changed.name.fi).waitFor();
    assert.equal(await page.getByText('This text must never appear.').count(), 0);
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Issue 13: the sync runs in a worker of its own; one whose files cannot
// load must end the sync with a message, never leave it running.
test('a sync worker that cannot load is reported, and the next sync starts a new one', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    // Without the service worker, so the worker's wasm comes from the
    // network, where the test refuses it.
    const context = await browser.newContext({ locale: 'en-GB', serviceWorkers: 'block' });
    const page = await context.newPage();
    // The first worker lists the regions; every later one is refused,
    // including the one the list prepares for the first region's sync,
    // which the sync then gives up for a new one.
    let loads = 0;
    await context.route('**/talkoo-sync_bg.wasm', (route) => (++loads === 1 ? route.continue() : route.abort()));
    await page.goto(server.url);
    await page.getByRole('checkbox', { name: 'Kainuu' }).waitFor();
    await page.getByRole('checkbox', { name: 'Kainuu' }).check();
    await page.getByRole('button', { name: 'Save and download' }).click();
    const error = page.getByTestId('sync-error');
    await error.waitFor({ timeout: 30_000 });
    assert.match(await error.textContent(), /The update could not start on this device/);
    assert.equal(await page.getByRole('button', { name: 'Update now' }).isEnabled(), true, 'a new update can be started');

    assert.ok(loads >= 2, `${loads} loads of the worker's wasm`);
    await context.unroute('**/talkoo-sync_bg.wasm');
    await page.getByRole('button', { name: 'Update now' }).click();
    await page.getByTestId('sync-bar').getByText('Information updated just now.').waitFor({ timeout: 30_000 });
    assert.equal(await error.count(), 0, 'the error is gone');
    assert.ok((await resultCount(page)) > 0, 'the region is on screen');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Issue 13: on a first visit, before the service worker serves the app,
// the sync worker's files came one after the other, a round trip each
// (its script, then its wasm), and the list of regions waited for the
// worker to ask for the manifest, another round trip: about 0.6 s each on
// the slow link of `make bench`. The page now asks for the worker's wasm
// as it starts the worker, and the worker of a first run asks for the
// manifest as it starts, while its wasm is on its way.
test('issue 13: on a first visit the sync worker\'s wasm and the manifest are asked for before the files that asked for them later', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    // Without the service worker, so every file comes from the network.
    const context = await browser.newContext({ locale: 'en-GB', serviceWorkers: 'block' });
    const asked = (file) => {
      let seen;
      const waiting = new Promise((resolve) => { seen = resolve; });
      return { file, seen, waiting, times: 0 };
    };
    const wasm = asked('talkoo-sync_bg.wasm');
    const manifest = asked('feed/manifest.json');
    const signature = asked('feed/manifest.json.sig');
    // The worker's script is held until its wasm has been asked for, and
    // the wasm until the manifest has.
    for (const [held, until] of [[asked('sync-loader.js'), wasm], [wasm, manifest], [manifest, null], [signature, null]]) {
      await context.route(`**/${held.file}`, async (route) => {
        held.times += 1;
        held.seen();
        await until?.waiting;
        await route.continue();
      });
    }
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole('checkbox', { name: 'Kainuu' }).waitFor();
    // The sync took the answers its worker's script fetched ahead, rather
    // than asking again: the script asks for the URLs the sync builds.
    assert.deepEqual([manifest.times, signature.times], [1, 1], 'the manifest and its signature, each asked for once');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Issue 13: the worker stores a region before it hands its snapshot over,
// so the page shows the region once it has read the snapshot, not after
// the worker has also stored the snapshot and reported its outcome (5 to
// 20 ms later for the demo's region and a 10,000-card one).
test('issue 13: a region handed over is on screen before the sync worker reports its outcome', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    // Once the test says so, a sync worker's outcome waits until released.
    await context.addInitScript(() => {
      const PageWorker = window.Worker;
      window.holdOutcome = false;
      window.heldOutcomes = 0;
      const held = [];
      window.releaseOutcome = () => {
        window.holdOutcome = false;
        for (const [listener, target, event] of held.splice(0)) listener.call(target, event);
      };
      window.Worker = class extends PageWorker {
        constructor(url, options) {
          super(url, options);
          const add = this.addEventListener.bind(this);
          this.addEventListener = (type, listener, options) => add(type, type !== 'message' ? listener : (event) => {
            const outcome = typeof event.data === 'string' && event.data.startsWith('{"done"');
            if (!(outcome && window.holdOutcome)) return listener.call(this, event);
            held.push([listener, this, event]);
            window.heldOutcomes += 1;
          }, options);
        }
      };
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole('checkbox', { name: 'Kainuu' }).check();
    await page.evaluate(() => { window.holdOutcome = true; });
    await page.getByRole('button', { name: 'Save and download' }).click();
    await resultsShown(page);
    assert.ok((await resultCount(page)) > 0);
    // The region is listed before its search index is built, which the
    // outcome follows.
    await page.waitForFunction(() => window.heldOutcomes === 1);
    assert.equal(await page.getByText(/Information updated/).count(), 0, 'the sync is not over yet');
    await page.evaluate(() => window.releaseOutcome());
    await page.getByTestId('sync-bar').getByText('Information updated just now.').waitFor();
    assert.ok((await resultCount(page)) > 0, 'the region stays on screen');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Issue 13: a new worker took 40 to 60 ms to start after the tap on a
// region. The list of regions now prepares the worker that syncs it, and
// asks it to warm its code up before the tap (talkoo_engine::warm); the
// list's own worker, whose request comes at once, is not asked. The
// request goes before the page draws the chosen region.
test('issue 13: the first region is synced by a worker prepared while its list was shown', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    await recordWorkerPosts(context);
    const page = await context.newPage();
    const started = [];
    let second;
    const prepared = new Promise((resolve) => { second = resolve; });
    page.on('worker', (worker) => {
      if (!worker.url().endsWith('/sync-loader.js')) return;
      started.push(worker.url());
      if (started.length === 2) second();
    });
    await page.goto(server.url);
    await page.getByRole('checkbox', { name: 'Kainuu' }).check();
    // The list's own worker, then the prepared one, which the page asks
    // to warm up once it is ready: only a ready worker is posted the
    // request at the tap, a worker still loading when it says it is ready.
    await prepared;
    await page.waitForFunction(() => window.posted[1]?.includes('warm-up'));
    await page.getByRole('button', { name: 'Save and download' }).click();
    await resultsShown(page);
    assert.equal(started.length, 2, 'the sync started no worker of its own');
    assert.ok((await resultCount(page)) > 0);
    const [listRun, spare] = await page.evaluate(() => window.posted);
    assert.deepEqual(listRun.map((m) => JSON.parse(m).regions), [[]], 'the first worker is asked for the list only');
    assert.equal(spare.length, 2, `${spare}`);
    assert.equal(spare[0], 'warm-up', 'the prepared worker warms up first');
    assert.deepEqual(JSON.parse(spare[1]).regions, ['kainuu']);
    // The request is posted before the page draws the chosen region, so
    // the worker starts while the page draws (it waited 13 ms for that).
    const onList = await page.evaluate(() => window.postedOnList);
    assert.deepEqual(onList.find(([message]) => message === spare[1]), [spare[1], true], 'the request was posted while the list of regions was shown');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// A volunteer on a slow phone may tap before the prepared worker has
// loaded. Its sync then waits for the worker to be ready, and must not
// wait for a warm-up as well: the page asks a prepared worker to warm up
// only if no sync has taken it by the time it is ready.
test('issue 13: a sync asked for before the prepared worker is ready does not wait for its warm-up', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    await recordWorkerPosts(context);
    // The prepared worker (the second) is kept from being heard ready
    // until the test lets it: its messages to the page wait meanwhile.
    await context.addInitScript(() => {
      const PageWorker = window.Worker;
      let started = 0;
      window.heldMessages = 0;
      window.Worker = class extends PageWorker {
        constructor(url, options) {
          super(url, options);
          if (!String(url).endsWith('sync-loader.js') || ++started !== 2) return;
          const held = [];
          let released = false;
          window.releaseWorker = () => {
            released = true;
            for (const [listener, event] of held.splice(0)) listener.call(this, event);
          };
          const add = this.addEventListener.bind(this);
          this.addEventListener = (type, listener, options) => add(type, type !== 'message' ? listener : (event) => {
            if (released) return listener.call(this, event);
            held.push([listener, event]);
            window.heldMessages += 1;
          }, options);
        }
      };
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole('checkbox', { name: 'Kainuu' }).check();
    // The prepared worker has said it is ready, and the page has not heard.
    await page.waitForFunction(() => window.heldMessages > 0);
    await page.getByRole('button', { name: 'Save and download' }).click();
    await page.evaluate(() => window.releaseWorker());
    await resultsShown(page);
    assert.ok((await resultCount(page)) > 0);
    const [, spare] = await page.evaluate(() => window.posted);
    assert.equal(spare.length, 1, `the prepared worker was posted only the request: ${spare}`);
    assert.deepEqual(JSON.parse(spare[0]).regions, ['kainuu']);
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

/**
 * Deletes Kainuu's stored snapshot (`change`), as a format change after an
 * update would leave it unusable, or counts it (0 or 1).
 */
function kainuuSnapshot(page, change) {
  return page.evaluate(
    (change) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('talkoo');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('snapshots', change ? 'readwrite' : 'readonly');
          const kept = tx.objectStore('snapshots');
          const request = change ? kept.delete('kainuu') : kept.count('kainuu');
          tx.oncomplete = () => {
            db.close();
            resolve(request.result ?? 0);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    change,
  );
}

// Issue 13: the page never builds a region's snapshot itself (at 50,000
// cards that held it for seconds, and the code weighed on the first-load
// shell). A stored snapshot it cannot use, here deleted as a format change
// after an update would leave it, is built again from the stored records
// by a sync worker, offline too, and stored for the next start.
test('issue 13: a snapshot the page cannot use is built again by a sync worker, offline too', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await firstRun(page, server.url);
    const all = await resultCount(page);
    await waitForServiceWorker(page);
    assert.equal(await kainuuSnapshot(page, false), 1, 'the sync stored a snapshot');
    await kainuuSnapshot(page, true);
    assert.equal(await kainuuSnapshot(page, false), 0, 'deleted');

    await recordWorkerPosts(context);
    await context.setOffline(true);
    await page.reload();
    await page.waitForFunction((n) => document.querySelector('[data-testid=result-count]')?.textContent === `${n} results`, all);
    const posted = await page.evaluate(() => window.posted);
    assert.deepEqual(posted, [[JSON.stringify({ rebuild: ['kainuu'] })]], 'one worker, asked to build Kainuu again');
    assert.equal(await page.getByTestId('store-error').count(), 0);
    // The worker stores each snapshot after handing it over, and reports
    // its outcome, which the page waits for, after that.
    assert.equal(await kainuuSnapshot(page, false), 1, 'stored for the next start');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Issue 13: a region whose snapshot no worker could build is a storage
// error in plain words, not an empty list taken for the truth, and the
// next start builds it, saying meanwhile what the first screen waits for.
test('issue 13: a snapshot no worker could build is reported, and the next start builds it', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    // Without the service worker, so the worker's wasm comes from the
    // network, where the test refuses it.
    const context = await browser.newContext({ locale: 'en-GB', serviceWorkers: 'block' });
    const page = await context.newPage();
    await firstRun(page, server.url);
    const all = await resultCount(page);
    await kainuuSnapshot(page, true);

    await context.route('**/talkoo-sync_bg.wasm', (route) => route.abort());
    await page.reload();
    const error = page.getByTestId('store-error');
    await error.waitFor({ timeout: 30_000 });
    assert.match(await error.textContent(), /could not be read/);
    assert.equal(await kainuuSnapshot(page, false), 0);

    // The worker's wasm is now held back until the page has said what it
    // waits for, then let through.
    await context.unroute('**/talkoo-sync_bg.wasm');
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    await context.route('**/talkoo-sync_bg.wasm', async (route) => {
      await held;
      await route.continue();
    });
    await page.reload();
    const waiting = page.getByTestId('catalogue-rebuilding');
    await waiting.waitFor();
    assert.equal(await waiting.getAttribute('role'), 'status');
    assert.match(await waiting.textContent(), /Preparing the information saved on this device/);
    release();
    await page.waitForFunction((n) => document.querySelector('[data-testid=result-count]')?.textContent === `${n} results`, all);
    assert.equal(await error.count(), 0, 'the error is gone');
    assert.equal(await waiting.count(), 0, 'the status is gone');
    assert.equal(await kainuuSnapshot(page, false), 1);
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Issue 13: a sync worker whose files never arrive (talkoo-serve once left
// such a request unread) kept "Fetching regions…" on screen until a reload.
// The page now gives a new worker 108 s to say it is ready: 20 s and 1 s
// per 8 KiB of WORKER_BYTES (704 KiB, talkoo_engine::worker), the time its
// files take on a 64 kbit/s link.
test('a sync worker that never starts ends the sync at its deadline, and the next sync works', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const sent = ['sync-loader.js', 'talkoo-sync.js', 'talkoo-sync_bg.wasm']
      .map((f) => statSync(join(dist.dir, f)).size)
      .reduce((a, b) => a + b);
    assert.ok(sent <= 704 * 1024, `the sync worker's files (${sent} B) outgrew WORKER_BYTES: raise it, and this test's times`);
    // Without the service worker, so the worker's script comes from the
    // network, where the test holds it. The deadline runs on the page,
    // where Playwright's clock reaches it.
    const context = await browser.newContext({ locale: 'en-GB', serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.clock.install();
    let asked;
    const asking = new Promise((resolve) => { asked = resolve; });
    await context.route('**/sync-loader.js', () => asked());
    await page.goto(server.url);
    await asking;
    await page.getByText('Fetching regions…').waitFor();
    await page.clock.fastForward(106_000);
    assert.equal(await page.getByTestId('sync-error').count(), 0, 'no failure before the deadline');
    await page.clock.fastForward(3_000);
    const error = page.getByTestId('sync-error');
    await error.waitFor({ timeout: 10_000 });
    assert.match(await error.textContent(), /connection stalled or was too slow/);
    assert.doesNotMatch(await error.textContent(), /downloaded earlier/, 'nothing was downloaded before the first run');

    await context.unroute('**/sync-loader.js');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('checkbox', { name: 'Kainuu' }).waitFor({ timeout: 30_000 });
    assert.equal(await error.count(), 0, 'the error is gone');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Issue 13: ending a large sync worker held the page up for up to 92 ms
// while the page read and drew the new catalogue, so each sync's worker is
// ended only once the catalogue is on screen and the page is idle; and it
// is ended, never left holding its memory.
test('each sync worker is ended after the new catalogue is on screen, and none is left running', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    const closed = [];
    page.on('worker', (worker) => {
      if (worker.url().endsWith('/sync-loader.js')) closed.push(worker.waitForEvent('close', { timeout: 0 }));
    });
    await firstRun(page, server.url);
    // One for the list of regions and one for Kainuu at least; the start
    // and the page becoming visible can each ask for a sync too.
    assert.ok(closed.length >= 2, `${closed.length} sync workers`);
    await Promise.all(closed);
    assert.equal(page.workers().filter((w) => w.url().endsWith('/sync-loader.js')).length, 0, 'no sync worker is left');
    // Read from the timeline, which has a mark as soon as it is made: a
    // PerformanceObserver hands marks over in a later task, so a list it
    // filled could still lack the one made with the worker's end (issue
    // 13's faster sync made that race show).
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name).filter((n) => n.startsWith('talkoo-')));
    const shown = marks.lastIndexOf('talkoo-search-index');
    assert.ok(shown >= 0, `the catalogue was shown: ${marks}`);
    assert.equal(marks.filter((m, i) => i > shown && m === 'talkoo-sync-worker-ended').length, 1, `Kainuu's worker ended after the catalogue was shown: ${marks}`);
    const memory = await page.evaluate(() => performance.getEntriesByName('talkoo-sync-worker-ended').at(-1).detail);
    assert.ok(memory > 0, `the worker reported its memory: ${memory}`);
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Issue 13: while a region's first download was under way, the list's
// status said "No results", which a volunteer (and a screen reader, which
// reads the status out) took for a search that found nothing.
test('issue 13: while the first download is under way the list says results come with it, not that there are none', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    const release = await firstSyncHeld(page, server.url);
    // The list's status, which a screen reader reads out when it changes.
    await page.getByRole('status').filter({ hasText: 'Results will show here once the region has been downloaded.' }).waitFor();
    assert.equal(await page.getByText('No results').count(), 0, 'no "No results" before anything was downloaded');
    release();
    await resultsShown(page);
    assert.ok(await resultCount(page) > 0);
    // A search that finds nothing once the region is there says so.
    await page.getByLabel('Search activities').fill('qqqzzzxxx');
    await page.getByRole('status').filter({ hasText: 'No results' }).waitFor();
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

/**
 * Has every sync worker of `context` hold back its messages to the page
 * from the first search index handed over alone (`index: true`, then the
 * outcome), counting them in `window.heldMessages`, until
 * `window.releaseWorker()` delivers them in order.
 */
function holdIndexedSnapshots(context) {
  return context.addInitScript(() => {
    const PageWorker = window.Worker;
    const releases = [];
    window.heldMessages = 0;
    window.releaseWorker = () => releases.splice(0).forEach((release) => release());
    window.Worker = class extends PageWorker {
      constructor(url, options) {
        super(url, options);
        const held = [];
        // Added before the page's own listener, so it can stop the event.
        this.addEventListener('message', (event) => {
          if (event.released) return;
          if (held.length === 0 && event.data?.index !== true) return;
          event.stopImmediatePropagation();
          held.push(event.data);
          window.heldMessages += 1;
          if (held.length === 1) {
            releases.push(() => held.splice(0).forEach((data) => {
              const again = new MessageEvent('message', { data });
              again.released = true;
              this.dispatchEvent(again);
            }));
          }
        });
      }
    };
  });
}

// Issue 13: a region's first sync shows its list before the sync worker
// has built its search index. A search typed in between has found nothing
// yet, which the status must not call "No results".
test('issue 13: a search typed before the first region\'s search index is built says search is being prepared, and its cards follow', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    await holdIndexedSnapshots(context);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole('checkbox', { name: 'Kainuu' }).check();
    await page.getByRole('button', { name: 'Save and download' }).click();
    // The list is on screen, and the snapshot with the index is held.
    await resultsShown(page);
    await page.waitForFunction(() => window.heldMessages > 0);
    const all = await resultCount(page);
    assert.ok(all > 0, `${all} cards listed`);
    await page.getByLabel('Search activities').fill('kerho');
    await page.getByRole('status').filter({ hasText: 'Search is being prepared. Matching cards will show here in a moment.' }).waitFor();
    assert.equal(await page.getByText('No results').count(), 0, 'no "No results" while the index is built');
    // The sync bar says the region is here, not that it is not yet.
    assert.equal(await page.getByTestId('sync-age').textContent(), "The region's data has been downloaded. Search is being prepared.");
    assert.equal(await page.getByTestId('results').getByRole('link').count(), 0);
    await page.evaluate(() => window.releaseWorker());
    await resultsShown(page);
    const found = await resultCount(page);
    assert.ok(found > 0 && found < all, `"kerho" finds ${found} of ${all} cards`);
    assert.ok(await page.getByTestId('results').getByRole('link').count() > 0);
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Issue 9, bug 3: a region chosen while a sync runs was dropped until the
// next trigger, and the finished sync showed the regions chosen before.
test('a region chosen during a sync is downloaded right after it, and the list shows what is chosen', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    // Kainuu's files are held until the subscription has changed.
    const release = await firstSyncHeld(page, server.url);

    await page.getByRole('link', { name: 'Settings' }).first().click();
    await page.getByRole('checkbox', { name: 'Sea Lapland' }).check();
    await page.getByRole('checkbox', { name: 'Kainuu' }).uncheck();
    await page.getByRole('button', { name: 'Save regions' }).click();
    release();

    // The sync was running when the regions changed, so the button comes
    // back only when it, and the one asked for meanwhile, have finished.
    await page.waitForFunction(() => document.querySelector('[data-testid=sync-now]')?.disabled === false, null, { timeout: 30_000 });
    await page.getByRole('link', { name: 'Search' }).first().click();
    await resultsShown(page);
    const municipalities = await page.getByLabel('Municipality').locator('option').allTextContents();
    assert.ok(municipalities.includes('Kemi'), `Meri-Lappi is on the device: ${municipalities}`);
    assert.ok(!municipalities.includes('Kajaani'), `Kainuu is not shown any more: ${municipalities}`);
    const manifest = JSON.parse(readFileSync(join(dist.dir, 'feed', 'manifest.json'), 'utf8'));
    const lapland = manifest.regions.find((r) => r.id === 'meri-lappi');
    const services = lapland.files.filter((f) => f.kind === 'services').reduce((n, f) => n + f.records, 0);
    assert.equal(await resultCount(page), services, 'exactly the Meri-Lappi cards');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Issue 9, bug 6: when the chosen regions could not be read, the first-run
// picker came back as if nothing had been chosen.
test('a storage failure reading the chosen regions is shown, not taken for a first run', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await firstRun(page, server.url);
    // From the next load on, IndexedDB fails to read that one setting.
    await context.addInitScript(() => {
      const get = IDBObjectStore.prototype.get;
      IDBObjectStore.prototype.get = function (key) {
        if (key === 'catalogue.regions') throw new DOMException('simulated disk failure', 'UnknownError');
        return get.call(this, key);
      };
    });
    await page.reload();
    const error = page.getByTestId('store-error');
    await error.waitFor();
    assert.match(await error.textContent(), /could not be read/);
    assert.equal(await page.getByRole('checkbox', { name: 'Kainuu' }).count(), 0, 'no first-run picker');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Found while trying issue 13's first visit at a kiosk's size with a
// double tap: the first tap on "Save and download" put the catalogue in
// the picker's place, and the second tap of the same double tap opened
// the filter that was now under the finger (index.html's head script).
test('issue 13: the second tap of a double tap lands nowhere once the first one changed what is under it, and a new tap works', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'en-GB', viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(server.url);
    await page.getByRole('checkbox', { name: 'Kainuu' }).check();
    const box = await page.getByRole('button', { name: 'Save and download' }).boundingBox();
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.click(x, y);
    // Until the sync has ended, the sync bar changes height.
    await resultsShown(page);
    await page.waitForFunction(() => document.querySelector('[data-testid=sync-now]')?.disabled === false);
    // The test means something only while a control has taken the
    // button's place; it names the one it finds.
    const under = await page.evaluate(([px, py]) => {
      const control = document.elementFromPoint(px, py)?.closest('a, button, input, select, textarea');
      return control ? (control.labels?.[0]?.textContent ?? control.textContent).trim() : null;
    }, [x, y]);
    assert.ok(under, 'a control is where the save button was; choose another viewport if the layout moved');
    const control = page.getByRole('main').getByLabel(under, { exact: true }).or(page.getByRole('main').getByRole('link', { name: under, exact: true })).first();
    const focused = () => control.evaluate((el) => el === document.activeElement);
    // The second press of the double tap (a click count of 2).
    await page.mouse.down({ clickCount: 2 });
    await page.mouse.up({ clickCount: 2 });
    assert.equal(await focused(), false, `the second tap did not reach "${under}"`);
    assert.equal(new URL(page.url()).pathname, new URL(server.url).pathname, 'no page was opened');
    // A tap of its own there reaches the control.
    await page.mouse.click(x, y);
    assert.equal(await focused(), true, `a new tap reaches "${under}"`);
    await page.keyboard.press('Escape');
    // A double click on one thing still does what it does: selects a word.
    const search = page.getByLabel('Search activities');
    await search.fill('Kajaani');
    await search.dblclick();
    assert.equal(await search.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd)), 'Kajaani');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});
