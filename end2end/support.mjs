// Shared helpers for the end-to-end tests: a real server process on
// 127.0.0.1, the system Chromium through playwright-core, and queries by
// role, label or test id.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..');

/**
 * The path of one of the workspace's native tools. `make bench` and
 * `make run` build them in release; `make test` uses the debug builds its
 * native tests already made (TALKOO_BIN_DIR=target/debug), which saves
 * compiling every dependency a second time.
 */
export function bin(name) {
  return join(ROOT, process.env.TALKOO_BIN_DIR ?? 'target/release', name);
}

const SERVE = bin('talkoo-serve');
const SWGEN = bin('talkoo-swgen');
const FEED = bin('talkoo-feed');
const INBOX = bin('talkoo-inbox');

/**
 * The demo publisher's key (public on purpose): a test that builds the demo
 * sources signs with it, as `make feed` does, or the app refuses the feed.
 */
export const DEMO_KEY = join(ROOT, 'feed-src/demo-publisher/demo-publisher.key');

/** Runs the feed tool (build, validate, …) and returns its standard output. */
export function feedTool(...args) {
  return execFileSync(FEED, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** Runs a talkoo-inbox command on database `db` and returns its output, trimmed. */
export function inboxCli(db, ...args) {
  return execFileSync(INBOX, ['--db', db, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
}

/**
 * Starts the reference hours inbox on `addr` (a free port by default) with
 * a fault mode, and resolves with its base URL once it listens. `kill()`
 * ends it at once, as a crash or a pulled plug would.
 */
export function startInbox(db, { addr = '127.0.0.1:0', fault = 'none' } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(INBOX, ['--db', db, 'serve', '--addr', addr, '--fault', fault], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/http:\/\/[\d.]+:\d+\//);
      if (match) {
        child.removeAllListeners('exit');
        resolvePromise({
          url: match[0],
          addr: match[0].slice('http://'.length, -1),
          kill: () =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGKILL');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`talkoo-inbox exited with ${code}: ${out}`)));
  });
}

/** A private copy of the release build, so a test can publish a new one. */
export function copyDist() {
  const dir = mkdtempSync(join(tmpdir(), 'talkoo-e2e-'));
  cpSync(join(ROOT, 'dist'), dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts talkoo-serve on a free port and resolves when it listens. */
export function startServer(dir) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(SERVE, ['--dir', dir, '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/http:\/\/[\d.]+:\d+\//);
      if (match) {
        resolvePromise({
          url: match[0],
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGKILL');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`talkoo-serve exited with ${code}: ${out}`)));
  });
}

/**
 * Opens the app's database at its next version, as a newer build's upgrade
 * would, from a blank window `page` opens: of the same origin, with none
 * of the app in it (a new tab of any address of the app would get the app
 * from the service worker, which opens the database itself). Answers
 * 'upgraded', or why not ('blocked: …' while a connection of a page or
 * worker of the app held the database).
 */
export async function openNewerVersion(page) {
  const [other] = await Promise.all([
    page.context().waitForEvent('page'),
    page.evaluate(() => {
      window.open('', '_blank');
    }),
  ]);
  const answer = await other.evaluate(
    () =>
      new Promise((resolve) => {
        const current = indexedDB.open('talkoo');
        current.onsuccess = () => {
          const version = current.result.version;
          current.result.close();
          const newer = indexedDB.open('talkoo', version + 1);
          newer.onblocked = () => resolve('blocked: the older tab held the database');
          newer.onsuccess = () => {
            newer.result.close();
            resolve('upgraded');
          };
          newer.onerror = () => resolve(`failed: ${newer.error}`);
        };
      }),
  );
  await other.close();
  return answer;
}

/** Rewrites sw.js and version.json for a build directory, as Trunk's hook does. */
export function regenerateWorker(dir) {
  execFileSync(SWGEN, [dir], { stdio: 'pipe' });
  return JSON.parse(readFileSync(join(dir, 'version.json'), 'utf8')).version;
}

export async function launchBrowser({ args = [] } = {}) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...args,
    ],
  });
}

/** Collects console errors and page errors, to fail on CSP violations and panics. */
export function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/**
 * Waits until the service worker is active and controls the page. A page
 * that finished loading while the worker was still activating is not
 * claimed (clients.claim() only takes clients that existed); its next load
 * is, so such a page is reloaded.
 */
export async function waitForServiceWorker(page) {
  // Activated, not merely active: by then the worker has claimed the open
  // pages, so one that is still not controlled needs a reload, and a
  // reload then is answered by the worker.
  await page.evaluate(() =>
    Promise.race([
      navigator.serviceWorker.ready.then(async ({ active }) => {
        if (active.state !== 'activated') {
          await new Promise((done) => active.addEventListener('statechange', () => active.state === 'activated' && done()));
        }
      }),
      new Promise((_, fail) => setTimeout(() => fail(new Error('the service worker did not activate in 60 s')), 60_000)),
    ]),
  );
  const controlled = () => page.evaluate(() => navigator.serviceWorker.controller !== null);
  // On a loaded machine a reload can still race the claim; a few tries with
  // a pause each settle it, and a worker that never takes over still fails.
  for (let attempt = 0; attempt < 4 && !(await controlled()); attempt++) {
    await page.reload();
    await page
      .waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 5_000 })
      .catch(() => {});
  }
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 5_000 });
}

export function heading(page, name) {
  return page.getByRole('heading', { level: 1, name });
}

/** Chooses a UI language on the Settings page and waits until it shows. */
export async function chooseLanguage(page, baseUrl, tag, settingsTitle) {
  await page.goto(baseUrl + 'settings');
  // The language is Settings' first choice; the kiosk set-up further down
  // has a select of its own, and the label is in the language being left.
  await page.getByRole('combobox').first().selectOption(tag);
  await heading(page, settingsTitle).waitFor();
  await page.waitForFunction((t) => document.documentElement.lang === t, tag);
}

/**
 * Starts recording what `page` logs and fetches; `explain(error)` adds that
 * and what the page shows to the error's message, so a failure on a CI
 * machine explains itself without a rerun.
 */
export function recorder(page) {
  const log = [];
  const handlers = {
    console: (m) => log.push(`console.${m.type()}: ${m.text()}`),
    pageerror: (e) => log.push(`page error: ${e.message}`),
    requestfailed: (r) => log.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`),
    response: (r) => log.push(`${r.status()} ${r.request().method()} ${r.url()}`),
  };
  for (const [event, handler] of Object.entries(handlers)) page.on(event, handler);
  return {
    async explain(error) {
      const shown = await page
        .evaluate(() => `${location.href}\n${document.body?.innerText ?? '(no body)'}`)
        .catch((e) => `(the page could not be read: ${e.message})`);
      error.message += `\n--- the page showed:\n${shown.slice(0, 3000)}\n--- it logged and fetched:\n${log.slice(-60).join('\n')}`;
      return error;
    },
    stop() {
      for (const [event, handler] of Object.entries(handlers)) page.off(event, handler);
    },
  };
}

/**
 * Waits until the catalogue shows its count of results ("N results"), which
 * it does once a sync or a stored catalogue has given it cards.
 */
export function resultsShown(page) {
  return page.waitForFunction(() => /^\d+ results$/.test(document.querySelector('[data-testid=result-count]')?.textContent ?? ''));
}

/** The number of results the catalogue says it shows. */
export async function resultCount(page) {
  return Number((await page.getByTestId('result-count').textContent()).split(' ')[0]);
}

/**
 * The first run: chooses a region, downloads it, and waits for the results.
 * A first load that does not show the region picker fails the test with
 * what the page showed, logged and fetched: every feed request has a
 * deadline now (issue 9), so a stalled request ends in an error on screen
 * instead of a hang, and a second load would only hide it.
 */
export async function firstRun(page, url, region = 'Kainuu') {
  const record = recorder(page);
  try {
    await page.goto(url);
    await page.getByRole('checkbox', { name: region }).check();
    await page.getByRole('button', { name: 'Save and download' }).click();
    await resultsShown(page);
  } catch (error) {
    throw await record.explain(error);
  } finally {
    record.stop();
  }
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core's WCAG 2.1 A/AA rules on the page and returns each
 * violation as one line (rule, impact, help, elements). The page's context
 * must bypass the CSP, which rightly forbids the injected script.
 */
export async function axeViolations(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return result.violations.map((v) => `${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Shares `file` to Talkoo as another app's share sheet does (Web Share
 * Target): a multipart form posted to the manifest's action `url` as a
 * navigation, with the file under `field`. A form made in the page stands
 * in for the sheet, which headless Chromium does not have.
 */
export async function shareToTalkoo(page, url, field, file) {
  await page.evaluate(([action, name]) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.enctype = 'multipart/form-data';
    form.action = action;
    const input = document.createElement('input');
    input.type = 'file';
    input.name = name;
    input.setAttribute('aria-label', `shared ${name}`);
    form.append(input);
    document.body.append(form);
  }, [url, field]);
  await page.getByLabel(`shared ${field}`).setInputFiles(file);
  await page.evaluate(() => document.querySelector('form[enctype="multipart/form-data"]').submit());
}
