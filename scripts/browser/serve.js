// A tiny static file server for a built site (tests and the benchmark): 127.0.0.1 on a
// free port, files only from `dir`, no directory listings. Like most static hosts it
// serves DIR/index.html for a folder.
import {createReadStream, statSync} from "node:fs";
import {createServer} from "node:http";
import {extname, join, normalize, sep} from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".arrow": "application/vnd.apache.arrow.file",
};

/** Serves `dir`; resolves to {url, close()}. */
export function serveStatic(dir) {
  const root = normalize(dir + sep);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      statSync(file);
    } catch {
      res.writeHead(404, {"content-type": "text/plain"}).end("not found");
      return;
    }
    res.writeHead(200, {"content-type": TYPES[extname(file)] ?? "application/octet-stream"});
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const {port} = server.address();
      resolve({url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(done))});
    });
  });
}
