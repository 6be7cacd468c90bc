import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Busy: a small CPU-bound Java program for the java-perfmap fixture. Two named
 * threads ("busy-hash", "busy-sort") run named methods (Busy.spinHash,
 * Busy.mixRound, Busy.fillChunk, Busy.sortChunk) until a deadline; JIT-compiled frames are
 * resolved by perf through /tmp/perf-PID.map (-XX:+DumpPerfMapAtExit).
 *
 * Usage: java -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit \
 *          -cp CLASSES Busy SECONDS [LOGFILE]
 * Log lines are JSON with t_ns = System.nanoTime() (CLOCK_MONOTONIC on Linux).
 */
public final class Busy {
  static volatile long sink;
  static PrintWriter log;

  static synchronized void log(String event, String thread) {
    if (log == null) return;
    log.printf("{\"event\":\"%s\",\"thread\":\"%s\",\"pid\":%d,\"t_ns\":%d}%n",
        event, thread, ProcessHandle.current().pid(), System.nanoTime());
    log.flush();
  }

  /** One mixing round over a block (kept out of line so it shows as its own frame). */
  static long mixRound(long[] block, long h) {
    for (int i = 0; i < block.length; i++) {
      h ^= block[i];
      h *= 0x100000001b3L;
      h ^= h >>> 29;
      block[i] = h;
    }
    return h;
  }

  /** The hot method: repeatedly hash a block. */
  static long spinHash(long[] block, int rounds) {
    long h = 0xcbf29ce484222325L;
    for (int r = 0; r < rounds; r++) {
      h = mixRound(block, h + r);
    }
    return h;
  }

  /** Fill a chunk with pseudo-random ints. */
  static void fillChunk(int[] a, java.util.Random rnd) {
    for (int i = 0; i < a.length; i++) a[i] = rnd.nextInt();
  }

  /**
   * Sort a chunk with a hand-written insertion sort (a second distinct hot method).
   * Called with large chunks, so each call is long and the hot loop is compiled as
   * sortChunk itself rather than inlined into the caller.
   */
  static long sortChunk(int[] a) {
    for (int i = 1; i < a.length; i++) {
      int v = a[i];
      int j = i - 1;
      while (j >= 0 && a[j] > v) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
    return a[a.length / 2];
  }

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
    if (args.length > 1) log = new PrintWriter(new FileWriter(args[1]));
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    log("start", "main");
    Thread hasher = new Thread(() -> {
      long[] block = new long[4096];
      for (int i = 0; i < block.length; i++) block[i] = i * 0x9E3779B97F4A7C15L;
      long acc = 0;
      while (System.nanoTime() < deadline) acc += spinHash(block, 64);
      sink += acc;
    }, "busy-hash");
    Thread sorter = new Thread(() -> {
      java.util.Random rnd = new java.util.Random(42);
      int[] chunk = new int[12000];
      long acc = 0;
      while (System.nanoTime() < deadline) {
        fillChunk(chunk, rnd);
        acc += sortChunk(chunk);
      }
      sink += acc;
    }, "busy-sort");
    hasher.start();
    sorter.start();
    hasher.join();
    sorter.join();
    log("end", "main");
    System.out.println("Busy done " + sink);
    if (log != null) log.close();
  }
}
