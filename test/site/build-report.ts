// Builds a report site as `subsecond report DIR --out OUT` does (the site test runs it
// in a child process): node --import tsx test/site/build-report.ts DIR OUT
import {reportCommand} from "../../src/cli/report.js";
import {CliError} from "../../src/cli/common.js";

const [dir, out] = process.argv.slice(2);
try {
  await reportCommand.run({out}, [dir]);
} catch (e) {
  process.stderr.write(`${e instanceof CliError ? e.message : (e as Error).stack}\n`);
  process.exitCode = 1;
}
