// Issue 11, sharing a badge as an image when its achievement's image is an
// address rather than a data: URI, as credentials from other issuers often
// have it. Online, the page fetches the image and the worker bakes the
// badge into it; when the address gives no PNG or SVG (here it is missing),
// the badge is baked into the drawn SVG badge instead, with no error shown.
// Both images carry the credential. Headless Chromium on Linux cannot share
// files, so the images are downloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, copyDist, startServer, launchBrowser, firstRun, heading, watchErrors, bin } from './support.mjs';

const ISSUER = bin('talkoo-issuer');

function issuer(...args) {
  return execFileSync(ISSUER, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** A badge (JSON with its proof) whose achievement's image is at `image`. */
function makeBadge(dir, key, name, image) {
  const slug = name.toLowerCase().replaceAll(' ', '-');
  const achievement = join(dir, `${slug}-achievement.json`);
  writeFileSync(achievement, JSON.stringify({
    id: `https://badges.example.org/achievements/${slug}`,
    type: ['Achievement'],
    name,
    description: 'A badge of another issuer, whose image is at an address.',
    criteria: { narrative: 'Took part.' },
    image: { id: image, type: 'Image' },
  }));
  const now = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const out = join(dir, `${slug}.json`);
  issuer('issue', '--key', key, '--achievement', achievement, '--lang', 'en',
    '--recipient-name', 'Aino Testinen', '--now', now, '-o', out);
  return out;
}

/** Adds a badge file and presses "Download as image" on its page. */
async function downloadImage(page, url, file, name, dir) {
  await page.goto(url + 'badges');
  await heading(page, 'Badges').waitFor();
  await page.getByLabel('Choose a file').setInputFiles(file);
  await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 30_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.getByRole('button', { name: 'Download as image' }).click(),
  ]);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

test('a badge is baked into its achievement image at an address, or into a drawn badge when that fails', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'talkoo-share-image-'));
  const dist = copyDist();
  // The achievement's image, served by the test server like any other host.
  mkdirSync(join(dist.dir, 'share-test'));
  const served = join(ROOT, 'public/icons/icon-192.png');
  copyFileSync(served, join(dist.dir, 'share-test/badge.png'));
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const key = join(dir, 'issuer.key.json');
    issuer('keygen', '--name', 'Kuvayhdistys', '-o', key);
    const pictured = makeBadge(dir, key, 'Pictured badge', server.url + 'share-test/badge.png');
    const missing = makeBadge(dir, key, 'Missing picture badge', server.url + 'share-test/missing.png');

    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await firstRun(page, server.url, 'Kainuu');

    const png = await downloadImage(page, server.url, pictured, 'Pictured badge', dir);
    assert.match(png, /\.png$/, 'the fetched PNG is the shared image');
    const baked = readFileSync(png);
    const original = readFileSync(served);
    // The same picture: the PNG's header chunk (size and colour) is the
    // served image's, and the credential is in a chunk of its own.
    assert.deepEqual(baked.subarray(0, 33), original.subarray(0, 33));
    assert.ok(baked.includes('openbadgecredential'), 'the credential is baked into the PNG');
    assert.equal(await page.getByRole('alert').count(), 0, 'no error is shown');

    const svg = await downloadImage(page, server.url, missing, 'Missing picture badge', dir);
    assert.match(svg, /\.svg$/, 'without a PNG or SVG at the address, the drawn badge is shared');
    const drawn = readFileSync(svg, 'utf8');
    assert.match(drawn, /<svg/);
    assert.ok(drawn.includes('openbadges:credential'), 'the credential is baked into the SVG');
    assert.ok(drawn.includes('Missing picture badge'), 'the drawn badge names the achievement');
    assert.equal(await page.getByRole('alert').count(), 0, 'no error is shown');

    const serious = errors.filter((e) => /Content Security Policy|panicked/i.test(e));
    assert.deepEqual(serious, [], 'no CSP violations or panics');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});
