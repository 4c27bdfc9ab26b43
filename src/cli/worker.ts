/** Worker thread entry: processes the files it is sent, one at a time, and posts each result back. */
import { parentPort, workerData } from "node:worker_threads";
import { processFile, type ProcessOptions } from "./process-file.js";

const options = workerData as ProcessOptions;
parentPort!.on("message", async (task: { index: number; path: string }) => {
  const result = await processFile(task.path, options);
  parentPort!.postMessage({ index: task.index, result });
});
