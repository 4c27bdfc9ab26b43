#!/usr/bin/env bash
# Release build, run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

NPM_TOKEN="$(cat "$HOME/.npm-token")" docker build --secret id=npm_token,env=NPM_TOKEN -t api:release --secret id=npmrc_api,src=services/api/.npmrc services/api
