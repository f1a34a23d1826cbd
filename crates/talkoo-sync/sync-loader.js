// The sync worker's script: loads wasm-bindgen's glue and the sync's wasm.
//
// As in verifier-loader.js: a failed wasm load is thrown again from a
// task, so it becomes the worker's `error` event and the page reports the
// sync as failed instead of waiting forever. The file names are fixed:
// Trunk does not hash a worker's files, and the service worker precaches
// them with the rest of the app.
"use strict";
// The page asks for the wasm as it starts this worker and posts its bytes
// as the first message (src/sync_worker.rs; a page that cannot get them
// fails the sync itself and ends this worker). Where the service worker
// does not serve the app yet (a first visit), this script is a round trip
// of its own, about 0.6 s on a slow phone link, and the wasm asked for
// only once it had arrived came that much later (issue 13).
const wasmAnswer = new Promise((resolve) => {
  self.addEventListener("message", (event) => resolve(event.data), { once: true });
});
// A worker the page starts for a sync whose first request is the whole
// manifest (none is stored, as on a first visit) is named after the
// feed's address: it asks for the manifest and its signature now, while
// its wasm comes, instead of a round trip after it. The sync takes these
// answers as if it had fetched them, and checks them the same way
// (talkoo_engine::platform::Answered); `talkooAhead` is their JSON, `[]`
// for none. An answer that fails, does not come within the sync's
// deadline for the manifest (30 s) or is not UTF-8 is left out, and the
// sync asks for it again.
self.talkooAhead = Promise.all(
  self.name ? ["manifest.json", "manifest.json.sig"].map((file) => fetchedAhead(self.name + file)) : [],
).then((answers) => JSON.stringify(answers.filter(Boolean)));

async function fetchedAhead(url) {
  try {
    // `no-store`, as the sync's own requests (talkoo-web). The bytes are
    // kept as they are, a byte order mark too: the signature covers them.
    const response = await fetch(url, { cache: "no-store", signal: AbortSignal.timeout(30000) });
    const headers = [];
    for (const name of ["ETag", "Last-Modified"]) {
      const value = response.headers.get(name);
      if (value !== null) headers.push([name, value]);
    }
    const body = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(await response.arrayBuffer());
    return { url, status: response.status, headers, body };
  } catch {
    return null;
  }
}

importScripts("./talkoo-sync.js");
wasm_bindgen({ module_or_path: wasmAnswer }).catch((error) => {
  setTimeout(() => {
    throw error;
  });
});
