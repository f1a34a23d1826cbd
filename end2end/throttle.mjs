// A slow phone link for a whole first visit: a reverse proxy in front of
// talkoo-serve that gives every request the link's latency and shares its
// download rate between all the responses under way, the page's, its
// workers' and the service worker's alike. Chromium's own emulation
// (`Network.emulateNetworkConditions`) slows the page and its workers but
// not the service worker, which then precached the sync worker's files at
// full speed in the middle of a first visit and served them to the page:
// a first visit measured that way was quicker than any phone would see it
// (issue 13).
import http from 'node:http';

/**
 * Starts the proxy for `upstream` (a base URL) on a free port of
 * 127.0.0.1; resolves with its `url` and `close()`. `latency` (ms) passes
 * before each request is forwarded; `bytesPerSecond` is shared evenly,
 * every 10 ms, between the responses that have bytes waiting.
 */
export function throttledProxy(upstream, { latency, bytesPerSecond }) {
  const target = new URL(upstream);
  const flowing = new Set();
  let timer = null;
  const TICK_MS = 10;
  const tick = () => {
    let budget = (bytesPerSecond * TICK_MS) / 1000;
    // Evenly between the waiting responses; what one cannot use goes round
    // again to the others.
    for (;;) {
      const waiting = [...flowing].filter((f) => f.chunks.length);
      if (!waiting.length || budget < 1) break;
      const share = Math.max(1, Math.floor(budget / waiting.length));
      for (const f of waiting) {
        const n = Math.min(share, f.chunks[0].length);
        f.res.write(f.chunks[0].subarray(0, n));
        f.chunks[0] = f.chunks[0].subarray(n);
        if (!f.chunks[0].length) f.chunks.shift();
        budget -= n;
      }
    }
    for (const f of flowing) {
      if (!f.chunks.length && f.ended) {
        flowing.delete(f);
        f.res.end();
      }
    }
    if (!flowing.size) {
      clearInterval(timer);
      timer = null;
    }
  };
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      const forward = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode, answer.headers);
          const f = { res, chunks: [], ended: false };
          flowing.add(f);
          timer ??= setInterval(tick, TICK_MS);
          answer.on('data', (chunk) => f.chunks.push(chunk));
          answer.on('end', () => {
            f.ended = true;
          });
          // A page closed mid-download drops its responses.
          res.on('close', () => flowing.delete(f));
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    }, latency);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/`,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      }),
    );
  });
}
