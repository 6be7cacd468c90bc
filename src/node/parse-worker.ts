// A worker thread of ./parallel.ts: parses one piece of a perf script file and posts
// what it read, its typed arrays moved rather than copied.
import {parentPort, workerData} from "node:worker_threads";
import {PerfScriptParser} from "../lib/perf/parse.js";
import {pushRange, type PieceTask} from "./parallel.js";

const task = workerData as PieceTask;
const parser = new PerfScriptParser({...task.options, piece: true, inputBytes: Math.min(task.end, task.total) - task.start});
pushRange(parser, task.fd, task.start, task.end);
const piece = parser.finishPiece();
const moved = Object.values(piece).filter((v) => ArrayBuffer.isView(v)).map((v) => (v as Uint8Array<ArrayBuffer>).buffer);
parentPort!.postMessage(piece, moved);
