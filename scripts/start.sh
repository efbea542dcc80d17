#!/usr/bin/env bash
# The main job: set up, then open the extension in a real VS Code (in the browser) on a dataset folder.
#   npm start                 a writable copy of the shipped demo (demo-dataset/: 36 real chest X-rays)
#   npm start -- PATH         your own folder of class subfolders
# The backbone is built in (models/), so Score Dataset and Retrain Model work with no setting.
# Prints the URL to open; Ctrl+C stops the server. XRAY_PORT (default 3100) and XRAY_HOST (default 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ "${1:-}" = "--" ] && shift
exec node out/test/host/startWorkbench.js "$@"
