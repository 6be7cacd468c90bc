// The report page's view in its URL hash: pure functions, tested without a browser.
import {describe, expect, it} from "vitest";
import {DEFAULT_VIEW, formatViewState, parseViewState, type ViewState} from "../../src/components/view-state.js";
import {cellBlock, timeRange} from "../../src/lib/selection.js";

describe("view state in the URL", () => {
  it("writes only what differs from the defaults, and reads it back", () => {
    expect(formatViewState(DEFAULT_VIEW)).toBe("");
    const view: ViewState = {
      ...DEFAULT_VIEW, rows: 25, palette: "enhanced", idle: "keep", pid: 339, tid: 363, cpu: 1, event: "cycles",
      sel: [timeRange(3.2, 4.5)], a: [cellBlock(1, 2, 10, 20, 50)], q: "gc|alloc", zoom: ["java", "start_thread"], orient: "icicle",
    };
    const hash = formatViewState(view);
    expect(hash).toBe("#rows=25&palette=enhanced&idle=keep&pid=339&tid=363&cpu=1&event=cycles&sel=t3.2_4.5&a=c1_2x10_20r50&q=gc%7Calloc&zoom=%5B%22java%22%2C%22start_thread%22%5D&orient=icicle");
    expect(parseViewState(hash)).toEqual(view);
  });

  it("a pinned whole profile (a=all) differs from nothing pinned", () => {
    expect(formatViewState({...DEFAULT_VIEW, a: null})).toBe("#a=all");
    expect(parseViewState("#a=all").a).toBeNull();
    expect(parseViewState("").a).toBeUndefined();
  });

  it("opens the defaults for what a hand-edited or hostile link gets wrong", () => {
    const view = parseViewState("#rows=7&palette=<b>&idle=evil&pid=-1&tid=x&sel=c0_999999999999x0_0r50&a=t1_&zoom={}&orient=sideways");
    expect(view).toEqual({...DEFAULT_VIEW, a: undefined});
    expect(parseViewState("#zoom=[1,2]").zoom).toEqual([]);
    expect(parseViewState(`#sel=${Array(300).fill("t0_1").join("~")}`).sel).toBeNull();
  });

  it("keeps a search text as typed, catastrophic or not (it is matched in linear time)", () => {
    expect(parseViewState("#q=(a%2B)%2B%24").q).toBe("(a+)+$");
  });
});
