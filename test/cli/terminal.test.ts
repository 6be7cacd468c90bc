// Names from the profile printed to terminals stay inert.
import {describe, expect, it} from "vitest";
import {perfText} from "../helpers.js";
import {runCli, tempFolder} from "./run.js";

const {file} = tempFolder("cli-terminal");

describe("subsecond terminal", () => {
  it("prints names from the profile to terminals inert: escape sequences and bidi controls show as codes", () => {
    // ESC [2J clears a screen, U+009B is the one-byte CSI, U+202E reverses what follows.
    const path = file("esc.perf", perfText([{time: "1.1", comm: "evil\x1b[2J\u009b31m", stack: ["main\u202eesrever\x1b]0;pwned\x07"]}]));
    const unsafe = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
    const info = runCli(["info", path]);
    expect(info.stdout).not.toMatch(unsafe);
    expect(info.stdout).toContain("evil\\x1b[2J\\x9b31m");
    const top = runCli(["flamegraph", "--format", "top", path]);
    expect(top.stdout).not.toMatch(unsafe);
    expect(top.stdout).toContain("main\\u202eesrever\\x1b]0;pwned\\x07");
    const missing = runCli(["flamegraph", "--annotation", "x\x1b[2J", path]);
    expect(missing.stderr).not.toMatch(unsafe);
  });
});
