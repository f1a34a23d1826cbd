// Issue 11: a card whose task leads to a competence badge in the feed says
// so, in the reader's language with the badge's image and required hours,
// and a card that leads to none shows no such section.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyDist, startServer, launchBrowser, chooseLanguage, firstRun, heading } from './support.mjs';

test('a card lists the badges its task can earn, by language, with image and hours', async () => {
  const dist = copyDist();
  const server = await startServer(dist.dir);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await firstRun(page, server.url);

    await page.goto(server.url + 'services/svc-kn-ystavatoiminta-kajaani');
    await heading(page, 'Ystävätoiminta Kajaanissa ja Paltamossa').waitFor();
    const badges = page.getByRole('region', { name: 'This task can earn a badge' });
    await badges.waitFor();
    const item = badges.getByRole('listitem').filter({ hasText: 'Befriending volunteer' });
    await item.getByText('requires 20 hours').waitFor();
    // The image is decorative beside the name (alt=""), so it has no role.
    const src = await item.locator('img').getAttribute('src');
    assert.match(src, /^data:image\/svg\+xml;base64,/, 'the image comes with the feed, for offline use');
    assert.equal(await badges.getByRole('listitem').count(), 1);

    // The course card leads to the induction badge, which requires no hours.
    await page.goto(server.url + 'services/svc-kn-starttikoulutus');
    await heading(page, 'Vapaaehtoisen starttikoulutus').waitFor();
    const induction = page.getByTestId('service-badges').getByRole('listitem');
    await induction.getByText('Volunteer induction').waitFor();
    assert.doesNotMatch(await induction.textContent(), /requires/);

    // A card that leads to no badge has no such section.
    await page.goto(server.url + 'services/svc-kn-perhekahvila-sotkamo');
    await heading(page, 'Pesue family café').waitFor();
    assert.equal(await page.getByTestId('service-badges').count(), 0);

    await chooseLanguage(page, server.url, 'fi', 'Asetukset');
    await page.goto(server.url + 'services/svc-kn-ystavatoiminta-kajaani');
    const fi = page.getByRole('region', { name: 'Tästä tehtävästä voi saada osaamismerkin' });
    await fi.getByRole('listitem').filter({ hasText: 'Ystävätoiminnan vapaaehtoinen' }).getByText('vaatii 20 tuntia').waitFor();

    await chooseLanguage(page, server.url, 'sv', 'Inställningar');
    await page.goto(server.url + 'services/svc-kn-ensiapupaivystajat');
    const sv = page.getByRole('region', { name: 'Det här uppdraget kan ge ett kompetensmärke' });
    await sv.getByRole('listitem').filter({ hasText: 'Assistent vid första hjälpen-jouren (EA1)' }).getByText('kräver 16 timmar').waitFor();
  } finally {
    await browser.close();
    await server.stop();
    dist.remove();
  }
});
