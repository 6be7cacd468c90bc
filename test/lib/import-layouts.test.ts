// Layouts the recorded fixtures do not cover, written by hand after the formats'
// documentation: the Firefox Profiler's processed layout (samply's), speedscope's
// evented profiles, folded stacks with stackcollapse's kind suffixes, and a Chrome
// trace in the array form.
import {describe, expect, it} from "vitest";
import {importProfile} from "../../src/lib/import/index.js";
import {frameKind, frameName, type Profile} from "../../src/lib/profile.js";

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

/** Each sample as "comm;frame;…" with its time in ns since the origin. */
function rows(profile: Profile): string[] {
  const names = (s: number): string[] => (s < 0 ? [] : [...names(profile.stacks.prefix[s]), frameName(profile, profile.stacks.frame[s])]);
  return Array.from({length: profile.samples.length}, (_, i) => `${names(profile.samples.stack[i]).join(";")} @${profile.samples.time[i]}`);
}

describe("Firefox Profiler, processed layout", () => {
  const processed = {
    meta: {startTime: 1700000000250.5, interval: 1, version: 30},
    shared: {stringArray: ["main", "work", "libc.so.6", "leaf", "samply-app"]},
    threads: [{
      name: "samply-app", pid: "4242", tid: 4243,
      funcTable: {length: 3, name: [0, 1, 3], fileName: [null, 2, null]},
      frameTable: {length: 3, func: [0, 1, 2]},
      stackTable: {length: 3, prefix: [null, 0, 1], frame: [0, 1, 2]},
      samples: {length: 3, stack: [2, 1, null], time: [0, 1.000001, 2]},
    }],
  };
  it("reads funcTable names, shared strings, times in ms since meta.startTime, pid and tid", () => {
    const p = importProfile(bytes(processed), {source: "samply.json"});
    expect(p.header.fields.format).toBe("Firefox Profiler (Gecko) JSON");
    expect(rows(p)).toEqual(["samply-app;main;work;leaf @250500000", "samply-app;main;work @251500001"]);
    expect(p.origin).toBe(1700000000);
    expect([p.threads.pid[0], p.threads.tid[0]]).toEqual([4242, 4243]);
    expect(p.diagnostics.entries.map((d) => [d.code, d.count])).toEqual([["skipped-sample", 1]]);
    // Times are on the Unix epoch: the origin's wall-clock time is known.
    expect(p.header.referenceTime).toMatchObject({epoch: 1700000000, perf: 1700000000});
  });
});

describe("speedscope evented profiles", () => {
  it("become one sample per interval with a frame open, weighted by its length", () => {
    const file = {
      $schema: "https://www.speedscope.app/file-format-schema.json",
      shared: {frames: [{name: "main", file: "app.py", line: 1}, {name: "work"}]},
      profiles: [{type: "evented", name: "py-spy", unit: "milliseconds", startValue: 0, endValue: 10,
        events: [{type: "O", at: 0, frame: 0}, {type: "O", at: 2, frame: 1}, {type: "C", at: 5, frame: 1}, {type: "C", at: 10, frame: 0}]}],
    };
    const p = importProfile(bytes(file), {source: "spy.json"});
    expect(rows(p)).toEqual(["py-spy;main app.py:1 @0", "py-spy;main app.py:1;work @2000000", "py-spy;main app.py:1 @5000000"]);
    expect(Array.from(p.samples.weight)).toEqual([2, 3, 5]);
  });

  it("refuse a close of a frame that is not the innermost open one", () => {
    const file = {shared: {frames: [{name: "a"}, {name: "b"}]}, profiles: [{type: "evented", name: "x", unit: "none", startValue: 0, endValue: 1,
      events: [{type: "O", at: 0, frame: 0}, {type: "O", at: 0, frame: 1}, {type: "C", at: 1, frame: 0}]}]};
    expect(() => importProfile(bytes(file), {source: "x.json"})).toThrow("x.json: speedscope: profiles[0].events[2]: closes frame 0, but the innermost open frame is 1");
  });
});

describe("folded stacks", () => {
  it("give kinds back from stackcollapse's suffixes, and a count of n is n samples", () => {
    const p = importProfile(bytes("app;main;do_sys_open_[k] 2\napp;main;jitted_[j] 1\n"), {source: "a.folded"});
    expect(p.samples.length).toBe(3);
    expect(rows(p).map((r) => r.replace(/ @NaN$/, ""))).toEqual(["app;main;do_sys_open", "app;main;do_sys_open", "app;main;jitted"]);
    const kinds = Array.from({length: p.frames.length}, (_, f) => `${frameName(p, f)}:${frameKind(p, f)}`);
    expect(kinds).toEqual(expect.arrayContaining(["do_sys_open:kernel", "jitted:jit", "main:user", "app:process"]));
    expect(p.origin).toBeNull();
  });
});

describe("Chrome trace, array form", () => {
  it("reads Profile and ProfileChunk events with nodes given by parent", () => {
    const node = (id: number, name: string, parent?: number) => ({id, callFrame: {functionName: name, url: id > 1 ? "https://x.test/a.js" : "", lineNumber: id, columnNumber: 0, scriptId: 1}, ...(parent ? {parent} : {})});
    const trace = [
      {name: "thread_name", ph: "M", pid: 9, tid: 3, args: {name: "CrRendererMain"}},
      {name: "Profile", ph: "P", pid: 9, tid: 3, id: "0x1", ts: 0, args: {data: {startTime: 5_000_000}}},
      {name: "ProfileChunk", ph: "P", pid: 9, tid: 3, id: "0x1", ts: 0, args: {data: {cpuProfile: {nodes: [node(1, "(root)"), node(2, "tick", 1)], samples: [2, 2]}, timeDeltas: [10, 20]}}},
      {name: "ProfileChunk", ph: "P", pid: 9, tid: 3, id: "0x1", ts: 0, args: {data: {cpuProfile: {nodes: [node(3, "", 2)], samples: [3]}, timeDeltas: [-5]}}},
    ];
    const p = importProfile(bytes(trace), {source: "t.json"});
    // The third sample's negative delta puts it between the others: sorted, its time kept.
    expect(rows(p)).toEqual([
      "CrRendererMain;tick https://x.test/a.js:3:1 @10000",
      "CrRendererMain;tick https://x.test/a.js:3:1;(anonymous) https://x.test/a.js:4:1 @25000",
      "CrRendererMain;tick https://x.test/a.js:3:1 @30000",
    ]);
    expect(p.origin).toBe(5);
  });
});
