// Issue 10: events a volunteer can act on (an event page that opens from
// the list, from a saved link and offline, with weekday dates, enrolment,
// capacity and a calendar file), the backup file picker in the app's
// language, persistent storage explained, and the "Install Talkoo" offer
// that appears once and never on an installed app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  copyDist, startServer, launchBrowser, waitForServiceWorker, heading, chooseLanguage, firstRun, watchErrors,
  feedTool, DEMO_KEY,
} from './support.mjs';

const NBSP = '\u00a0';
const COURSE = 'event-kn-starttikoulutus-tammikuu-2027';
const COURSE_FI = 'Vapaaehtoisen starttikoulutus (tammikuu)';
const STORY = 'event-kn-tarinailta-tammikuu-2027';
const STORY_FI = 'Tarinailta: Metsätyökämpän talvi';
/** The demo course's enrolment closes then; after it the page says so. */
const COURSE_CLOSES = Date.parse('2027-01-23T23:59:00+02:00');
/**
 * The pages' clock in these tests: the demo feed's events are of winter
 * and spring 2027, and with the real date the lists would lose them as
 * they pass (the story evening on 20 January 2027 first).
 */
const BEFORE_THE_EVENTS = Date.parse('2026-12-10T12:00:00+02:00');

/** Text with its no-break spaces shown as `_`, so a plain space fails the match. */
const shown = async (locator) => (await locator.textContent()).replaceAll(NBSP, '_');

/** A `beforeinstallprompt` as Chromium would fire it, with `prompt()` counted. */
function fireInstallPrompt(page) {
  return page.evaluate(() => {
    const event = new Event('beforeinstallprompt', { cancelable: true });
    window.prompted = 0;
    event.prompt = () => {
      window.prompted += 1;
      return Promise.resolve();
    };
    event.userChoice = Promise.resolve({ outcome: 'dismissed' });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
}

test('issue 10: an event opens from the list, says when, how to enrol and how many fit, and has a calendar file', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    await context.clock.setFixedTime(BEFORE_THE_EVENTS);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await firstRun(page, server.url);

    await page.getByRole('link', { name: 'Events', exact: true }).click();
    await heading(page, 'Events').waitFor();
    const item = page.getByTestId('event').filter({ has: page.getByRole('link', { name: COURSE_FI }) });
    assert.match(await shown(item.getByTestId('event-when')), /^Tue_26_Jan(_2027)?, 17:00–20:00$/);
    await item.getByText('Up to 25 participants').waitFor();
    await item.getByText('Advance enrolment is required.').waitFor();

    await item.getByRole('link', { name: COURSE_FI }).click();
    await heading(page, COURSE_FI).waitFor();
    assert.equal(new URL(page.url()).pathname, `/events/${COURSE}`);
    assert.match(await page.title(), new RegExp(`^${COURSE_FI.replace(/[()]/g, '\\$&')} – Talkoo$`));
    assert.match(await shown(page.getByTestId('event-when')), /^Tue_26_Jan(_2027)?, 17:00–20:00$/);
    assert.equal(await page.getByRole('link', { name: 'Kajastus NGO House' }).getAttribute('href'), '/places/place-kn-kajaani-jarjestotalo');
    const enrolment = page.getByTestId('enrolment');
    await enrolment.getByRole('heading', { level: 2, name: 'Enrolment' }).waitFor();
    assert.equal(await enrolment.getByTestId('enrolment-required').textContent(), 'Advance enrolment is required.');
    assert.match(await shown(enrolment.getByTestId('enrolment-dates')), /^Enrol by Sat_23_Jan(_2027)?, 23:59\.$/);
    const enrol = enrolment.getByRole('link', { name: 'Enrol online' });
    assert.equal(await enrol.getAttribute('href'), 'https://example.fi/kajastus/koulutukset');
    assert.equal(await enrolment.getByTestId('event-capacity').textContent(), 'Up to 25 participants');

    const calendar = page.getByRole('link', { name: 'Add to calendar' });
    assert.equal(await calendar.getAttribute('download'), `${COURSE}.ics`);
    const ics = decodeURIComponent((await calendar.getAttribute('href')).replace(/^data:text\/calendar;charset=utf-8,/, ''));
    assert.match(ics, /DTSTART;TZID=Europe\/Helsinki:20270126T170000/);

    // Once enrolment has closed, the page says so and offers no link.
    await page.clock.setFixedTime(COURSE_CLOSES + 60_000);
    await page.reload();
    await heading(page, COURSE_FI).waitFor();
    assert.equal(await page.getByTestId('enrolment-dates').textContent(), 'Enrolment has closed.');
    assert.equal(await page.getByRole('link', { name: 'Enrol online' }).count(), 0);
    await page.clock.setFixedTime(BEFORE_THE_EVENTS);

    await page.getByRole('link', { name: 'Back to events' }).click();
    await heading(page, 'Events').waitFor();
    assert.deepEqual(errors.filter((e) => /panicked/i.test(e)), []);
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

test('issue 10: an event page opens from a saved link and offline, in Finnish, and an unknown one says so', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    await context.clock.setFixedTime(BEFORE_THE_EVENTS);
    const page = await context.newPage();
    await firstRun(page, server.url);
    await waitForServiceWorker(page);
    await chooseLanguage(page, server.url, 'fi', 'Asetukset');

    // A saved link, loaded as the first page of a visit.
    await page.goto(server.url + `events/${STORY}`);
    await heading(page, STORY_FI).waitFor();
    assert.match(await shown(page.getByTestId('event-when')), /^ke_20\.1\.(2027)? klo_17\.30–19\.00$/);
    assert.equal(await page.getByTestId('event-capacity').textContent(), 'Osallistujia enintään 35');
    assert.equal(await page.getByTestId('enrolment-required').textContent(), 'Ennakkoilmoittautumista ei tarvita.');
    await page.getByRole('link', { name: 'Lisää kalenteriin' }).waitFor();

    await page.goto(server.url + 'events');
    const story = page.getByTestId('event').filter({ has: page.getByRole('link', { name: STORY_FI }) });
    await story.getByText('Osallistujia enintään 35').waitFor();
    assert.match(await shown(story.getByTestId('event-when')), /^ke_20\.1\.(2027)? klo_17\.30–19\.00$/);

    // Offline, with no server at all, in a new tab.
    await context.setOffline(true);
    await server.stop();
    const offline = await context.newPage();
    await offline.goto(server.url + `events/${COURSE}`);
    await heading(offline, COURSE_FI).waitFor({ timeout: 10_000 });
    assert.equal(await offline.getByTestId('enrolment-required').textContent(), 'Ilmoittautuminen ennakkoon vaaditaan.');
    assert.match(await shown(offline.getByTestId('enrolment-dates')), /^Ilmoittaudu viimeistään la_23\.1\.(2027)? klo_23\.59\.$/);
    assert.equal(await offline.getByTestId('event-capacity').textContent(), 'Osallistujia enintään 25');

    await offline.goto(server.url + 'events/no-such-event');
    await heading(offline, 'Tapahtumaa ei löydy').waitFor({ timeout: 10_000 });
    await offline.getByRole('link', { name: 'Kaikki tapahtumat' }).click();
    await heading(offline, 'Tapahtumat').waitFor();
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

test('issue 10: Settings explains persistent storage and labels the file picker in the app\'s language', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await page.goto(server.url);
    await chooseLanguage(page, server.url, 'fi', 'Asetukset');
    await page.getByText('Pysyvä tallennus tarkoittaa, että selain ei poista tuntejasi').waitFor();
    // Two pickers say it in Finnish: the backup's and the data file's.
    await page.getByText('Valitse tiedosto', { exact: true }).first().waitFor();
    assert.equal(await page.getByText('Valitse tiedosto', { exact: true }).count(), 2);
    const chosen = page.getByTestId('restore-chosen');
    assert.equal(await chosen.textContent(), 'Ei valittua tiedostoa');
    await page.getByLabel('Palauta varmuuskopiotiedostosta').setInputFiles({
      name: 'talkoo-backup-2026-11-20.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"not":"a backup"}'),
    });
    await chosen.getByText('talkoo-backup-2026-11-20.json').waitFor();
    await page.getByRole('alert').getByText('Varmuuskopiota ei voitu palauttaa').waitFor();
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

test('issue 10: "Install Talkoo" is offered once after the first region download, and always in Settings', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await firstRun(page, server.url);
    assert.equal(await fireInstallPrompt(page), true, 'the browser\'s own install bar is held back');
    const offer = page.getByTestId('install-offer');
    await offer.getByRole('heading', { name: 'Install Talkoo' }).waitFor();
    await offer.getByRole('button', { name: 'Not now' }).click();
    await offer.waitFor({ state: 'detached' });

    // Never again on this device, though Settings still offers it.
    await page.goto(server.url + 'settings');
    await page.locator('[data-testid=install-offer-region][data-decided=true]').waitFor({ state: 'attached' });
    await fireInstallPrompt(page);
    const section = page.getByTestId('settings-install');
    await section.getByRole('button', { name: 'Install', exact: true }).click();
    assert.equal(await page.evaluate(() => window.prompted), 1);
    // A prompt works once: the button goes until the browser offers again.
    await section.getByRole('button', { name: 'Install', exact: true }).waitFor({ state: 'detached' });
    await section.getByText('This browser does not offer installing.').waitFor();
    assert.equal(await offer.count(), 0);
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

test('issue 10: on an iPhone the offer gives the Add to Home Screen steps', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({
      locale: 'en-GB',
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    });
    const page = await context.newPage();
    // Before any region there is nothing to keep offline: no offer yet.
    await page.goto(server.url);
    await page.locator('[data-testid=install-offer-region][data-decided=true]').waitFor({ state: 'attached' });
    assert.equal(await page.getByTestId('install-offer').count(), 0);
    await firstRun(page, server.url);
    const offer = page.getByTestId('install-offer');
    await offer.getByText('Add to Home Screen').waitFor();
    await page.goto(server.url + 'settings');
    await page.getByTestId('settings-install').getByText("Tap Safari's Share button").waitFor();
    await page.locator('[data-testid=install-offer-region][data-decided=true]').waitFor({ state: 'attached' });
    assert.equal(await offer.count(), 0, 'shown once: a reload does not bring it back');
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});

// Issue 13: a region of thousands of events or associations drew every
// one at once: at 50,000 cards (5,000 events, 5,000 associations) a task
// of over a second on the events page and of 9 s on the associations'.
// Each list draws 50 and more on request, and the number shown stays in
// the address, so a way back from an entry shows as many as before; an
// association a card links to is drawn however far down it is.
test('issue 13: the events and associations lists draw 50 at first, more on request, and a way back keeps them', async () => {
  const feed = mkdtempSync(join(tmpdir(), 'talkoo-synth-'));
  feedTool('synth', '--services', '600', '--seed', '7', '--key', DEMO_KEY, feed);
  const dist = copyDist();
  rmSync(join(dist.dir, 'feed'), { recursive: true, force: true });
  cpSync(feed, join(dist.dir, 'feed'), { recursive: true });
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ locale: 'en-GB', viewport: { width: 390, height: 844 } });
    const errors = watchErrors(page);
    await firstRun(page, server.url, 'Synteettinen Kainuu');
    await page.goto(server.url + 'events');
    const events = page.getByTestId('events').getByTestId('event');
    await page.getByRole('button', { name: 'Show more (10 left)' }).waitFor();
    assert.equal(await events.count(), 50);
    await page.getByRole('button', { name: 'Show more (10 left)' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=event]').length === 60);
    assert.equal(await page.getByRole('button', { name: /^Show more/ }).count(), 0);
    assert.equal(new URL(page.url()).searchParams.get('shown'), '100');
    await events.nth(55).getByRole('link').first().click();
    await page.getByRole('link', { name: 'Back to events' }).waitFor();
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=event]').length === 60);

    await page.goto(server.url + 'organisations');
    const associations = page.getByTestId('organisations').locator('li.organisation');
    await page.getByRole('button', { name: 'Show more (10 left)' }).waitFor();
    assert.equal(await associations.count(), 50);
    await page.getByRole('button', { name: 'Show more (10 left)' }).click();
    await page.waitForFunction(() => document.querySelectorAll('li.organisation').length === 60);
    const last = associations.nth(59);
    const id = await last.getAttribute('id');
    await last.locator('ul.cards').getByRole('link').first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.locator(`a[href$="/organisations#${id}"]`).click();
    await page.waitForURL(new RegExp(`/organisations#${id}$`));
    await page.locator(`[id="${id}"]`).waitFor();
    assert.equal(await associations.count(), 60, 'the linked association is drawn');
    // All 60 are drawn, so nothing is left to show (it said "10 left").
    await page.getByRole('button', { name: /^Show more/, includeHidden: true }).waitFor({ state: 'hidden' });
    await page.waitForFunction((id) => {
      const box = document.getElementById(id).getBoundingClientRect();
      return box.top >= 0 && box.top < window.innerHeight;
    }, id);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
    rmSync(feed, { recursive: true, force: true });
  }
});
