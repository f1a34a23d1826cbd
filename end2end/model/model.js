// The page of end2end/bench.mjs's model app: the least any app must do for
// a region's first sync under issue 13's rules, written plainly in
// JavaScript, to show what the app's ratio to the plain loop can reach at
// the demo's size. A tap asks the worker (model-worker.js) for the region;
// the page draws the cards it hands back and notes the frame that paints
// them (`__painted`), as the bench does for the app.
const worker = new Worker('model-worker.js');
let stored = null;
window.__ready = new Promise((ready) => {
  worker.onmessage = (e) => {
    if (e.data === 'ready') ready();
  };
});
// What a device has stored before its first sync of the region: the
// manifest that listed the regions, and its ETag.
window.__prepare = async (region) => {
  const response = await fetch('feed/manifest.json', { cache: 'no-store' });
  const manifest = await response.json();
  stored = { etag: response.headers.get('ETag'), files: manifest.regions.find((r) => r.id === region).files, region };
};
const escape = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
document.getElementById('go').addEventListener('click', () => {
  window.__tap = performance.now();
  worker.onmessage = (e) => {
    if (e.data.error) {
      window.__failed = e.data.error;
      return;
    }
    document.getElementById('results').innerHTML = e.data
      .map((s) => `<li><a href="#${escape(s.id)}">${escape(s.name)}</a><div>${escape(s.org)}</div><p>${escape(s.summary)}</p></li>`)
      .join('');
    requestAnimationFrame(() => {
      window.__painted = performance.now();
    });
  };
  worker.postMessage({ base: new URL('.', document.baseURI).href, ...stored });
});
