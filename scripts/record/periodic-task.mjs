// A workload with a periodic task, for recording profiles in other formats: every
// 250 ms it runs `periodicTask` (about 40 ms of busy work), and sleeps in between.
// It logs when each task started (performance.timeOrigin-based, ms) to stdout as
// JSON lines, so tests can check the stripe the task makes.
const PERIOD_MS = Number(process.env.PERIOD_MS ?? 250);
const BUSY_MS = Number(process.env.BUSY_MS ?? 40);
const RUN_MS = Number(process.env.RUN_MS ?? 3000);

function periodicTask() {
  const end = performance.now() + BUSY_MS;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  return x;
}

const start = performance.now();
const timer = setInterval(() => {
  if (performance.now() - start > RUN_MS) {
    clearInterval(timer);
    return;
  }
  periodicTask();
}, PERIOD_MS);
