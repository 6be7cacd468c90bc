/*
 * What the benchmark's C workloads (busy.c, deep.c) share: frame-keeping macros, a
 * hash to spin on, and the CLOCK_MONOTONIC clock (perf record -k CLOCK_MONOTONIC).
 */
#ifndef SUBSECOND_BENCH_WORKLOAD_H
#define SUBSECOND_BENCH_WORKLOAD_H

#include <stdint.h>
#include <time.h>

/* gcc drops the frame-pointer setup in leaf functions that touch no stack, even with
 * -fno-omit-frame-pointer, and a sample there then loses its caller. One volatile
 * stack byte keeps the frame. */
#define KEEP_FRAME() volatile char keep_frame_ = 0; (void)keep_frame_
#define NOINLINE __attribute__((noinline))

static inline uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}

/* Inlined into every caller, so the time is the caller's self time. */
static inline uint64_t spin(uint64_t x, int n) {
  for (int i = 0; i < n; i++) x = mix(x + (uint64_t)i);
  return x;
}

static inline uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif
