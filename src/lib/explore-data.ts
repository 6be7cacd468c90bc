// What an interactive notebook output (explore(), src/notebook/explore.ts) carries so the
// browser recomputes heat maps and flame graphs of any selection with no kernel round
// trip: the samples a view counts, as a smaller profile of their own (only the stacks,
// frames, strings and event they use), in the report site's artifacts (Arrow IPC, see
// ./artifacts.js) as base64 text inside the output's JSON. Browser-safe: the output's
// script decodes it with the same code.
import {fromArtifacts, toArtifacts, type ProfileDictionary} from "./artifacts.js";
import type {Profile} from "./profile.js";
import type {SampleView} from "./view.js";

/** The JSON an explore output holds. */
export interface ExploreData {
  samples: string;
  stacks: string;
  frames: string;
  dictionary: ProfileDictionary;
}

/** The samples `view` counts (selected, not idle, passing its filter) as a profile of
 * their own: the same origin, times, threads and annotations, only the stacks (with
 * their prefixes), frames, strings and the one event they use. Analyses of it with
 * idle "keep" and no filter count what analyses of the view count. */
export function viewProfile(view: SampleView): Profile {
  const {profile} = view;
  const mask = view.mask();
  const {samples, stacks, frames} = profile;
  let kept = 0;
  for (let i = 0; i < mask.length; i++) kept += mask[i];

  // Stacks used, with every prefix; ids stay in order, so prefixes stay earlier.
  const usedStack = new Uint8Array(stacks.length);
  for (let i = 0; i < samples.length; i++) {
    if (!mask[i]) continue;
    for (let s = samples.stack[i]; s >= 0 && !usedStack[s]; s = stacks.prefix[s]) usedStack[s] = 1;
  }
  const stackId = new Int32Array(stacks.length).fill(-1);
  const usedFrame = new Int32Array(frames.length).fill(-1);
  const stackFrames: number[] = [], stackPrefixes: number[] = [];
  const frameIds: number[] = [];
  for (let s = 0; s < stacks.length; s++) {
    if (!usedStack[s]) continue;
    const f = stacks.frame[s];
    if (usedFrame[f] < 0) usedFrame[f] = frameIds.push(f) - 1;
    stackId[s] = stackFrames.length;
    stackFrames.push(usedFrame[f]);
    stackPrefixes.push(stacks.prefix[s] < 0 ? -1 : stackId[stacks.prefix[s]]);
  }

  // Strings: the frames' and the threads' (comms), in first-use order.
  const stringId = new Map<number, number>();
  const strings: string[] = [];
  const str = (id: number) => {
    if (id < 0) return -1;
    let out = stringId.get(id);
    if (out === undefined) stringId.set(id, (out = strings.push(profile.strings[id]) - 1));
    return out;
  };
  const name = Int32Array.from(frameIds, (f) => str(frames.name[f]));
  const module = Int32Array.from(frameIds, (f) => str(frames.module[f]));
  const address = Int32Array.from(frameIds, (f) => str(frames.address[f]));
  const kind = Uint8Array.from(frameIds, (f) => frames.kind[f]);
  const comm = Int32Array.from(profile.threads.comm, str);

  const event = view.selector.event;
  const time = new Float64Array(kept), weight = new Float64Array(kept);
  const stack = new Int32Array(kept), thread = new Int32Array(kept), cpu = new Int32Array(kept), eventColumn = new Int32Array(kept);
  for (let i = 0, j = 0; i < samples.length; i++) {
    if (!mask[i]) continue;
    time[j] = samples.time[i];
    weight[j] = samples.weight[i];
    stack[j] = stackId[samples.stack[i]];
    thread[j] = samples.thread[i];
    cpu[j] = samples.cpu[i];
    j++;
  }
  return {
    ...profile,
    strings,
    frames: {length: frameIds.length, name, module, address, kind},
    stacks: {length: stackFrames.length, prefix: Int32Array.from(stackPrefixes), frame: Int32Array.from(stackFrames)},
    threads: {...profile.threads, comm},
    events: event >= 0 ? [profile.events[event]] : [],
    samples: {length: kept, time, stack, weight, thread, cpu, event: eventColumn},
  };
}

/** A profile as an explore output's JSON. */
export function encodeExploreData(profile: Profile): ExploreData {
  const a = toArtifacts(profile);
  return {samples: toBase64(a.samples), stacks: toBase64(a.stacks), frames: toBase64(a.frames), dictionary: a.dictionary};
}

/** The profile an explore output's JSON holds. */
export function decodeExploreData(data: ExploreData): Profile {
  return fromArtifacts({samples: fromBase64(data.samples), stacks: fromBase64(data.stacks), frames: fromBase64(data.frames), dictionary: data.dictionary});
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  // 3 bytes → 4 characters; chunked so no string grows one character at a time.
  const chunk = 3 * 8192;
  for (let start = 0; start < bytes.length; start += chunk) {
    const end = Math.min(bytes.length, start + chunk);
    let text = "";
    for (let i = start; i < end; i += 3) {
      const n = (bytes[i] << 16) | ((i + 1 < end ? bytes[i + 1] : 0) << 8) | (i + 2 < end ? bytes[i + 2] : 0);
      text += BASE64[n >> 18] + BASE64[(n >> 12) & 63] + (i + 1 < end ? BASE64[(n >> 6) & 63] : "=") + (i + 2 < end ? BASE64[n & 63] : "=");
    }
    parts.push(text);
  }
  return parts.join("");
}

const BASE64_VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) BASE64_VALUE[BASE64.charCodeAt(i)] = i;

export function fromBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error(`base64 text of ${text.length} characters (not a multiple of 4)`);
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  const value = (i: number) => {
    const c = text.charCodeAt(i);
    const v = c < 128 ? BASE64_VALUE[c] : -1;
    if (v < 0 && !(c === 61 && i >= text.length - padding)) throw new Error(`not base64 at character ${i}`);
    return v < 0 ? 0 : v;
  };
  for (let i = 0, j = 0; i < text.length; i += 4) {
    const n = (value(i) << 18) | (value(i + 1) << 12) | (value(i + 2) << 6) | value(i + 3);
    out[j++] = n >> 16;
    if (j < out.length) out[j++] = (n >> 8) & 255;
    if (j < out.length) out[j++] = n & 255;
  }
  return out;
}
