// Issue 2, proof 5: axe-core finds no WCAG 2.1 A/AA violations on any
// route, in any language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { copyDist, startServer, launchBrowser, chooseLanguage, firstRun, recorder } from './support.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ROUTES = ['', 'organisations', 'places', 'events', 'hours', 'hours/new', 'hours/join', 'badges', 'badges/check', 'settings', 'no-such-page'];
const LANGUAGES = [
  ['fi', 'Asetukset'],
  ['sv', 'Inställningar'],
  ['en', 'Settings'],
];

test('no WCAG 2.1 A/AA violations on any route in fi, sv and en', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  const found = [];
  let checked = 0;
  try {
    // axe is injected as a script, which the app's CSP rightly forbids.
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    // One clean-clone run timed out waiting for a route's language, with
    // nothing to say which route or why: a failure now says what the page
    // showed, logged and fetched.
    const record = recorder(page);
    for (const [lang, settingsTitle] of LANGUAGES) {
      await chooseLanguage(page, server.url, lang, settingsTitle);
      for (const route of ROUTES) {
        await page.goto(server.url + route);
        try {
          await page.getByRole('heading', { level: 1 }).waitFor();
          await page.waitForFunction((l) => document.documentElement.lang === l, lang);
        } catch (error) {
          error.message += ` (/${route} in ${lang})`;
          throw await record.explain(error);
        }
        await page.addScriptTag({ content: AXE });
        const result = await page.evaluate(() =>
          window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
        );
        checked += 1;
        for (const v of result.violations) {
          found.push(`${lang} /${route}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        }
      }
    }
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
  assert.equal(checked, ROUTES.length * LANGUAGES.length);
  assert.deepEqual(found, [], found.join('\n'));
});

test('no WCAG 2.1 A/AA violations on the catalogue pages with data, in fi, sv and en', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  const found = [];
  let checked = 0;
  try {
    const page = await (await browser.newContext({ bypassCSP: true, locale: 'en-GB' })).newPage();
    await firstRun(page, server.url);
    const card = await page.getByTestId('results').getByRole('link').first().getAttribute('href');
    // A place's page, reached as a user would: from the list of places.
    await page.goto(server.url + 'places');
    const place = (await page.getByTestId('places').getByRole('link').first().getAttribute('href')).replace(/^\//, '');
    // One logged entry, so the hours page has totals, a chart and a list.
    await page.goto(server.url + 'hours/new');
    await page.getByLabel('Duration (hours)').fill('2,5');
    await page.getByLabel('Association', { exact: true }).fill('Kajaanin kyläyhdistys');
    // Issue 10: no kind of work is preselected any more.
    await page.getByRole('radio', { name: 'Events' }).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('entry').waitFor();
    const entry = await page.getByTestId('entry').getAttribute('data-id');
    const routes = ['', '?q=kerho&group=everyone', card.replace(/^\//, ''), 'organisations', 'places', place, 'events', 'events/event-kn-starttikoulutus-tammikuu-2027', 'events/no-such-event', 'hours', `hours/edit/${entry}`, 'settings'];
    for (const [lang, settingsTitle] of LANGUAGES) {
      await chooseLanguage(page, server.url, lang, settingsTitle);
      for (const route of routes) {
        await page.goto(server.url + route);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.addScriptTag({ content: AXE });
        const result = await page.evaluate(() =>
          window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
        );
        checked += 1;
        for (const v of result.violations) {
          found.push(`${lang} /${route}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        }
      }
    }
    // The entry form with every field's message showing.
    await page.goto(server.url + 'hours/new');
    await page.getByLabel('Association', { exact: true }).fill('');
    await page.getByLabel('Duration (hours)').fill('-1');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Please check the fields marked below.' }).waitFor();
    await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(() =>
      window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
    );
    for (const v of result.violations) {
      found.push(`form with errors: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
    // Issue 10: the association combobox with its list open and an option
    // highlighted.
    await page.getByRole('button', { name: 'Show associations' }).click();
    await page.getByRole('combobox', { name: 'Association', exact: true }).press('ArrowDown');
    await page.getByRole('option', { selected: true }).waitFor();
    const open = await page.evaluate(() =>
      window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
    );
    for (const v of open.violations) {
      found.push(`association list open: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
  assert.equal(checked, 36);
  assert.deepEqual(found, [], found.join('\n'));
});

test('keyboard: the first Tab reaches the skip link, which moves focus to the content', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await page.goto(server.url + 'settings');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    assert.equal(await skip.evaluate((el) => el === document.activeElement), true, 'skip link is first in focus order');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main');
    // The next Tab lands inside the page's content, not back in the menu.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.querySelector('main').contains(document.activeElement)), true);
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Found while trying issue 13's first visit by keyboard: "Save and
// download" took the picker, and the focus with it, off the page; the next
// Tab started again from the top of the page.
test('keyboard: after Save and download the focus is on the page\'s content, and the next Tab stays in it', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await page.goto(server.url);
    await page.getByRole('checkbox', { name: 'Kainuu' }).check();
    await page.getByRole('button', { name: 'Save and download' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Search activities').waitFor();
    assert.equal(await page.getByRole('main').evaluate((el) => el === document.activeElement), true, 'the focus is on the content');
    assert.equal(await page.evaluate(() => window.scrollY), 0, 'nothing was scrolled');
    await page.keyboard.press('Tab');
    assert.equal(await page.getByRole('main').evaluate((el) => el.contains(document.activeElement) && el !== document.activeElement), true, 'the next Tab is in the content');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});
