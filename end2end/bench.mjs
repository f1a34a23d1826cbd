// `make bench`: prints Talkoo's performance figures as one table and writes
// them to bench/results.json. Each timing is the median of several runs,
// with min and max. The benchmark issue extends this with the JavaScript
// baselines, Lighthouse and memory.
import { cpSync, readFileSync, readdirSync, mkdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { ROOT, startServer, launchBrowser, feedTool } from './support.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SYNTH = Number(process.env.BENCH_SYNTH ?? 10_000);
const HOURS = Number(process.env.BENCH_HOURS ?? 5_000);
const QUERIES = ['ystävä', 'ystava', 'kerho', 'keskus', 'läxhjälp', 'vän', 'kirjasto', 'talkoot retki', 'musiikki', 'aldre'];

/** Raw, gzip -9 and brotli q11 sizes of what a first visit downloads. */
export function shellSizes(dist) {
  const files = readdirSync(dist).filter((f) => /\.(html|js|wasm|css)$/.test(f) && f !== 'sw.js');
  const rows = files.map((name) => {
    const bytes = readFileSync(join(dist, name));
    return {
      name,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
  return { files: rows, total };
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

function regionBytes(feedDir, id) {
  const m = JSON.parse(readFileSync(join(feedDir, 'manifest.json'), 'utf8'));
  return m.regions.find((r) => r.id === id).files.reduce((s, f) => s + f.bytes, 0);
}

/** First-run sync: from pressing "Save and download" until the results are on screen. */
async function syncTimes(feedDir, regionName) {
  const dir = site(feedDir);
  const server = await startServer(dir);
  const browser = await launchBrowser();
  const times = [];
  let searchTimes = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ locale: 'en-GB' });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.getByRole('checkbox', { name: regionName }).check();
      const started = performance.now();
      await page.getByRole('button', { name: 'Save and download' }).click();
      await page.waitForFunction(() => /^\d+ results$/.test(document.querySelector('[data-testid=result-count]')?.textContent ?? ''), null, { timeout: 300_000 });
      times.push(performance.now() - started);
      if (run === 0) searchTimes = await searchTimesIn(page);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { sync: stats(times), search: stats(searchTimes) };
}

/** Typing a query until the result count on screen changes (search plus rendering). */
async function searchTimesIn(page) {
  const times = [];
  const input = page.getByLabel('Search activities');
  for (const q of QUERIES) {
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
  feedTool('build', src, copy);
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
export async function hoursPageTimes(count) {
  const dir = site(join(ROOT, 'public/feed'));
  const server = await startServer(dir);
  const browser = await launchBrowser();
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
    for (let run = 0; run < RUNS; run += 1) {
      const start = Date.now();
      await page.goto(server.url + 'hours');
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid=entry]').length > 0 && document.querySelector('[data-testid=period-total]')?.textContent.includes('hours'),
        count,
        { timeout: 120_000 },
      );
      times.push(Date.now() - start);
    }
    const shown = await page.getByTestId('entry').count();
    return { count, open: stats(times), shown };
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (n) => (n / 1024).toFixed(1).padStart(9) + ' KiB';
const ms = (s) => `${s.median.toFixed(0)} ms (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)}, p95 ${s.p95.toFixed(0)}, n=${s.n})`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = {};
  results.shell = shellSizes(join(ROOT, 'dist'));
  console.log('1. First-load shell (html + js + wasm + css)');
  console.log('   ' + 'file'.padEnd(38) + 'raw'.padStart(13) + 'gzip'.padStart(13) + 'brotli'.padStart(13));
  for (const r of [...results.shell.files, { name: 'total', ...results.shell.total }]) {
    console.log('   ' + r.name.padEnd(38) + kb(r.raw) + kb(r.gzip) + kb(r.brotli));
  }

  const demoFeed = join(ROOT, 'public/feed');
  const demoManifest = JSON.parse(readFileSync(join(demoFeed, 'manifest.json'), 'utf8'));
  results.demoFeed = demoManifest.regions.map((r) => ({ id: r.id, files: r.files.length, bytes: regionBytes(demoFeed, r.id) }));
  console.log('\n2. Feeds');
  for (const r of results.demoFeed) console.log(`   demo ${r.id}: ${r.files} files, ${kb(r.bytes).trim()}`);

  const synthDir = mkdtempSync(join(tmpdir(), 'talkoo-synth-'));
  feedTool('synth', '--services', String(SYNTH), '--seed', '42', synthDir);
  results.synthFeed = { services: SYNTH, bytes: regionBytes(synthDir, 'synth') };
  console.log(`   synth ${SYNTH} cards: ${kb(results.synthFeed.bytes).trim()}`);

  results.delta = oneCardChange(join(ROOT, 'feed-src'), demoFeed, 'kainuu');
  console.log(`\n3. One-card change in Kainuu: ${results.delta.bytes} bytes fetched, ${(results.delta.share * 100).toFixed(2)} % of the region`);

  console.log(`\n4. First sync until results are on screen (${RUNS} runs each)`);
  const demo = await syncTimes(demoFeed, 'Kainuu');
  results.syncDemo = demo.sync;
  console.log(`   demo Kainuu: ${ms(demo.sync)}`);
  const synth = await syncTimes(synthDir, 'Synteettinen Kainuu');
  results.syncSynth = synth.sync;
  console.log(`   synth ${SYNTH}: ${ms(synth.sync)}`);

  results.searchSynth = synth.search;
  console.log(`\n5. Search at ${SYNTH} cards, typing to results on screen (${QUERIES.length} queries × 3): ${ms(synth.search)}`);
  rmSync(synthDir, { recursive: true, force: true });

  results.hoursPage = await hoursPageTimes(HOURS);
  console.log(`\n6. Opening My hours with ${HOURS} entries stored, navigation to totals and list on screen: ${ms(results.hoursPage.open)} (${results.hoursPage.shown} entries drawn)`);

  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('\nwritten to bench/results.json');
}
