/** Worker thread entry: processes the chunks of paths it is sent and posts each chunk's results back. */
import { parentPort, workerData } from "node:worker_threads";
import { processFile, type ProcessOptions, type ProcessedFile } from "./process-file.js";

const options = workerData as ProcessOptions;
parentPort!.on("message", async (task: { first: number; paths: string[] }) => {
  const results: ProcessedFile[] = [];
  for (const path of task.paths) results.push(await processFile(path, options));
  parentPort!.postMessage({ first: task.first, results });
});
