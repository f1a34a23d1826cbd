// Issue 11, the phone-only browser paths, end to end with stand-ins:
// Chromium on Linux has neither `BarcodeDetector` nor file sharing, so the
// QR scanner's detector path and the share sheet path of saving files
// (a badge shared as an image, the backup on Settings) never run in the
// other tests. Here an init script puts stand-ins for those APIs into the
// page before the app loads; they answer as a phone's browser would and
// record what the app asked of them, so each test shows the app took the
// phone's path and not the desktop one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, constants } from 'node:zlib';
import { ROOT, copyDist, startServer, launchBrowser, firstRun, heading, watchErrors, bin } from './support.mjs';

const ISSUER = bin('talkoo-issuer');
const KAJASTUS_KEY = join(ROOT, 'feed-src/demo-issuers/org-kn-kajastus.key.json');
const ACHIEVEMENT = 'ach-kn-perehdytys';
const NAME_EN = 'Volunteer induction';
const ORG_NAME = 'Kajastus Kainuu Volunteer Centre';
const NOTE = 'Kyyditys, issue 11';

/** A badge with an embedded proof (JSON), issued an hour ago. */
function makeBadge() {
  const dir = mkdtempSync(join(tmpdir(), 'talkoo-standins-'));
  const now = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const out = join(dir, 'badge.json');
  execFileSync(ISSUER, ['issue', '--key', KAJASTUS_KEY, '--achievement', ACHIEVEMENT,
    '--feed-dir', join(ROOT, 'feed-src/kainuu'), '--lang', 'en', '--recipient-name', 'Aino Testinen',
    '--now', now, '-o', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  return out;
}

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** Base45 (RFC 9285): two bytes become three characters, a last byte two. */
function base45(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 < bytes.length) {
      const n = bytes[i] * 256 + bytes[i + 1];
      out += BASE45[n % 45] + BASE45[Math.floor(n / 45) % 45] + BASE45[Math.floor(n / 2025)];
    } else {
      out += BASE45[bytes[i] % 45] + BASE45[Math.floor(bytes[i] / 45)];
    }
  }
  return out;
}

/**
 * The Talkoo QR payload of a credential, as `talkoo_badges::qr::encode`
 * writes it (`TB1:` + base45 of the raw-deflated text), so the stand-in
 * detector "sees" what a phone's camera reads from a badge's QR code.
 */
function qrPayload(credential) {
  return 'TB1:' + base45(deflateRawSync(Buffer.from(credential, 'utf8'), { level: constants.Z_BEST_COMPRESSION }));
}

/**
 * Runs in the page before the app: a `BarcodeDetector` that finds nothing
 * in the first frame and `payload` in every later one, as a phone's does
 * once the code is in view, and a log of the tasks posted to the verifier
 * worker, to see that no grey frame went there.
 */
function detectorStandIn(payload) {
  const log = { options: [], frames: 0, videos: 0 };
  window.detectorLog = log;
  window.BarcodeDetector = class BarcodeDetector {
    constructor(options) {
      log.options.push(options);
    }
    static async getSupportedFormats() {
      return ['qr_code'];
    }
    async detect(source) {
      log.frames += 1;
      if (source instanceof HTMLVideoElement) log.videos += 1;
      return log.frames === 1 ? [] : [{ rawValue: payload, format: 'qr_code', cornerPoints: [] }];
    }
  };
  window.workerTasks = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    try {
      const task = JSON.parse(message);
      window.workerTasks.push(Object.keys(task).filter((k) => k !== 'id' && task[k] !== null));
    } catch {
      window.workerTasks.push(['(not JSON)']);
    }
    return post.call(this, message, ...rest);
  };
}

/**
 * Runs in the page before the app: a Web Share API level 2 that can share
 * any files and records each share (name, type and size of every file,
 * the text of a JSON file, and whether an image carries a credential).
 */
function shareStandIn() {
  window.shared = [];
  const canShare = (data) => Array.isArray(data?.files) && data.files.length > 0 && data.files.every((f) => f instanceof File);
  const share = async (data) => {
    const files = await Promise.all([...(data.files ?? [])].map(async (f) => {
      const text = await f.text();
      return {
        name: f.name,
        type: f.type,
        size: f.size,
        json: f.type === 'application/json' ? text : null,
        baked: text.includes('openbadgecredential') || text.includes('openbadges:credential'),
      };
    }));
    window.shared.push({ title: data.title, files });
  };
  Object.defineProperty(Navigator.prototype, 'canShare', { value: canShare, configurable: true, writable: true });
  Object.defineProperty(Navigator.prototype, 'share', { value: share, configurable: true, writable: true });
}

/**
 * Waits until the page shares a file or downloads one, and says which: a
 * download where the share sheet was expected fails at once, with the
 * file's name.
 */
function sharedOrDownloaded(page) {
  return Promise.race([
    page.waitForFunction(() => window.shared.length > 0, null, { timeout: 15_000 }).then(() => 'shared'),
    page.waitForEvent('download', { timeout: 15_000 }).then((d) => `downloaded ${d.suggestedFilename()}`),
  ]);
}

/** A fresh server with the release build, and a browser with `args`. */
async function world(args = []) {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser({ args });
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.stop();
      dist.remove();
    },
  };
}

test('issue 11: the QR scanner reads a badge with the browser\'s BarcodeDetector, not the worker, on "Check a badge" and "Add a badge"', async () => {
  const credential = readFileSync(makeBadge(), 'utf8');
  const payload = qrPayload(credential);
  // The fake camera only makes getUserMedia answer; what it shows does not
  // matter, as the stand-in detector reads the code.
  const w = await world(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
  try {
    const context = await w.browser.newContext();
    await context.grantPermissions(['camera']);
    await context.addInitScript(detectorStandIn, payload);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await firstRun(page, w.server.url, 'Kainuu');

    await page.goto(w.server.url + 'badges/check');
    await heading(page, 'Check a badge').waitFor();
    await page.getByRole('button', { name: 'Scan a QR code with the camera' }).click();
    await page.getByTestId('badge-result').waitFor({ timeout: 15_000 });
    assert.match(await page.getByRole('heading', { level: 2, name: /Valid/ }).innerText(), /^✓\s*Valid$/);
    assert.equal(await page.getByTestId('badge-name').innerText(), NAME_EN);
    assert.equal(await page.getByLabel(/Or paste the badge's text/).inputValue(), payload, 'the detector\'s text, as if pasted');
    const log = await page.evaluate(() => window.detectorLog);
    assert.deepEqual(log.options, [{ formats: ['qr_code'] }], 'one detector, for QR codes');
    assert.equal(log.frames, 2, 'frames are read until the code is seen, then no more');
    assert.equal(log.videos, 2, 'the detector reads the camera\'s video element');
    const tasks = await page.evaluate(() => window.workerTasks);
    assert.ok(!tasks.some((t) => t.includes('scan')), `no grey frame went to the worker: ${JSON.stringify(tasks)}`);
    assert.ok(tasks.some((t) => t.includes('request')), `the worker checked the badge: ${JSON.stringify(tasks)}`);

    await page.goto(w.server.url + 'badges');
    await heading(page, 'Badges').waitFor();
    await page.getByRole('button', { name: 'Scan a QR code with the camera' }).click();
    await page.getByRole('heading', { level: 1, name: NAME_EN }).waitFor({ timeout: 15_000 });
    assert.match((await page.getByTestId('badge-level').innerText()).trim(), /^✓\s*Valid/);
    assert.equal(await page.evaluate(() => window.detectorLog.frames), 2);
    assert.ok(!(await page.evaluate(() => window.workerTasks)).some((t) => t.includes('scan')), 'no grey frame on "Add a badge" either');

    const serious = errors.filter((e) => /Content Security Policy|panicked/i.test(e));
    assert.deepEqual(serious, [], 'no CSP violations or panics');
  } finally {
    await w.close();
  }
});

test('issue 11: where files can be shared, a badge\'s image and the backup go to the share sheet, not to a download', async () => {
  const badge = makeBadge();
  const w = await world();
  try {
    const context = await w.browser.newContext({ locale: 'en-GB' });
    await context.addInitScript(shareStandIn);
    const page = await context.newPage();
    const errors = watchErrors(page);
    const downloads = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await firstRun(page, w.server.url, 'Kainuu');

    // One entry in the hours, so the backup has something besides badges.
    await page.goto(w.server.url + 'hours/new');
    await page.getByLabel('Duration (hours)').fill('1.5');
    await page.getByLabel('Association', { exact: true }).fill(ORG_NAME);
    await page.getByRole('radio', { name: 'Transport and escorting' }).check();
    await page.getByLabel('Note (optional)').fill(NOTE);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('saved-status').getByText('Saved on this device.').waitFor();

    await page.goto(w.server.url + 'badges');
    await heading(page, 'Badges').waitFor();
    await page.getByLabel('Choose a file').setInputFiles(badge);
    await heading(page, NAME_EN).waitFor({ timeout: 15_000 });
    const share = page.getByRole('button', { name: 'Share as image' });
    await share.click();
    assert.equal(await sharedOrDownloaded(page), 'shared');
    const [image] = await page.evaluate(() => window.shared);
    assert.equal(image.files.length, 1, 'one file shared');
    const [file] = image.files;
    assert.match(file.name, /^badge-[0-9a-f]+-image\.(png|svg)$/, file.name);
    assert.equal(file.type, file.name.endsWith('.png') ? 'image/png' : 'image/svg+xml');
    assert.equal(image.title, file.name);
    assert.ok(file.size > 1000, `an image, not an empty file: ${file.size} bytes`);
    assert.ok(file.baked, 'the credential is baked into the shared image');

    await page.goto(w.server.url + 'settings');
    const backup = page.getByTestId('backup');
    assert.equal((await backup.innerText()).trim(), 'Share backup');
    await backup.click();
    assert.equal(await sharedOrDownloaded(page), 'shared');
    await page.getByTestId('backup-status').getByText(/^Backup made with 1 entry/).waitFor({ timeout: 15_000 });
    const shares = await page.evaluate(() => window.shared);
    assert.equal(shares.length, 1, 'the backup is one share (the page was loaded anew)');
    assert.equal(shares[0].files.length, 1);
    const [json] = shares[0].files;
    assert.match(json.name, /^talkoo-backup-\d{4}-\d{2}-\d{2}\.json$/);
    assert.equal(json.type, 'application/json');
    const parsed = JSON.parse(json.json);
    assert.equal(parsed.entries.length, 1, 'the hours entry');
    assert.equal(parsed.entries[0].entry.note, NOTE);
    assert.equal(parsed.badges.length, 1, 'the wallet badge');
    assert.equal(Buffer.from(parsed.badges[0].original, 'base64').toString('utf8'), readFileSync(badge, 'utf8'), 'the badge as issued');

    assert.deepEqual(downloads, [], 'nothing was downloaded');
    const serious = errors.filter((e) => /Content Security Policy|panicked/i.test(e));
    assert.deepEqual(serious, [], 'no CSP violations or panics');
  } finally {
    await w.close();
  }
});
