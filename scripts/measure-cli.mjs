#!/usr/bin/env node
// Runs the real CLI (dist) with output to nowhere, then reports the process's peak memory.
import { main } from "../dist/cli/main.js";

const argv = process.argv.slice(2);
const sink = { write: () => true, isTTY: false };
const code = await main(argv, { stdout: sink, stderr: sink, cwd: process.cwd(), env: { CI: "true" } });
process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
