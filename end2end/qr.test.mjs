// Issue 11, badges as QR codes and as shared images, end to end: one
// "phone" shows a badge as a QR code offline; a second browser (another
// phone, with Chromium's fake camera playing a video of that very code)
// scans it on "Check a badge" and finds it valid, then on "Add a badge",
// which keeps it. Chromium on Linux has no
// BarcodeDetector, so the frames are read by the verifier worker's wasm
// decoder (rqrr), the path phones without the detector take. The badge
// shared as an image (a download where files cannot be shared) is added
// in a fresh browser context and is valid there too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT,
  copyDist,
  startServer,
  launchBrowser,
  waitForServiceWorker,
  firstRun,
  heading,
  watchErrors,
  axeViolations,
  bin,
} from './support.mjs';

const ISSUER = bin('talkoo-issuer');
const KAJASTUS_KEY = join(ROOT, 'feed-src/demo-issuers/org-kn-kajastus.key.json');
const ACHIEVEMENT = 'ach-kn-perehdytys';
const NAME_EN = 'Volunteer induction';

/** A badge with an embedded proof (JSON), issued an hour ago. */
function makeBadge(dir) {
  const now = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const out = join(dir, 'badge.json');
  execFileSync(ISSUER, ['issue', '--key', KAJASTUS_KEY, '--achievement', ACHIEVEMENT,
    '--feed-dir', join(ROOT, 'feed-src/kainuu'), '--lang', 'en', '--recipient-name', 'Aino Testinen',
    '--now', now, '-o', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  return out;
}

/** Adds a badge file on the badges page and waits for its own page. */
async function addBadge(page, url, file) {
  await page.goto(url + 'badges');
  await heading(page, 'Badges').waitFor();
  await page.getByLabel('Choose a file').setInputFiles(file);
  await page.getByRole('heading', { level: 1, name: NAME_EN }).waitFor({ timeout: 30_000 });
  return (await page.getByTestId('badge-level').innerText()).trim();
}

/**
 * A Y4M video (4:2:0, two identical frames, which Chromium loops) of a
 * grey picture centred on a white frame. `grey` is width * height bytes.
 */
function y4m(grey, width, height) {
  const [W, H] = [720, 720];
  const luma = Buffer.alloc(W * H, 235);
  const [x0, y0] = [Math.floor((W - width) / 2), Math.floor((H - height) / 2)];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      // Studio range, as Chromium reads I420: 16 is black, 235 white.
      luma[(y0 + y) * W + x0 + x] = 16 + Math.round((grey[y * width + x] * 219) / 255);
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]);
}

/** The grey pixels of a PNG, decoded in the page with a canvas. */
async function greyPixels(page, png) {
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    const grey = [];
    for (let i = 0; i < data.length; i += 4) grey.push(Math.round((data[i] + data[i + 1] + data[i + 2]) / 3));
    return { width: bitmap.width, height: bitmap.height, grey };
  }, png.toString('base64'));
}

test('a badge shown as a QR code on one phone is scanned with the camera on another and is valid; shared as an image it is valid too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'talkoo-qr-'));
  const badge = makeBadge(dir);
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const shower = await launchBrowser();
  let scanner;
  try {
    // Phone A: the badge in the wallet, offline, shown as a QR code.
    const context = await shower.newContext({ bypassCSP: true, viewport: { width: 560, height: 1600 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await firstRun(page, server.url, 'Kainuu');
    await waitForServiceWorker(page);
    await context.setOffline(true);
    assert.match(await addBadge(page, server.url, badge), /^✓\s*Valid/);
    const toggle = page.getByRole('button', { name: 'Show as QR code' });
    await toggle.click();
    const code = page.getByRole('img', { name: /^A QR code holding the competence badge Volunteer induction\./ });
    await code.waitFor({ timeout: 30_000 });
    assert.equal(await page.getByRole('button', { name: 'Hide the QR code' }).getAttribute('aria-expanded'), 'true');
    assert.deepEqual(await axeViolations(page), [], 'axe on the badge page with its QR code');

    // What phone A's screen shows becomes phone B's camera picture.
    // Centred, so the phone's bottom navigation bar does not cover it.
    await code.evaluate((img) => img.scrollIntoView({ block: 'center' }));
    const shot = await code.screenshot();
    const { width, height, grey } = await greyPixels(page, shot);
    assert.ok(width <= 680 && height <= 680, `the code fits the video frame: ${width}x${height}`);
    const video = join(dir, 'qr.y4m');
    writeFileSync(video, y4m(grey, width, height));

    // Phone B: a fresh browser whose camera plays that picture.
    scanner = await launchBrowser({
      args: [
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    const other = await scanner.newContext();
    await other.grantPermissions(['camera']);
    const phone = await other.newPage();
    const phoneErrors = watchErrors(phone);
    await firstRun(phone, server.url, 'Kainuu');
    await waitForServiceWorker(phone);
    await other.setOffline(true);
    await phone.goto(server.url + 'badges/check');
    await heading(phone, 'Check a badge').waitFor();
    assert.equal(await phone.evaluate(() => 'BarcodeDetector' in window), false,
      'no BarcodeDetector: the worker decodes the frames');
    // Every stream the page gets is kept, to see that its tracks end.
    await phone.evaluate(() => {
      const devices = navigator.mediaDevices;
      const ask = devices.getUserMedia.bind(devices);
      window.cameraStreams = [];
      devices.getUserMedia = async (constraints) => {
        const stream = await ask(constraints);
        window.cameraStreams.push(stream);
        return stream;
      };
    });
    await phone.getByRole('button', { name: 'Scan a QR code with the camera' }).click();
    await phone.getByTestId('badge-result').waitFor({ timeout: 60_000 });
    const result = await phone.getByRole('heading', { level: 2, name: /Valid/ }).innerText();
    assert.match(result, /^✓\s*Valid$/, result);
    assert.equal(await phone.getByTestId('badge-name').innerText(), NAME_EN);
    assert.match(await phone.getByLabel(/Or paste the badge's text/).inputValue(), /^TB1:/);
    // The camera is off once the code is read.
    const tracks = await phone.evaluate(() =>
      window.cameraStreams.flatMap((s) => s.getTracks()).map((t) => t.readyState));
    assert.deepEqual(tracks, ['ended'], 'one camera stream, its track stopped');

    // The same code scanned on "Add a badge" keeps the badge on phone B.
    await phone.goto(server.url + 'badges');
    await heading(phone, 'Badges').waitFor();
    await phone.getByRole('button', { name: 'Scan a QR code with the camera' }).click();
    await phone.getByRole('heading', { level: 1, name: NAME_EN }).waitFor({ timeout: 60_000 });
    assert.match((await phone.getByTestId('badge-level').innerText()).trim(), /^✓\s*Valid/);

    // Phone A shares the badge as an image: headless Chromium on Linux
    // cannot share files, so it is a download.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download as image' }).click(),
    ]);
    const image = join(dir, download.suggestedFilename());
    await download.saveAs(image);
    assert.match(image, /\.(png|svg)$/);
    const fresh = await shower.newContext();
    const third = await fresh.newPage();
    await firstRun(third, server.url, 'Kainuu');
    await waitForServiceWorker(third);
    await fresh.setOffline(true);
    assert.match(await addBadge(third, server.url, image), /^✓\s*Valid/);

    const serious = [...errors, ...phoneErrors].filter((e) => /Content Security Policy|panicked/i.test(e));
    assert.deepEqual(serious, [], 'no CSP violations or panics');
    const baked = readFileSync(image);
    assert.ok(baked.includes('openbadgecredential') || baked.includes('openbadges:credential'),
      'the credential is baked into the image');
  } finally {
    await shower.close();
    await scanner?.close();
    await server.stop();
    dist.remove();
  }
});
