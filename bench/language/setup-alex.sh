#!/bin/sh
# Install the npm package alex (pinned in package.json) into bench/language/node_modules, for
# the comparisons in quality.py and speed.py. Needs node and npm on PATH.
set -eu
cd "$(dirname "$0")"
npm install --no-audit --no-fund --loglevel=error
node -e "import('alex').then(() => console.log('alex ready'))"
