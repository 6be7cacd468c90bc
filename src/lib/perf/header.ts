// The metadata lines of `perf script --header` (`# key : value`) as a ProfileHeader.
import type {ProfileHeader} from "../profile.js";

export interface HeaderField {
  key: string;
  value: string;
}

/** Longer keys are not perf's: the line is an ordinary comment. */
const MAX_KEY_LENGTH = 40;

/** The field of a comment line's text after its `#`; null when it is no `key : value`
 * line (other comments carry nothing). */
export function headerField(text: string): HeaderField | null {
  const sep = text.indexOf(":");
  if (sep < 0) return null;
  const key = text.slice(0, sep).trim();
  const value = text.slice(sep + 1).trim();
  return key && key.length <= MAX_KEY_LENGTH ? {key, value} : null;
}

/** Adds a field to the header: every key in `fields` (the last value of repeated
 * ones), events in order, and the fields subsecond uses parsed. */
export function addHeaderField(h: ProfileHeader, {key, value}: HeaderField): void {
  if (key === "event") {
    h.events.push(value);
    return;
  }
  h.fields[key] = value;
  switch (key) {
    case "hostname": h.hostname = value; break;
    case "os release": h.osRelease = value; break;
    case "perf version": h.perfVersion = value; break;
    case "arch": h.arch = value; break;
    case "nrcpus online": h.nrcpusOnline = cpuCount(value); break;
    case "nrcpus avail": h.nrcpusAvail = cpuCount(value); break;
    case "cpudesc": h.cpuDesc = value; break;
    case "cmdline": h.cmdline = value; break;
    case "captured on": h.capturedOn = value; break;
    case "reference time": {
      // `2026-11-21 10:41:06.078083 = 1795257666.078083 (TOD) = 94.769259593 (monotonic)`
      const m = /=\s*(\d{1,12}(?:\.\d{1,9})?)\s*\(TOD\)\s*=\s*(\d{1,12}(?:\.\d{1,9})?)/.exec(value);
      if (m) h.referenceTime = {epoch: Number(m[1]), perf: Number(m[2]), text: value};
      break;
    }
  }
}

/** A header's CPU count, when it is one. */
function cpuCount(value: string): number | undefined {
  return /^\d{1,5}$/.test(value) ? Number(value) : undefined;
}
