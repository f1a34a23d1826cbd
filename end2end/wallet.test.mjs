// Issue 11, the wallet end to end: badges issued with the issuing tool and
// a demo issuer's key are baked into PNG files and added from the file
// picker. Offline after the first run, a badge of an issuer the user's
// region knows is valid and issued by its organisation; a copy changed
// after signing is not valid and says why; a revoked one, whose status
// list was fetched once while online, is revoked from the cached list; one
// from an issuer the regions do not know is valid with a warning, never
// the red mark of a forgery. The wallet survives a reload, and axe finds
// nothing on the badge pages in fi, sv and en.
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
  chooseLanguage,
  firstRun,
  heading,
  watchErrors,
  axeViolations,
  shareToTalkoo,
  bin,
} from './support.mjs';

const ISSUER = bin('talkoo-issuer');
const KAJASTUS_KEY = join(ROOT, 'feed-src/demo-issuers/org-kn-kajastus.key.json');
const STATUS_URL = 'https://status.example.org/kajastus/status.json';
const ACHIEVEMENT = 'ach-kn-perehdytys';
const NAME_EN = 'Volunteer induction';
// The ESCO skill the demo feed aligns the induction badge to (docs/feed.md).
const ESCO_CONFIDENTIALITY = 'http://data.europa.eu/esco/skill/8d202e22-85e9-47b1-a1e0-3296d17244cd';

function issuer(...args) {
  return execFileSync(ISSUER, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** A VC-JWT whose payload says something else than what was signed. */
function tamper(jwt) {
  const [header, payload, signature] = jwt.trim().split('.');
  const text = Buffer.from(payload, 'base64url').toString('utf8').replace('Aino', 'Eino');
  assert.ok(text.includes('Eino'), 'the recipient name is in the payload');
  return [header, Buffer.from(text, 'utf8').toString('base64url'), signature].join('.');
}

/** Issues the four badges of the test into a temporary directory. */
function makeBadges() {
  const dir = mkdtempSync(join(tmpdir(), 'talkoo-wallet-'));
  const now = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const image = join(ROOT, 'public/icons/icon-192.png');
  const issue = (key, name, index) => {
    const jwt = join(dir, `${name}.jwt`);
    issuer('issue', '--key', key, '--achievement', ACHIEVEMENT, '--feed-dir', join(ROOT, 'feed-src/kainuu'),
      '--lang', 'en', '--recipient-name', 'Aino Testinen', '--now', now, '--jwt', jwt,
      '--status-list', STATUS_URL, '--index', String(index));
    return jwt;
  };
  const bake = (jwt, name) => {
    const png = join(dir, `${name}.png`);
    issuer('bake', '--credential', jwt, '--image', image, '-o', png);
    return png;
  };
  const good = issue(KAJASTUS_KEY, 'good', 1);
  const revoked = issue(KAJASTUS_KEY, 'revoked', 2);
  const list = join(dir, 'status.json');
  issuer('revoke', '--key', KAJASTUS_KEY, '--list', list, '--credential', revoked, '--now', now);
  const tamperedJwt = join(dir, 'tampered.jwt');
  writeFileSync(tamperedJwt, tamper(readFileSync(good, 'utf8')));
  const strangerKey = join(dir, 'stranger.key.json');
  issuer('keygen', '--name', 'Tuntematon yhdistys', '-o', strangerKey);
  const stranger = issue(strangerKey, 'stranger', 3);
  return {
    good: bake(good, 'good'),
    revoked: bake(revoked, 'revoked'),
    tampered: bake(tamperedJwt, 'tampered'),
    stranger: bake(stranger, 'stranger'),
    statusList: readFileSync(list, 'utf8'),
  };
}

/** Adds a badge file on the badges page and waits for its own page. */
async function addBadge(page, url, file) {
  await page.goto(url + 'badges');
  await heading(page, 'Badges').waitFor();
  await page.getByLabel('Choose a file').setInputFiles(file);
  await page.getByRole('heading', { level: 1, name: NAME_EN }).waitFor({ timeout: 30_000 });
  return (await page.getByTestId('badge-level').innerText()).trim();
}


test('badges added from baked PNG files are verified offline: valid, tampered, revoked, unknown issuer', async () => {
  const badges = makeBadges();
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    // axe is injected as a script, which the app's CSP rightly forbids.
    const context = await browser.newContext({ bypassCSP: true });
    // The status list is published by the issuer elsewhere; the browser
    // fetches it from that address while online.
    let listFetches = 0;
    await context.route(STATUS_URL, (route) => {
      listFetches += 1;
      return route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { 'access-control-allow-origin': '*' },
        body: badges.statusList,
      });
    });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await firstRun(page, server.url, 'Kainuu');
    await waitForServiceWorker(page);

    // Online: the revoked badge's list is fetched and cached.
    assert.match(await addBadge(page, server.url, badges.revoked), /Not valid/);
    assert.ok(listFetches >= 1, 'the status list was fetched while online');
    await page.getByText(/The issuer has revoked the badge/).waitFor();

    await context.setOffline(true);
    const fetchesBefore = listFetches;

    const valid = await addBadge(page, server.url, badges.good);
    assert.match(valid, /^✓\s*Valid/, valid);
    await page.getByText('The signature matches: the badge has not been changed since it was issued.').waitFor();
    await page.getByText(/The issuer, .+, is known in your regions\./).waitFor();
    await page.getByText(/The badge has not been revoked \(list fetched/).waitFor();
    assert.equal(listFetches, fetchesBefore, 'offline, the cached list is used');
    // The feed's skill carries its ESCO concept, which the page links to.
    const skill = page.getByRole('link', { name: 'observe confidentiality' });
    assert.equal(await skill.getAttribute('href'), ESCO_CONFIDENTIALITY);

    const tampered = await addBadge(page, server.url, badges.tampered);
    assert.match(tampered, /^✗\s*Not valid/, tampered);
    await page.getByText(/The signature does not match: the badge was changed after it was issued, or it is forged\./).waitFor();

    const stranger = await addBadge(page, server.url, badges.stranger);
    assert.match(stranger, /^!\s*Valid, with warnings/, stranger);
    await page.getByText(/is not known in your regions\./).waitFor();
    assert.doesNotMatch(stranger, /Not valid/, 'an unknown issuer is a warning, never a forgery');

    // The revoked badge checked again offline: still revoked, from the
    // cached list, with when that list was fetched.
    await page.goto(server.url + 'badges');
    await heading(page, 'Badges').waitFor();
    const list = page.getByRole('list', { name: 'Your badges' });
    await list.getByRole('listitem').nth(3).waitFor();
    assert.equal(await list.getByRole('listitem').count(), 4, 'four badges, none doubled');
    // Newest first: the revoked badge, added first, is the last.
    await list.getByRole('link').nth(3).click();
    const level = page.getByTestId('badge-level');
    const checkedBefore = await level.getAttribute('data-checked-at');
    await page.getByRole('button', { name: 'Check again' }).click();
    // The new report replaces the old one: its time is the signal.
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid=badge-level]')?.getAttribute('data-checked-at') !== before,
      checkedBefore,
    );
    await page.getByText(/The issuer has revoked the badge \(list fetched/).waitFor();
    assert.match(await page.getByTestId('badge-level').innerText(), /Not valid/);
    assert.equal(listFetches, fetchesBefore, 'checked again offline from the cached list');
    for (const lang of ['fi', 'sv', 'en']) {
      await chooseLanguage(page, server.url, lang, { fi: 'Asetukset', sv: 'Inställningar', en: 'Settings' }[lang]);
      await page.goto(server.url + 'badges');
      await page.getByRole('list').first().waitFor();
      assert.deepEqual(await axeViolations(page), [], `axe on the wallet (${lang})`);
      await page.getByRole('list', { name: { fi: 'Merkkisi', sv: 'Dina märken', en: 'Your badges' }[lang] })
        .getByRole('link').first().click();
      await page.getByTestId('badge-checks').waitFor();
      assert.deepEqual(await axeViolations(page), [], `axe on a badge's page (${lang})`);
    }

    // A reload offline keeps the wallet (it lives in IndexedDB).
    await page.reload();
    await page.goto(server.url + 'badges');
    await page.getByRole('list', { name: 'Your badges' }).getByRole('listitem').nth(3).waitFor();

    const serious = errors.filter((e) => /Content Security Policy|panicked/i.test(e));
    assert.deepEqual(serious, [], 'no CSP violations or panics');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

test('a badge shared to Talkoo from another app (Web Share Target) lands in the wallet, offline too', async () => {
  const badges = makeBadges();
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const manifest = JSON.parse(readFileSync(join(dist.dir, 'manifest.webmanifest'), 'utf8'));
    assert.equal(manifest.share_target.action, './badges/receive');
    assert.equal(manifest.share_target.params.files[0].name, 'badge');
    const context = await browser.newContext();
    const page = await context.newPage();
    await firstRun(page, server.url, 'Kainuu');
    await waitForServiceWorker(page);
    await context.setOffline(true);
    await shareToTalkoo(page, new URL('badges/receive', server.url).href, 'badge', badges.good);
    await page.getByRole('heading', { level: 1, name: NAME_EN }).waitFor({ timeout: 30_000 });
    // Valid, with the warning that its status list has not been fetched
    // (this profile has never been online since the badge was issued).
    assert.match(await page.getByTestId('badge-level').innerText(), /^!\s*Valid, with warnings/);
    await page.getByText('The signature matches: the badge has not been changed since it was issued.').waitFor();
    await page.getByText(/The revocation list has not been fetched yet/).waitFor();
    // Taken once: the badges page opened again adds nothing.
    await page.goto(server.url + 'badges?shared=1');
    const list = page.getByRole('list', { name: 'Your badges' });
    await list.getByRole('listitem').first().waitFor();
    assert.equal(await list.getByRole('listitem').count(), 1);
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});
