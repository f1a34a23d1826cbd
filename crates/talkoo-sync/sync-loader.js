// The sync worker's script: loads wasm-bindgen's glue and the sync's wasm.
//
// As in verifier-loader.js: a failed wasm download is thrown again from a
// task, so it becomes the worker's `error` event and the page reports the
// sync as failed instead of waiting forever. The file names are fixed:
// Trunk does not hash a worker's files, and the service worker precaches
// them with the rest of the app.
"use strict";
importScripts("./talkoo-sync.js");
wasm_bindgen({ module_or_path: "./talkoo-sync_bg.wasm" }).catch((error) => {
  setTimeout(() => {
    throw error;
  });
});
