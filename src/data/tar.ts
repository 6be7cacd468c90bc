// A minimal ustar writer: Framework extracts members of a loader's .tar output on
// demand (FileAttachment("NAME/member")), so one loader run per profile yields all of
// its artifacts.

const BLOCK = 512;

export interface TarEntry {
  /** A short relative name (under 100 bytes, ASCII). */
  name: string;
  data: Uint8Array;
}

export function tar(entries: TarEntry[]): Uint8Array {
  const size = entries.reduce((n, e) => n + BLOCK + Math.ceil(e.data.length / BLOCK) * BLOCK, 2 * BLOCK);
  const out = new Uint8Array(size);
  let at = 0;
  for (const {name, data} of entries) {
    if (!/^[\x21-\x7e]{1,99}$/.test(name)) throw new Error(`tar: unsupported member name ${JSON.stringify(name)}`);
    out.set(header(name, data.length), at);
    out.set(data, at + BLOCK);
    at += BLOCK + Math.ceil(data.length / BLOCK) * BLOCK;
  }
  return out; // ends with two zero blocks
}

function header(name: string, size: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const put = (text: string, offset: number) => h.set(new TextEncoder().encode(text), offset);
  const octal = (n: number, width: number) => n.toString(8).padStart(width - 1, "0") + "\0";
  put(name, 0);
  put(octal(0o644, 8), 100); // mode
  put(octal(0, 8), 108); // uid
  put(octal(0, 8), 116); // gid
  put(octal(size, 12), 124);
  put(octal(0, 12), 136); // mtime: fixed, so builds are reproducible
  put("        ", 148); // checksum field counts as spaces while summing
  put("0", 156); // regular file
  put("ustar\x0000", 257);
  const sum = h.reduce((s, b) => s + b, 0);
  put(octal(sum, 7) + " ", 148);
  return h;
}
