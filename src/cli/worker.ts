/** Worker thread entry: processes the chunks of paths it is sent and posts each chunk's results back. */
import { parentPort, workerData } from "node:worker_threads";
import { processChunk, type Chunk } from "./batch.js";
import type { ProcessOptions } from "./process-file.js";

const options = workerData as ProcessOptions;
parentPort!.on("message", async (chunk: Chunk) => parentPort!.postMessage(await processChunk(chunk, options)));
