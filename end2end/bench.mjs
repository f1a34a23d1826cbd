// `make bench`: prints Talkoo's performance figures as one table and writes
// them to bench/results.json. Each timing is the median of several runs, with
// min and max. It measures:
// 1. the build's size part by part (raw, gzip, brotli): the first-load shell,
//    the sync and verifier workers, the badges module, the kiosk
//    stylesheet and the Swedish and English messages
//    (scripts/shell-size.mjs); the shell's wasm by feature
//    (scripts/wasm-features.mjs); and Lighthouse's mobile preset on the
//    catalogue page;
// 2.–3. the feeds' sizes and what a one-card change downloads;
// 4. per feed (the demo's Kainuu and synthetic regions): the first sync,
//    from the tap on "Save and download" to the first results painted,
//    and the sync worker's part (from the request posted to the outcome
//    heard, seen through a wrapped Worker; the outcome comes after the
//    results, which the page shows once a region is handed over, and a
//    region downloaded whole is indexed after that), against a plain
//    JavaScript loop storing the same records, all timed in the page (the
//    two take turns going first, the JavaScript loop never runs while
//    the app's sync worker is still there, and the page's garbage is
//    collected before the second, so that neither pays for the other's;
//    the test driver's own script for waiting in the page is put there
//    before the tap, so the app's time does not carry it), and how much
//    of the loop's time is spent downloading the files;
//    for the demo, the model app (end2end/model/: the least any app must
//    do under the issue's rules, in plain JavaScript, from the tap to the
//    paint, the list shown once stored as the app shows it) against the
//    loop in its own page;
//    the demo's first sync and the loop again on a slow link (the one
//    Lighthouse's mobile preset assumes, `SLOW_LINK`), the app loaded
//    and its sync worker ready before the link is slowed;
//    a first visit on that link, for everything the visit downloads
//    (end2end/throttle.mjs), until the regions are listed;
//    the longest main-thread task
//    from the tap until a second after the app ended its sync worker (the
//    page ends it once idle; the browser frees its memory after that),
//    how long after the first results search was ready (a region's
//    first sync hands its list over before its search index is built),
//    how long after the first results that worker ended, the sync
//    worker's peak wasm memory, the warm offline start (from the
//    regions' stored snapshots), typing searches, memory after the sync
//    and after a warm start, and the stored snapshot's size;
// 5. the app's search per query against MiniSearch with prefix and fuzzy
//    search on, in the same page over the same cards, both returning the
//    ids of their first ten results (the queries include the relevance
//    test's, crates/talkoo-core/tests/fixtures/search/relevance.json);
// 6. opening My hours with thousands of entries.
import { cpSync, readFileSync, mkdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { parts } from '../scripts/shell-size.mjs';
import { shellFeatures } from '../scripts/wasm-features.mjs';
import { ROOT, DEMO_KEY, startServer, launchBrowser, feedTool, waitForServiceWorker } from './support.mjs';
import { throttledProxy } from './throttle.mjs';

const MINISEARCH_VERSION = JSON.parse(readFileSync(join(ROOT, 'node_modules/minisearch/package.json'), 'utf8')).version;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? '10000,50000').split(',').map(Number);
const HOURS = Number(process.env.BENCH_HOURS ?? 5_000);
/** The relevance test's queries and the cards expected first (crates/talkoo-core/tests/relevance.rs). */
const RELEVANCE = JSON.parse(readFileSync(join(ROOT, 'crates/talkoo-core/tests/fixtures/search/relevance.json'), 'utf8'));

/**
 * How many of the relevance test's queries put exactly the expected cards
 * first, for each side of a search comparison over the demo feed.
 */
export function relevanceScore(cmp, cases = RELEVANCE) {
  const right = (top, first) => {
    const got = new Set(top.slice(0, first.length));
    return first.length <= top.length && first.every((id) => got.has(id));
  };
  const rows = new Map(cmp.rows.map((r) => [r.q, r]));
  const score = (key) => cases.filter((c) => right(rows.get(c.q)?.[key] ?? [], c.first));
  const ours = score('oursTop');
  const theirs = score('theirsTop');
  return { queries: cases.length, ours: ours.length, minisearch: theirs.length, missedByMiniSearch: cases.filter((c) => !theirs.includes(c)).map((c) => c.q) };
}

/**
 * Queries for the search comparison: Finnish and Swedish, whole words,
 * prefixes, parts of compounds, and words typed without ä, ö or å.
 */
export const SEARCH_QUERIES = [
  'ystävä', 'ystava', 'ystävätoiminta', 'vertais', 'vertaistuki', 'perhe', 'kerho', 'perhekerho', 'kieli', 'kahvila',
  'omaishoitaja', 'omais', 'ikaihmiset', 'ikä', 'nuoret', 'lapset', 'paivakoti', 'terveys', 'keskus', 'kirjasto',
  'kylätalo', 'kylatalo', 'liikunta', 'ulkoilu', 'retki', 'metsaretki', 'ruoka', 'ruoka-apu', 'kuljetus', 'asiointi',
  'digi', 'laksy', 'läksyapu', 'kadentaidot', 'musiikki', 'kuoro', 'teatteri', 'luonto', 'marjastus', 'talkoot',
  'kierratys', 'keskustelu', 'mielenterveys', 'kuntoutus', 'vapaaehtoinen', 'joulu', 'kesaleiri', 'kuntosali', 'lukupiiri', 'puutyö',
  'vän', 'vanverksamhet', 'kamrat', 'familj', 'språkcafé', 'sprakcafe', 'närstående', 'aldre', 'unga', 'barn',
  'daghem', 'hälso', 'halsocentral', 'bibliotek', 'byagard', 'motion', 'friluft', 'utflykt', 'maltid', 'mathjälp',
  'skjut', 'digistöd', 'laxhjalp', 'hantverk', 'musik', 'sång', 'kör', 'teater', 'natur', 'aterv',
  'samtal', 'frivillig', 'förening', 'kerho retki', 'musik kör',
  // Inflected forms, typing errors, Sámi and two-word queries: the relevance test's.
  ...RELEVANCE.map((c) => c.q),
];

const QUERIES = ['ystävä', 'ystava', 'kerho', 'keskus', 'läxhjälp', 'vän', 'kirjasto', 'talkoot retki', 'musiikki', 'aldre', 'ikäihmisille', 'ystvä'];

/**
 * Raw, gzip -9 and brotli q11 sizes of the build part by part
 * (scripts/shell-size.mjs): `shell` is what a first visit downloads,
 * `parts` every part with its files.
 */
export function shellSizes(dist) {
  const all = parts(dist);
  return { files: all[0].files, total: all[0].total, parts: all };
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/** A copy of dist whose feed/ is `feedDir`. */
function site(feedDir) {
  const dir = mkdtempSync(join(tmpdir(), 'talkoo-bench-'));
  cpSync(join(ROOT, 'dist'), dir, { recursive: true });
  rmSync(join(dir, 'feed'), { recursive: true, force: true });
  cpSync(feedDir, join(dir, 'feed'), { recursive: true });
  return dir;
}

/**
 * A copy of dist whose feed/ is `feedDir` (`site`), served, with its data
 * files asked for once first when `compressed` (`precompress`), and a
 * browser; `close` ends both and removes the copy.
 */
async function servedSite(feedDir, { compressed = false } = {}) {
  const dir = site(feedDir);
  const server = await startServer(dir);
  if (compressed) await step('compressing the feed', precompress(server.url, feedDir));
  const browser = await launchBrowser();
  const close = async () => {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { server, browser, close };
}

function regionBytes(feedDir, id) {
  const m = JSON.parse(readFileSync(join(feedDir, 'manifest.json'), 'utf8'));
  return m.regions.find((r) => r.id === id).files.reduce((s, f) => s + f.bytes, 0);
}

/** How long a step may take unless it says otherwise (`runBench`'s `stepMs`). */
let stepLimit = 600_000;

/**
 * Awaits one step of the bench, failing with the step's name if it takes
 * longer than `ms`: a stuck browser must stop `make test` with a reason,
 * not hold it until CI gives up.
 */
function step(name, promise, ms = stepLimit) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench step "${name}" took more than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/**
 * Notes when the page posts each sync worker its request and when it hears
 * the outcome (`{"done":…}`, talkoo_engine::worker::FromWorker), by
 * wrapping the page's Worker: the app itself carries no code for the bench.
 */
const WORKER_TIMES = `
  window.__syncWorker = [];
  const PageWorker = window.Worker;
  window.Worker = function (url, options) {
    const worker = new PageWorker(url, options);
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message, ...rest) => {
      post(message, ...rest);
      // The worker's wasm, posted first as bytes, is not a request.
      if (typeof message === 'string') window.__syncWorker.push(['request', performance.now()]);
    };
    worker.addEventListener('message', (e) => {
      if (String(e.data).startsWith('{"done":')) window.__syncWorker.push(['done', performance.now()]);
    });
    return worker;
  };
`;

/** Remembers the wasm instance's exports, to read its linear memory later. */
const KEEP_WASM = "addEventListener('TrunkApplicationStarted', (e) => { window.__talkooWasm = e.detail.wasm; });";

/**
 * Notes the last click (`__tap`) and when the first result link is painted
 * (`__firstResults`): the animation frame after it enters the page, in ms
 * since navigation began. Read in the page, because
 * a poll from the test only sees it once the page's main thread is free
 * again, and the app builds its search index right after that paint.
 */
const FIRST_RESULTS = `
  addEventListener('click', () => { window.__tap = performance.now(); }, true);
  new MutationObserver((_, observer) => {
    if (document.querySelector('[data-testid=results] a')) {
      observer.disconnect();
      requestAnimationFrame(() => { window.__firstResults = performance.now(); });
    }
  }).observe(document, { childList: true, subtree: true });
`;

/**
 * Keeps every long task (a main-thread task over 50 ms) the page runs, to
 * find the longest one during a sync.
 */
const LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
`;

/**
 * Waits for the app's mark, after the tap, that the catalogue on screen
 * has its search index (src/catalogue.rs), and answers how long after the
 * first results it came.
 */
async function searchIndexBuilt(page) {
  await page.waitForFunction(() => performance.getEntriesByName('talkoo-search-index').some((e) => e.startTime >= window.__tap), null, { timeout: 600_000 });
  return page.evaluate(() => Math.max(0, performance.getEntriesByName('talkoo-search-index').find((e) => e.startTime >= window.__tap).startTime - window.__firstResults));
}

/**
 * Waits for the app's mark that it ended the sync worker of the sync the
 * tap started (src/sync_worker.rs) and answers the worker's peak memory in
 * bytes, which the mark carries, and how long after the first results it
 * ended. Only a mark after the tap counts: the page ends a worker before
 * it, the one that read the region list, and taking that mark ended the
 * watch for long tasks early and could report that worker's memory
 * (issue 13).
 */
async function syncWorkerEnded(page) {
  await page.waitForFunction(() => performance.getEntriesByName('talkoo-sync-worker-ended').some((e) => e.startTime >= window.__tap), null, { timeout: 0 });
  return page.evaluate(() => {
    const ended = performance.getEntriesByName('talkoo-sync-worker-ended').filter((e) => e.startTime >= window.__tap).at(-1);
    return { memory: ended.detail ?? 0, afterResults: ended.startTime - window.__firstResults };
  });
}

/**
 * How long the bench goes on watching for long tasks after the sync worker
 * ended: the browser frees the worker's memory on another thread, and a
 * page working meanwhile can be held up by it (about 100 ms here for
 * a worker of 400 MB). This is a window of observation, not a wait for the app.
 */
const AFTER_WORKER_MS = 1_000;

/**
 * The baseline a team would write in plain JavaScript: fetch the region's
 * data files after the manifest, parse them, and put every record into
 * IndexedDB in one transaction. No hashing, no validation, no index.
 * Answers its time (`elapsed`, from the manifest in hand to the
 * transaction's end), the part of it spent downloading the files
 * (`download`, until the last file's text is in), and how long the
 * manifest took before it (`manifest`), which the app's time includes
 * and the loop's does not.
 */
function jsIngest(page, regionId) {
  return page.evaluate(async (id) => {
    const base = document.baseURI;
    const asked = performance.now();
    const manifest = await (await fetch(base + 'feed/manifest.json', { cache: 'no-store' })).json();
    const started = performance.now();
    const region = manifest.regions.find((r) => r.id === id);
    const texts = await Promise.all(region.files.map((f) => fetch(base + 'feed/' + f.path, { cache: 'no-store' }).then((r) => r.text())));
    const download = performance.now() - started;
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open(`js-baseline-${Math.random()}`, 1);
      r.onupgradeneeded = () => r.result.createObjectStore('records');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const tx = db.transaction('records', 'readwrite');
    const store = tx.objectStore('records');
    for (const text of texts) {
      const data = JSON.parse(text);
      for (const kind of ['organisations', 'services', 'places', 'events']) {
        for (const record of data[kind] ?? []) store.put(JSON.stringify(record), `${id}\u0001${kind}\u0001${data.partition}\u0001${record.id}`);
      }
    }
    await new Promise((ok, fail) => {
      tx.oncomplete = ok;
      tx.onerror = () => fail(tx.error);
    });
    const elapsed = performance.now() - started;
    db.close();
    return { elapsed, download, manifest: started - asked };
  }, regionId);
}

/**
 * Collects the page's garbage. Between the two ingests of a run: the
 * JavaScript loop leaves a 50,000-card region's parsed records behind, and
 * a garbage collection with them to collect, during the app's sync that
 * followed, added 25 ms to one of the page's tasks (issue 13). The app's
 * leftovers are collected before the loop alike.
 */
async function collectGarbage(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.detach();
}

/** JS heap in use and the wasm's linear memory, in bytes. */
async function memory(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => window.__talkooWasm?.memory?.buffer.byteLength ?? 0);
  return { jsHeap: usedSize, wasmMemory: wasm };
}

/** Bytes of every region snapshot the app stored (IndexedDB `snapshots`). */
async function snapshotBytes(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('talkoo');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const all = db.transaction('snapshots').objectStore('snapshots').getAll();
      all.onerror = () => reject(all.error);
      all.onsuccess = () => {
        db.close();
        // A Blob, or a Uint8Array as an earlier Talkoo stored it.
        resolve(all.result.reduce((sum, value) => sum + (value.size ?? value.byteLength), 0));
      };
    };
  }));
}

/**
 * Asks the server once for every data file, so that it has
 * compressed them before anything is timed, as a CDN or a server with
 * precompressed files would have. Otherwise the app's first sync would pay
 * for compressing the feed and the JavaScript baseline, which runs after
 * it, would not.
 */
async function precompress(base, feedDir) {
  const manifest = JSON.parse(readFileSync(join(feedDir, 'manifest.json'), 'utf8'));
  for (const region of manifest.regions) {
    for (const file of [...region.files, ...(region.deltas ?? [])]) {
      // Both, since which one a browser asks for over plain http varies.
      for (const encoding of ['br', 'gzip']) {
        const response = await fetch(new URL('feed/' + file.path, base), { headers: { 'accept-encoding': encoding } });
        await response.arrayBuffer();
      }
    }
  }
}

/**
 * For one feed: the first sync (pressing "Save and download" until the
 * results are on screen) and the plain-JavaScript ingest of the same region
 * in the same browser; then, with the data stored, typing searches, memory
 * after the sync, the warm offline start (navigation until the first
 * results, all cards of the region before any query, are on screen; the
 * catalogue comes from the region's stored snapshot), memory after it, and
 * the snapshot's size.
 */
async function feedRuns(feedDir, regionName, regionId, { runs, queries }) {
  const { server, browser, close } = await servedSite(feedDir, { compressed: true });
  const sync = [];
  const inWorker = [];
  const baseline = [];
  const download = [];
  const longest = [];
  const workerMemory = [];
  const workerEnded = [];
  const searchReady = [];
  const warm = [];
  let search = [];
  let mem = null;
  let memWarm = null;
  let snapshot = 0;
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ locale: 'en-GB' });
      await context.addInitScript(KEEP_WASM);
      await context.addInitScript(FIRST_RESULTS);
      await context.addInitScript(WORKER_TIMES);
      await context.addInitScript(LONG_TASKS);
      const page = await context.newPage();
      await page.goto(server.url);
      await page.getByRole('checkbox', { name: regionName }).check();
      // The two take turns going first, so neither always meets a colder
      // or warmer browser and disk.
      const jsFirst = run % 2 === 1;
      const loop = async () => {
        const { elapsed, download: downloading } = await step('plain JavaScript ingest', jsIngest(page, regionId));
        baseline.push(elapsed);
        download.push(downloading);
      };
      if (jsFirst) {
        await loop();
        await collectGarbage(page);
      }
      // The test driver puts its script for waiting in the page (main
      // world) at its first wait there; done during the timed sync, that
      // took 5 to 8 ms of the page's main thread while the app worked
      // (traces, issue 13), and the JavaScript loop, timed inside one
      // evaluation, never paid for it. It is put in place before the tap.
      await page.waitForFunction(() => true);
      const pageStart = await page.evaluate(() => performance.now());
      await page.getByRole('button', { name: 'Save and download' }).click();
      await step('first sync', page.waitForFunction(() => window.__firstResults !== undefined, null, { timeout: 0 }));
      // From the tap to the paint, as the page saw them: the JavaScript
      // loop is timed in the page too, so neither side counts the test
      // driver's round trips (about 35 ms at the demo's size).
      sync.push(await page.evaluate(() => window.__firstResults - window.__tap));
      // The search index comes after the list (the sync worker builds it
      // once the region's list is handed over), and the page ends its sync
      // worker when it is idle after that; nothing else is timed until
      // the worker is gone.
      searchReady.push(await step('search index', searchIndexBuilt(page)));
      const ended = await step('sync worker ended', syncWorkerEnded(page));
      // The sync worker's own part, without the page's (WORKER_TIMES):
      // its outcome comes after the search index, and so after the first
      // results.
      inWorker.push(await page.evaluate(() => {
        const last = (kind) => window.__syncWorker.filter(([k, t]) => k === kind && t >= window.__tap).at(-1)?.[1];
        return last('done') - last('request');
      }));
      workerMemory.push(ended.memory);
      workerEnded.push(ended.afterResults);
      // Time itself is what this wait is for: the teardown after the mark
      // has no event of its own, so the bench watches a fixed window for a
      // long task it causes (AFTER_WORKER_MS).
      await page.waitForTimeout(AFTER_WORKER_MS);
      longest.push(await page.evaluate((from) => Math.max(0, ...window.__longTasks.filter((t) => t.start + t.duration >= from).map((t) => t.duration)), pageStart));
      if (!jsFirst) {
        await collectGarbage(page);
        await loop();
      }
      if (run === 0) {
        search = await step('typing searches', searchTimesIn(page, queries));
        mem = await step('memory', memory(page), 60_000);
        await step('service worker', waitForServiceWorker(page), 120_000);
        await context.setOffline(true);
        for (let i = 0; i < runs; i++) {
          await page.goto(server.url);
          await step('warm start', page.waitForFunction(() => window.__firstResults !== undefined, null, { timeout: 0 }));
          warm.push(await page.evaluate(() => window.__firstResults));
        }
        memWarm = await step('memory after a warm start', memory(page), 60_000);
        snapshot = await step('snapshot size', snapshotBytes(page));
      }
      await context.close();
    }
  } finally {
    await close();
  }
  const median = (xs) => stats(xs).median;
  return {
    sync: stats(sync),
    jsBaseline: stats(baseline),
    jsDownload: stats(download),
    ingestRatio: median(sync) / median(baseline),
    syncInWorker: stats(inWorker),
    workerRatio: median(inWorker) / median(baseline),
    longestTask: stats(longest),
    syncWorkerMemory: Math.max(...workerMemory),
    workerEndedAfterResults: stats(workerEnded),
    searchAfterResults: stats(searchReady),
    warmStart: stats(warm),
    search: stats(search),
    memory: mem,
    memoryWarm: memWarm,
    snapshotBytes: snapshot,
  };
}

/** The model app's files (end2end/model/), served beside the app's index.html. */
const MODEL_FILES = ['model.html', 'model.js', 'model-worker.js'];

/**
 * The model app (end2end/model/): the least any app must do for a
 * region's first sync under issue 13's rules (in a worker: the files asked
 * for at once from the stored manifest while it is checked, each hashed
 * and parsed, all stored in one transaction; then the list handed to the
 * page, drawn and painted), written plainly in JavaScript, timed from the
 * tap to the paint as the app is, against the plain loop in the same page,
 * the two taking turns going first. At the demo's size this is the floor
 * of the app's ratio to the loop.
 */
export async function modelRuns(feedDir, regionId, runs) {
  const dir = site(feedDir);
  for (const file of MODEL_FILES) cpSync(join(ROOT, 'end2end/model', file), join(dir, file));
  const server = await startServer(dir);
  const browser = await launchBrowser();
  const model = [];
  const baseline = [];
  try {
    await step('compressing the feed', precompress(server.url, feedDir));
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(server.url + 'model.html');
      await page.evaluate(async (id) => {
        await window.__ready;
        await window.__prepare(id);
      }, regionId);
      await page.waitForFunction(() => true);
      const modelRun = async () => {
        await page.getByRole('button', { name: 'Sync' }).click();
        await step('model app', page.waitForFunction(() => window.__painted !== undefined || window.__failed !== undefined, null, { timeout: 0 }));
        const { failed, time } = await page.evaluate(() => ({ failed: window.__failed, time: window.__painted - window.__tap }));
        if (failed) throw new Error(`model app: ${failed}`);
        model.push(time);
      };
      const loop = async () => baseline.push((await step('plain JavaScript ingest', jsIngest(page, regionId))).elapsed);
      if (run % 2) {
        await loop();
        await collectGarbage(page);
        await modelRun();
      } else {
        await modelRun();
        await collectGarbage(page);
        await loop();
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { model: stats(model), jsBaseline: stats(baseline), ratio: stats(model).median / stats(baseline).median };
}

/**
 * The link Lighthouse's mobile preset assumes (`mobileSlow4G`, which its
 * source likens to WebPageTest's "Fast 3G"), as Lighthouse applies it
 * with DevTools throttling: every request waits 562.5 ms (a 150 ms round
 * trip times 3.75 for a phone network's overhead), 1.6 Mbit/s (binary)
 * down and 750 kbit/s up, each times 0.9. Chromium applies it to the
 * page's requests and to its workers', the sync worker's too.
 */
export const SLOW_LINK = { offline: false, latency: 150 * 3.75, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };

/**
 * Marks (`window.__regionsListed`, ms since navigation began) when the
 * first run's region picker has its first region to tick.
 */
const REGIONS_LISTED = `
  new MutationObserver((_, observer) => {
    if (document.querySelector('input[type=checkbox]')) {
      observer.disconnect();
      requestAnimationFrame(() => { window.__regionsListed = performance.now(); });
    }
  }).observe(document, { childList: true, subtree: true });
`;

/**
 * A first visit on the slow link, from the navigation until the regions
 * to choose from are listed: what a volunteer opening the app for the
 * first time on a phone network waits for before the first tap. The link
 * is `throttledProxy`'s, for everything the visit downloads, the service
 * worker's precaching included, which Chromium's emulation leaves at full
 * speed (end2end/throttle.mjs).
 */
export async function firstVisitRuns(runs) {
  const { server, browser, close } = await servedSite(join(ROOT, 'public/feed'), { compressed: true });
  const proxy = await throttledProxy(server.url, { latency: SLOW_LINK.latency, bytesPerSecond: SLOW_LINK.downloadThroughput });
  const listed = [];
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ locale: 'en-GB' });
      await context.addInitScript(REGIONS_LISTED);
      const page = await context.newPage();
      await page.goto(proxy.url);
      await step('regions listed on a first visit', page.waitForFunction(() => window.__regionsListed !== undefined, null, { timeout: 0 }));
      listed.push(await page.evaluate(() => window.__regionsListed));
      await context.close();
    }
  } finally {
    await proxy.close();
    await close();
  }
  return { link: SLOW_LINK, listed: stats(listed) };
}

/**
 * Counts the workers the page started that have said they are ready
 * (`"ready"`, talkoo_engine::worker::FromWorker) and have not been asked
 * for anything but to warm up (`warm-up`, talkoo_engine::worker::WARM_UP;
 * the page posts each its wasm too, as bytes):
 * the sync worker the page prepares for the next tap.
 */
const SPARE_WORKER = `
  window.__spareWorkers = 0;
  const SparePageWorker = window.Worker;
  window.Worker = function (url, options) {
    const worker = new SparePageWorker(url, options);
    let state = 'starting';
    worker.addEventListener('message', (e) => {
      if (e.data === '"ready"' && state === 'starting') {
        state = 'spare';
        window.__spareWorkers++;
      }
    });
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message, ...rest) => {
      // The worker's wasm, posted first as bytes, is not a request.
      if (typeof message === 'string' && message !== 'warm-up') {
        if (state === 'spare') window.__spareWorkers--;
        state = 'asked';
      }
      post(message, ...rest);
    };
    return worker;
  };
`;

/**
 * The first sync of a feed's region on the slow link ([`SLOW_LINK`]),
 * from the tap to the first results painted, against the JavaScript loop
 * on the same link, in turns as in `feedRuns`. The page loads, the
 * service worker installs, the region is picked and the page has its sync
 * worker ready before the link is slowed, so only the sync waits for it:
 * what a volunteer on a phone network waits for once the app is there.
 * (Without the wait for the sync worker, one run in five or so was 0.6 to
 * 1.2 s slower: its worker started only at the tap.) Only the demo's
 * size: a synthetic region of 10,000 cards would take minutes to download
 * at this speed.
 */
async function slowLinkRuns(feedDir, regionName, regionId, runs) {
  const { server, browser, close } = await servedSite(feedDir, { compressed: true });
  const sync = [];
  const baseline = [];
  const download = [];
  const manifest = [];
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ locale: 'en-GB' });
      await context.addInitScript(FIRST_RESULTS);
      await context.addInitScript(SPARE_WORKER);
      const page = await context.newPage();
      await page.goto(server.url);
      await step('service worker', waitForServiceWorker(page), 120_000);
      await page.getByRole('checkbox', { name: regionName }).check();
      await step('sync worker ready', page.waitForFunction(() => window.__spareWorkers > 0, null, { timeout: 0 }));
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', SLOW_LINK);
      const loop = async () => {
        const r = await step('plain JavaScript ingest on a slow link', jsIngest(page, regionId));
        baseline.push(r.elapsed);
        download.push(r.download);
        manifest.push(r.manifest);
      };
      const jsFirst = run % 2 === 1;
      if (jsFirst) {
        await loop();
        await collectGarbage(page);
      }
      await page.waitForFunction(() => true);
      await page.getByRole('button', { name: 'Save and download' }).click();
      await step('first sync on a slow link', page.waitForFunction(() => window.__firstResults !== undefined, null, { timeout: 0 }));
      sync.push(await page.evaluate(() => window.__firstResults - window.__tap));
      if (!jsFirst) {
        await step('sync worker ended', syncWorkerEnded(page));
        await collectGarbage(page);
        await loop();
      }
      await context.close();
    }
  } finally {
    await close();
  }
  return {
    link: SLOW_LINK,
    sync: stats(sync),
    jsBaseline: stats(baseline),
    jsDownload: stats(download),
    jsManifest: stats(manifest),
    ingestRatio: stats(sync).median / stats(baseline).median,
  };
}

/** Typing a query until the result count on screen changes (search plus rendering). */
async function searchTimesIn(page, queries) {
  const times = [];
  const input = page.getByLabel('Search activities');
  for (const q of queries) {
    for (let i = 0; i < 3; i++) {
      await input.fill('');
      await page.waitForFunction(() => !location.search.includes('q='));
      const before = await page.getByTestId('result-count').textContent();
      const started = performance.now();
      await input.fill(q);
      await page.waitForFunction((b) => document.querySelector('[data-testid=result-count]').textContent !== b, before);
      times.push(performance.now() - started);
    }
  }
  return times;
}

/** Bytes a client one version behind fetches after a one-card change. */
function oneCardChange(srcDir, feedDir, region) {
  const copy = mkdtempSync(join(tmpdir(), 'talkoo-bench-feed-'));
  cpSync(feedDir, copy, { recursive: true });
  const src = mkdtempSync(join(tmpdir(), 'talkoo-bench-src-'));
  cpSync(srcDir, src, { recursive: true });
  const file = join(src, region, 'services.json');
  const services = JSON.parse(readFileSync(file, 'utf8'));
  services[0].summary = { ...services[0].summary, fi: 'Muutettu kuvaus.' };
  writeFileSync(file, JSON.stringify(services, null, 2));
  feedTool('build', src, copy, '--key', DEMO_KEY);
  const m = JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8'));
  const delta = m.regions.find((r) => r.id === region).deltas[0];
  const result = { bytes: delta.bytes, share: delta.bytes / regionBytes(copy, region) };
  rmSync(copy, { recursive: true, force: true });
  rmSync(src, { recursive: true, force: true });
  return result;
}

/**
 * Opening "My hours" with `count` entries stored: from navigation until the
 * totals and the first entries are on screen. The entries are written
 * straight into IndexedDB, as a year of daily logging would leave them.
 */
export async function hoursPageTimes(count, runs = RUNS) {
  const { server, browser, close } = await servedSite(join(ROOT, 'public/feed'));
  const times = [];
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await page.goto(server.url + 'hours');
    await page.getByTestId('empty-state').getByText('You have not logged').waitFor();
    await page.evaluate(async (n) => {
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open('talkoo');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const tx = db.transaction('hours', 'readwrite');
      const store = tx.objectStore('hours');
      const categories = ['guidance', 'transport', 'events', 'peer-support', 'office', 'other'];
      const day = 86_400_000;
      for (let i = 0; i < n; i += 1) {
        const id = crypto.randomUUID();
        const date = new Date(Date.now() - (i % 700) * day).toISOString().slice(0, 10);
        const entry = {
          id, date, minutes: 30 + (i % 8) * 15,
          organisation: { id: `org-${i % 12}`, name: `Yhdistys ${i % 12}` },
          category: categories[i % categories.length],
          note: i % 3 === 0 ? 'Kahvit, bingo ja läksyapu' : '',
          created: `${date}T18:00:00Z`, modified: `${date}T18:00:00Z`,
        };
        store.put(JSON.stringify({ entry, delivery: { state: i % 4 === 0 ? 'sent' : 'local', ...(i % 4 === 0 ? { at_ms: 1 } : {}) } }), id);
      }
      await new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); });
      db.close();
    }, count);
    for (let run = 0; run < runs; run += 1) {
      const start = Date.now();
      await page.goto(server.url + 'hours');
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid=entry]').length > 0 && document.querySelector('[data-testid=period-total]')?.textContent.includes('hours'),
        null,
        { timeout: 120_000 },
      );
      times.push(Date.now() - start);
    }
    const shown = await page.getByTestId('entry').count();
    return { count, open: stats(times), shown };
  } finally {
    await close();
  }
}

const kb = (n) => (n / 1024).toFixed(1).padStart(9) + ' KiB';
const ms = (s) => `${s.median.toFixed(0)} ms (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)}, p95 ${s.p95.toFixed(0)}, n=${s.n})`;

/**
 * Search time per query: the app's catalogue search (the same Rust code,
 * compiled alone by crates/talkoo-searchbench) against MiniSearch over the
 * same cards, in the same page. Each query runs `repeat` times per sample,
 * since one query takes less than the browser's timer resolution.
 */
export async function searchComparison(feedDir, queries, samples = 5) {
  const dir = mkdtempSync(join(tmpdir(), 'talkoo-searchbench-'));
  execFileSync('cargo', ['build', '--release', '--locked', '-q', '--target', 'wasm32-unknown-unknown', '-p', 'talkoo-searchbench'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', join(dir, 'sb'), join(ROOT, 'target/wasm32-unknown-unknown/release/talkoo_searchbench.wasm')], { stdio: 'inherit' });
  cpSync(join(ROOT, 'node_modules/minisearch/dist/es/index.js'), join(dir, 'minisearch.js'));
  cpSync(feedDir, join(dir, 'feed'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html lang="en"><title>search bench</title><h1>search bench</h1></html>');
  const server = await startServer(dir);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    return await step('search comparison', page.evaluate(async ({ queries, samples }) => {
      const { default: init, SearchBench } = await import('./sb/talkoo_searchbench.js');
      await init();
      const { default: MiniSearch } = await import('./minisearch.js');
      const manifest = await (await fetch('feed/manifest.json')).json();
      const files = manifest.regions.flatMap((r) => r.files);
      const kinds = [];
      const jsons = [];
      const orgs = new Map();
      const services = [];
      for (const f of files) {
        const data = await (await fetch('feed/' + f.path)).json();
        for (const record of data[f.kind] ?? []) {
          kinds.push(f.kind);
          jsons.push(JSON.stringify(record));
          if (f.kind === 'organisations') orgs.set(record.id, record);
          if (f.kind === 'services') services.push(record);
        }
      }
      const values = (text) => Object.values(text ?? {});
      let t = performance.now();
      const wasm = new SearchBench(kinds, jsons);
      const wasmBuild = performance.now() - t;
      // MiniSearch set up as a team would for this catalogue: the same
      // three fields and weights, prefix and fuzzy search (one error in
      // five letters, as the app forgives), every word required, and
      // diacritics folded so "ystava" finds "ystävä".
      const fold = (term) => term.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      t = performance.now();
      const mini = new MiniSearch({
        fields: ['name', 'keywords', 'text'],
        processTerm: fold,
        searchOptions: { prefix: true, fuzzy: 0.2, combineWith: 'AND', boost: { name: 3, keywords: 2 }, processTerm: fold },
      });
      mini.addAll(services.map((s) => ({
        id: s.id,
        name: values(s.name).join(' '),
        keywords: [...Object.values(s.keywords ?? {}).flat(), ...values(orgs.get(s.organisation)?.name)].join(' '),
        text: [...values(s.summary), ...values(s.description)].join(' '),
      })));
      const miniBuild = performance.now() - t;
      const time = (fn) => {
        // Enough repeats that one sample lasts well over the timer's step.
        let repeat = 1;
        for (;;) {
          const start = performance.now();
          for (let i = 0; i < repeat; i++) fn();
          const took = performance.now() - start;
          if (took > 5 || repeat >= 4096) return took / repeat;
          repeat *= 4;
        }
      };
      // Both sides return the same thing: the ids of the first ten results.
      const TOP = 10;
      const oursTop = (q) => wasm.search(q, TOP);
      const theirsTop = (q) => mini.search(q).slice(0, TOP).map((r) => r.id);
      const rows = queries.map((q) => {
        const ours = [];
        const theirs = [];
        for (let i = 0; i < samples; i++) {
          // Taking turns going first, as for the ingest.
          if (i % 2 === 0) {
            ours.push(time(() => oursTop(q)));
            theirs.push(time(() => theirsTop(q)));
          } else {
            theirs.push(time(() => theirsTop(q)));
            ours.push(time(() => oursTop(q)));
          }
        }
        const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
        return { q, ours: median(ours), theirs: median(theirs), oursHits: wasm.count(q), theirsHits: mini.search(q).length, oursTop: oursTop(q), theirsTop: theirsTop(q) };
      });
      return { cards: wasm.cards(), wasmBuild, miniBuild, rows };
    }, { queries, samples }));
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** p50 and p95 of one column of the comparison, and how many found anything. */
function searchSummary(cmp) {
  const col = (key) => stats(cmp.rows.map((r) => r[key]));
  const ours = col('ours');
  const theirs = col('theirs');
  return {
    cards: cmp.cards,
    queries: cmp.rows.length,
    build: { ours: cmp.wasmBuild, minisearch: cmp.miniBuild },
    ours,
    minisearch: theirs,
    ratioP50: ours.median / theirs.median,
    ratioP95: ours.p95 / theirs.p95,
    bothFound: cmp.rows.filter((r) => r.oursHits > 0 && r.theirsHits > 0).length,
    onlyOurs: cmp.rows.filter((r) => r.oursHits > 0 && r.theirsHits === 0).map((r) => r.q),
    onlyTheirs: cmp.rows.filter((r) => r.oursHits === 0 && r.theirsHits > 0).map((r) => r.q),
  };
}

/**
 * Lighthouse's mobile preset (simulated slow 4G and a mid-range phone) on
 * the catalogue page, as a first visit sees it, served by talkoo-serve.
 */
export async function lighthouseRuns(runs) {
  const dir = site(join(ROOT, 'public/feed'));
  const server = await startServer(dir);
  const chrome = await chromeLauncher.launch({
    chromePath: '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const perf = [];
  const a11y = [];
  const lcp = [];
  const tbt = [];
  const fcp = [];
  const speedIndex = [];
  const cls = [];
  let advice = [];
  try {
    for (let run = 0; run < runs; run++) {
      const { lhr } = await step('Lighthouse', lighthouse(server.url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] }), 300_000);
      if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`);
      perf.push(Math.round(lhr.categories.performance.score * 100));
      a11y.push(Math.round(lhr.categories.accessibility.score * 100));
      lcp.push(lhr.audits['largest-contentful-paint'].numericValue);
      tbt.push(lhr.audits['total-blocking-time'].numericValue);
      fcp.push(lhr.audits['first-contentful-paint'].numericValue);
      speedIndex.push(lhr.audits['speed-index'].numericValue);
      cls.push(lhr.audits['cumulative-layout-shift'].numericValue);
      advice = Object.entries(lhr.audits)
        .filter(([, a]) => a.details?.type === 'opportunity' && a.score !== null && a.score < 0.9)
        .map(([id, a]) => `${id}${a.displayValue ? ` (${a.displayValue})` : ''}`);
    }
  } finally {
    await chrome.kill();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    version: lighthouseVersion(),
    performance: stats(perf),
    accessibility: stats(a11y),
    lcp: stats(lcp),
    tbt: stats(tbt),
    fcp: stats(fcp),
    speedIndex: stats(speedIndex),
    cls: stats(cls),
    advice,
  };
}

function lighthouseVersion() {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules/lighthouse/package.json'), 'utf8')).version;
}

const mb = (n) => (n / 1048576).toFixed(1) + ' MiB';

/**
 * Runs every measurement and returns the results; `log` prints the table
 * as it goes. `make bench` runs it in full; `make test` runs a tiny version
 * (end2end/bench.test.mjs) so that it cannot rot.
 */
export async function runBench({ optimiseFeatures = true, runs = RUNS, sizes = SIZES, hours = HOURS, queries = QUERIES, searchQueries = SEARCH_QUERIES, log = console.log, stepMs = 600_000 } = {}) {
  stepLimit = stepMs;
  const results = { runs, sizes, hours };
  results.shell = shellSizes(join(ROOT, 'dist'));
  log('1. The build part by part: the first-load shell (html + js + wasm + css), and what only some moments load');
  log('   ' + 'file'.padEnd(38) + 'raw'.padStart(13) + 'gzip'.padStart(13) + 'brotli'.padStart(13));
  for (const part of results.shell.parts) {
    log(`   ${part.name}, loaded ${part.when}:`);
    for (const r of part.files) log('     ' + r.name.padEnd(36) + kb(r.raw) + kb(r.gzip) + kb(r.brotli));
    log('     ' + 'total'.padEnd(36) + kb(part.total.raw) + kb(part.total.gzip) + kb(part.total.brotli));
  }
  const functions = [];
  results.shellFeatures = shellFeatures(undefined, { ...(optimiseFeatures ? {} : { optimise: false, quality: 5 }), functions });
  // Issue 13: the standard library's stable sort, compiled for each type
  // sorted, was 4.4 KB brotli of the shell (`talkoo_core::tree`).
  results.shellStableSorts = [...new Set(functions.filter((name) => name.includes('slice::sort::stable::')))];
  log("\n   the first-load shell's wasm by feature (functions by name): brotli of each feature alone, and what leaving it out would save");
  log('   ' + 'feature'.padEnd(48) + 'raw'.padStart(13) + 'share'.padStart(8) + 'alone'.padStart(13) + 'saved'.padStart(13));
  for (const f of results.shellFeatures) log('   ' + f.name.padEnd(48) + kb(f.raw) + `${(f.share * 100).toFixed(1)} %`.padStart(8) + kb(f.brotli) + kb(f.saved));

  const demoFeed = join(ROOT, 'public/feed');
  const demoManifest = JSON.parse(readFileSync(join(demoFeed, 'manifest.json'), 'utf8'));
  results.lighthouse = await lighthouseRuns(runs);
  const lh = results.lighthouse;
  log(`\n   Lighthouse ${lh.version}, mobile preset, catalogue page (median of ${runs}): performance ${lh.performance.median} (min ${lh.performance.min}, max ${lh.performance.max}), accessibility ${lh.accessibility.median}, LCP ${ms(lh.lcp)}, TBT ${ms(lh.tbt)}`);
  log(`   also FCP ${ms(lh.fcp)}, Speed Index ${ms(lh.speedIndex)}, CLS ${lh.cls.median.toFixed(3)} (max ${lh.cls.max.toFixed(3)})`);
  if (lh.advice.length) log(`   Lighthouse's advice: ${lh.advice.join('; ')}`);

  results.demoFeed = demoManifest.regions.map((r) => ({ id: r.id, files: r.files.length, bytes: regionBytes(demoFeed, r.id) }));
  log('\n2. Feeds');
  for (const r of results.demoFeed) log(`   demo ${r.id}: ${r.files} files, ${kb(r.bytes).trim()}`);
  const synthDirs = {};
  results.synthFeeds = [];
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'talkoo-synth-'));
    feedTool('synth', '--services', String(n), '--seed', '42', '--key', DEMO_KEY, dir);
    synthDirs[n] = dir;
    results.synthFeeds.push({ services: n, bytes: regionBytes(dir, 'synth') });
    log(`   synth ${n} cards: ${kb(regionBytes(dir, 'synth')).trim()}`);
  }

  results.delta = oneCardChange(join(ROOT, 'feed-src'), demoFeed, 'kainuu');
  log(`\n3. Delta sync: one card of Kainuu changed: ${results.delta.bytes} bytes in 1 file besides the manifest, ${(results.delta.share * 100).toFixed(2)} % of the region`);

  log(`\n4. Per feed (median of ${runs}; min, max)`);
  results.feeds = {};
  const feeds = [['demo Kainuu', demoFeed, 'Kainuu', 'kainuu'], ...sizes.map((n) => [`synth ${n}`, synthDirs[n], 'Synteettinen Kainuu', 'synth'])];
  for (const [label, dir, name, id] of feeds) {
    const r = await feedRuns(dir, name, id, { runs, queries });
    results.feeds[label] = r;
    log(`   ${label}`);
    log(`     sync ingest, app:            ${ms(r.sync)}`);
    log(`     same records, plain JS loop: ${ms(r.jsBaseline)}  → ratio ${r.ingestRatio.toFixed(2)}; of which downloading: ${ms(r.jsDownload)}`);
    log(`     the sync worker's part (request to outcome): ${ms(r.syncInWorker)}  → ratio ${r.workerRatio.toFixed(2)} to the JS loop`);
    log(`     longest main-thread task, tap to 1 s after the sync worker ended: ${ms(r.longestTask)}`);
    log(`     search ready after the first results by: ${ms(r.searchAfterResults)}`);
    log(`     the sync worker ended after the first results by: ${ms(r.workerEndedAfterResults)}`);
    log(`     sync worker's peak wasm memory (largest of the runs): ${mb(r.syncWorkerMemory)}`);
    log(`     warm offline start to results, from snapshots: ${ms(r.warmStart)}`);
    log(`     search, typing to results (${queries.length} queries × 3): ${ms(r.search)}`);
    log(`     memory after the sync: JS heap ${mb(r.memory.jsHeap)}, wasm linear memory ${mb(r.memory.wasmMemory)}`);
    log(`     memory after a warm start: JS heap ${mb(r.memoryWarm.jsHeap)}, wasm linear memory ${mb(r.memoryWarm.wasmMemory)}`);
    log(`     stored snapshot: ${mb(r.snapshotBytes)}`);
    if (dir === demoFeed) {
      // Five times the runs: the model's pairs are short, and noisy.
      results.model = await modelRuns(dir, id, runs * 5);
      const m = results.model;
      log(`     the model app (end2end/model/: in plain JavaScript, the least any app must do, from the tap to the paint): ${ms(m.model)}; the plain JS loop in its page: ${ms(m.jsBaseline)} → ratio ${m.ratio.toFixed(2)}`);
    }
  }
  results.slowLink = await slowLinkRuns(demoFeed, 'Kainuu', 'kainuu', runs);
  const slow = results.slowLink;
  log(`   demo Kainuu on a slow link (Lighthouse's mobile link: ${slow.link.latency} ms per request, ${((slow.link.downloadThroughput * 8) / 1e6).toFixed(2)} Mbit/s down), the app loaded before`);
  log(`     sync ingest, app:            ${ms(slow.sync)}`);
  log(`     same records, plain JS loop: ${ms(slow.jsBaseline)}  → ratio ${slow.ingestRatio.toFixed(2)}; of which downloading: ${ms(slow.jsDownload)}`);
  log(`     the loop's manifest, fetched before its time starts (the app's time includes its own check): ${ms(slow.jsManifest)}`);
  results.firstVisit = await firstVisitRuns(runs);
  log(`   a first visit on that link, for everything it downloads: regions listed after ${ms(results.firstVisit.listed)} from the navigation`);
  log(`\n5. Search per query, the app's search (wasm) against MiniSearch ${MINISEARCH_VERSION}, same page, same cards (${searchQueries.length} queries)`);
  results.search = {};
  for (const n of sizes) {
    const r = searchSummary(await searchComparison(synthDirs[n], searchQueries));
    results.search[n] = r;
    const us = (x) => `${(x * 1000).toFixed(0)} µs`;
    log(`   ${r.cards} cards: app p50 ${us(r.ours.median)}, p95 ${us(r.ours.p95)}; MiniSearch p50 ${us(r.minisearch.median)}, p95 ${us(r.minisearch.p95)}; ratio p50 ${r.ratioP50.toFixed(2)}, p95 ${r.ratioP95.toFixed(2)}`);
    log(`     index build: app ${r.build.ours.toFixed(0)} ms, MiniSearch ${r.build.minisearch.toFixed(0)} ms; both found results for ${r.bothFound}/${r.queries} queries`);
    if (r.onlyOurs.length) log(`     only the app found: ${r.onlyOurs.join(', ')}`);
    if (r.onlyTheirs.length) log(`     only MiniSearch found: ${r.onlyTheirs.join(', ')}`);
  }

  results.relevance = relevanceScore(await searchComparison(demoFeed, RELEVANCE.map((c) => c.q), 1));
  const rel = results.relevance;
  log(`   relevance on the demo feed: the expected cards come first for ${rel.ours}/${rel.queries} queries in the app, ${rel.minisearch}/${rel.queries} in MiniSearch`);
  if (rel.missedByMiniSearch.length) log(`     MiniSearch misses: ${rel.missedByMiniSearch.join(', ')}`);

  for (const dir of Object.values(synthDirs)) rmSync(dir, { recursive: true, force: true });

  results.hoursPage = await hoursPageTimes(hours, runs);
  log(`\n6. Opening My hours with ${hours} entries stored, navigation to totals and list on screen: ${ms(results.hoursPage.open)} (${results.hoursPage.shown} entries drawn)`);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await runBench();
  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('\nwritten to bench/results.json');
}
