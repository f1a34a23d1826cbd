// The sync worker's script: loads wasm-bindgen's glue and the sync's wasm.
//
// As in verifier-loader.js: a failed wasm download is thrown again from a
// task, so it becomes the worker's `error` event and the page reports the
// sync as failed instead of waiting forever. The file names are fixed:
// Trunk does not hash a worker's files, and the service worker precaches
// them with the rest of the app.
"use strict";
// The wasm is asked for before the glue, not after it has loaded: where
// the service worker does not serve them yet (a first visit), each is a
// round trip, about 0.6 s on a slow phone link (issue 13). The glue's
// `wasm_bindgen` awaits the answer; a failed one is caught there.
const wasmAnswer = fetch("./talkoo-sync_bg.wasm");
wasmAnswer.catch(() => {});
importScripts("./talkoo-sync.js");
wasm_bindgen({ module_or_path: wasmAnswer }).catch((error) => {
  setTimeout(() => {
    throw error;
  });
});
