// Measures a build part by part: the first-load shell, and what only some
// pages or moments load (the pages module, the sync worker, the badge
// verifier worker, the badges module, the kiosk stylesheet, the Swedish
// and English messages):
// `node scripts/shell-size.mjs [dist]`. `make bench` prints the same table
// (end2end/bench.mjs imports `parts`).
//
// The shell is every .html, .js, .wasm, .css and .ftl file at the top of
// the build except sw.js (which the browser fetches apart from the page) and
// the other parts' files. Sizes are raw, gzip -9 and brotli at quality 11,
// as talkoo-serve's precompressed files would be.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

/** The parts other than the shell, each with the files that make it and when it loads. */
export const PARTS = [
  { name: 'pages module', when: 'once a catalogue is on screen, or on a card, settings, events, places or organisations page', files: /^talkoo-[0-9a-f]{1,16}-pages\.wasm$/ },
  { name: 'sync worker', when: 'during a sync', files: /^(sync-loader\.js|talkoo-sync(_bg\.wasm|\.js))$/ },
  { name: 'verifier worker', when: 'on a badge page', files: /^(verifier-loader\.js|talkoo-verifier(_bg\.wasm|\.js))$/ },
  { name: 'badges module', when: 'on an hours or badge page, a kiosk, backups, and at start once an hours inbox is joined', files: /^(badges-loader\.js|talkoo-badges(_bg\.wasm|\.js))$/ },
  { name: 'kiosk stylesheet', when: 'on a kiosk', files: /^kiosk\.css$/ },
  { name: 'Swedish or English messages', when: 'on a device in Swedish or English (one of the two)', files: /^(sv|en)\.ftl$/ },
];

const brotli = (bytes) =>
  brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length;

function measure(dir, name) {
  const bytes = readFileSync(join(dir, name));
  return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotli(bytes) };
}

/**
 * The build in `dir` part by part, the first-load shell first: each part's
 * files with their raw, gzip and brotli sizes, and its total.
 */
export function parts(dir) {
  const files = readdirSync(dir)
    .filter((f) => /\.(html|js|wasm|css|ftl)$/.test(f) && f !== 'sw.js')
    .sort();
  const of = (test) => files.filter(test).map((f) => measure(dir, f));
  const total = (rows) =>
    rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  const shell = of((f) => !PARTS.some((p) => p.files.test(f)));
  return [
    { name: 'first-load shell', when: 'every first visit', files: shell, total: total(shell) },
    ...PARTS.map((p) => {
      const rows = of((f) => p.files.test(f));
      return { name: p.name, when: p.when, files: rows, total: total(rows) };
    }),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB (${n} B)`;
  for (const part of parts(process.argv[2] ?? 'dist')) {
    console.log(`${part.name} (${part.when}): ${part.files.map((f) => f.name).join(', ')}`);
    console.log(`  raw ${kb(part.total.raw)}, brotli q11 ${kb(part.total.brotli)}`);
  }
}
