// Takes the phone screenshots the issue-10 closing note compares (first run,
// catalogue, an event, the hours form; Finnish and Swedish at 390×844) from
// the release build in dist/, and prints where the first result starts.
// Usage: node scripts/screenshots.mjs docs/screenshots/after
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, startServer, ROOT } from '../end2end/support.mjs';

const out = process.argv[2];
if (!out) throw new Error('usage: node scripts/screenshots.mjs <output directory>');
mkdirSync(out, { recursive: true });

const server = await startServer(join(ROOT, 'dist'));
const browser = await launchBrowser();
const figures = {};
try {
  for (const [lang, locale] of [['fi', 'fi-FI'], ['sv', 'sv-FI']]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale });
    const page = await context.newPage();
    const shot = (name) => page.screenshot({ path: join(out, `${name}-${lang}.png`) });
    await page.goto(server.url);
    const kainuu = page.getByRole('checkbox', { name: /^(Kainuu|Kajanaland)$/ });
    await kainuu.waitFor();
    await shot('first-run');
    await kainuu.check();
    await page.getByRole('button', { name: /^(Tallenna|Spara)/ }).click();
    await page.waitForFunction(() => /^\d/.test(document.querySelector('[data-testid=result-count]')?.textContent ?? ''));
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('catalogue');
    figures[lang] = await page.evaluate(() => {
      const first = document.querySelector('[data-testid=results] li');
      const search = document.querySelector('input[type=search]');
      return {
        firstResultTop: Math.round(first.getBoundingClientRect().top + window.scrollY),
        searchTop: Math.round(search.getBoundingClientRect().top + window.scrollY),
      };
    });
    await page.goto(server.url + 'events');
    const events = page.getByTestId('events');
    await events.waitFor();
    const link = events.getByRole('link').first();
    const title = events.getByRole('heading', { level: 2 }).first();
    if (await title.getByRole('link').count()) {
      await title.getByRole('link').click();
      await page.getByRole('heading', { level: 1 }).waitFor();
    } else if (!(await link.count())) {
      throw new Error('no events in the demo feed');
    }
    await shot('event');
    await page.goto(server.url + 'hours/new');
    await page.getByRole('button', { name: /^(Tallenna|Spara)/ }).waitFor();
    await shot('hours-form');
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
console.log(JSON.stringify(figures));
