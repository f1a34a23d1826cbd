// The worker of end2end/bench.mjs's model app (see model.js): asks for the
// region's files from the stored manifest at once, while the manifest is
// checked (If-None-Match), verifies each file's SHA-256 as it comes and
// parses it, stores the files, their records and the list in one
// IndexedDB transaction, and hands the list to the page once that
// transaction has committed (the app's rule: what is shown is stored).
let db;
const opened = new Promise((done) => {
  const request = indexedDB.open(`model-${Math.random()}`, 1);
  request.onupgradeneeded = () => {
    for (const name of ['records', 'files', 'lists']) request.result.createObjectStore(name);
  };
  request.onsuccess = () => {
    db = request.result;
    done();
  };
});
opened.then(() => postMessage('ready'));

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

async function sync({ base, etag, files, region }) {
  const manifest = fetch(base + 'feed/manifest.json', { cache: 'no-store', headers: etag ? { 'If-None-Match': etag } : {} });
  const got = await Promise.all(
    files.map(async (file) => {
      const bytes = await (await fetch(base + 'feed/' + file.path, { cache: 'no-store' })).arrayBuffer();
      if (hex(await crypto.subtle.digest('SHA-256', bytes)) !== file.sha256) throw new Error(`${file.path}: hash`);
      const text = new TextDecoder().decode(bytes);
      return { file, text, data: JSON.parse(text) };
    }),
  );
  if ((await manifest).status !== 304) throw new Error('the manifest changed');
  const organisations = new Map();
  for (const { data } of got) for (const o of data.organisations ?? []) organisations.set(o.id, o.name?.fi);
  const tx = db.transaction(['records', 'files', 'lists'], 'readwrite');
  const list = [];
  for (const { file, text, data } of got) {
    tx.objectStore('files').put(text, file.sha256);
    for (const kind of ['organisations', 'services', 'places', 'events']) {
      for (const record of data[kind] ?? []) {
        tx.objectStore('records').put(JSON.stringify(record), `${region}\u0001${kind}\u0001${data.partition}\u0001${record.id}`);
        if (kind === 'services') list.push({ id: record.id, name: record.name?.fi, org: organisations.get(record.organisation), summary: record.summary?.fi });
      }
    }
  }
  list.sort((a, b) => String(a.name).localeCompare(String(b.name), 'fi'));
  tx.objectStore('lists').put(JSON.stringify(list), region);
  await new Promise((done, fail) => {
    tx.oncomplete = done;
    tx.onerror = () => fail(tx.error);
  });
  postMessage(list);
}

onmessage = (e) => {
  sync(e.data).catch((error) => postMessage({ error: String(error) }));
};
