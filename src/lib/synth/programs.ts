// The fake programs the patterns run: their threads, the functions they pass through
// and the stacks their samples show, as perf would name them (comm, pid/tid, module
// paths of a Debian/Ubuntu x86-64 machine).

export interface SynthThread {
  comm: string;
  pid: number;
  tid: number;
}

/** A frame: a function and the module (DSO) perf names for it. */
export interface SynthFrame {
  name: string;
  module: string;
}

export interface StackVariant {
  /** Relative frequency among the activity's stacks. */
  weight: number;
  /** Frames, outermost first. */
  frames: readonly SynthFrame[];
  /** The leaf's offset when the CPU always waits at one instruction there (the idle
   * loop's halt); else each sample lands anywhere in the leaf. */
  leafOffset?: number;
}

/** What a thread does while it runs: the stacks its samples show. */
export interface Activity {
  /** The function all its stacks pass through. */
  function: string;
  stacks: readonly StackVariant[];
}

export const KERNEL = "[kernel.kallsyms]";
export const LIBC = "/usr/lib/x86_64-linux-gnu/libc.so.6";
export const VDSO = "[vdso]";

const inModule = (module: string) => (...names: string[]): SynthFrame[] => names.map((name) => ({name, module}));
const kernel = inModule(KERNEL);
const libc = inModule(LIBC);

const THREAD_START = libc("clone3", "start_thread");
const mainStart = (binary: string) => [...inModule(binary)("_start"), ...libc("__libc_start_main_impl", "__libc_start_call_main"), ...inModule(binary)("main")];
const SYSCALL = kernel("entry_SYSCALL_64_after_hwframe", "do_syscall_64", "x64_sys_call");
const TCP_WRITE = [...SYSCALL, ...kernel("__x64_sys_write", "ksys_write", "vfs_write", "sock_write_iter", "sock_sendmsg", "tcp_sendmsg", "tcp_sendmsg_locked", "tcp_push", "__tcp_push_pending_frames", "tcp_write_xmit")];
const TCP_READ = [...SYSCALL, ...kernel("__x64_sys_read", "ksys_read", "vfs_read", "sock_read_iter", "sock_recvmsg", "tcp_recvmsg", "tcp_recvmsg_locked", "skb_copy_datagram_iter", "__skb_datagram_iter", "_copy_to_iter", "rep_movs_alternative")];
const UDP_SEND = [...SYSCALL, ...kernel("__x64_sys_sendto", "__sys_sendto", "udp_sendmsg", "udp_send_skb", "ip_send_skb", "ip_output", "ip_finish_output2", "__dev_queue_xmit")];
const PROC_READ = [...SYSCALL, ...kernel("__x64_sys_read", "ksys_read", "vfs_read", "seq_read", "seq_read_iter", "show_stat")];
const DISK_READ = [...SYSCALL, ...kernel("__x64_sys_pread64", "vfs_read", "ext4_file_read_iter", "filemap_read", "filemap_get_pages", "page_cache_sync_ra", "page_cache_ra_unbounded", "read_pages", "ext4_mpage_readpages", "submit_bio", "submit_bio_noacct_nocheck", "blk_mq_submit_bio")];
const DISK_WRITE = [...SYSCALL, ...kernel("__x64_sys_pwrite64", "vfs_write", "ext4_buffered_write_iter", "generic_perform_write", "copy_page_from_iter_atomic", "rep_movs_alternative")];
const KTHREAD = kernel("ret_from_fork_asm", "ret_from_fork", "kthread");

/** An activity whose stacks all start with `base`, which passes through `fn`; each
 * variant is a weight, the frames after `base` (a sample may land in `fn` itself) and
 * optionally a fixed leaf offset. */
function activity(fn: string, base: SynthFrame[], ...variants: [number, SynthFrame[], number?][]): Activity {
  const stacks = variants.map(([weight, tail, leafOffset]): StackVariant => {
    const frames = [...base, ...tail];
    return leafOffset === undefined ? {weight, frames} : {weight, frames, leafOffset};
  });
  return {function: fn, stacks};
}

export const METRICSD: SynthThread = {comm: "metricsd", pid: 1874, tid: 1874};
const metricsd = inModule("/usr/local/bin/metricsd");
export const FLUSH_METRICS = activity("flush_metrics", [...mainStart("/usr/local/bin/metricsd"), ...metricsd("run_event_loop", "on_timer_tick", "flush_metrics")],
  [4, metricsd("aggregate_histograms")],
  [2, metricsd("aggregate_histograms", "histogram_merge")],
  [2, [...metricsd("encode_metric_batch"), ...libc("__memmove_avx_unaligned_erms")]],
  [2, [...metricsd("send_metric_batch"), ...libc("__libc_sendto"), ...UDP_SEND]],
  [1, []]);

export const HEARTBEAT: SynthThread = {comm: "heartbeat", pid: 2210, tid: 2237};
const agentd = inModule("/opt/agent/bin/agentd");
export const SEND_HEARTBEAT = activity("send_heartbeat", [...THREAD_START, ...agentd("heartbeat_thread", "send_heartbeat")],
  [3, [...agentd("collect_status", "read_proc_stat"), ...libc("__libc_read"), ...PROC_READ]],
  [3, agentd("serialize_status")],
  [1, agentd("serialize_status", "json_write_number")],
  [2, [...agentd("post_status"), ...libc("__libc_write"), ...TCP_WRITE]],
  [1, []]);

export const PROBE_DB: SynthThread = {comm: "probe-db", pid: 1650, tid: 1661};
export const PROBE_CACHE: SynthThread = {comm: "probe-cache", pid: 1650, tid: 1662};
const healthd = inModule("/usr/sbin/healthd");
const PROBE_BASE = [...THREAD_START, ...healthd("probe_thread_main", "run_health_probe")];
export const PROBE_DB_WORK = activity("run_health_probe", PROBE_BASE,
  [3, [...healthd("probe_postgres", "pq_send_query"), ...libc("__libc_write"), ...TCP_WRITE]],
  [3, healthd("probe_postgres", "parse_probe_reply")],
  [1, healthd("record_probe_result")]);
export const PROBE_CACHE_WORK = activity("run_health_probe", PROBE_BASE,
  [3, [...healthd("probe_redis", "resp_read_reply"), ...libc("__libc_read"), ...TCP_READ]],
  [3, healthd("probe_redis", "resp_encode_command")],
  [1, healthd("record_probe_result")]);

export const POLLER: SynthThread = {comm: "poller", pid: 3120, tid: 3120};
const poller = inModule("/opt/poller/bin/poller");
export const BUSY_WAIT = activity("busy_wait_spin", [...mainStart("/opt/poller/bin/poller"), ...poller("poll_loop", "busy_wait_spin")],
  [6, []],
  [3, [...libc("clock_gettime"), ...inModule(VDSO)("__vdso_clock_gettime")]],
  [1, poller("check_deadline")]);

const API = "/opt/api/bin/api-server";
const API_PID = 2480;
const api = inModule(API);
const WORKER_BASE = [...THREAD_START, ...api("worker_main", "serve_connection", "handle_request")];
export const REQUEST = activity("handle_request", WORKER_BASE,
  [3, api("parse_http_request")],
  [2, api("parse_http_request", "parse_headers")],
  [3, api("route_request", "query_user_profile", "hash_lookup")],
  [2, api("render_json", "json_escape_string")],
  [1, [...api("render_json"), ...libc("__memmove_avx_unaligned_erms")]],
  [1, libc("malloc", "_int_malloc")],
  [2, [...api("write_response"), ...libc("__libc_write"), ...TCP_WRITE]],
  [1, [...api("read_request"), ...libc("__libc_read"), ...TCP_READ]]);
export const BLOCKING_IO = activity("blocking_io_wait", [...WORKER_BASE, ...api("load_user_record", "blocking_io_wait"), ...libc("__libc_pread64")],
  [3, DISK_READ],
  [1, DISK_READ.slice(0, -7)],
  [1, DISK_READ.slice(0, -3)]);
export const COMPACT = activity("compact_segments", [...THREAD_START, ...api("compactor_main", "compact_segments")],
  [4, api("merge_sorted_runs")],
  [2, api("merge_sorted_runs", "compare_keys")],
  [2, api("crc32c_update")],
  [1, [...api("write_segment"), ...libc("__libc_pwrite64"), ...DISK_WRITE]]);
export const GC_MARK = activity("gc_mark_heap", [...THREAD_START, ...api("gc_worker_main", "gc_mark_heap")],
  [5, api("gc_mark_object")],
  [3, api("gc_mark_object", "gc_push_children")],
  [1, api("gc_scan_roots")],
  [1, []]);
export const CACHE_REFRESH: SynthThread = {comm: "cache-refresh", pid: API_PID, tid: API_PID + 3};
export const CACHE_REBUILD = activity("cache_refresh_rebuild", [...THREAD_START, ...api("cache_refresh_main", "cache_refresh_rebuild")],
  [4, api("rebuild_index_entry", "hash_bytes")],
  [2, api("rebuild_index_entry")],
  [2, [...api("sort_entries"), ...libc("qsort_r", "msort_with_tmp.part.0")]],
  [1, libc("malloc", "_int_malloc")]);

export const KWORKER = activity("process_one_work", [...KTHREAD, ...kernel("worker_thread", "process_one_work")],
  [3, kernel("vmstat_update", "refresh_cpu_vm_stats")],
  [2, kernel("psi_avgs_work", "collect_percpu_times")],
  [1, kernel("flush_memcg_stats_dwork", "do_flush_stats", "cgroup_rstat_flush")]);
export const SOFTIRQ = activity("handle_softirqs", [...KTHREAD, ...kernel("smpboot_thread_fn", "run_ksoftirqd", "handle_softirqs")],
  [3, kernel("rcu_core", "rcu_do_batch", "kmem_cache_free")],
  [2, kernel("net_rx_action", "__napi_poll", "virtnet_poll")],
  [1, kernel("run_timer_softirq", "__run_timers", "call_timer_fn")]);

const IDLE_LOOP = kernel("cpu_startup_entry", "do_idle", "cpuidle_enter", "cpuidle_enter_state", "default_enter_idle", "default_idle", "pv_native_safe_halt");
/** The idle task's stacks (the boot CPU's idle task is the boot thread; the others are
 * started by start_secondary): halted, or entering the halt. Every leaf is an idle-loop
 * function and every stack has a cpuidle frame, so both the default idle classifier
 * and FlameScope's drop all of them. */
const idleActivity = (bootCpu: boolean) => {
  const base = bootCpu ? kernel("common_startup_64", "x86_64_start_kernel", "start_kernel", "rest_init") : kernel("common_startup_64", "start_secondary");
  return activity("do_idle", base, [96, IDLE_LOOP, 0xb], [4, IDLE_LOOP.slice(0, -3)]);
};
export const IDLE_BOOT = idleActivity(true);
export const IDLE_SECONDARY = idleActivity(false);
export const SWAPPER: SynthThread = {comm: "swapper", pid: 0, tid: 0};

/** Threads that exist once per CPU, made on first use so that each is one object
 * (placement tracks threads by identity). Thread ids follow creation order: the
 * kernel's per-CPU threads at boot; the API server's workers, compactors and GC
 * workers after its main thread and three helpers. */
export class Threads {
  private made = new Map<string, SynthThread>();
  constructor(private cpus: number) {}

  private thread(comm: string, pid: number, tid: number): SynthThread {
    let t = this.made.get(comm);
    if (!t) this.made.set(comm, (t = {comm, pid, tid}));
    return t;
  }
  worker(cpu: number, index: number): SynthThread {
    const n = cpu * 2 + index;
    return this.thread(`api-worker-${n}`, API_PID, API_PID + 4 + n);
  }
  compactor(cpu: number): SynthThread {
    return this.thread(`compactor-${cpu}`, API_PID, API_PID + 4 + 2 * this.cpus + cpu);
  }
  gcWorker(cpu: number): SynthThread {
    return this.thread(`gc-worker-${cpu}`, API_PID, API_PID + 4 + 3 * this.cpus + cpu);
  }
  ksoftirqd(cpu: number): SynthThread {
    return this.thread(`ksoftirqd/${cpu}`, 14 + 8 * cpu, 14 + 8 * cpu);
  }
  kworker(cpu: number): SynthThread {
    return this.thread(`kworker/${cpu}:1`, 17 + 8 * cpu, 17 + 8 * cpu);
  }
}
