/** Rule run-writes-secret, RuleTester style: RUNs that leave a secret in a file, and near misses. */
import { describe, expect, it } from "vitest";
import { runPipeline } from "../src/pipeline.js";

const rulesAt = (run: string) =>
  runPipeline(`FROM a\nARG NPM_TOKEN\n${run}\n`)
    .findings.filter((f) => f.rule === "run-writes-secret")
    .map((f) => f.line);

describe("run-writes-secret", () => {
  it.each([
    ['RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci'],
    ["RUN echo $NPM_TOKEN | tee /root/token"],
    ["RUN printf %s \"$NPM_TOKEN\" | base64 > /t.b64"],
    ["RUN npm config set //r/:_authToken $NPM_TOKEN && npm ci"],
    ["RUN git config --global url.\"https://${NPM_TOKEN}@github.com/\".insteadOf https://github.com/"],
    ["RUN git clone https://x:${NPM_TOKEN}@example.com/r.git"],
    ["RUN echo $NPM_TOKEN | docker login -u me --password-stdin"],
    ["RUN if [ -n \"${NPM_TOKEN}\" ]; then echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc; fi"],
  ])("reports %s", (run) => {
    expect(rulesAt(run)).toEqual([3]);
  });

  it.each([
    ['RUN echo "//r/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm -f .npmrc'],
    ["RUN printf %s \"$NPM_TOKEN\" | sha256sum > /proof/token.sha"],
    ["RUN echo $NPM_TOKEN > /dev/null"],
    ["RUN npm ci > /tmp/log 2>&1"],
    ["RUN for key in a b; do echo $key > /tmp/k; done"],
    // The write stores the reference as text (npm expands it when it reads .npmrc); only the test expands the value.
    ["RUN if [ -n \"${NPM_TOKEN}\" ]; then echo '//registry.npmjs.org/:_authToken=${NPM_TOKEN}' > .npmrc; fi"],
  ])("does not report %s", (run) => {
    expect(rulesAt(run)).toEqual([]);
  });
});
