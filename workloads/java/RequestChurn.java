import java.io.FileWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * RequestChurn: request-like work with heavy allocation, for the jvm-g1-gc example.
 *
 * WORKERS threads ("worker-1".."worker-N") loop over handleRequest(): build a
 * request payload (byte[] + Strings), parse it into line items, price them,
 * render a response, and store a session (a ~24 KB graph of small objects)
 * into a shared SessionStore ring of SESSIONS slots, replacing a random older
 * session. The request garbage fills eden quickly; the sessions are
 * medium-lived (alive across one or two young collections, then replaced),
 * which is the expensive case for a generational collector: every young pause
 * copies tens of MB of small objects, survivors overflow into the old
 * generation, and G1 keeps running concurrent marking cycles and mixed
 * collections. With -Xmx256m -Xmn160m this gives a G1 pause about every 0.3 s
 * (median ~17 ms on an idle 2-vCPU VM, longer when the CPUs are contended). Workers pause briefly between requests (parkNanos) so the CPUs
 * are about half busy and GC pauses stand out.
 *
 * Run: java -XX:+UseG1GC -Xms256m -Xmx256m -Xmn160m -XX:+PreserveFramePointer
 *        -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit
 *        -Xlog:gc*,safepoint:file=GCLOG:tn,un,tid,tags
 *        -cp CLASSES RequestChurn SECONDS LOGFILE [WORKERS [SESSIONS [BLOB_BYTES [PRICING_STEPS [THINK_US]]]]]
 * The GC log's "tn" decoration is System.nanoTime() = CLOCK_MONOTONIC, the
 * clock of perf record -k CLOCK_MONOTONIC. LOGFILE gets JSON lines with
 * t_ns = System.nanoTime(): start/end and one "tick" per second per worker.
 *
 * Latency mode (the timelines fixture), with system properties:
 *   -Dchurn.refreshEvery=S     a thread "cache-refresh" runs refreshPriceCache() every S
 *                              seconds (the first after S/2): it rebuilds the price table
 *                              holding its write lock, and every request reads the table
 *                              under the read lock, so requests stall while it runs
 *   -Dchurn.intervalUs=U       each worker starts a request every U us (an open-loop
 *                              schedule: a request's latency counts from when it was due,
 *                              so a stall delays every request due during it)
 *   -Dchurn.latencyCsv=PATH    per wall-clock second: time (epoch ms of the second's start),
 *                              latency_p99_ms, latency_p50_ms, requests
 *   -Dchurn.appLog=PATH        an application log: ISO 8601 UTC time, level, thread, message
 *                              ("cache refresh start", "cache refresh end rows=N took=MS")
 *   -Dchurn.systemGcEvery=S    a thread "gc-trigger" calls System.gc() every S seconds (the
 *                              first after S): a full collection, whose stop-the-world pause
 *                              (in the GC log) grows with the live data (SESSIONS)
 */
public final class RequestChurn {
  static final String[] CATEGORIES = {"tools", "garden", "kitchen", "toys", "books", "audio", "paint", "bikes"};

  /** One entry of a session's click history: many small objects make GC copying and marking expensive. */
  static final class ClickEvent {
    final String page;
    final long at;
    final ClickEvent previous;

    ClickEvent(String page, long at, ClickEvent previous) {
      this.page = page;
      this.at = at;
      this.previous = previous;
    }
  }

  /** A long-lived object graph (roughly historyBytes in size) kept in the session store. */
  static final class Session {
    final String id;
    final List<String> recentSkus = new ArrayList<>();
    final Map<String, Double> cart = new HashMap<>();
    ClickEvent history;

    Session(String id, int historyBytes, ThreadLocalRandom rnd) {
      this.id = id;
      // a linked chain of ~historyBytes/64 small objects (ClickEvent + String + byte[])
      for (int i = 0; i < historyBytes / 64; i++) {
        history = new ClickEvent(CATEGORIES[i & 7] + "/" + rnd.nextInt(1000), i, history);
      }
    }
  }

  static final class LineItem {
    final String sku;
    final int qty;
    double unitPrice;

    LineItem(String sku, int qty) {
      this.sku = sku;
      this.qty = qty;
    }
  }

  /** Shared ring of sessions; slots are replaced at random, old sessions become garbage. */
  static final class SessionStore {
    final AtomicReferenceArray<Session> slots;

    SessionStore(int size) {
      slots = new AtomicReferenceArray<>(size);
    }

    void put(Session s) {
      slots.set(ThreadLocalRandom.current().nextInt(slots.length()), s);
    }
  }

  static SessionStore sessions;
  static int blobBytes = 24576;       // average session graph size (bytes of small objects)
  static int pricingSteps = 600;      // CPU per line item
  static long thinkNanos = 3_000_000; // pause after every 8 requests
  static final AtomicLong requests = new AtomicLong();
  static volatile long sink;
  static PrintWriter log;
  /** Latency mode: the price table every request reads (null: no latency mode). */
  static volatile double[] priceTable;
  static final ReentrantReadWriteLock priceLock = new ReentrantReadWriteLock();
  static long intervalNanos;
  static PrintWriter appLog;

  /** Latencies (ns) of the requests finished in the current wall-clock second. */
  static final class LatencyWindow {
    long[] values = new long[4096];
    int size;

    synchronized void add(long ns) {
      if (size == values.length) values = java.util.Arrays.copyOf(values, size * 2);
      values[size++] = ns;
    }

    synchronized long[] drain() {
      long[] out = java.util.Arrays.copyOf(values, size);
      size = 0;
      return out;
    }
  }

  static final LatencyWindow latencies = new LatencyWindow();

  static synchronized void appLog(String level, String message) {
    appLog.println(java.time.Instant.now() + " " + level + " [" + Thread.currentThread().getName() + "] " + message);
    appLog.flush();
  }

  static double basePrice(String sku) {
    double[] table = priceTable;
    if (table == null) return (sku.hashCode() & 0xffff) / 100.0;
    priceLock.readLock().lock();
    try {
      return priceTable[(sku.hashCode() & 0x7fffffff) % priceTable.length];
    } finally {
      priceLock.readLock().unlock();
    }
  }

  /** Rebuilds the price table under the write lock: requests wait until it is done. */
  static int refreshPriceCache(ThreadLocalRandom rnd) {
    priceLock.writeLock().lock();
    try {
      Map<String, Double> snapshot = loadPriceSnapshot(rnd, 120_000);
      priceTable = indexPriceSnapshot(snapshot);
      return snapshot.size();
    } finally {
      priceLock.writeLock().unlock();
    }
  }

  static Map<String, Double> loadPriceSnapshot(ThreadLocalRandom rnd, int rows) {
    Map<String, Double> out = new HashMap<>();
    for (int i = 0; i < rows; i++) {
      double p = 1 + rnd.nextInt(10_000) / 100.0;
      for (int k = 0; k < 60; k++) p = p * (1 - 1e-4 * Math.sin(k + i)) + 1e-3;
      out.put(CATEGORIES[i & 7] + "-SKU-" + i, p);
    }
    return out;
  }

  static double[] indexPriceSnapshot(Map<String, Double> snapshot) {
    List<String> keys = new ArrayList<>(snapshot.keySet());
    keys.sort(null);
    double[] table = new double[keys.size()];
    for (int i = 0; i < table.length; i++) table[i] = snapshot.get(keys.get(i));
    return table;
  }

  static void refreshLoop(long periodNanos, long deadline) {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    long next = System.nanoTime() + periodNanos / 2;
    while (true) {
      LockSupport.parkNanos(next - System.nanoTime());
      if (System.nanoTime() >= deadline) return;
      long t0 = System.nanoTime();
      appLog("INFO", "cache refresh start");
      log(String.format("{\"event\":\"refresh_start\",\"t_ns\":%d}", t0));
      int rows = refreshPriceCache(rnd);
      long t1 = System.nanoTime();
      log(String.format("{\"event\":\"refresh_end\",\"t_ns\":%d}", t1));
      appLog("INFO", "cache refresh end rows=" + rows + " took=" + (t1 - t0) / 1_000_000 + "ms");
      next += periodNanos;
    }
  }

  static void systemGcLoop(long periodNanos, long deadline) {
    long next = System.nanoTime() + periodNanos;
    while (true) {
      LockSupport.parkNanos(next - System.nanoTime());
      if (System.nanoTime() >= deadline) return;
      long t0 = System.nanoTime();
      System.gc();
      log(String.format("{\"event\":\"system_gc\",\"start_ns\":%d,\"end_ns\":%d}", t0, System.nanoTime()));
      next += periodNanos;
    }
  }

  /** Writes one CSV line per wall-clock second with the latencies of the requests finished in it. */
  static void latencyLoop(String path, long deadline) throws Exception {
    try (PrintWriter out = new PrintWriter(new FileWriter(path))) {
      out.println("time,latency_p99_ms,latency_p50_ms,requests");
      long second = System.currentTimeMillis() / 1000 * 1000 + 1000;
      latencies.drain();
      while (System.nanoTime() < deadline) {
        long wait = second + 1000 - System.currentTimeMillis();
        if (wait > 0) Thread.sleep(wait);
        long[] v = latencies.drain();
        java.util.Arrays.sort(v);
        if (v.length > 0) {
          out.printf("%d,%.3f,%.3f,%d%n", second, v[Math.min(v.length - 1, (int) Math.ceil(v.length * 0.99) - 1)] / 1e6, v[(v.length - 1) / 2] / 1e6, v.length);
          out.flush();
        }
        second += 1000;
      }
    }
  }

  static synchronized void log(String json) {
    log.println(json);
    log.flush();
  }

  static byte[] buildRequestPayload(ThreadLocalRandom rnd) {
    StringBuilder sb = new StringBuilder(2048);
    int items = 8 + rnd.nextInt(40);
    sb.append("customer=C").append(rnd.nextInt(100_000)).append(";items=");
    for (int i = 0; i < items; i++) {
      if (i > 0) sb.append(',');
      sb.append(CATEGORIES[rnd.nextInt(CATEGORIES.length)]).append("-SKU-").append(rnd.nextInt(1_000_000))
          .append('x').append(1 + rnd.nextInt(9));
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static List<LineItem> parseLineItems(byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8);
    String items = text.substring(text.indexOf("items=") + 6);
    List<LineItem> out = new ArrayList<>();
    for (String part : items.split(",")) {
      int x = part.lastIndexOf('x');
      out.add(new LineItem(part.substring(0, x), Integer.parseInt(part.substring(x + 1))));
    }
    return out;
  }

  static double priceLineItems(List<LineItem> items) {
    double total = 0;
    for (LineItem li : items) {
      double p = basePrice(li.sku);
      for (int k = 0; k < pricingSteps; k++) p = p * (1 - 1e-4 * Math.sin(k + li.qty)) + 1e-3;
      li.unitPrice = p;
      total += p * li.qty;
    }
    return total;
  }

  static String renderResponse(List<LineItem> items, double total) {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("{\"lines\":[");
    for (LineItem li : items) {
      sb.append("{\"sku\":\"").append(li.sku).append("\",\"qty\":").append(li.qty)
          .append(",\"price\":").append(Math.round(li.unitPrice * 100) / 100.0).append("},");
    }
    sb.append("],\"total\":").append(total).append('}');
    return sb.toString();
  }

  static void storeSession(ThreadLocalRandom rnd, List<LineItem> items) {
    Session s = new Session("S" + rnd.nextLong(), blobBytes / 2 + rnd.nextInt(blobBytes), rnd);
    for (LineItem li : items) {
      if (s.recentSkus.size() < 12) s.recentSkus.add(li.sku);
      s.cart.merge(li.sku, li.unitPrice * li.qty, Double::sum);
    }
    sessions.put(s);
  }

  static int handleRequest(ThreadLocalRandom rnd) {
    byte[] payload = buildRequestPayload(rnd);
    List<LineItem> items = parseLineItems(payload);
    double total = priceLineItems(items);
    String response = renderResponse(items, total);
    storeSession(rnd, items);
    requests.incrementAndGet();
    return response.length();
  }

  static void workerLoop(String name, long deadline) {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    long acc = 0, done = 0, nextTick = System.nanoTime() + 1_000_000_000L, due = System.nanoTime();
    while (System.nanoTime() < deadline) {
      if (intervalNanos > 0) {
        // open loop: one request every intervalNanos, its latency counted from when it was due
        LockSupport.parkNanos(due - System.nanoTime());
        acc += handleRequest(rnd);
        latencies.add(System.nanoTime() - due);
        due += intervalNanos;
        done++;
      } else {
        for (int i = 0; i < 8; i++) acc += handleRequest(rnd);
        done += 8;
        LockSupport.parkNanos(thinkNanos); // think time between request batches
      }
      long now = System.nanoTime();
      if (now >= nextTick) {
        log(String.format("{\"event\":\"tick\",\"thread\":\"%s\",\"t_ns\":%d,\"requests\":%d}", name, now, done));
        nextTick += 1_000_000_000L;
      }
    }
    sink += acc;
  }

  public static void main(String[] args) throws Exception {
    double seconds = Double.parseDouble(args[0]);
    log = new PrintWriter(new FileWriter(args[1]));
    int workers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    sessions = new SessionStore(args.length > 3 ? Integer.parseInt(args[3]) : 1_000);
    if (args.length > 4) blobBytes = Integer.parseInt(args[4]);
    if (args.length > 5) pricingSteps = Integer.parseInt(args[5]);
    if (args.length > 6) thinkNanos = Long.parseLong(args[6]) * 1000;
    long pid = ProcessHandle.current().pid();
    log(String.format("{\"event\":\"start\",\"pid\":%d,\"t_ns\":%d}", pid, System.nanoTime()));
    // Fill the session store first so the old generation starts out populated.
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    for (int i = 0; i < sessions.slots.length(); i++) storeSession(rnd, parseLineItems(buildRequestPayload(rnd)));
    log(String.format("{\"event\":\"warm\",\"pid\":%d,\"t_ns\":%d}", pid, System.nanoTime()));
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    long refreshEvery = Long.getLong("churn.refreshEvery", 0L);
    if (refreshEvery > 0) {
      intervalNanos = Long.getLong("churn.intervalUs", 2000L) * 1000;
      appLog = new PrintWriter(new FileWriter(System.getProperty("churn.appLog")));
      priceTable = indexPriceSnapshot(loadPriceSnapshot(rnd, 1000));
      String csv = System.getProperty("churn.latencyCsv");
      Thread latency = new Thread(() -> {
        try {
          latencyLoop(csv, deadline);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }, "latency-log");
      latency.setDaemon(true);
      latency.start();
      Thread refresh = new Thread(() -> refreshLoop(refreshEvery * 1_000_000_000L, deadline), "cache-refresh");
      threads.add(refresh);
      refresh.start();
    }
    long systemGcEvery = Long.getLong("churn.systemGcEvery", 0L);
    if (systemGcEvery > 0) {
      Thread gc = new Thread(() -> systemGcLoop(systemGcEvery * 1_000_000_000L, deadline), "gc-trigger");
      threads.add(gc);
      gc.start();
    }
    for (int w = 1; w <= workers; w++) {
      String name = "worker-" + w;
      Thread t = new Thread(() -> workerLoop(name, deadline), name);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join();
    log(String.format("{\"event\":\"end\",\"pid\":%d,\"t_ns\":%d,\"requests\":%d}", pid, System.nanoTime(), requests.get()));
    log.close();
    System.out.println("RequestChurn done: " + requests.get() + " requests, sink " + sink);
  }
}
