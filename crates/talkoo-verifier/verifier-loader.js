// The verifier worker's script: loads wasm-bindgen's glue and the verifier's wasm.
//
// Trunk's own loader shim would leave a failed wasm download as an
// unhandled promise rejection inside the worker, which the page never
// hears of; thrown again from a task it becomes the worker's `error`
// event, so the page reports "could not start" instead of waiting forever.
// The file names are fixed: Trunk does not hash a worker's files, and the
// service worker precaches them with the rest of the shell.
"use strict";
importScripts("./talkoo-verifier.js");
wasm_bindgen({ module_or_path: "./talkoo-verifier_bg.wasm" }).catch((error) => {
  setTimeout(() => {
    throw error;
  });
});
