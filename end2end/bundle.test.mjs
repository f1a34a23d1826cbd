// Data on a file (issue 12): a device that has never reached the feed imports
// a signed .talkoo bundle offline from Settings, and the catalogue works; a
// tampered bundle, an unsigned one, one signed by another key and an older
// one are refused in plain words and the data already there stays. A phone
// passes its catalogue on to another phone through Settings, and the other
// phone, offline and never online before, imports it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, DEMO_KEY, copyDist, startServer, launchBrowser, feedTool, regenerateWorker, waitForServiceWorker, watchErrors, shareToTalkoo, firstRun, resultsShown, resultCount } from './support.mjs';

const NEWER_NAME = 'Only in the newer file: reading to children';
const REFUSED_SIGNATURE = "This file was not used because it is not signed with the publisher's key. The information on this device is unchanged.";
const REFUSED_DAMAGED = 'This file was not used because it is damaged.';
const REFUSED_OLDER = 'This file was not used because its information is older than the information already on this device. The information on this device is unchanged.';
const REFUSED_NOT_BUNDLE = 'This file was not used because it is not a Talkoo data file, or it is damaged.';

/** A copy of the demo sources whose first Kainuu card is renamed, and whose feed.json is changed by `edit`. */
function sources(temp, name, edit = (feed) => feed) {
  const src = join(temp, name);
  cpSync(join(ROOT, 'feed-src'), src, { recursive: true });
  const feedJson = join(src, 'feed.json');
  writeFileSync(feedJson, JSON.stringify(edit(JSON.parse(readFileSync(feedJson, 'utf8'))), null, 2));
  const services = join(src, 'kainuu', 'services.json');
  const list = JSON.parse(readFileSync(services, 'utf8'));
  list[0].name = { ...list[0].name, en: NEWER_NAME };
  writeFileSync(services, JSON.stringify(list, null, 2));
  return src;
}

/** Builds a feed from `src` (signed with `keys`) and bundles its Kainuu region. */
function bundleOf(temp, name, src, keys) {
  const out = join(temp, `${name}-feed`);
  feedTool('build', src, out, ...keys.flatMap((k) => ['--key', k]));
  const file = join(temp, `${name}.talkoo`);
  feedTool('bundle', out, '--region', 'kainuu', '-o', file);
  return file;
}

/** The bundle with one letter of its last data file changed: its tar and gzip stay well formed. */
function tampered(temp, file) {
  const tar = gunzipSync(readFileSync(file));
  const at = tar.lastIndexOf(Buffer.from('"'), tar.length - 1) - 1;
  tar[at] = tar[at] === 0x61 ? 0x62 : 0x61;
  const out = join(temp, 'tampered.talkoo');
  writeFileSync(out, gzipSync(tar));
  return out;
}

/** The names of a tar's entries, in order (ustar: a 512-byte header, then the data in 512-byte blocks). */
function tarNames(tar) {
  const names = [];
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0;) {
    names.push(tar.subarray(at, at + 100).toString('utf8').replace(/\0.*$/s, ''));
    const size = parseInt(tar.subarray(at + 124, at + 136).toString('latin1').replace(/\0.*$/s, '').trim(), 8);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

/** Picks `file` in Settings' "Import information from a file" and waits for the answer. */
async function importFile(page, file) {
  const imports = () => page.getByTestId('bundle-drop').getAttribute('data-imports').then(Number);
  const before = await imports();
  await page.getByLabel('Import information from a file').setInputFiles(file);
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=bundle-drop]').dataset.imports) > n, before, { timeout: 30_000 });
  return {
    status: await page.getByTestId('bundle-status').textContent(),
    error: await page.getByTestId('bundle-error').textContent(),
  };
}

async function openSettings(page, url) {
  await page.goto(`${url}settings`);
  await page.getByRole('heading', { level: 2, name: 'Information from a file' }).waitFor();
}

test('a device that never reached the feed imports a signed bundle offline; tampered, unsigned, foreign and older bundles are refused and the data stays', async () => {
  const dist = copyDist();
  const temp = mkdtempSync(join(tmpdir(), 'talkoo-bundle-'));
  // The device never reaches a feed: the copy serves none.
  rmSync(join(dist.dir, 'feed'), { recursive: true, force: true });
  regenerateWorker(dist.dir);
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    // The demo feed as published (older), and a newer one with a renamed card.
    const older = join(temp, 'older.talkoo');
    feedTool('bundle', join(ROOT, 'public', 'feed'), '--region', 'kainuu', '-o', older);
    const newer = bundleOf(temp, 'newer', sources(temp, 'newer-src'), [DEMO_KEY]);
    const unsigned = bundleOf(temp, 'unsigned', sources(temp, 'unsigned-src', ({ signing_keys: _, ...feed }) => feed), []);
    const otherKey = join(temp, 'other.key');
    const otherId = feedTool('keygen', '-o', otherKey).trim().split(/\s+/).pop();
    const foreign = bundleOf(temp, 'foreign', sources(temp, 'foreign-src', (feed) => ({ ...feed, signing_keys: [otherId] })), [otherKey]);
    const broken = tampered(temp, newer);
    const notBundle = join(temp, 'notes.talkoo');
    writeFileSync(notBundle, 'just some text');

    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await context.setOffline(true);

    await openSettings(page, server.url);
    assert.equal((await importFile(page, notBundle)).error, REFUSED_NOT_BUNDLE);

    const done = await importFile(page, newer);
    assert.equal(done.error, '', 'the signed bundle is used');
    assert.equal(done.status, 'The information in the file is now in use: Kainuu.');
    await page.goto(server.url);
    await resultsShown(page);
    const count = await resultCount(page);
    // The information is as old as the file, not "never downloaded".
    assert.match(await page.getByTestId('sync-age').textContent(), /^Information updated /);
    assert.ok(count > 10, `the catalogue shows the bundle's cards: ${count}`);
    await page.getByRole('searchbox').fill('reading to children');
    await page.getByTestId('results').getByRole('link', { name: NEWER_NAME }).click();
    await page.getByRole('heading', { level: 1, name: NEWER_NAME }).waitFor();

    // Each refusal leaves the newer data as it is.
    for (const [file, message] of [
      [broken, REFUSED_DAMAGED],
      [unsigned, REFUSED_SIGNATURE],
      [foreign, REFUSED_SIGNATURE],
      [older, REFUSED_OLDER],
    ]) {
      await openSettings(page, server.url);
      const answer = await importFile(page, file);
      assert.equal(answer.error, message, `${file} is refused in plain words`);
      await page.goto(server.url);
      await resultsShown(page);
      assert.equal(await resultCount(page), count, `${file}: the catalogue is unchanged`);
      await page.getByRole('searchbox').fill('reading to children');
      await page.getByTestId('results').getByRole('link', { name: NEWER_NAME }).waitFor();
    }
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), [], 'no page errors');
  } finally {
    await browser.close();
    await server.stop();
    rmSync(temp, { recursive: true, force: true });
    dist.remove();
  }
});

test('a bundle shared to Talkoo from another app (Web Share Target) is imported offline in Settings, once', async () => {
  const dist = copyDist();
  const temp = mkdtempSync(join(tmpdir(), 'talkoo-bundle-share-'));
  rmSync(join(dist.dir, 'feed'), { recursive: true, force: true });
  regenerateWorker(dist.dir);
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const manifest = JSON.parse(readFileSync(join(dist.dir, 'manifest.webmanifest'), 'utf8'));
    const entry = manifest.share_target.params.files.find((f) => f.name === 'bundle');
    assert.ok(entry?.accept.includes('.talkoo'), 'the manifest offers Talkoo as a target for .talkoo files');
    const shared = join(temp, 'kainuu.talkoo');
    feedTool('bundle', join(ROOT, 'public', 'feed'), '--region', 'kainuu', '-o', shared);

    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await context.setOffline(true);
    await shareToTalkoo(page, new URL(manifest.share_target.action, server.url).href, 'bundle', shared);
    await page.getByRole('heading', { level: 2, name: 'Information from a file' }).waitFor();
    await page.getByTestId('bundle-status').getByText('The information in the file is now in use: Kainuu.').waitFor({ timeout: 30_000 });
    await page.goto(server.url);
    await resultsShown(page);
    assert.ok((await resultCount(page)) > 10, 'the shared bundle fills the catalogue');
    // Taken once: the service worker's copy is gone, so opening the same
    // address again has nothing to import.
    const kept = await page.evaluate(async (url) => (await (await caches.open('talkoo-share')).match(url)) !== undefined, new URL('settings/shared-bundle', server.url).href);
    assert.equal(kept, false, 'the shared file is taken once');
  } finally {
    await browser.close();
    await server.stop();
    rmSync(temp, { recursive: true, force: true });
    dist.remove();
  }
});

test('issue 12: a phone passes its catalogue on as a file, and a phone that was never online imports it offline', async () => {
  const dist = copyDist();
  const temp = mkdtempSync(join(tmpdir(), 'talkoo-pass-on-'));
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    // The first phone downloads Kainuu from the feed.
    const first = await browser.newContext({ locale: 'en-GB', acceptDownloads: true });
    const phone = await first.newPage();
    const errors = watchErrors(phone);
    await firstRun(phone, server.url, 'Kainuu');
    const count = await resultCount(phone);
    await openSettings(phone, server.url);
    await phone.getByRole('heading', { level: 3, name: 'Pass the information on' }).waitFor();
    const button = phone.getByRole('button', { name: 'Save the information as a file' });
    // A double tap writes one file.
    const [download] = await Promise.all([phone.waitForEvent('download'), button.dblclick()]);
    await phone.waitForFunction(() => document.querySelector('[data-testid=pass-on]').dataset.written === '1');
    assert.equal(await phone.getByTestId('pass-on-error').textContent(), '');
    assert.match(
      await phone.getByTestId('pass-on-status').textContent(),
      /^The file holds the information of Kainuu\. The other phone imports it in Settings/,
    );
    assert.match(download.suggestedFilename(), /^talkoo-kainuu-\d{4}-\d{2}-\d{2}\.talkoo$/);
    const file = join(temp, download.suggestedFilename());
    await download.saveAs(file);
    // The file carries the publisher's own manifest, signature and files,
    // which is what lets the other phone check it.
    const names = tarNames(gunzipSync(readFileSync(file)));
    assert.deepEqual(names.slice(0, 2), ['manifest.json', 'manifest.json.sig']);
    const data = names.slice(2);
    assert.ok(data.length > 10 && data.every((n) => n.startsWith('kainuu/')), `only the region this phone keeps: ${data}`);
    const tool = join(temp, 'tool.talkoo');
    feedTool('bundle', join(ROOT, 'public', 'feed'), '--region', 'kainuu', '-o', tool);
    assert.deepEqual(data.sort(), tarNames(gunzipSync(readFileSync(tool))).slice(2).sort(), 'the files the feed tool would bundle');
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), [], 'no page errors');

    // The second phone has only the app, and no network from here on.
    const second = await browser.newContext({ locale: 'en-GB' });
    const other = await second.newPage();
    await other.route('**/feed/**', (route) => route.abort());
    await other.goto(server.url);
    await waitForServiceWorker(other);
    await second.setOffline(true);
    await openSettings(other, server.url);
    const done = await importFile(other, file);
    assert.equal(done.error, '', 'the passed-on file is used');
    assert.equal(done.status, 'The information in the file is now in use: Kainuu.');
    await other.goto(server.url);
    await resultsShown(other);
    assert.equal(await resultCount(other), count, 'the same catalogue as the first phone');
  } finally {
    await browser.close();
    await server.stop();
    rmSync(temp, { recursive: true, force: true });
    dist.remove();
  }
});
