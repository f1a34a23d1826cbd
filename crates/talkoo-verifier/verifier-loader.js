// The verifier worker's script: loads wasm-bindgen's glue and the verifier's wasm.
//
// Trunk's own loader shim would leave a failed wasm download as an
// unhandled promise rejection inside the worker, which the page never
// hears of; thrown again from a task it becomes the worker's `error`
// event, so the page reports "could not start" instead of waiting forever.
// The file names are fixed: Trunk does not hash a worker's files, and the
// service worker precaches them with the rest of the shell.
"use strict";
// The wasm is asked for before the glue, not after it has loaded: where
// the service worker does not serve them yet (a first visit), each is a
// round trip, about 0.6 s on a slow phone link (issue 13). The glue's
// `wasm_bindgen` awaits the answer; a failed one is caught there.
const wasmAnswer = fetch("./talkoo-verifier_bg.wasm");
wasmAnswer.catch(() => {});
importScripts("./talkoo-verifier.js");
wasm_bindgen({ module_or_path: wasmAnswer }).catch((error) => {
  setTimeout(() => {
    throw error;
  });
});
