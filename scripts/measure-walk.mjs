#!/usr/bin/env node
// File discovery alone, as the CLI does it.
import { findDockerfiles } from "../dist/cli/find-dockerfiles.js";

const found = await findDockerfiles([process.argv[2]]);
process.stderr.write(`found=${found.files.length} maxRSS=${process.resourceUsage().maxRSS}\n`);
