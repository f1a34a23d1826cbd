// Issue 9, bug 5: a browser without service workers (Firefox's private
// windows, some managed browsers) crashed the page with "Cannot read
// properties of undefined (reading 'waiting')". The app must work there
// online, say in Settings that offline use is unavailable, and throw no
// page error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyDist, startServer, launchBrowser, watchErrors, firstRun, heading } from './support.mjs';

/** Runs the first use of the app in `context` and checks it works. */
async function firstUse(context, server) {
  const page = await context.newPage();
  const errors = watchErrors(page);
  await firstRun(page, server.url);
  await page.getByLabel('Search activities').fill('ystava');
  await page.waitForFunction(() => /^\d+ results?$/.test(document.querySelector('[data-testid=result-count]')?.textContent ?? ''));

  await page.goto(server.url + 'hours/new');
  await page.getByLabel('Duration (hours)').fill('1,5');
  await page.getByLabel('Association', { exact: true }).fill('Paltamon kyläyhdistys');
  await page.getByRole('radio', { name: 'Events' }).check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByTestId('saved-status').getByText('Saved on this device.').waitFor();
  assert.equal(await page.getByTestId('entry').count(), 1);

  await page.goto(server.url + 'settings');
  await heading(page, 'Settings').waitFor();
  await page.getByTestId('offline-unavailable').waitFor();
  assert.match(await page.getByTestId('offline-unavailable').textContent(), /does not allow offline use/);
  assert.equal(await page.getByRole('button', { name: 'Check for updates' }).isVisible(), false, 'no update check without a worker');
  // Without a worker's cache the kiosk set-up form (the badges module's)
  // is downloaded only when asked for.
  await page.getByRole('button', { name: 'Set this device up as a kiosk' }).click();
  await page.getByLabel('Meeting place').waitFor();
  assert.deepEqual(errors, [], 'no page errors or console errors');
}

for (const [name, setUp] of [
  // Playwright's own switch: registration resolves without a registration.
  ['service workers blocked', (browser) => browser.newContext({ locale: 'en-GB', serviceWorkers: 'block' })],
  // As in a Firefox private window: navigator.serviceWorker is undefined.
  [
    'navigator.serviceWorker undefined',
    async (browser) => {
      const context = await browser.newContext({ locale: 'en-GB' });
      await context.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'serviceWorker', { get: () => undefined, configurable: true });
      });
      return context;
    },
  ],
]) {
  test(`the app works online with ${name}`, async () => {
    const dist = copyDist();
    const server = await startServer(dist.dir);
    const browser = await launchBrowser();
    try {
      await firstUse(await setUp(browser), server);
    } finally {
      await browser.close();
      await server.stop();
      dist.remove();
    }
  });
}
