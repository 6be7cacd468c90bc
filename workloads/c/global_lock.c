/*
 * global_lock: four worker threads ("worker-0".."worker-3") share one global
 * pthread mutex. Normally each worker does short request-like work
 * (handle_request -> compute_request_digest outside the lock, then a few
 * microseconds in update_shared_stats under the lock) and sleeps a little.
 * Every REBUILD_PERIOD seconds one worker (round robin) takes the global lock
 * and holds it for ~400 ms in rebuild_index_holding_lock; the other workers
 * then pile up in wait_for_global_lock (a trylock spin of up to 50 ms, like an
 * adaptive mutex, then a blocking pthread_mutex_lock: off CPU, no samples).
 * The first rebuild is 1 s after start.
 *
 * Build: gcc -O1 -fno-omit-frame-pointer -g -pthread -o global_lock global_lock.c
 * Usage: global_lock SECONDS LOGFILE [REBUILD_PERIOD_S] [HOLD_MS]
 * Log lines (JSON lines, CLOCK_MONOTONIC ns = perf -k CLOCK_MONOTONIC time):
 *   {"event":"lock_hold","thread":"worker-2","requested_ns":..,"acquired_ns":..,"released_ns":..}
 *   {"event":"process","phase":"start"|"end","t_ns":..}
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NWORKERS 4
#define INDEX_SLOTS (1 << 16)

static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t shared_index[INDEX_SLOTS];   /* protected by global_lock */
static uint64_t shared_requests;             /* protected by global_lock */
static uint64_t shared_digest;               /* protected by global_lock */

static double run_seconds = 30;
static double rebuild_period_s = 2.0;
static double hold_ms = 400;
static _Atomic uint64_t next_rebuild_ns;
static _Atomic int rebuild_turn;
static FILE *logf;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile uint64_t sink;

/* gcc (12) drops the frame-pointer setup in leaf functions that touch no stack,
 * even with -fno-omit-frame-pointer; a sample in such a leaf then loses its
 * caller's frame in perf's frame-pointer unwinding. One volatile stack byte
 * keeps the frame in the hot leaf functions below. */
#define KEEP_FRAME() volatile char keep_frame_ = 0; (void)keep_frame_

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct worker {
  int id;
  char name[16];
  uint64_t rng;
  uint8_t buf[4096];
};

/* always_inline: see KEEP_FRAME */
static inline __attribute__((always_inline)) uint64_t next_rand(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* Short CPU work outside the lock: digest a request-sized buffer (~0.5-1 ms). */
__attribute__((noinline)) uint64_t compute_request_digest(struct worker *w) {
  KEEP_FRAME();
  uint64_t h = 1469598103934665603ull ^ next_rand(&w->rng);
  int rounds = 96 + (int)(next_rand(&w->rng) % 96);
  for (int r = 0; r < rounds; r++) {
    for (size_t i = 0; i < sizeof w->buf; i++) {
      h = (h ^ w->buf[i]) * 1099511628211ull;
    }
    w->buf[h % sizeof w->buf] ^= (uint8_t)r;
  }
  return h;
}

/* Acquire the global lock like an adaptive mutex: spin with trylock for up to
 * SPIN_BUDGET_NS (so waiting shows up as on-CPU samples in this frame), then
 * block in pthread_mutex_lock (off CPU: no cpu-clock samples while asleep). */
#define SPIN_BUDGET_NS 50000000ull
__attribute__((noinline)) void wait_for_global_lock(void) {
  uint64_t give_up = 0;
  for (unsigned spin = 0;; spin++) {
    if (pthread_mutex_trylock(&global_lock) == 0) return;
    for (int k = 0; k < 64; k++) __builtin_ia32_pause();
    if ((spin & 63) == 63) {
      uint64_t t = now_ns();
      if (!give_up) give_up = t + SPIN_BUDGET_NS;
      else if (t > give_up) break;
    }
  }
  pthread_mutex_lock(&global_lock);
}

/* A few microseconds of shared-state update under the lock. */
__attribute__((noinline)) void update_shared_stats(uint64_t digest) {
  KEEP_FRAME();
  shared_requests++;
  shared_digest ^= digest;
  for (int i = 0; i < 32; i++) {
    uint32_t slot = (uint32_t)((digest >> (i % 48)) + (uint64_t)i * 2654435761u) % INDEX_SLOTS;
    shared_index[slot] += (uint32_t)digest;
  }
}

__attribute__((noinline)) void handle_request(struct worker *w) {
  uint64_t digest = compute_request_digest(w);
  wait_for_global_lock();
  update_shared_stats(digest);
  pthread_mutex_unlock(&global_lock);
}

/* One pass over the index: re-hash every slot. */
__attribute__((noinline)) uint64_t rehash_index_pass(uint64_t seed) {
  KEEP_FRAME();
  uint64_t h = seed;
  for (int i = 0; i < INDEX_SLOTS; i++) {
    h = (h ^ shared_index[i]) * 1099511628211ull;
    shared_index[i] = (uint32_t)(h >> 17) ^ (uint32_t)i;
  }
  return h;
}

/* Called with global_lock held: rebuild the whole shared index for ~hold_ms. */
__attribute__((noinline)) uint64_t rebuild_index_holding_lock(void) {
  uint64_t until = now_ns() + (uint64_t)(hold_ms * 1e6);
  uint64_t h = shared_digest, passes = 0;
  while (now_ns() < until) {
    h ^= rehash_index_pass(h + passes);
    passes++;
  }
  shared_digest = h;
  return passes;
}

__attribute__((noinline)) void maybe_rebuild_index(struct worker *w) {
  uint64_t due = atomic_load(&next_rebuild_ns);
  if (now_ns() < due) return;
  if (atomic_load(&rebuild_turn) % NWORKERS != w->id) return; /* round robin */
  if (!atomic_compare_exchange_strong(&next_rebuild_ns, &due, due + (uint64_t)(rebuild_period_s * 1e9))) return;
  atomic_fetch_add(&rebuild_turn, 1);
  uint64_t requested = now_ns();
  wait_for_global_lock();
  uint64_t acquired = now_ns();
  uint64_t passes = rebuild_index_holding_lock();
  uint64_t released = now_ns();
  pthread_mutex_unlock(&global_lock);
  pthread_mutex_lock(&log_lock);
  fprintf(logf,
          "{\"event\":\"lock_hold\",\"thread\":\"%s\",\"requested_ns\":%llu,\"acquired_ns\":%llu,"
          "\"released_ns\":%llu,\"passes\":%llu}\n",
          w->name, (unsigned long long)requested, (unsigned long long)acquired,
          (unsigned long long)released, (unsigned long long)passes);
  fflush(logf);
  pthread_mutex_unlock(&log_lock);
}

static void *worker_main(void *arg) {
  struct worker *w = arg;
  pthread_setname_np(pthread_self(), w->name);
  uint64_t deadline = now_ns() + (uint64_t)(run_seconds * 1e9);
  while (now_ns() < deadline) {
    maybe_rebuild_index(w);
    handle_request(w);
    /* think time: 0.6-1.2 ms, so the four workers keep most of the 2 CPUs busy */
    usleep(600 + (useconds_t)(next_rand(&w->rng) % 600));
  }
  return NULL;
}

static void log_process(const char *phase) {
  fprintf(logf, "{\"event\":\"process\",\"phase\":\"%s\",\"t_ns\":%llu}\n", phase,
          (unsigned long long)now_ns());
  fflush(logf);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s SECONDS LOGFILE [REBUILD_PERIOD_S] [HOLD_MS]\n", argv[0]);
    return 2;
  }
  run_seconds = atof(argv[1]);
  logf = fopen(argv[2], "w");
  if (!logf) { perror(argv[2]); return 1; }
  if (argc > 3) rebuild_period_s = atof(argv[3]);
  if (argc > 4) hold_ms = atof(argv[4]);
  log_process("start");
  /* First rebuild ~1 s after start, then every rebuild_period_s. */
  atomic_store(&next_rebuild_ns, now_ns() + 1000000000ull);
  static struct worker workers[NWORKERS];
  pthread_t tids[NWORKERS];
  for (int i = 0; i < NWORKERS; i++) {
    workers[i].id = i;
    workers[i].rng = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 7);
    snprintf(workers[i].name, sizeof workers[i].name, "worker-%d", i);
    for (size_t j = 0; j < sizeof workers[i].buf; j++) workers[i].buf[j] = (uint8_t)next_rand(&workers[i].rng);
    pthread_create(&tids[i], NULL, worker_main, &workers[i]);
  }
  for (int i = 0; i < NWORKERS; i++) pthread_join(tids[i], NULL);
  log_process("end");
  fclose(logf);
  printf("global_lock done: %llu requests\n", (unsigned long long)shared_requests);
  return 0;
}
