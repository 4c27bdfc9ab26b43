/** Worker thread entry: processes the chunks of paths it is sent, one after another, and posts the results back. */
import { parentPort, workerData } from "node:worker_threads";
import { serveChunks, type Chunk, type WorkerData, type WorkerMessage } from "./batch.js";

const serve = serveChunks(workerData as WorkerData, (m: WorkerMessage) => parentPort!.postMessage(m));
parentPort!.on("message", (chunk: Chunk) => serve(chunk));
