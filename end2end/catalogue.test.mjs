// Issue 3: the catalogue is chosen, synced, searched and opened offline; a
// one-card change fetches only what changed; a corrupt file changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT, copyDist, startServer, launchBrowser, waitForServiceWorker, heading, feedTool, firstRun as sharedFirstRun,
} from './support.mjs';

async function firstRun(page, url, region = 'Kainuu') {
  // Regression (issue 3): the first-run screen said "updated just now"
  // before any region was downloaded.
  await page.goto(url);
  await page.getByRole('checkbox', { name: region }).waitFor();
  await page.getByTestId('sync-bar').getByText('has not been downloaded to this device yet').waitFor();
  await sharedFirstRun(page, url, region);
  await page.getByTestId('sync-bar').getByText('Information updated just now.').waitFor();
}

const resultCount = async (page) => Number((await page.getByTestId('result-count').textContent()).split(' ')[0]);

/** Changes one Kainuu card's summary in a copy of the demo sources and builds it over the served feed. */
function publishChangedCard(feedDir, text) {
  const src = mkdtempSync(join(tmpdir(), 'talkoo-src-'));
  cpSync(join(ROOT, 'feed-src'), src, { recursive: true });
  const file = join(src, 'kainuu', 'services.json');
  const services = JSON.parse(readFileSync(file, 'utf8'));
  services[0].summary = { ...services[0].summary, en: text, fi: text };
  writeFileSync(file, JSON.stringify(services, null, 2));
  feedTool('build', src, feedDir);
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
    const changed = publishChangedCard(feedDir, 'Changed summary for the delta test.');
    const manifest = JSON.parse(readFileSync(join(feedDir, 'manifest.json'), 'utf8'));
    const kainuu = manifest.regions.find((r) => r.id === 'kainuu');
    const regionBytes = kainuu.files.reduce((sum, f) => sum + f.bytes, 0);
    const fetched = [];
    page.on('response', async (r) => {
      if (r.url().includes('/feed/')) fetched.push({ url: r.url(), status: r.status(), bytes: (await r.body().catch(() => Buffer.alloc(0))).length });
    });
    const delta = page.waitForResponse((r) => r.url().includes('/feed/kainuu/'));
    await page.getByRole('button', { name: 'Update now' }).click();
    await delta;
    await page.getByRole('button', { name: 'Update now' }).waitFor();
    const dataFiles = fetched.filter((f) => !f.url.endsWith('manifest.json'));
    assert.equal(dataFiles.length, 1, `only one file after a one-card change: ${JSON.stringify(fetched)}`);
    const share = dataFiles[0].bytes / regionBytes;
    assert.ok(share <= 0.05, `fetched ${dataFiles[0].bytes} of ${regionBytes} bytes (${(share * 100).toFixed(1)} %)`);
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
