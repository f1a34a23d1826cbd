// `make bench`: prints Talkoo's performance figures as one table and writes
// them to bench/results.json. Today it measures the first-load shell; the
// benchmark issue adds sync, search, start-up and memory figures.
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { ROOT } from './support.mjs';

/** Raw, gzip -9 and brotli q11 sizes of what a first visit downloads. */
export function shellSizes(dist) {
  const files = readdirSync(dist).filter((f) => /\.(html|js|wasm|css)$/.test(f) && f !== 'sw.js');
  const rows = files.map((name) => {
    const bytes = readFileSync(join(dist, name));
    return {
      name,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
  return { files: rows, total };
}

const kb = (n) => (n / 1024).toFixed(1).padStart(8) + ' KiB';

if (import.meta.url === `file://${process.argv[1]}`) {
  const shell = shellSizes(join(ROOT, 'dist'));
  console.log('First-load shell (html + js + wasm + css)');
  console.log('file'.padEnd(40) + 'raw'.padStart(12) + 'gzip'.padStart(12) + 'brotli'.padStart(12));
  for (const r of [...shell.files, { name: 'total', ...shell.total }]) {
    console.log(r.name.padEnd(40) + kb(r.raw) + kb(r.gzip) + kb(r.brotli));
  }
  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results.json'), JSON.stringify({ shell }, null, 2) + '\n');
  console.log('\nwritten to bench/results.json');
}
