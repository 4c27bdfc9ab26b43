/**
 * Call-site rewrite: for each kind of file, input text + migrations → expected text byte for byte and the
 * lines reported for manual migration; every output must parse (YAML / JSON), rewriting the output again
 * changes nothing, and CRLF input gives the same result with CRLF.
 */
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import type { Migration } from "../src/callsites/index.js";
import { callSiteKind, rewriteCallSites } from "../src/callsites/index.js";
import { callSiteEvidence, isCallSiteText, mayBeCallSite } from "../src/callsites/files.js";
import { isDockerfileName } from "../src/cli/find-dockerfiles.js";

const ROOT = "/repo";
const API: Migration = {
  dockerfile: "/repo/services/api/Dockerfile",
  context: "/repo/services/api",
  args: [{ name: "NPM_TOKEN", id: "npm_token" }],
  files: [],
};
const WEB: Migration = {
  dockerfile: "/repo/services/web/Dockerfile",
  context: "/repo/services/web",
  args: [
    { name: "NPM_TOKEN", id: "npm_token" },
    { name: "SENTRY_AUTH_TOKEN", id: "sentry_auth_token" },
  ],
  files: [{ id: "npmrc", path: ".npmrc" }],
};
const at = (dockerfile: string): Migration => ({ dockerfile, context: dockerfile.replace(/\/[^/]+$/, ""), args: [{ name: "NPM_TOKEN", id: "npm_token" }], files: [] });

interface Case {
  name: string;
  path: string;
  input: string;
  /** Expected output; the input itself when nothing may change. */
  expected: string;
  /** Lines reported for manual migration. */
  manual?: number[];
  migrations?: Migration[];
}

const cases: Case[] = [
  // ------------------------------------------------------------------ compose
  {
    name: "compose: map args with comments; other args, keys and services kept",
    path: "/repo/compose.yaml",
    input: `# dev stack
services:
  api:
    build:
      context: services/api   # the API
      args:
        # registry token
        NPM_TOKEN: \${NPM_TOKEN}
        GH_TOKEN: \${GH_TOKEN}  # not removed
    image: api:dev
  cache:
    image: redis:7
`,
    expected: `# dev stack
services:
  api:
    build:
      context: services/api   # the API
      args:
        # registry token
        GH_TOKEN: \${GH_TOKEN}  # not removed
      secrets:
        - npm_token
    image: api:dev
  cache:
    image: redis:7
secrets:
  npm_token:
    environment: NPM_TOKEN
`,
  },
  {
    name: "compose: list args, existing build.secrets and top-level secrets, 4-space indent, compact sequences",
    path: "/repo/docker-compose.yml",
    input: `services:
    web:
        build:
            context: ./services/web
            args:
            - "NPM_TOKEN=\${NPM_TOKEN}"
            - SENTRY_AUTH_TOKEN=\${SENTRY_AUTH_TOKEN:?set it}
            secrets:
            - other
secrets:
    other:
        file: ./other.txt
`,
    expected: `services:
    web:
        build:
            context: ./services/web
            secrets:
            - other
            - npm_token
            - sentry_auth_token
            - npmrc
secrets:
    other:
        file: ./other.txt
    npm_token:
        environment: NPM_TOKEN
    sentry_auth_token:
        environment: SENTRY_AUTH_TOKEN
    npmrc:
        file: ./services/web/.npmrc
`,
  },
  {
    name: "compose: short build form gets the long form; dockerfile relative to the context; compose file in a subfolder",
    path: "/repo/deploy/docker-compose.prod.yml",
    input: `services:
  web:
    build: ../services/web
  api:
    build:
      context: ../services
      dockerfile: api/Dockerfile
      args:
        NPM_TOKEN:
`,
    expected: `services:
  web:
    build:
      context: ../services/web
      secrets:
        - npmrc
  api:
    build:
      context: ../services
      dockerfile: api/Dockerfile
      secrets:
        - npm_token
secrets:
  npmrc:
    file: ../services/web/.npmrc
  npm_token:
    environment: NPM_TOKEN
`,
  },
  {
    name: "compose: a literal value and a variable context are reported, not edited",
    path: "/repo/compose.yml",
    input: `services:
  api:
    build:
      context: services/api
      args:
        NPM_TOKEN: abc123
  web:
    build:
      context: \${WEB_DIR:-services/web}
      args:
        - NPM_TOKEN
`,
    expected: "same",
    manual: [6, 8],
  },
  {
    name: "compose: already migrated → nothing to do",
    path: "/repo/compose.yaml",
    input: `services:
  api:
    build:
      context: services/api
      secrets: [npm_token]
secrets:
  npm_token:
    environment: NPM_TOKEN
`,
    expected: "same",
  },
  {
    name: "compose: a build of another Dockerfile is left alone",
    path: "/repo/compose.yaml",
    input: `services:
  worker:
    build:
      context: services/worker
      args:
        NPM_TOKEN: \${NPM_TOKEN}
`,
    expected: "same",
  },
  // ------------------------------------------------------------------ GitHub workflows
  {
    name: "workflow: build-push-action → secret-envs, secret-files and the step env",
    path: "/repo/.github/workflows/ci.yml",
    input: `jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        with:
          context: ./services/web
          file: ./services/web/Dockerfile
          build-args: |
            NPM_TOKEN=\${{ env.NPM_TOKEN }}
            SENTRY_AUTH_TOKEN=\${{ secrets.SENTRY }}
          secret-envs: |
            other=OTHER
`,
    expected: `jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        env:
          SENTRY_AUTH_TOKEN: \${{ secrets.SENTRY }}
        with:
          context: ./services/web
          file: ./services/web/Dockerfile
          secret-envs: |
            other=OTHER
            npm_token=NPM_TOKEN
            sentry_auth_token=SENTRY_AUTH_TOKEN
          secret-files: |
            npmrc=services/web/.npmrc
`,
  },
  {
    name: "workflow: run steps with defaults.run.working-directory; an unresolvable context is reported",
    path: "/repo/.github/workflows/build.yaml",
    input: `defaults:
  run:
    working-directory: services
jobs:
  b:
    runs-on: ubuntu-latest
    steps:
      - name: api
        run: docker build --build-arg NPM_TOKEN=$TOKEN -t api api
      - name: other
        run: |
          docker build --build-arg NPM_TOKEN -t x "$CTX"
`,
    expected: `defaults:
  run:
    working-directory: services
jobs:
  b:
    runs-on: ubuntu-latest
    steps:
      - name: api
        run: docker build --secret id=npm_token,env=TOKEN -t api api
      - name: other
        run: |
          docker build --build-arg NPM_TOKEN -t x "$CTX"
`,
    manual: [12],
  },
  {
    name: "workflow: the step env already sets the variable to something else → reported",
    path: "/repo/.github/workflows/ci.yml",
    input: `jobs:
  b:
    steps:
      - run: docker build --build-arg NPM_TOKEN=\${{ secrets.NPM }} services/api
        env:
          NPM_TOKEN: something-else
`,
    expected: "same",
    manual: [4],
  },
  {
    name: "workflow: continued run block, entry appended to the existing step env",
    path: "/repo/.github/workflows/ci.yml",
    input: `jobs:
  b:
    steps:
      - run: |
          docker build \\
            --build-arg NPM_TOKEN=\${{ secrets.NPM_TOKEN }} \\
            services/api
        env:
          CI: "true"
`,
    expected: `jobs:
  b:
    steps:
      - run: |
          docker build \\
            --secret id=npm_token,env=NPM_TOKEN \\
            services/api
        env:
          CI: "true"
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
`,
  },
  {
    name: "workflow: a new step env after a first-key run",
    path: "/repo/.github/workflows/ci.yml",
    input: `jobs:
  b:
    steps:
      - run: docker build --build-arg NPM_TOKEN="\${{ secrets.NPM_TOKEN }}" services/api
      - run: echo done
`,
    expected: `jobs:
  b:
    steps:
      - run: docker build --secret id=npm_token,env=NPM_TOKEN services/api
        env:
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
      - run: echo done
`,
  },
  // ------------------------------------------------------------------ shell scripts
  {
    name: "shell: the argument forms; prefix form only for simple one-line commands",
    path: "/repo/build.sh",
    input: `#!/bin/sh
set -eu
# docker build --build-arg NPM_TOKEN .   (a comment stays)
docker build --build-arg NPM_TOKEN -t api services/api
docker build --build-arg "NPM_TOKEN=$NPM_TOKEN" --build-arg VERSION=1 -t api2 services/api
podman build --build-arg=NPM_TOKEN=\${NPM_TOKEN} -t api3 services/api
DOCKER_BUILDKIT=1 docker build --build-arg NPM_TOKEN=$(cat .token) services/api && docker push api
sudo docker build --build-arg NPM_TOKEN="$(cat .token)" services/api
docker build \\
  --build-arg NPM_TOKEN="$(cat .token)" \\
  services/api
docker build --build-arg NPM_TOKEN -t x "$CONTEXT"
`,
    expected: `#!/bin/sh
set -eu
# docker build --build-arg NPM_TOKEN .   (a comment stays)
docker build --secret id=npm_token,env=NPM_TOKEN -t api services/api
docker build --secret id=npm_token,env=NPM_TOKEN --build-arg VERSION=1 -t api2 services/api
podman build --secret id=npm_token,env=NPM_TOKEN -t api3 services/api
DOCKER_BUILDKIT=1 NPM_TOKEN=$(cat .token) docker build --secret id=npm_token,env=NPM_TOKEN services/api && docker push api
sudo docker build --build-arg NPM_TOKEN="$(cat .token)" services/api
docker build \\
  --build-arg NPM_TOKEN="$(cat .token)" \\
  services/api
docker build --build-arg NPM_TOKEN -t x "$CONTEXT"
`,
    manual: [8, 9, 12],
  },
  {
    name: "shell: script folder and repository root give different Dockerfiles → not sure, reported",
    path: "/repo/tools/b.sh",
    input: `#!/bin/sh
docker build --build-arg NPM_TOKEN .
`,
    expected: "same",
    manual: [2],
    migrations: [at("/repo/tools/Dockerfile"), at("/repo/Dockerfile")],
  },
  {
    name: "shell: only one of script folder and repository root matches → rewritten",
    path: "/repo/tools/b.sh",
    input: `#!/bin/sh
docker build --build-arg NPM_TOKEN=$NPM_TOKEN .
`,
    expected: `#!/bin/sh
docker build --secret id=npm_token,env=NPM_TOKEN .
`,
    migrations: [at("/repo/Dockerfile")],
  },
  {
    name: "shell: cd tracking (dirname of the script, subshells) and secret files relative to the working directory",
    path: "/repo/scripts/ci",
    input: `#!/usr/bin/env bash
cd "$(dirname "\${BASH_SOURCE[0]}")/../services/web"
docker build --build-arg NPM_TOKEN --build-arg SENTRY_AUTH_TOKEN=$SENTRY -t web .
(cd ../api && docker build --build-arg NPM_TOKEN -t api .)
docker build --build-arg NPM_TOKEN -t again .
`,
    expected: `#!/usr/bin/env bash
cd "$(dirname "\${BASH_SOURCE[0]}")/../services/web"
docker build --secret id=npm_token,env=NPM_TOKEN --secret id=sentry_auth_token,env=SENTRY -t web --secret id=npmrc,src=.npmrc .
(cd ../api && docker build --secret id=npm_token,env=NPM_TOKEN -t api .)
docker build --secret id=npm_token,env=NPM_TOKEN -t again --secret id=npmrc,src=.npmrc .
`,
  },
  {
    name: "shell: a half-migrated command loses the duplicate --build-arg; other builds untouched",
    path: "/repo/release.sh",
    input: `#!/bin/bash
docker buildx build \\
  --secret id=npm_token,env=NPM_TOKEN \\
  --build-arg NPM_TOKEN \\
  -t api services/api
docker build --build-arg NPM_TOKEN=$NPM_TOKEN services/worker
`,
    expected: `#!/bin/bash
docker buildx build \\
  --secret id=npm_token,env=NPM_TOKEN \\
  -t api services/api
docker build --build-arg NPM_TOKEN=$NPM_TOKEN services/worker
`,
    manual: [6],
  },
  {
    name: "shell: a variable set without export is exported for the one command; an exported or inherited one is used as is",
    path: "/repo/build.sh",
    input: `#!/bin/sh
T=$(cat .token); docker build --build-arg NPM_TOKEN="$T" services/api
export U=$(cat .token)
docker build --build-arg NPM_TOKEN=$U -t u services/api
docker build --build-arg NPM_TOKEN=$CI_TOKEN -t ci services/api
read R < .token
docker build --build-arg NPM_TOKEN=$R -t r services/api
if docker build --build-arg NPM_TOKEN="$T" -t t2 services/api; then echo ok; fi
`,
    expected: `#!/bin/sh
T=$(cat .token); NPM_TOKEN="$T" docker build --secret id=npm_token,env=NPM_TOKEN services/api
export U=$(cat .token)
docker build --secret id=npm_token,env=U -t u services/api
docker build --secret id=npm_token,env=CI_TOKEN -t ci services/api
read R < .token
NPM_TOKEN=$R docker build --secret id=npm_token,env=NPM_TOKEN -t r services/api
if NPM_TOKEN="$T" docker build --secret id=npm_token,env=NPM_TOKEN -t t2 services/api; then echo ok; fi
`,
  },
  {
    name: "shell: a sourced file may set the variable: moved into the command's environment",
    path: "/repo/build.sh",
    input: `#!/bin/sh
. ./env.sh
docker build --build-arg NPM_TOKEN=$NPM_TOKEN services/api
`,
    expected: `#!/bin/sh
. ./env.sh
NPM_TOKEN=$NPM_TOKEN docker build --secret id=npm_token,env=NPM_TOKEN services/api
`,
  },
  {
    name: "shell: a hard-coded value is moved with the command and reported; docker's last --build-arg of a name wins",
    path: "/repo/build.sh",
    input: `#!/bin/sh
docker build --build-arg NPM_TOKEN=abc123def -t lit services/api
docker build --build-arg NPM_TOKEN=$FIRST --build-arg NPM_TOKEN=$SECOND -t dup services/api
docker build \\
  --build-arg NPM_TOKEN \\
  --build-arg NPM_TOKEN=$SECOND \\
  -t dup2 services/api
NPM_TOKEN=x docker build --build-arg NPM_TOKEN=$NPM_TOKEN -t front services/api
`,
    expected: `#!/bin/sh
NPM_TOKEN=abc123def docker build --secret id=npm_token,env=NPM_TOKEN -t lit services/api
docker build --secret id=npm_token,env=SECOND -t dup services/api
docker build \\
  --secret id=npm_token,env=SECOND \\
  -t dup2 services/api
NPM_TOKEN=x docker build --build-arg NPM_TOKEN=$NPM_TOKEN -t front services/api
`,
    manual: [2, 8],
  },
  {
    name: "shell: builds behind a command that may not pass docker the environment are left for a person",
    path: "/repo/build.sh",
    input: `#!/bin/sh
sudo -E docker build --build-arg NPM_TOKEN -t a services/api
doas docker build --build-arg NPM_TOKEN -t b services/api
ssh build-host docker build --build-arg NPM_TOKEN -t c services/api
env -i PATH=/usr/bin docker build --build-arg NPM_TOKEN -t d services/api
kubectl exec -it builder -- docker build --build-arg NPM_TOKEN -t e services/api
docker exec ctr docker build --build-arg NPM_TOKEN -t f services/api
nsenter -t 1 -m docker build --build-arg NPM_TOKEN -t g services/api
chroot /srv docker build --build-arg NPM_TOKEN -t h services/api
runuser -u ci -- docker build --build-arg NPM_TOKEN -t i services/api
setpriv --reuid=1000 docker build --build-arg NPM_TOKEN -t j services/api
parallel docker build --build-arg NPM_TOKEN -t {} services/api ::: k
retry docker build --build-arg NPM_TOKEN -t l services/api
time docker build --build-arg NPM_TOKEN -t m services/api
timeout 600 nice -n 5 docker build --build-arg NPM_TOKEN -t n services/api
env DOCKER_BUILDKIT=1 docker build --build-arg NPM_TOKEN -t o services/api
echo x | xargs docker build --build-arg NPM_TOKEN -t p services/api
time docker build --build-arg NPM_TOKEN="$(cat .token)" -t q services/api
`,
    expected: `#!/bin/sh
sudo -E docker build --build-arg NPM_TOKEN -t a services/api
doas docker build --build-arg NPM_TOKEN -t b services/api
ssh build-host docker build --build-arg NPM_TOKEN -t c services/api
env -i PATH=/usr/bin docker build --build-arg NPM_TOKEN -t d services/api
kubectl exec -it builder -- docker build --build-arg NPM_TOKEN -t e services/api
docker exec ctr docker build --build-arg NPM_TOKEN -t f services/api
nsenter -t 1 -m docker build --build-arg NPM_TOKEN -t g services/api
chroot /srv docker build --build-arg NPM_TOKEN -t h services/api
runuser -u ci -- docker build --build-arg NPM_TOKEN -t i services/api
setpriv --reuid=1000 docker build --build-arg NPM_TOKEN -t j services/api
parallel docker build --build-arg NPM_TOKEN -t {} services/api ::: k
retry docker build --build-arg NPM_TOKEN -t l services/api
time docker build --secret id=npm_token,env=NPM_TOKEN -t m services/api
timeout 600 nice -n 5 docker build --secret id=npm_token,env=NPM_TOKEN -t n services/api
env DOCKER_BUILDKIT=1 docker build --secret id=npm_token,env=NPM_TOKEN -t o services/api
echo x | xargs docker build --secret id=npm_token,env=NPM_TOKEN -t p services/api
time docker build --build-arg NPM_TOKEN="$(cat .token)" -t q services/api
`,
    manual: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 18],
  },
  // ------------------------------------------------------------------ Makefiles
  {
    name: "make: make variables, $$shell variables, cd within a recipe line, $(DOCKER)",
    path: "/repo/Makefile",
    input: `NPM_TOKEN ?= $(shell cat .token)
DOCKER ?= docker

api:
\t$(DOCKER) build --build-arg NPM_TOKEN=$(NPM_TOKEN) -t api services/api
web:
\tcd services/web && docker build --build-arg SENTRY_AUTH_TOKEN=$(SENTRY_AUTH_TOKEN) -t web .
\tdocker build --build-arg NPM_TOKEN=$$NPM_TOKEN -t web-parent services/web/..
`,
    expected: `NPM_TOKEN ?= $(shell cat .token)
DOCKER ?= docker

api:
\tNPM_TOKEN=$(NPM_TOKEN) $(DOCKER) build --secret id=npm_token,env=NPM_TOKEN -t api services/api
web:
\tcd services/web && docker build --secret id=sentry_auth_token,env=SENTRY_AUTH_TOKEN -t web --secret id=npmrc,src=.npmrc .
\tdocker build --build-arg NPM_TOKEN=$$NPM_TOKEN -t web-parent services/web/..
`,
    manual: [8],
  },
  {
    name: "make: a recipe's shell variable set on its line, make variables set, exported, included or from the environment",
    path: "/repo/Makefile",
    input: `TOKEN ?= $(shell cat .token)
export EXPORTED := $(shell cat .other)
api: LOCAL = abc

a:
\tT=$$(cat .token); docker build --build-arg NPM_TOKEN=$$T -t a services/api
\tdocker build --build-arg NPM_TOKEN=$(TOKEN) -t b services/api
\tdocker build --build-arg NPM_TOKEN=$(EXPORTED) -t c services/api
\tdocker build --build-arg NPM_TOKEN=$(FROM_ENV) -t d services/api
\tdocker build --build-arg NPM_TOKEN=$$HOME_TOKEN -t e services/api
\tdocker build --build-arg NPM_TOKEN=$(LOCAL) -t f services/api
\t@sudo docker build --build-arg NPM_TOKEN=$(FROM_ENV) -t g services/api
`,
    expected: `TOKEN ?= $(shell cat .token)
export EXPORTED := $(shell cat .other)
api: LOCAL = abc

a:
\tT=$$(cat .token); NPM_TOKEN=$$T docker build --secret id=npm_token,env=NPM_TOKEN -t a services/api
\tNPM_TOKEN=$(TOKEN) docker build --secret id=npm_token,env=NPM_TOKEN -t b services/api
\tdocker build --secret id=npm_token,env=EXPORTED -t c services/api
\tdocker build --secret id=npm_token,env=FROM_ENV -t d services/api
\tdocker build --secret id=npm_token,env=HOME_TOKEN -t e services/api
\tNPM_TOKEN=$(LOCAL) docker build --secret id=npm_token,env=NPM_TOKEN -t f services/api
\t@sudo docker build --build-arg NPM_TOKEN=$(FROM_ENV) -t g services/api
`,
    manual: [12],
  },
  {
    name: "make: an included makefile may set the variable",
    path: "/repo/Makefile",
    input: `include config.mk
a:
\tdocker build --build-arg NPM_TOKEN=$(NPM_TOKEN) services/api
`,
    expected: `include config.mk
a:
\tNPM_TOKEN=$(NPM_TOKEN) docker build --secret id=npm_token,env=NPM_TOKEN services/api
`,
  },
  {
    name: "workflow: a run step's unexported variable is exported for the command; env: entries are in the environment",
    path: "/repo/.github/workflows/ci.yml",
    input: `env:
  WF_TOKEN: \${{ secrets.NPM }}
jobs:
  b:
    runs-on: ubuntu-latest
    steps:
      - run: |
          T=$(cat .token)
          docker build --build-arg NPM_TOKEN="$T" services/api
      - run: |
          WF_TOKEN=$(echo "$WF_TOKEN" | tr -d ' ')
          docker build --build-arg NPM_TOKEN=$WF_TOKEN services/api
      - run: sudo docker build --build-arg NPM_TOKEN=$WF_TOKEN services/api
`,
    expected: `env:
  WF_TOKEN: \${{ secrets.NPM }}
jobs:
  b:
    runs-on: ubuntu-latest
    steps:
      - run: |
          T=$(cat .token)
          NPM_TOKEN="$T" docker build --secret id=npm_token,env=NPM_TOKEN services/api
      - run: |
          WF_TOKEN=$(echo "$WF_TOKEN" | tr -d ' ')
          docker build --secret id=npm_token,env=WF_TOKEN services/api
      - run: sudo docker build --build-arg NPM_TOKEN=$WF_TOKEN services/api
`,
    manual: [13],
  },
  {
    name: "jenkins: a shell variable the sh step sets cannot be moved there: reported",
    path: "/repo/Jenkinsfile",
    input: `pipeline {
  stages {
    stage('b') {
      steps {
        sh '''
          T=$(cat .token)
          docker build --build-arg NPM_TOKEN=$T -t api services/api
        '''
      }
    }
  }
}
`,
    expected: "same",
    manual: [7],
  },
  // ------------------------------------------------------------------ GitLab CI
  {
    name: "gitlab: script items share the working directory; literal blocks and quoted items",
    path: "/repo/.gitlab-ci.yml",
    input: `variables:
  DOCKER_BUILDKIT: "1"
build-api:
  script:
    - cd services/api
    - docker build --build-arg NPM_TOKEN=$CI_NPM_TOKEN -t api .
build-web:
  script:
    - "echo building"
    - |
      docker build \\
        --build-arg NPM_TOKEN \\
        -t web services/web
`,
    expected: `variables:
  DOCKER_BUILDKIT: "1"
build-api:
  script:
    - cd services/api
    - docker build --secret id=npm_token,env=CI_NPM_TOKEN -t api .
build-web:
  script:
    - "echo building"
    - |
      docker build \\
        --secret id=npm_token,env=NPM_TOKEN \\
        -t web --secret id=npmrc,src=services/web/.npmrc services/web
`,
  },
  // ------------------------------------------------------------------ Jenkinsfile
  {
    name: "jenkins: GString environment variable rewritten; an expression is reported",
    path: "/repo/Jenkinsfile",
    input: `pipeline {
  agent any
  environment {
    NPM_TOKEN = credentials('npm-token')
  }
  stages {
    stage('build') {
      steps {
        sh "docker build --build-arg NPM_TOKEN=\${NPM_TOKEN} -t api services/api"
        sh '''
          docker build --build-arg NPM_TOKEN=$(cat .token) -t api services/api
        '''
      }
    }
  }
}
`,
    expected: `pipeline {
  agent any
  environment {
    NPM_TOKEN = credentials('npm-token')
  }
  stages {
    stage('build') {
      steps {
        sh "docker build --secret id=npm_token,env=NPM_TOKEN -t api services/api"
        sh '''
          docker build --build-arg NPM_TOKEN=$(cat .token) -t api services/api
        '''
      }
    }
  }
}
`,
    manual: [11],
  },
  // ------------------------------------------------------------------ bake HCL
  {
    name: "bake hcl: multi-line args and secret list; inherited args reported",
    path: "/repo/docker-bake.hcl",
    input: `variable "NPM_TOKEN" { default = "" }
variable "SENTRY" {}
target "_common" {
  args = {
    NPM_TOKEN = "\${NPM_TOKEN}"
  }
}
target "api" {
  inherits = ["_common"]
  context = "services/api"
}
target "web" {
  context = "./services/web"
  args = {
    "NPM_TOKEN" = "\${NPM_TOKEN}",
    SENTRY_AUTH_TOKEN = SENTRY, // bare variable
    BUILD_MODE = "prod"
  }
  secret = [
    "id=other,env=OTHER"
  ]
}
target "docs" {
  context = "docs"
  args = { NPM_TOKEN = "\${NPM_TOKEN}", X = "1" }
}
`,
    expected: `variable "NPM_TOKEN" { default = "" }
variable "SENTRY" {}
target "_common" {
  args = {
    NPM_TOKEN = "\${NPM_TOKEN}"
  }
}
target "api" {
  inherits = ["_common"]
  context = "services/api"
}
target "web" {
  context = "./services/web"
  args = {
    BUILD_MODE = "prod"
  }
  secret = [
    "id=other,env=OTHER",
    "id=npm_token,env=NPM_TOKEN",
    "id=sentry_auth_token,env=SENTRY",
    "id=npmrc,src=services/web/.npmrc",
  ]
}
target "docs" {
  context = "docs"
  args = { NPM_TOKEN = "\${NPM_TOKEN}", X = "1" }
}
`,
    manual: [3],
  },
  {
    name: "bake hcl: inline args, a literal value reported",
    path: "/repo/ci/images.hcl",
    input: `target "api" {
  context = "../services/api"
  args = { NODE_ENV = "production", NPM_TOKEN = "\${NPM_TOKEN}" }
}
target "web" {
  context = "../services/web"
  args = { NPM_TOKEN = "hard-coded" }
}
`,
    expected: `target "api" {
  context = "../services/api"
  args = { NODE_ENV = "production" }
  secret = ["id=npm_token,env=NPM_TOKEN"]
}
target "web" {
  context = "../services/web"
  args = { NPM_TOKEN = "hard-coded" }
}
`,
    manual: [7],
  },
  // ------------------------------------------------------------------ bake JSON
  {
    name: "bake json: tab indentation kept, secret placed where args was, literal reported",
    path: "/repo/docker-bake.json",
    input: `{
\t"target": {
\t\t"api": {
\t\t\t"context": "services/api",
\t\t\t"args": {
\t\t\t\t"NPM_TOKEN": "\${NPM_TOKEN}",
\t\t\t\t"NODE_ENV": "production"
\t\t\t},
\t\t\t"tags": [
\t\t\t\t"api:dev"
\t\t\t]
\t\t},
\t\t"web": {
\t\t\t"context": "services/web",
\t\t\t"args": {
\t\t\t\t"NPM_TOKEN": "literal"
\t\t\t}
\t\t}
\t}
}
`,
    expected: `{
\t"target": {
\t\t"api": {
\t\t\t"context": "services/api",
\t\t\t"args": {
\t\t\t\t"NODE_ENV": "production"
\t\t\t},
\t\t\t"secret": [
\t\t\t\t"id=npm_token,env=NPM_TOKEN"
\t\t\t],
\t\t\t"tags": [
\t\t\t\t"api:dev"
\t\t\t]
\t\t},
\t\t"web": {
\t\t\t"context": "services/web",
\t\t\t"args": {
\t\t\t\t"NPM_TOKEN": "literal"
\t\t\t}
\t\t}
\t}
}
`,
    manual: [16],
  },
  {
    name: "bake json: existing secret list extended, file secret added",
    path: "/repo/services/web.bake.json",
    input: `{
  "target": {
    "web": {
      "context": "web",
      "args": { "SENTRY_AUTH_TOKEN": "\${SENTRY_AUTH_TOKEN}" },
      "secret": ["id=other,env=OTHER"]
    }
  }
}`,
    expected: `{
  "target": {
    "web": {
      "context": "web",
      "secret": [
        "id=other,env=OTHER",
        "id=sentry_auth_token,env=SENTRY_AUTH_TOKEN",
        "id=npmrc,src=web/.npmrc"
      ]
    }
  }
}`,
  },
];

const crlf = (s: string): string => s.replace(/\n/g, "\r\n");

function checkParses(path: string, text: string): void {
  if (/\.ya?ml$/.test(path)) expect(parseDocument(text).errors).toEqual([]);
  if (/\.json$/.test(path)) expect(() => JSON.parse(text)).not.toThrow();
}

describe("rewriteCallSites", () => {
  describe.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const migrations = c.migrations ?? [API, WEB];
    const expected = c.expected === "same" ? c.input : c.expected;
    const manual = c.manual ?? [];

    it("gives the expected text and manual lines", () => {
      const r = rewriteCallSites(c.path, c.input, migrations, ROOT);
      if (expected === c.input && manual.length === 0) {
        expect(r).toBeNull();
        return;
      }
      expect(r).not.toBeNull();
      expect(r!.path).toBe(c.path);
      expect(r!.before).toBe(c.input);
      expect(r!.after).toBe(expected);
      expect(r!.manual.map((m) => m.line)).toEqual(manual);
      for (const m of r!.manual) expect(m.reason.length).toBeGreaterThan(10);
      if (expected !== c.input) expect(r!.changes.length).toBeGreaterThan(0);
      else expect(r!.changes).toEqual([]);
    });

    it("writes output that parses", () => {
      const r = rewriteCallSites(c.path, c.input, migrations, ROOT);
      checkParses(c.path, r?.after ?? c.input);
    });

    it("is idempotent", () => {
      const r = rewriteCallSites(c.path, c.input, migrations, ROOT);
      const out = r?.after ?? c.input;
      const again = rewriteCallSites(c.path, out, migrations, ROOT);
      if (again !== null) {
        expect(again.after).toBe(out);
        expect(again.changes).toEqual([]);
      }
    });

    it("keeps CRLF line ends", () => {
      const r = rewriteCallSites(c.path, crlf(c.input), migrations, ROOT);
      const out = r?.after ?? crlf(c.input);
      expect(out).toBe(crlf(expected));
      expect((r?.manual ?? []).map((m) => m.line)).toEqual(manual);
      checkParses(c.path, out);
    });
  });
});

describe("rewriteCallSites details", () => {
  it("keeps every comment of a compose file", () => {
    const c = cases[0]!;
    const r = rewriteCallSites(c.path, c.input, [API, WEB], ROOT)!;
    const comments = (s: string): string[] => s.split("\n").filter((l) => l.includes("#") && !l.includes("NPM_TOKEN")).map((l) => l.slice(l.indexOf("#")));
    expect(comments(r.after)).toEqual(comments(c.input));
    expect(comments(c.input).length).toBeGreaterThanOrEqual(3);
  });

  it("migrates only the arguments the rewrite removed", () => {
    const input = `#!/bin/sh
docker build --build-arg SENTRY_AUTH_TOKEN --build-arg NPM_TOKEN --build-arg GH_TOKEN -t api services/api
`;
    const r = rewriteCallSites("/repo/b.sh", input, [API, WEB], ROOT)!;
    expect(r.after).toBe(`#!/bin/sh
docker build --build-arg SENTRY_AUTH_TOKEN --secret id=npm_token,env=NPM_TOKEN --build-arg GH_TOKEN -t api services/api
`);
  });

  it("returns null for files that do not concern the migrations", () => {
    expect(rewriteCallSites("/repo/x.sh", "#!/bin/sh\necho hi\n", [API], ROOT)).toBeNull();
    expect(rewriteCallSites("/repo/README.md", "docker build --build-arg NPM_TOKEN services/api\n", [API], ROOT)).toBeNull();
    expect(rewriteCallSites("/repo/compose.yaml", "services: [\n", [API], ROOT)).toBeNull();
    expect(rewriteCallSites("/repo/x.sh", "docker build --build-arg NPM_TOKEN services/api\n", [], ROOT)).toBeNull();
  });

  it("accepts repo-relative paths and reports them as given", () => {
    const r = rewriteCallSites("scripts/b.sh", "#!/bin/sh\ndocker build --build-arg NPM_TOKEN ../services/api\n", [API], ROOT)!;
    expect(r.path).toBe("scripts/b.sh");
    expect(r.after).toBe("#!/bin/sh\ndocker build --secret id=npm_token,env=NPM_TOKEN ../services/api\n");
  });

  it("keeps a missing final newline", () => {
    const r = rewriteCallSites("/repo/compose.yaml", "services:\n  api:\n    build:\n      context: services/api\n      args:\n        - NPM_TOKEN", [API], ROOT)!;
    expect(r.after).toBe("services:\n  api:\n    build:\n      context: services/api\n      secrets:\n        - npm_token\nsecrets:\n  npm_token:\n    environment: NPM_TOKEN");
    expect(parseDocument(r.after).errors).toEqual([]);
    const s = rewriteCallSites("/repo/b.sh", "#!/bin/sh\ndocker build --build-arg NPM_TOKEN services/web", [WEB], ROOT)!;
    expect(s.after).toBe("#!/bin/sh\ndocker build --secret id=npm_token,env=NPM_TOKEN --secret id=npmrc,src=services/web/.npmrc services/web");
  });

  it("reports a one-line bake target instead of writing past its closing brace", () => {
    const input = 'target "web" { context = "services/web" }\n';
    const r = rewriteCallSites("/repo/docker-bake.hcl", input, [WEB], ROOT)!;
    expect(r.after).toBe(input);
    expect(r.manual.map((m) => m.line)).toEqual([1]);
  });

  it("does not move a quoted value that runs over lines into the command's environment (found by the fuzz run)", () => {
    const input = '#!/bin/sh\ndocker build --build-arg NPM_TOKEN="$T\ndocker build --build-arg NPM_TOKEN services/api" services/api\n';
    const r = rewriteCallSites("/repo/b.sh", input, [API], ROOT)!;
    expect(r.after).toBe(input);
    expect(r.manual.map((m) => m.line)).toEqual([2]);
  });

  it("reports a removed argument passed by a command it does not recognise", () => {
    const r = rewriteCallSites("/repo/b.sh", '#!/bin/sh\nbash -c "docker build --build-arg NPM_TOKEN services/api"\n', [API], ROOT)!;
    expect(r.after).toBe(r.before);
    expect(r.manual.map((m) => m.line)).toEqual([2]);
  });

  it.each([
    ["/repo/compose.yaml", "compose"],
    ["/repo/deploy/docker-compose.override.yml", "compose"],
    ["/repo/compose.prod.yaml", "compose"],
    ["/repo/.github/workflows/ci.yaml", "workflow"],
    ["/repo/.gitlab-ci.yml", "gitlab"],
    ["/repo/Jenkinsfile.release", "jenkins"],
    ["/repo/Makefile", "make"],
    ["/repo/mk/docker.mk", "make"],
    ["/repo/docker-bake.hcl", "bake-hcl"],
    ["/repo/docker-bake.json", "bake-json"],
    ["/repo/ci/x.bake.json", "bake-json"],
    ["/repo/run.sh", "shell"],
    ["/repo/package.json", null],
    ["/repo/.github/dependabot.yml", null],
    // Editor and patch leftovers are nobody's build (the same table as the Dockerfile walk's).
    ["/repo/Makefile.orig", null],
    ["/repo/Makefile.rej", null],
    ["/repo/docker-compose.yml.bak", null],
    ["/repo/build.sh~", null],
    ["/repo/.build.sh.swp", null],
    ["/repo/#build.sh#", null],
    ["/repo/.#Makefile", null],
  ])("classifies %s as %s", (p, kind) => {
    expect(callSiteKind(p)).toBe(kind);
  });

  it("classifies an extension-less shell script by its shebang", () => {
    expect(callSiteKind("/repo/bin/release", "#!/usr/bin/env bash\n")).toBe("shell");
    expect(callSiteKind("/repo/bin/tool", "#!/usr/bin/env python3\n")).toBeNull();
    expect(callSiteKind("/repo/bin/release~", "#!/usr/bin/env bash\n")).toBeNull();
  });

  it("the walk does not even collect a leftover, and a Dockerfile leftover is no Dockerfile", () => {
    for (const name of ["Makefile.orig", "release~", "#release#", ".#release", "compose.yaml.bak"]) expect(mayBeCallSite(name), name).toBe(false);
    for (const name of ["Makefile", "release", "compose.yaml"]) expect(mayBeCallSite(name), name).toBe(true);
    for (const name of ["Dockerfile.orig", "Dockerfile~", "#Dockerfile#", "api.Dockerfile.swo"]) expect(isDockerfileName(name), name).toBe(false);
  });

  it("says what confirms a candidate: its name, its first line, its whole text, or nothing", () => {
    expect(["/r/Makefile", "/r/bin/release", "/r/docker-bake.hcl", "/r/README.md", "/r/Dockerfile.sh"].map(callSiteEvidence)).toEqual([
      "name",
      "head",
      "text",
      "never",
      "never",
    ]);
    expect(isCallSiteText("/r/bin/release", "#!/bin/sh\ndocker build .\n")).toBe(true);
    expect(isCallSiteText("/r/bin/release", "ELF binary")).toBe(false);
    expect(isCallSiteText("/r/docker-bake.hcl", 'variable "x" {}\ntarget "api" {}\n')).toBe(true);
    expect(isCallSiteText("/r/main.hcl", 'resource "aws_instance" "x" {}\n')).toBe(false);
  });
});

describe("hard-coded values of removed arguments are reported with where they are spelled", () => {
  const spelled = (path: string, input: string, migrations: Migration[] = [API, WEB]): [string, string][] => {
    const r = rewriteCallSites(path, input, migrations, ROOT);
    expect(r).not.toBeNull();
    return r!.literals.map((l) => [r!.before.slice(l.start, l.end), l.value]);
  };

  it.each([
    ["plain", "docker build --build-arg NPM_TOKEN=abc123def services/api", [["abc123def", "abc123def"]]],
    ["quoted with an escape", 'docker build --build-arg "NPM_TOKEN=ab\\"c123" services/api', [['ab\\"c123', 'ab"c123']]],
    ["single-quoted value", "docker build --build-arg NPM_TOKEN='a b$c' services/api", [["'a b$c'", "a b$c"]]],
    ["--build-arg=", "docker build --build-arg=NPM_TOKEN=abc123def services/api", [["abc123def", "abc123def"]]],
    ["a default inside an expansion", "docker build --build-arg NPM_TOKEN=${X:-abc123def} services/api", [["abc123def", "abc123def"]]],
    ["in a command left for a person", "sudo docker build --build-arg NPM_TOKEN=abc123def services/api", [["abc123def", "abc123def"]]],
    ["in a quoted command", 'bash -c "docker build --build-arg NPM_TOKEN=abc123def services/api"', [["abc123def", "abc123def"]]],
    ["in a comment", "# docker build --build-arg NPM_TOKEN=abc123def services/api\ndocker build --build-arg NPM_TOKEN services/api", [["abc123def", "abc123def"]]],
    ["the assignment a rewrite left, on a later run", "NPM_TOKEN=abc123def docker build --secret id=npm_token,env=NPM_TOKEN -t a services/api\ndocker build --build-arg NPM_TOKEN services/api", [["abc123def", "abc123def"]]],
    ["a variable set to a literal and passed on", "T='abc123def'\ndocker build --build-arg NPM_TOKEN=$T services/api", [["abc123def", "abc123def"]]],
    ["of an argument no rewrite removed: not reported", "docker build --build-arg VERSION=abc123def --build-arg NPM_TOKEN services/api", []],
    ["a variable: not reported", 'docker build --build-arg NPM_TOKEN="$T" services/api', []],
  ])("shell: %s", (_name, line, want) => {
    expect(spelled("/repo/b.sh", `#!/bin/sh\n${line}\n`)).toEqual(want);
  });

  it("compose: map and list args, quoted, and a default; in a service that is not rewritten too", () => {
    const input = `services:
  api:
    build:
      context: services/api
      args:
        NPM_TOKEN: "abc123def"
  other:
    build:
      context: other
      args:
        - NPM_TOKEN=ghi456jkl
        - "SENTRY_AUTH_TOKEN=\${S:-mno789pqr}"
`;
    expect(spelled("/repo/compose.yaml", input)).toEqual([
      ["abc123def", "abc123def"],
      ["ghi456jkl", "ghi456jkl"],
      ["mno789pqr", "mno789pqr"],
    ]);
  });

  it("bake HCL: a literal arg and the default of the variable an arg reads", () => {
    const input = `variable "TOK" { default = "abc123def" }
target "api" {
  context = "services/api"
  args = {
    NPM_TOKEN = "\${TOK}"
  }
}
target "web" {
  context = "services/web"
  args = { SENTRY_AUTH_TOKEN = "ghi456jkl" }
}
`;
    expect(spelled("/repo/docker-bake.hcl", input)).toEqual([
      ["abc123def", "abc123def"],
      ["ghi456jkl", "ghi456jkl"],
    ]);
  });

  it("bake JSON and a build-push-action's build-args", () => {
    const json = `{"target": {"api": {"context": "services/api", "args": {"NPM_TOKEN": "abc\\u0031def"}}}}`;
    const r = rewriteCallSites("/repo/docker-bake.json", json, [API, WEB], ROOT)!;
    expect(r.literals.map((l) => l.value)).toEqual(["abc1def"]);
    const wf = `jobs:
  b:
    steps:
      - uses: docker/build-push-action@v6
        with:
          context: services/api
          build-args: |
            NPM_TOKEN=abc123def
`;
    expect(spelled("/repo/.github/workflows/b.yml", wf)).toEqual([["abc123def", "abc123def"]]);
  });
});
