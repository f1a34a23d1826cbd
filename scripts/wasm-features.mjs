// Says which of the app's features the first-load shell's wasm is made of,
// so that a decision to move one out of the shell starts from its measured
// weight: `node scripts/wasm-features.mjs [cargo wasm]`. `make bench` prints
// the same table (end2end/bench.mjs imports `shellFeatures`).
//
// The shipped wasm has no names, so this rebuilds the shell's part of it
// (not the pages module) the way the build does (the split of
// crates/talkoo-split, wasm-bindgen, then wasm-opt -Oz) from the cargo
// build Trunk left in target/, keeping the function names, and gives each
// function's body to the first feature whose pattern its name matches.
// The wasm32 build uses Rust's v0 symbol names (.cargo/config.toml), which
// name a generic function's type parameters: generic code instantiated for a feature's
// types (a view of the Settings page, a signal of hours entries) names
// those types, so it counts for the feature, not for the library. The
// legacy names left the parameters out, and counted such code as Leptos's
// or the standard library's: they found a third of the Settings page's.
// The crates' disambiguators (`leptos[8b07…]`) are dropped from the names. The
// static data counts apart, except the message catalogues, which are found
// by their text. Each feature has two brotli figures: its bytes compressed
// alone, and what leaving it out would save (the rest compressed without
// it, against all of it), which does not count what it shares with the
// rest. The first add up to more than the file, the second to less.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const ROOT = join(fileURLToPath(import.meta.url), '../..');

/**
 * What the shell's code is attributed to, the first matching pattern
 * winning: the pages before what they show, so that library code built for
 * one page's types (a view of the Settings page, a signal of a card) counts
 * for that page.
 */
export const FEATURES = [
  { name: 'hours (pages, forms, outbox, inbox)', test: /talkoo(_core|_engine|_store)?::hours|::outbox|::inbox|pages::hours|combobox|membership/ },
  { name: 'badges and kiosk hosts', test: /badges_host|kiosk_host|badge_check|talkoo_core::(badge|kiosk|wallet)/ },
  { name: 'settings page', test: /pages::settings|talkoo_core::storage_status|talkoo::storage::storage_status/ },
  { name: 'install and updates (PWA)', test: /talkoo::pwa|pages::install|talkoo_core::(install|update)|talkoo::storage::build_id/ },
  { name: 'catalogue page (first run, search, filters)', test: /pages::catalogue|talkoo_core::html/ },
  { name: "a card's page", test: /pages::service/ },
  { name: 'events pages', test: /pages::events|talkoo_core::ics/ },
  { name: 'places and organisations pages', test: /pages::(places|organisations)/ },
  { name: 'shared page parts (text, sync bar, not found)', test: /pages::(common|not_found)|talkoo::pages::__|talkoo::pages::Page/ },
  { name: 'places, events and badge records', test: /talkoo_core::model::(Place|Event|Achievement|Issuer)\b|Catalogue>::(places|events|achievements|issuers)\b/ },
  { name: 'search', test: /talkoo_core::(search|collate)|rust_stemmers/ },
  {
    name: 'stored catalogue and sync host',
    test: /talkoo::(catalogue|sync_worker|files)|talkoo_core::(snapshot|catalogue|model|lang_map|feed|sync|endpoint|pinning)|talkoo_engine|talkoo_web::yield_now/,
  },
  { name: 'app frame, routes and nav', test: /talkoo::app|talkoo::router|talkoo::pages|talkoo::lib|talkoo::main|talkoo_core::nav/ },
  { name: 'languages (Fluent, dates)', test: /fluent|intl_|unic_langid|talkoo_core::(i18n|datefmt|time)|talkoo::i18n/ },
  { name: 'storage (IndexedDB)', test: /indexed_db|talkoo_store|talkoo::storage/ },
  { name: 'JSON (serde)', test: /serde/ },
  { name: 'Leptos runtime', test: /leptos|reactive_graph|tachys|send_wrapper|any_spawner|either_of|or_poisoned|throw_error|next_tuple|guardian/ },
  { name: 'browser bindings', test: /wasm_bindgen|js_sys|web_sys|gloo|wasm_streams|talkoo_web/ },
  { name: 'Rust standard library and the rest', test: /(?:)/ },
];

const brotli = (bytes, quality = 11) =>
  brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length;

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function text(bytes, at) {
  const [len, start] = leb(bytes, at);
  return [bytes.subarray(start, start + len).toString('utf8'), start + len];
}

/** Skips a constant expression (a data segment's offset) up to its `end`. */
function skipExpr(bytes, at) {
  while (bytes[at] !== 0x0b) at++;
  return at + 1;
}

/**
 * The function bodies (with their names) and data segments of a wasm
 * module: the parts a wasm-opt'ed module's size is made of.
 */
export function wasmParts(bytes) {
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  let imported = 0;
  const bodies = [];
  const data = [];
  const names = new Map();
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    const end = start + size;
    if (id === 2) {
      let [count, p] = leb(bytes, start);
      for (let i = 0; i < count; i++) {
        [, p] = text(bytes, p);
        [, p] = text(bytes, p);
        const kind = bytes[p++];
        if (kind === 0) {
          imported++;
          [, p] = leb(bytes, p);
        } else if (kind === 1) {
          p += 1;
          const flags = bytes[p++];
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 2) {
          const flags = bytes[p++];
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 3) {
          p += 2;
        } else {
          [, p] = leb(bytes, p + 1);
        }
      }
    } else if (id === 10) {
      let [count, p] = leb(bytes, start);
      for (let i = 0; i < count; i++) {
        const [len, body] = leb(bytes, p);
        bodies.push({ index: imported + i, bytes: bytes.subarray(p, body + len) });
        p = body + len;
      }
    } else if (id === 11) {
      let [count, p] = leb(bytes, start);
      for (let i = 0; i < count; i++) {
        let flags;
        [flags, p] = leb(bytes, p);
        if (flags === 2) [, p] = leb(bytes, p);
        if (flags !== 1) p = skipExpr(bytes, p);
        const [len, seg] = leb(bytes, p);
        data.push(bytes.subarray(seg, seg + len));
        p = seg + len;
      }
    } else if (id === 0) {
      const [name, p] = text(bytes, start);
      if (name === 'name') {
        for (let q = p; q < end; ) {
          const sub = bytes[q];
          const [subSize, subStart] = leb(bytes, q + 1);
          if (sub === 1) {
            let [count, r] = leb(bytes, subStart);
            for (let i = 0; i < count; i++) {
              let index;
              let fn;
              [index, r] = leb(bytes, r);
              [fn, r] = text(bytes, r);
              names.set(index, fn.replace(/\[[0-9a-f]{1,16}\]/g, ''));
            }
          }
          q = subStart + subSize;
        }
      }
    }
    at = end;
  }
  return { bodies: bodies.map((b) => ({ name: names.get(b.index) ?? '', bytes: b.bytes })), data };
}

/**
 * The module's code and data by feature: raw bytes, their share of the
 * module's code and data, brotli of the feature's bytes alone, and what
 * leaving the feature out would save (`saved`: brotli of all code and data
 * less brotli of all but the feature's, in the module's order, so that
 * what the feature shares with the rest is not counted as saved).
 * `catalogues` are the message catalogues' texts, counted apart from the
 * rest of the static data wherever they occur in it. `quality` is
 * brotli's (11 is what talkoo-serve sends).
 */
export function features(bytes, catalogues = [], { quality = 11 } = {}) {
  const { bodies, data } = wasmParts(bytes);
  const groups = FEATURES.map((f) => ({ name: f.name, test: f.test }));
  const messages = { name: 'messages (catalogues built in)' };
  const other = { name: 'other static data (strings, tables)' };
  // Every piece with its group, in the module's order.
  const pieces = bodies.map((body) => ({ group: groups.find((g) => g.test.test(body.name)), bytes: body.bytes }));
  for (const segment of data) {
    let rest = segment;
    for (const catalogue of catalogues) {
      const at = rest.indexOf(catalogue);
      if (at >= 0) {
        pieces.push({ group: messages, bytes: rest.subarray(at, at + catalogue.length) });
        rest = Buffer.concat([rest.subarray(0, at), rest.subarray(at + catalogue.length)]);
      }
    }
    pieces.push({ group: other, bytes: rest });
  }
  const compressed = (list) => brotli(Buffer.concat(list.map((p) => p.bytes)), quality);
  const whole = compressed(pieces);
  const rows = [...groups, messages, other].map((g) => {
    const own = pieces.filter((p) => p.group === g);
    const raw = own.reduce((t, p) => t + p.bytes.length, 0);
    return {
      name: g.name,
      raw,
      brotli: raw ? compressed(own) : 0,
      saved: raw ? whole - compressed(pieces.filter((p) => p.group !== g)) : 0,
    };
  });
  const total = rows.reduce((t, r) => t + r.raw, 0);
  return rows.map((r) => ({ ...r, share: total ? r.raw / total : 0 })).sort((a, b) => b.raw - a.raw);
}

/** The app's message catalogues (crates/talkoo-core/locales), as the wasm holds them. */
export function shellCatalogues() {
  const dir = join(ROOT, 'crates/talkoo-core/locales');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ftl'))
    .map((f) => readFileSync(join(dir, f)));
}

/**
 * Rebuilds the shell's wasm from cargo's output (`cargoWasm`) as Trunk does,
 * names kept, and returns its features. `optimise: false` skips wasm-opt
 * and a lower `quality` makes brotli quicker (a quick check that the table
 * still works; the figures are then not the shipped module's). A
 * `functions` array is given every function's name, for checks of what the
 * shell must not carry.
 */
export function shellFeatures(cargoWasm = join(ROOT, 'target/wasm32-unknown-unknown/release/talkoo.wasm'), { optimise = true, quality = 11, functions } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'talkoo-features-'));
  try {
    // The shell's part of the split (crates/talkoo-split), as served.
    execFileSync('cargo', ['run', '--quiet', '--offline', '--locked', '-p', 'talkoo-split', '--', '--split-only', cargoWasm, dir], { cwd: ROOT });
    execFileSync('wasm-bindgen', ['--target', 'web', '--keep-debug', '--keep-lld-exports', '--out-dir', dir, '--out-name', 'shell', join(dir, 'main.wasm')]);
    let wasm = join(dir, 'shell_bg.wasm');
    if (optimise) {
      const opt = join(dir, 'opt.wasm');
      // The flags of Trunk's wasm-opt run (index.html), and -g for the names.
      execFileSync('wasm-opt', ['-Oz', '--low-memory-unused', '-g', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', wasm, '-o', opt]);
      wasm = opt;
    }
    const bytes = readFileSync(wasm);
    if (functions) functions.push(...wasmParts(bytes).bodies.map((b) => b.name));
    return features(bytes, shellCatalogues(), { quality });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(12);
  console.log(`${'feature'.padEnd(48)}${'raw'.padStart(12)}${'share'.padStart(9)}${'alone'.padStart(12)}${'saved'.padStart(12)}`);
  for (const r of shellFeatures(process.argv[2])) {
    console.log(`${r.name.padEnd(48)}${kb(r.raw)}${`${(r.share * 100).toFixed(1)} %`.padStart(9)}${kb(r.brotli)}${kb(r.saved)}`);
  }
}
