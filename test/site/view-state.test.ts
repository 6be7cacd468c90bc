// The report page's view in its URL hash: pure functions, tested without a browser.
import {describe, expect, it} from "vitest";
import {DEFAULT_VIEW, formatViewState, isViewHash, MAX_PAGE_ROWS, MAX_PAGE_THREADS, parseViewState, viewAfterTraversal, viewWithCallTree, viewWithSelection, type ViewState} from "../../src/components/view-state.js";
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

  it("keeps a folded map's period and its folded cell selection; one second is the default, unwritten", () => {
    const view: ViewState = {...DEFAULT_VIEW, period: 5e9, sel: [cellBlock(0, 7, 3, 3, 50, 5e9)]};
    const hash = formatViewState(view);
    expect(decodeURIComponent(hash)).toBe("#period=5s&sel=c0_7x3_3r50p5s");
    expect(parseViewState(hash)).toEqual(view);
    expect(parseViewState("#period=15m").period).toBe(900e9);
    expect(parseViewState("#period=100ms").period).toBe(1e8);
    expect(formatViewState({...DEFAULT_VIEW, period: 1e9})).toBe("");
    // Out of range or not a period: one-second columns.
    for (const bad of ["5ms", "2h", "<b>", "", "1e9"]) expect(parseViewState(`#period=${encodeURIComponent(bad)}`).period).toBe(1e9);
    expect(isViewHash("#period=5s")).toBe(true);
  });

  it("a pinned whole profile (a=all) differs from nothing pinned", () => {
    expect(formatViewState({...DEFAULT_VIEW, a: null})).toBe("#a=all");
    expect(parseViewState("#a=all").a).toBeNull();
    expect(parseViewState("").a).toBeUndefined();
  });

  it("opens the defaults for what a hand-edited or hostile link gets wrong", () => {
    const view = parseViewState("#rows=0&palette=<b>&idle=evil&pid=-1&tid=x&sel=c0_999999999999x0_0r50&a=t1_&zoom={}&orient=sideways");
    expect(view).toEqual({...DEFAULT_VIEW, a: undefined});
    expect(parseViewState(`#rows=${MAX_PAGE_ROWS + 1}`).rows).toBe(DEFAULT_VIEW.rows);
    expect(parseViewState("#zoom=[1,2]").zoom).toEqual([]);
    expect(parseViewState(`#sel=${Array(300).fill("t0_1").join("~")}`).sel).toBeNull();
  });

  it("keeps a search text as typed, catastrophic or not (it is matched in linear time)", () => {
    expect(parseViewState("#q=(a%2B)%2B%24").q).toBe("(a+)+$");
  });

  it("takes any row count up to the page's most (rows that match a profile's rate: 49, 99), and every palette", () => {
    expect(parseViewState("#rows=49").rows).toBe(49);
    expect(parseViewState("#rows=7").rows).toBe(7);
    expect(DEFAULT_VIEW.palette).toBe("steps");
    expect(parseViewState("#palette=flamescope").palette).toBe("flamescope");
    expect(formatViewState({...DEFAULT_VIEW, palette: "flamescope"})).toBe("#palette=flamescope");
  });

  it("tells a view from a place on the page (a heading's anchor)", () => {
    expect(isViewHash("")).toBe(true);
    expect(isViewHash("#sel=t1_2&zoom=%5B%5D")).toBe(true);
    expect(isViewHash("#compare")).toBe(false);
    expect(isViewHash("#annotated-selections")).toBe(false);
    expect(isViewHash("#sel=t1_2&compare")).toBe(false);
  });

  it("Back and Forward bring back a selection and its zoom, not the settings; a new selection has no zoom", () => {
    const current: ViewState = {...DEFAULT_VIEW, rows: 25, palette: "enhanced", q: "gc", a: null, sel: [timeRange(5, 6)], zoom: ["app"]};
    const entry: ViewState = {...DEFAULT_VIEW, sel: [timeRange(1, 2)], zoom: ["app", "main"]};
    expect(viewAfterTraversal(current, entry)).toEqual({...current, sel: entry.sel, zoom: ["app", "main"]});
    expect(viewWithSelection(current, [timeRange(7, 8)])).toEqual({...current, sel: [timeRange(7, 8)], zoom: []});
  });

  it("keeps the call tree's view: transforms, inversion, order, sandwich, threads", () => {
    const view: ViewState = {...DEFAULT_VIEW, tf: [{type: "focus-function", name: "main"}, {type: "merge-function", name: "a~b"}], inv: true, order: "total", sw: "malloc", threads: 8};
    const hash = formatViewState(view);
    expect(hash).toBe("#tf=ff-main%7Emf-a%257Eb&inv=1&order=total&sw=malloc&threads=8");
    expect(parseViewState(hash)).toEqual(view);
    expect(isViewHash(hash)).toBe(true);
    // A broken or hostile link opens the plain tree.
    expect(parseViewState(`#tf=zz-main&inv=yes&order=up&threads=${MAX_PAGE_THREADS + 1}`)).toEqual(DEFAULT_VIEW);
    expect(parseViewState("#tf=ff-%25E0").tf).toEqual([]);
  });

  it("Back brings back the transforms and the sandwich with the selection; a step in the call tree has no zoom", () => {
    const current: ViewState = {...DEFAULT_VIEW, inv: true, order: "total", threads: 4, sel: [timeRange(5, 6)], tf: [{type: "drop-function", name: "gc"}], zoom: ["app"]};
    const entry: ViewState = {...DEFAULT_VIEW, sel: [timeRange(5, 6)], tf: [], sw: "main", zoom: []};
    expect(viewAfterTraversal(current, entry)).toEqual({...current, tf: [], sw: "main", zoom: []});
    expect(viewWithCallTree(current, {tf: []})).toEqual({...current, tf: [], zoom: []});
    // A new selection keeps the transforms.
    expect(viewWithSelection(current, null).tf).toEqual(current.tf);
  });
});
