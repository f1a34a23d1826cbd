// Minifies the first-load shell's JavaScript, which Trunk would ship as it
// is: Trunk 0.21's minifier cannot read the `export { … as default }` that
// wasm-bindgen writes for `--target web`, warns "Failed to minify JS" and
// leaves the file whole (84 KB, 10.5 KB brotli; the workers' glue has no
// exports and is minified). Terser, a kept minifier, makes it 38 KB and
// 8.2 KB brotli. The shell's loader (Trunk.toml's pattern_script) sets no
// integrity hashes, so the changed file needs none written again.
//
// A Trunk post_build hook (Trunk.toml), after talkoo-split and before
// talkoo-swgen, which hashes the staged files for the service worker. Like
// Trunk's `minify = "on_release"`, it works on release builds only;
// `node scripts/minify-glue.mjs DIR` runs it on any staged or built directory.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('usage: node scripts/minify-glue.mjs DIR (or as a Trunk post_build hook)');
  process.exit(2);
}
if (!process.argv[2] && process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const glue = readdirSync(dir).filter((f) => /^talkoo-[0-9a-f]{1,16}\.js$/.test(f));
if (glue.length !== 1) {
  console.error(`minify-glue: expected one talkoo-<hash>.js in ${dir}, found ${JSON.stringify(glue)}`);
  process.exit(1);
}
const [name] = glue;
const path = join(dir, name);
const source = readFileSync(path, 'utf8');
const { code } = await minify(source, { module: true, ecma: 2020 });
writeFileSync(path, code);
console.log(`minify-glue: ${name} ${source.length} → ${code.length} bytes`);
