#!/usr/bin/env node
// The benchmark's floors: the least work any reader of a `perf script` file does, which
// is to read every byte and find every newline. subsecond's times are given as multiples
// of the streaming floor.
//   stream  fs.createReadStream with 1 MiB chunks, Buffer.indexOf per newline
//   whole   fs.readFileSync of the whole file, then the same newline count
// Usage: node bench/floor.mjs stream|whole FILE   (prints {"bytes":…,"lines":…})
import {createReadStream, readFileSync} from "node:fs";
import {pathToFileURL} from "node:url";

const NL = 10;

function countIn(buf) {
  let lines = 0;
  for (let i = buf.indexOf(NL); i >= 0; i = buf.indexOf(NL, i + 1)) lines++;
  return lines;
}

/** Bytes and newlines of `file`, read as a stream of 1 MiB chunks. */
export async function countNewlinesStreaming(file) {
  let bytes = 0, lines = 0;
  for await (const chunk of createReadStream(file, {highWaterMark: 1 << 20})) {
    bytes += chunk.length;
    lines += countIn(chunk);
  }
  return {bytes, lines};
}

/** Bytes and newlines of `file`, read into memory whole. */
export function countNewlinesWhole(file) {
  const buf = readFileSync(file);
  return {bytes: buf.length, lines: countIn(buf)};
}

export const FLOORS = {stream: countNewlinesStreaming, whole: countNewlinesWhole};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [kind, file] = process.argv.slice(2);
  if (!FLOORS[kind] || !file) {
    process.stderr.write("usage: node bench/floor.mjs stream|whole FILE\n");
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await FLOORS[kind](file))}\n`);
}
