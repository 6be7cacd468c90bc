/*
 * deep: the C part of the benchmark's deep-stack capture (bench/record-deep.sh). Two
 * named threads ("deep-render", "deep-planner") run requests whose call chains recurse
 * 25..90 levels through 96 distinct, non-inlined functions. Each function has its own
 * three callees (a fixed, irregular call graph, like a real program's), and the callee
 * taken at each level depends on the request's data, so almost no two deep paths are
 * the same. Most of the time is spent near the bottom of a chain, so sampled stacks are
 * mostly 30..95 frames deep. Leaves sometimes allocate (libc frames) or make a system
 * call (kernel frames).
 *
 * Build: gcc -O1 -fno-omit-frame-pointer -g -pthread -o deep deep.c
 * Usage: deep SECONDS
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workload.h"

static double run_seconds = 60;
static volatile uint64_t sink;
static int devnull = -1;

/* ---- leaves ------------------------------------------------------------------- */

NOINLINE uint64_t leaf_checksum(uint64_t s) {
  KEEP_FRAME();
  return spin(s, 600);
}

NOINLINE uint64_t leaf_allocate(uint64_t s) {
  KEEP_FRAME();
  void *blocks[16];
  for (int i = 0; i < 16; i++) {
    s = mix(s + (uint64_t)i);
    blocks[i] = malloc(32 + (s % 8192));
    memset(blocks[i], (int)s, 32);
  }
  for (int i = 0; i < 16; i++) free(blocks[i]);
  return spin(s, 100);
}

NOINLINE uint64_t leaf_syscall(uint64_t s) {
  KEEP_FRAME();
  char buf[512];
  memset(buf, (int)s, sizeof buf);
  if (s & 1) {
    if (write(devnull, buf, sizeof buf) < 0) s++;
  } else {
    s += (uint64_t)getppid();
  }
  return spin(s, 100);
}

NOINLINE uint64_t run_leaf(uint64_t s) {
  KEEP_FRAME();
  switch (s % 16) {
    case 0: return leaf_allocate(s);
    case 1: return leaf_syscall(s);
    default: return leaf_checksum(s);
  }
}

/* ---- 96 recursive steps ------------------------------------------------------- */

#define NSTEP 96
typedef uint64_t (*step_fn)(int depth, uint64_t s);
static step_fn steps[NSTEP];

/* The three callees of step I: fixed per function, irregular across functions. */
#define CALLEE(I, K) ((((I) + 1) * (2 * (K) + 7) * 13 + (K) * 17) % NSTEP)

/* Step I: a little own work (more near the bottom of the chain), then one of its three
 * callees one level down, chosen by the data; at depth 0 the leaf. */
#define STEP(NAME, I)                                                             \
  NOINLINE uint64_t NAME(int depth, uint64_t s) {                                 \
    KEEP_FRAME();                                                                 \
    uint64_t x = spin(s, 4 + (I % 5) + (depth < 6 ? 40 : 0));                     \
    if (depth <= 0) return run_leaf(x);                                           \
    uint64_t r = steps[CALLEE(I, (int)((x >> 7) % 3))](depth - 1, x);             \
    return spin(r, 2) ^ x;                                                        \
  }

/* Named like the stages of a layout/query engine, so a flame graph reads like one. */
#define FAMILY(P, B)                                                              \
  STEP(P##_measure, B + 0) STEP(P##_resolve, B + 1) STEP(P##_expand, B + 2)       \
  STEP(P##_bind, B + 3) STEP(P##_visit, B + 4) STEP(P##_rewrite, B + 5)           \
  STEP(P##_lower, B + 6) STEP(P##_emit, B + 7) STEP(P##_check, B + 8)             \
  STEP(P##_split, B + 9) STEP(P##_merge, B + 10) STEP(P##_scan, B + 11)

#define FAMILY_ROW(P)                                                             \
  P##_measure, P##_resolve, P##_expand, P##_bind, P##_visit, P##_rewrite,         \
  P##_lower, P##_emit, P##_check, P##_split, P##_merge, P##_scan

FAMILY(block, 0)
FAMILY(inline, 12)
FAMILY(table, 24)
FAMILY(glyph, 36)
FAMILY(query, 48)
FAMILY(index, 60)
FAMILY(join, 72)
FAMILY(filter, 84)

static void init_steps(void) {
  step_fn all[NSTEP] = {FAMILY_ROW(block), FAMILY_ROW(inline), FAMILY_ROW(table), FAMILY_ROW(glyph),
                        FAMILY_ROW(query), FAMILY_ROW(index), FAMILY_ROW(join), FAMILY_ROW(filter)};
  memcpy(steps, all, sizeof steps);
}

/* ---- threads ------------------------------------------------------------------ */

struct worker { char name[16]; uint64_t rng; int first; };

/* One request: a chain 25..90 levels deep, starting at one of 16 entry steps. */
NOINLINE uint64_t handle_request(struct worker *w) {
  KEEP_FRAME();
  w->rng = mix(w->rng + 0x9e3779b97f4a7c15ull);
  int depth = 25 + (int)(w->rng % 66);
  return steps[(w->first + (int)((w->rng >> 16) % 16)) % NSTEP](depth, w->rng);
}

NOINLINE uint64_t run_requests(struct worker *w, uint64_t deadline) {
  KEEP_FRAME();
  uint64_t acc = 0;
  while (now_ns() < deadline) {
    for (int i = 0; i < 8; i++) acc += handle_request(w);
  }
  return acc;
}

static void *worker_main(void *arg) {
  struct worker *w = arg;
  pthread_setname_np(pthread_self(), w->name);
  sink += run_requests(w, now_ns() + (uint64_t)(run_seconds * 1e9));
  return NULL;
}

int main(int argc, char **argv) {
  if (argc > 1) run_seconds = atof(argv[1]);
  devnull = open("/dev/null", O_WRONLY);
  init_steps();
  enum { N = 2 };
  static const char *names[N] = {"deep-render", "deep-planner"};
  struct worker workers[N];
  pthread_t tids[N];
  for (int i = 0; i < N; i++) {
    snprintf(workers[i].name, sizeof workers[i].name, "%s", names[i]);
    workers[i].rng = 0x2545F4914F6CDD1Dull * (uint64_t)(i + 1);
    workers[i].first = i * 48;
    pthread_create(&tids[i], NULL, worker_main, &workers[i]);
  }
  for (int i = 0; i < N; i++) pthread_join(tids[i], NULL);
  printf("deep done, sink=%llu\n", (unsigned long long)sink);
  return 0;
}
