/*
 * pattern_zoo: heat-map patterns with their own episode log, for the pattern
 * detectors' real captures (scripts/record/record-patterns.sh).
 *
 * Mode "timers" (light background load, ~35 % of each CPU, in serve_request):
 *   - a timer thread ("ticker") wakes every second at the same offset (absolute
 *     deadlines) and works ~15 ms in timer_tick_work;
 *   - a busy-wait thread ("poller") works ~30 ms in creep_spin_work, then sleeps
 *     exactly 1 s, so its wake-up creeps;
 *   - every 5-9 s every CPU runs stw_collect_heap for ~300 ms (a stop-the-world GC).
 * Mode "blocking" (heavy background load, ~85 %):
 *   - every 6-10 s every worker blocks ~400 ms at once (a read from a pipe that a
 *     timer writes to: all threads off CPU, an I/O stall);
 *   - every 12 s, 3 s of heavy batch work on every CPU (compact_batch).
 * Log: JSON lines, CLOCK_MONOTONIC ns (perf -k CLOCK_MONOTONIC time):
 *   {"kind":"periodic"|"busy-wait"|"perturbation"|"cpu-blocking"|"load-bursts","from_ns":..,"to_ns":..}
 *
 * Build: gcc -O1 -fno-omit-frame-pointer -g -pthread -o pattern_zoo pattern_zoo.c
 * Usage: pattern_zoo timers|blocking SECONDS LOGFILE
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NWORKERS 2
#define KEEP_FRAME() volatile char keep_frame_ = 0; (void)keep_frame_

static FILE *logf;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t end_ns;
static double load = 0.35;
static volatile uint64_t sink;
/* Episodes every thread joins: while stw_until or block_until is in the future. */
static _Atomic uint64_t stw_from, stw_until, block_from, block_until, batch_from, batch_until;
static int pipefd[2];

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000ull + t.tv_nsec;
}

static void log_episode(const char *kind, uint64_t from, uint64_t to) {
  pthread_mutex_lock(&log_lock);
  fprintf(logf, "{\"kind\":\"%s\",\"from_ns\":%llu,\"to_ns\":%llu}\n", kind, (unsigned long long)from, (unsigned long long)to);
  fflush(logf);
  pthread_mutex_unlock(&log_lock);
}

static void sleep_ns(uint64_t ns) {
  struct timespec t = {ns / 1000000000ull, ns % 1000000000ull};
  nanosleep(&t, NULL);
}

static void sleep_until(uint64_t at) {
  struct timespec t = {at / 1000000000ull, at % 1000000000ull};
  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
}

static __attribute__((noinline)) void spin_until(uint64_t until) {
  KEEP_FRAME();
  uint64_t x = sink;
  while (now_ns() < until) for (int i = 0; i < 2000; i++) x = x * 6364136223846793005ull + 1442695040888963407ull;
  sink = x;
}

static __attribute__((noinline)) void serve_request(uint64_t ns) { KEEP_FRAME(); spin_until(now_ns() + ns); }
static __attribute__((noinline)) void timer_tick_work(void) { KEEP_FRAME(); spin_until(now_ns() + 15000000ull); }
static __attribute__((noinline)) void creep_spin_work(void) { KEEP_FRAME(); spin_until(now_ns() + 30000000ull); }
static __attribute__((noinline)) void stw_collect_heap(uint64_t until) { KEEP_FRAME(); spin_until(until); }
static __attribute__((noinline)) void compact_batch(uint64_t until) { KEEP_FRAME(); spin_until(until); }
static __attribute__((noinline)) void read_blocking_record(void) {
  KEEP_FRAME();
  char c;
  if (read(pipefd[0], &c, 1) < 0) perror("read");
}

static uint64_t rnd(uint64_t *s) { *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17; return *s; }

static void *worker(void *arg) {
  uint64_t seed = 0x9e3779b97f4a7c15ull * (uintptr_t)(arg + 1);
  while (now_ns() < end_ns) {
    uint64_t t = now_ns();
    if (t >= stw_from && t < stw_until) { stw_collect_heap(stw_until); continue; }
    if (t >= batch_from && t < batch_until) { compact_batch(t + 20000000ull < batch_until ? t + 20000000ull : batch_until); continue; }
    if (t >= block_from && t < block_until) { read_blocking_record(); continue; }
    uint64_t work = 1000000ull + rnd(&seed) % 6000000ull; /* 1-7 ms */
    serve_request(work);
    uint64_t idle = (uint64_t)(work * (1 - load) / load);
    sleep_ns(idle / 2 + rnd(&seed) % (idle + 1));
  }
  return NULL;
}

static void *ticker(void *arg) {
  (void)arg;
  uint64_t at = (now_ns() / 1000000000ull + 1) * 1000000000ull + 370000000ull;
  while (at < end_ns) {
    sleep_until(at);
    uint64_t from = now_ns();
    timer_tick_work();
    log_episode("periodic", from, now_ns());
    at += 1000000000ull;
  }
  return NULL;
}

static void *poller(void *arg) {
  (void)arg;
  while (now_ns() + 1100000000ull < end_ns) {
    uint64_t from = now_ns();
    creep_spin_work();
    log_episode("busy-wait", from, now_ns());
    sleep_ns(1000000000ull);
  }
  return NULL;
}

/* The episodes' schedule: stop-the-world pauses, or I/O stalls and batches. */
static void schedule(int blocking) {
  uint64_t seed = 42, next = now_ns() + 3000000000ull, batch = now_ns() + 8000000000ull;
  while (now_ns() + 2000000000ull < end_ns) {
    if (blocking && now_ns() >= batch) {
      uint64_t from = now_ns();
      batch_from = from; batch_until = from + 3000000000ull;
      sleep_until(batch_until);
      log_episode("load-bursts", from, batch_until);
      batch += 12000000000ull;
      if (next < now_ns() + 1000000000ull) next = now_ns() + 1000000000ull;
    }
    sleep_until(next);
    uint64_t from = now_ns();
    if (blocking) {
      block_from = from; block_until = from + 400000000ull;
      sleep_until(block_until);
      char c[NWORKERS] = {0};
      if (write(pipefd[1], c, NWORKERS) < 0) perror("write");
      log_episode("cpu-blocking", from, block_until);
    } else {
      stw_from = from; stw_until = from + 300000000ull;
      sleep_until(stw_until);
      log_episode("perturbation", from, stw_until);
    }
    next = now_ns() + 6000000000ull + rnd(&seed) % 4000000000ull - (blocking ? 0 : 1000000000ull);
  }
}

int main(int argc, char **argv) {
  if (argc != 4 || (strcmp(argv[1], "timers") && strcmp(argv[1], "blocking"))) {
    fprintf(stderr, "usage: pattern_zoo timers|blocking SECONDS LOGFILE\n");
    return 2;
  }
  int blocking = !strcmp(argv[1], "blocking");
  load = blocking ? 0.85 : 0.35;
  end_ns = now_ns() + (uint64_t)(atof(argv[2]) * 1e9);
  logf = fopen(argv[3], "w");
  if (!logf || pipe(pipefd)) { perror("pattern_zoo"); return 1; }
  fprintf(logf, "{\"kind\":\"process\",\"from_ns\":%llu,\"to_ns\":%llu}\n", (unsigned long long)now_ns(), (unsigned long long)end_ns);
  pthread_t t[NWORKERS + 2];
  char name[16];
  for (long i = 0; i < NWORKERS; i++) {
    pthread_create(&t[i], NULL, worker, (void *)i);
    snprintf(name, sizeof name, "worker-%ld", i);
    pthread_setname_np(t[i], name);
  }
  int extra = 0;
  if (!blocking) {
    pthread_create(&t[NWORKERS], NULL, ticker, NULL); pthread_setname_np(t[NWORKERS], "ticker");
    pthread_create(&t[NWORKERS + 1], NULL, poller, NULL); pthread_setname_np(t[NWORKERS + 1], "poller");
    extra = 2;
  }
  schedule(blocking);
  /* Release workers still blocked, then join. */
  char c[NWORKERS] = {0};
  if (write(pipefd[1], c, NWORKERS) < 0) perror("write");
  for (int i = 0; i < NWORKERS + extra; i++) pthread_join(t[i], NULL);
  fclose(logf);
  return 0;
}
