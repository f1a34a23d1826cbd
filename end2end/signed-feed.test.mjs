// Signed feeds (issue 12): the first sync of the signed demo feed pins the
// publisher's key, and afterwards a manifest changed by one byte, or signed
// by another key, is refused with a plain message and the catalogue stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, copyDist, startServer, launchBrowser, feedTool, firstRun } from './support.mjs';

const REFUSAL = "The update was not used because it is not signed with the publisher's key.";

const resultCount = async (page) => Number((await page.getByTestId('result-count').textContent()).split(' ')[0]);

/** The device's pinned keys, as the app keeps them in its sync bookkeeping. */
async function pins(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('talkoo');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const get = db.transaction('sync_meta').objectStore('sync_meta').get('signing.pins');
      get.onsuccess = () => {
        db.close();
        resolve(get.result === undefined ? null : JSON.parse(get.result));
      };
      get.onerror = () => reject(get.error);
    };
  }));
}

/** Presses "Update now" and waits until that sync has finished. */
async function updateNow(page) {
  const syncs = () => page.getByTestId('sync-bar').getAttribute('data-syncs').then(Number);
  const before = await syncs();
  await page.getByRole('button', { name: 'Update now' }).click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=sync-bar]').dataset.syncs) > n, before, { timeout: 30_000 });
}

/** Waits for the refusal in plain words, and checks the catalogue is as it was. */
async function expectRefused(page, count, name) {
  await page.getByRole('alert').filter({ hasText: REFUSAL }).waitFor();
  assert.equal(await resultCount(page), count, 'the catalogue is unchanged');
  await page.getByTestId('results').getByRole('link', { name }).first().waitFor();
}

test('the first sync pins the demo key; a changed or foreign-signed manifest is refused and nothing changes', async () => {
  const dist = copyDist();
  const feedDir = join(dist.dir, 'feed');
  const temp = mkdtempSync(join(tmpdir(), 'talkoo-signed-'));
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await firstRun(page, server.url);
    const announced = JSON.parse(readFileSync(join(feedDir, 'manifest.json'), 'utf8')).signing_keys;
    assert.equal(announced.length, 1, 'the demo feed announces its key');
    const pinned = await pins(page);
    assert.deepEqual(pinned?.keys, announced, `the announced key is pinned: ${JSON.stringify(pinned)}`);
    const count = await resultCount(page);
    const first = await page.getByTestId('results').getByRole('link').first().textContent();

    // One byte of the manifest changed, the signature kept: a space of its
    // pretty-printed JSON becomes a tab, so only the signature can tell.
    const manifestPath = join(feedDir, 'manifest.json');
    const original = readFileSync(manifestPath);
    const changed = Buffer.from(original);
    changed[changed.indexOf(0x20)] = 0x09;
    writeFileSync(manifestPath, changed);
    await updateNow(page);
    await expectRefused(page, count, first);
    assert.deepEqual(await pins(page), pinned, 'the pins are unchanged');

    // A real change, built and signed by another key that the manifest
    // announces: a device that pinned the demo key refuses it too.
    writeFileSync(manifestPath, original);
    const other = join(temp, 'other.key');
    const otherId = feedTool('keygen', '-o', other).trim().split(/\s+/).pop();
    const src = join(temp, 'src');
    cpSync(join(ROOT, 'feed-src'), src, { recursive: true });
    const feedJson = join(src, 'feed.json');
    writeFileSync(feedJson, JSON.stringify({ ...JSON.parse(readFileSync(feedJson, 'utf8')), signing_keys: [otherId] }, null, 2));
    const services = join(src, 'kainuu', 'services.json');
    const list = JSON.parse(readFileSync(services, 'utf8'));
    list[0].name = { ...list[0].name, en: 'Never shown: signed by another key' };
    writeFileSync(services, JSON.stringify(list, null, 2));
    feedTool('build', src, feedDir, '--key', other);
    await updateNow(page);
    await expectRefused(page, count, first);
    assert.equal(await page.getByText('Never shown: signed by another key').count(), 0, 'the foreign change is not used');
    assert.deepEqual(await pins(page), pinned, 'the pins are unchanged');
  } finally {
    await browser.close();
    await server.stop();
    rmSync(temp, { recursive: true, force: true });
    dist.remove();
  }
});
