// The badges module's loader: src/badges_host.rs adds this script on the
// first badge page, and it sets `window.talkooBadges` to a promise of the
// module's exports (src/bin/talkoo-badges.rs).
//
// The module is built as wasm-bindgen's classic-script glue (Trunk's
// worker build), whose `wasm_bindgen` is a global binding that only
// another classic script can reach; this one hands it to the shell. After
// a failed download (offline before the service worker cached the module)
// the shell adds this script again, and the glue that did load is reused.
// The file names are fixed: Trunk does not hash a worker build's files,
// and the service worker precaches them with the rest of the app.
"use strict";
globalThis.talkooBadges = new Promise((resolve, reject) => {
  const init = () =>
    wasm_bindgen({ module_or_path: "talkoo-badges_bg.wasm" }).then(() => resolve(wasm_bindgen), reject);
  if (typeof wasm_bindgen === "function") {
    init();
    return;
  }
  const glue = document.createElement("script");
  glue.src = "talkoo-badges.js";
  glue.onload = init;
  glue.onerror = () => reject(new Error("talkoo-badges.js did not load"));
  document.head.append(glue);
});
