// Preloaded into the CLI process by the hostile-suite harness (node --import): on exit, writes
// the process's peak resident memory to the file named by UNBAKE_MEASURE.
import { writeFileSync } from "node:fs";

const out = process.env.UNBAKE_MEASURE;
if (out) process.on("exit", () => writeFileSync(out, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })));
