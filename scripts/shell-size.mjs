// Measures the first-load shell, the badge verifier worker and the badges
// module of a build, for the size budget of issue 11:
// `node scripts/shell-size.mjs [dist]`.
//
// The shell is every .html, .js, .wasm and .css file at the top of the
// build except sw.js (which the browser fetches apart from the page), the
// verifier worker's own files, the badges module's, which only a badge
// page, a kiosk or setting a kiosk up loads, and the kiosk stylesheet,
// which only a kiosk loads. Sizes are
// brotli at quality 11, as talkoo-serve's precompressed files would be.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
const WORKER = /^(verifier-loader\.js|talkoo-verifier(_bg\.wasm|\.js))$/;
const MODULE = /^(badges-loader\.js|talkoo-badges(_bg\.wasm|\.js))$/;
const KIOSK = /^kiosk\.css$/;
const brotli = (bytes) =>
  brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length;

const files = readdirSync(dir).filter((f) => /\.(html|js|wasm|css)$/.test(f) && f !== 'sw.js');
const total = (names) =>
  names.reduce(
    (sum, f) => {
      const bytes = readFileSync(join(dir, f));
      return { raw: sum.raw + bytes.length, brotli: sum.brotli + brotli(bytes) };
    },
    { raw: 0, brotli: 0 },
  );
const shell = files.filter((f) => !WORKER.test(f) && !MODULE.test(f) && !KIOSK.test(f));
const kiosk = files.filter((f) => KIOSK.test(f));
const worker = files.filter((f) => WORKER.test(f));
const module = files.filter((f) => MODULE.test(f));
const kb = (n) => `${(n / 1024).toFixed(1)} KiB (${n} B)`;
for (const [name, list] of [['first-load shell', shell], ['verifier worker', worker], ['badges module', module], ['kiosk stylesheet', kiosk]]) {
  const size = total(list);
  console.log(`${name}: ${list.join(', ')}`);
  console.log(`  raw ${kb(size.raw)}, brotli q11 ${kb(size.brotli)}`);
}
