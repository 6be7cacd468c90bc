/*
 * busy: the benchmark's recorded workload. Several named threads run a synthetic
 * "service": 8 families × 16 levels of distinct, non-inlined functions that call one
 * another (mostly down their own family, sometimes across), ending in recursive
 * kernels (a tree walk, an expression evaluator, a quicksort) 4..40 levels deep, plus
 * libc allocation churn and system calls for kernel stacks. Stacks are mostly 20..80
 * frames deep and spread over thousands of distinct paths, like a real server's.
 *
 * Build: gcc -O1 -fno-omit-frame-pointer -g -pthread -o busy busy.c
 * Usage: busy SECONDS
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

/* ---- recursive kernels ------------------------------------------------------- */

struct tree_node { struct tree_node *left, *right; uint64_t key; };

NOINLINE uint64_t tree_walk_visit(struct tree_node *n, int depth, uint64_t s) {
  KEEP_FRAME();
  uint64_t x = spin(s ^ n->key, 40);
  if (depth <= 0) return x;
  struct tree_node *next = (x & 1) ? n->left : n->right;
  return tree_walk_visit(next, depth - 1, x) + x;
}

static struct tree_node tree_nodes[64];

NOINLINE uint64_t eval_expr(int depth, uint64_t s);

NOINLINE uint64_t eval_factor(int depth, uint64_t s) {
  KEEP_FRAME();
  uint64_t x = spin(s, 30);
  if (depth <= 0 || (x & 7) == 0) return x;
  return eval_expr(depth - 1, x) * 3;
}

NOINLINE uint64_t eval_term(int depth, uint64_t s) {
  KEEP_FRAME();
  uint64_t x = spin(s, 25);
  return eval_factor(depth, x) ^ x;
}

NOINLINE uint64_t eval_expr(int depth, uint64_t s) {
  KEEP_FRAME();
  uint64_t x = spin(s, 20);
  return eval_term(depth, x) + x;
}

NOINLINE void quicksort_range(uint32_t *a, int lo, int hi) {
  KEEP_FRAME();
  while (lo < hi) {
    uint32_t p = a[(lo + hi) / 2];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i <= j) { uint32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (j - lo < hi - i) { quicksort_range(a, lo, j); lo = i; }
    else { quicksort_range(a, i, hi); hi = j; }
  }
}

NOINLINE uint64_t sort_batch(uint64_t s) {
  uint32_t a[128];
  for (int i = 0; i < 128; i++) { s = mix(s + (uint64_t)i); a[i] = (uint32_t)s; }
  quicksort_range(a, 0, 127);
  return a[s % 128];
}

NOINLINE uint64_t churn_allocations(uint64_t s) {
  KEEP_FRAME();
  void *blocks[32];
  for (int i = 0; i < 32; i++) {
    s = mix(s + (uint64_t)i);
    blocks[i] = malloc(16 + (s % 4096));
    memset(blocks[i], (int)s, 16);
  }
  for (int i = 0; i < 32; i++) free(blocks[i]);
  return s;
}

NOINLINE uint64_t do_syscalls(uint64_t s) {
  KEEP_FRAME();
  char buf[256];
  memset(buf, (int)s, sizeof buf);
  switch (s % 3) {
    case 0: if (write(devnull, buf, sizeof buf) < 0) s++; break;
    case 1: s += (uint64_t)getppid(); break;
    default: { int fd = open("/proc/self/stat", O_RDONLY); if (fd >= 0) { if (read(fd, buf, sizeof buf) > 0) s += (uint8_t)buf[0]; close(fd); } }
  }
  return s;
}

/* The leaf of every family path: one of the kernels. */
NOINLINE uint64_t run_kernel(uint64_t s) {
  KEEP_FRAME();
  switch (s % 16) {
    case 0: case 1: case 2: case 3: case 4:
      return tree_walk_visit(&tree_nodes[s % 64], 12 + (int)((s >> 8) % 40), s);
    case 5: case 6: case 7: case 8:
      return eval_expr(6 + (int)((s >> 8) % 12), s);
    case 9: case 10:
      return sort_batch(s);
    case 11: case 12:
      return churn_allocations(s);
    case 13:
      return do_syscalls(s);
    default:
      return spin(s, 200);
  }
}

/* ---- 8 families × 16 levels ------------------------------------------------ */

#define NFAM 8
#define NLEVEL 16
typedef uint64_t (*level_fn)(int fam, uint64_t s);
static level_fn table[NFAM][NLEVEL];

/* Level L of family F: some own work, then (unless last) a call to level L+1 of the
 * same family (15 in 16) or of the next family (1 in 16), then a little more work. */
#define LEVEL(F, L)                                                               \
  NOINLINE uint64_t F##_level_##L(int fam, uint64_t s) {                         \
    KEEP_FRAME();                                                                 \
    uint64_t x = spin(s, 8 + ((L * 7 + fam * 13) % 24));                          \
    if (L == NLEVEL - 1) return run_kernel(x);                                    \
    if ((x & 31) == 0 && L < NLEVEL - 1) return x;               \
    int next = (x >> 4 & 15) == 0 ? (fam + 1) % NFAM : fam;                        \
    uint64_t r = table[next][(L + 1) % NLEVEL](next, x);                          \
    return spin(r, 4) ^ x;                                                        \
  }

#define LEVELS(F)                                                                 \
  LEVEL(F, 0) LEVEL(F, 1) LEVEL(F, 2) LEVEL(F, 3) LEVEL(F, 4) LEVEL(F, 5)         \
  LEVEL(F, 6) LEVEL(F, 7) LEVEL(F, 8) LEVEL(F, 9) LEVEL(F, 10) LEVEL(F, 11)       \
  LEVEL(F, 12) LEVEL(F, 13) LEVEL(F, 14) LEVEL(F, 15)

#define ROW(F)                                                                    \
  {F##_level_0, F##_level_1, F##_level_2, F##_level_3, F##_level_4, F##_level_5, \
   F##_level_6, F##_level_7, F##_level_8, F##_level_9, F##_level_10,             \
   F##_level_11, F##_level_12, F##_level_13, F##_level_14, F##_level_15}

LEVELS(http_parse)
LEVELS(auth_check)
LEVELS(json_encode)
LEVELS(route_lookup)
LEVELS(index_scan)
LEVELS(query_plan)
LEVELS(layout_text)
LEVELS(crc_verify)

static void init_table(void) {
  level_fn rows[NFAM][NLEVEL] = {ROW(http_parse), ROW(auth_check), ROW(json_encode), ROW(route_lookup),
                                 ROW(index_scan), ROW(query_plan), ROW(layout_text), ROW(crc_verify)};
  memcpy(table, rows, sizeof table);
}

/* ---- threads ----------------------------------------------------------------- */

struct worker { char name[16]; uint64_t rng; int families; };

NOINLINE uint64_t handle_request(struct worker *w) {
  KEEP_FRAME();
  w->rng = mix(w->rng + 0x9e3779b97f4a7c15ull);
  int fam = (int)(w->rng % (uint64_t)w->families);
  return table[fam][0](fam, w->rng);
}

NOINLINE uint64_t serve_batch(struct worker *w) {
  KEEP_FRAME();
  uint64_t acc = 0;
  for (int i = 0; i < 16; i++) acc += handle_request(w);
  return acc;
}

NOINLINE uint64_t poll_queue(struct worker *w) {
  KEEP_FRAME();
  return serve_batch(w);
}

NOINLINE uint64_t run_event_loop(struct worker *w, uint64_t deadline) {
  KEEP_FRAME();
  uint64_t acc = 0;
  while (now_ns() < deadline) acc += poll_queue(w);
  return acc;
}

static void *worker_main(void *arg) {
  struct worker *w = arg;
  pthread_setname_np(pthread_self(), w->name);
  sink += run_event_loop(w, now_ns() + (uint64_t)(run_seconds * 1e9));
  return NULL;
}

int main(int argc, char **argv) {
  if (argc > 1) run_seconds = atof(argv[1]);
  devnull = open("/dev/null", O_WRONLY);
  init_table();
  for (int i = 0; i < 64; i++) {
    tree_nodes[i].key = mix((uint64_t)i + 1);
    tree_nodes[i].left = &tree_nodes[(i * 2 + 1) % 64];
    tree_nodes[i].right = &tree_nodes[(i * 5 + 3) % 64];
  }
  enum { N = 4 };
  static const char *names[N] = {"api-worker-0", "api-worker-1", "batch-indexer", "report-render"};
  static const int families[N] = {NFAM, NFAM, 6, 8};
  struct worker workers[N];
  pthread_t tids[N];
  for (int i = 0; i < N; i++) {
    snprintf(workers[i].name, sizeof workers[i].name, "%s", names[i]);
    workers[i].rng = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1);
    workers[i].families = families[i];
    pthread_create(&tids[i], NULL, worker_main, &workers[i]);
  }
  for (int i = 0; i < N; i++) pthread_join(tids[i], NULL);
  printf("busy done, sink=%llu\n", (unsigned long long)sink);
  return 0;
}
