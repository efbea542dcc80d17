#!/usr/bin/env bash
# The main job: set up, then open the extension in a real VS Code (in the browser) on a dataset folder.
#   npm start                 a demo dataset the project generates (demo-dataset/)
#   npm start -- PATH         your own folder of class subfolders
# Prints the URL to open; Ctrl+C stops the server. XRAY_PORT (default 3100) and XRAY_HOST (default 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ "${1:-}" = "--" ] && shift
dataset=${1:-}
if [ -z "$dataset" ]; then
  dataset=$PWD/demo-dataset
  [ -f "$dataset/manifest.csv" ] || node out/scripts/makeDemoDataset.js "$dataset"
fi
exec node out/test/host/startWorkbench.js "$dataset"
