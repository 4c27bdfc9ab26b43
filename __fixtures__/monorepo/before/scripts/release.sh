#!/usr/bin/env bash
# Release build, run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

docker build --build-arg NPM_TOKEN="$(cat "$HOME/.npm-token")" -t api:release services/api
