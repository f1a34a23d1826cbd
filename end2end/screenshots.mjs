// Writes the screenshots of the kiosk's attract screen that docs/kiosk.md
// shows, in portrait (1080×1920) and landscape (1920×1080), from the release
// build in dist/ with the demo feed: `node end2end/screenshots.mjs` after
// `trunk build --release`. Not a test; run it again when the screen changes.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ROOT, copyDist, startServer, launchBrowser, waitForServiceWorker, firstRun } from './support.mjs';

const PLACE = 'place-kn-kajaani-jarjestotalo';

function pinHash(pin) {
  const salt = Buffer.from([...Array(16).keys()]);
  const hash = createHash('sha256').update('talkoo-kiosk-pin\0').update(salt).update(pin).digest('hex');
  return `sha256.${salt.toString('hex')}.${hash}`;
}

const dist = copyDist();
const server = await startServer(dist.dir);
const browser = await launchBrowser();
try {
  for (const [name, width, height] of [['portrait', 1080, 1920], ['landscape', 1920, 1080]]) {
    // The set-up page speaks English here; the kiosk starts in its first
    // language, Finnish.
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width, height } });
    const page = await context.newPage();
    await firstRun(page, server.url);
    await waitForServiceWorker(page);
    await page.goto(`${server.url}kiosk/setup?place=${PLACE}&lang=fi,sv,en&idle=90&warn=20&pin=${pinHash('2468')}`);
    await page.getByTestId('kiosk-summary').waitFor();
    await page.getByRole('button', { name: 'Use this device as a kiosk' }).click();
    await page.getByTestId('attract').getByRole('listitem').first().waitFor();
    const file = join(ROOT, 'docs', `kiosk-attract-${name}.png`);
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
  dist.remove();
}
