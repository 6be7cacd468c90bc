// The benchmark's JIT workload, recorded next to busy.c: V8-compiled JavaScript with
// recursive calls through many distinct functions, run with --perf-basic-prof so perf
// names the JIT frames from /tmp/perf-PID.map.
// Usage: node --perf-basic-prof --interpreted-frames-native-stack jit.mjs SECONDS
const seconds = Number(process.argv[2] ?? 60);

function mix(x) {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

// 6 stages × 8 steps of distinct named functions (made with `new Function` so each has
// its own name and code), each calling a step of the next stage.
const stages = ["decodeFrame", "validateOrder", "priceQuote", "applyDiscount", "renderRow", "serializeReply"];
const steps = 8;
const fns = [];
for (let s = 0; s < stages.length; s++) {
  fns.push([]);
  for (let k = 0; k < steps; k++) {
    const name = `${stages[s]}Step${k}`;
    // eslint-disable-next-line no-new-func
    fns[s].push(new Function("mix", "fns", "recurse", `
      return function ${name}(stage, x, depth) {
        for (let i = 0; i < ${20 + ((s * 7 + k * 3) % 30)}; i++) x = mix(x + i);
        if (stage + 1 < fns.length) return fns[stage + 1][x % ${steps}](stage + 1, x, depth) ^ x;
        return recurse(x, depth);
      };`)(mix, fns, recurse));
  }
}

function walkPriceTree(x, depth) {
  for (let i = 0; i < 30; i++) x = mix(x + i);
  return depth <= 0 ? x : walkPriceTree(x, depth - 1) + 1;
}

function recurse(x, depth) {
  if (x % 3 === 0) return JSON.stringify({x, depth, items: [x & 255, x >>> 24]}).length;
  return walkPriceTree(x, depth);
}

function handleMessage(i) {
  const x = mix(i);
  return fns[0][x % steps](0, x, 2 + (x % 25));
}

const deadline = Date.now() + seconds * 1000;
let acc = 0, i = 0;
while (Date.now() < deadline) {
  for (let k = 0; k < 1000; k++) acc += handleMessage(i++);
}
console.log(`jit done: ${i} messages, ${acc}`);
