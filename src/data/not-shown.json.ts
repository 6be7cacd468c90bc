// The files of the profiles folder that are not profiles (src/data/site-profiles.ts
// says why each one is not): the index page lists them with their reasons. Profiles
// that turn out to be unreadable when parsed are listed from their own summary.json.
import {scanProfilesFolder} from "./site-profiles.js";

process.stdout.write(JSON.stringify(scanProfilesFolder().notShown));
