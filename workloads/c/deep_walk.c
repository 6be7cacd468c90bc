/*
 * deep_walk: two named threads ("walker-0", "walker-1") walking a synthetic
 * tree recursively (10..18 levels of walk_tree_level), checksumming a data
 * block at every leaf. Before starting them, the main thread (comm
 * "deep_walk") spends ~0.25 s alone in prepare_tree_blocks, so a profile has
 * a single-threaded phase and a third comm. Used for the c-deep and
 * c-nocallchain fixtures.
 *
 * Build: gcc -O1 -fno-omit-frame-pointer -g -pthread -o deep_walk deep_walk.c
 * Usage: deep_walk SECONDS [LOGFILE]   (SECONDS of walking, after the setup phase)
 * Log lines (JSON, CLOCK_MONOTONIC nanoseconds, same clock as perf -k CLOCK_MONOTONIC):
 *   {"event":"thread","phase":"start","thread":"walker-0","t_ns":123}
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCK_WORDS 2048

static double run_seconds = 2.5;
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

static void log_event(const char *event, const char *phase, const char *thread) {
  if (!logf) return;
  pthread_mutex_lock(&log_lock);
  fprintf(logf, "{\"event\":\"%s\",\"phase\":\"%s\",\"thread\":\"%s\",\"t_ns\":%llu}\n",
          event, phase, thread, (unsigned long long)now_ns());
  fflush(logf);
  pthread_mutex_unlock(&log_lock);
}

struct walker {
  int id;
  char name[16];
  uint32_t block[BLOCK_WORDS];
  uint64_t rng;
};

/* always_inline: see KEEP_FRAME */
static inline __attribute__((always_inline)) uint64_t next_rand(struct walker *w) {
  w->rng ^= w->rng << 13;
  w->rng ^= w->rng >> 7;
  w->rng ^= w->rng << 17;
  return w->rng;
}

/* Leaf work: an Adler/FNV-ish checksum over the walker's data block. */
__attribute__((noinline)) uint64_t checksum_block(const uint32_t *block, int words, uint64_t seed) {
  KEEP_FRAME();
  uint64_t a = 1 + seed, b = 0, h = 1469598103934665603ull;
  for (int round = 0; round < 4; round++) {
    for (int i = 0; i < words; i++) {
      a = (a + block[i]) % 65521u;
      b = (b + a) % 65521u;
      h = (h ^ block[i]) * 1099511628211ull;
    }
  }
  return (b << 16 | a) ^ h;
}

/* Per-level work: perturb part of the block so every leaf sees new data. */
__attribute__((noinline)) void mix_node_keys(struct walker *w, int level) {
  KEEP_FRAME();
  for (int i = 0; i < 64; i++) {
    int idx = (int)((next_rand(w) + (uint64_t)level * 131u) % BLOCK_WORDS);
    w->block[idx] = w->block[idx] * 2654435761u + (uint32_t)level;
  }
}

__attribute__((noinline)) uint64_t walk_tree_level(struct walker *w, int level, int max_level) {
  mix_node_keys(w, level);
  if (level >= max_level) return checksum_block(w->block, BLOCK_WORDS, (uint64_t)level);
  uint64_t acc = walk_tree_level(w, level + 1, max_level);
  /* Every few levels, a second (shallower) branch. */
  if ((level % 4) == 3) acc ^= walk_tree_level(w, level + 3 > max_level ? max_level : level + 3, max_level);
  return acc + (uint64_t)level;
}

__attribute__((noinline)) uint64_t walk_forest(struct walker *w) {
  int depth = 10 + (int)(next_rand(w) % 9); /* 10..18 levels */
  return walk_tree_level(w, 0, depth);
}

/* Single-threaded setup: fill the walkers' blocks, re-mixing them for ~0.25 s. */
__attribute__((noinline)) void prepare_tree_blocks(struct walker *walkers, int n) {
  uint64_t until = now_ns() + 250000000ull;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < BLOCK_WORDS; j++) walkers[i].block[j] = (uint32_t)next_rand(&walkers[i]);
  while (now_ns() < until)
    for (int i = 0; i < n; i++) walkers[i].block[0] ^= (uint32_t)checksum_block(walkers[i].block, BLOCK_WORDS, 7);
}

static void *walker_main(void *arg) {
  struct walker *w = arg;
  pthread_setname_np(pthread_self(), w->name);
  log_event("thread", "start", w->name);
  uint64_t deadline = now_ns() + (uint64_t)(run_seconds * 1e9);
  uint64_t acc = 0;
  while (now_ns() < deadline) acc += walk_forest(w);
  sink += acc;
  log_event("thread", "end", w->name);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc > 1) run_seconds = atof(argv[1]);
  if (argc > 2) {
    logf = fopen(argv[2], "w");
    if (!logf) { perror(argv[2]); return 1; }
  }
  log_event("process", "start", "main");
  struct walker *walkers = calloc(2, sizeof(struct walker));
  pthread_t tids[2];
  for (int i = 0; i < 2; i++) {
    walkers[i].id = i;
    walkers[i].rng = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1);
    snprintf(walkers[i].name, sizeof walkers[i].name, "walker-%d", i);
  }
  prepare_tree_blocks(walkers, 2);
  log_event("setup", "end", "main");
  for (int i = 0; i < 2; i++) pthread_create(&tids[i], NULL, walker_main, &walkers[i]);
  for (int i = 0; i < 2; i++) pthread_join(tids[i], NULL);
  log_event("process", "end", "main");
  printf("deep_walk done, sink=%llu\n", (unsigned long long)sink);
  return 0;
}
