#!/usr/bin/env node
// Baseline for the benchmark: read every listed file and parse it with dockerfile-ast, nothing else.
import { readFileSync } from "node:fs";
import { DockerfileParser } from "dockerfile-ast";

const files = readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
for (const f of files) DockerfileParser.parse(readFileSync(f, "utf8"));
process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\n`);
