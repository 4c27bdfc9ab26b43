/** Worker thread entry for `unbake -`: the pipeline on the text read from stdin, under the same budget as a file. */
import { parentPort, workerData } from "node:worker_threads";
import { runPipeline } from "../pipeline.js";
import { configOf, describeConfigError, mountStyleOf, settingsOf, type ConfigChoice } from "./project-config.js";
import type { MountStyle } from "../types.js";

export interface StdinJob {
  text: string;
  /** The file the text stands for (absolute): where the configuration is looked up. */
  file: string;
  choice: ConfigChoice;
  mountStyle: MountStyle;
  mountStyleFromCli: boolean;
}

const job = workerData as StdinJob;
const config = configOf(job.file, job.choice);
if (config.errors.length > 0) {
  parentPort!.postMessage({ configErrors: config.errors.map((e) => describeConfigError(e, (p) => p)) });
} else {
  const mountStyle = mountStyleOf(config, job.mountStyleFromCli ? job.mountStyle : undefined, job.mountStyle);
  parentPort!.postMessage({ result: runPipeline(job.text, { mountStyle, settings: settingsOf(config) }), mountStyle });
}
