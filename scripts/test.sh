#!/usr/bin/env bash
# `npm test`: set-up (idempotent), then the three tiers: unit (plain Node), integration (inside the extension host
# of a real VS Code), UI (Playwright on the workbench, and the packaged .vsix). Each tier runs even if an earlier one
# failed; then a check that no test wrote into ../shared (writable or not); the last line sums them up.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

status=0
summary=()
shared=$(cd "${XRAY_SHARED:-../shared}" 2>/dev/null && pwd) || shared=""
listing() { [ -n "$shared" ] && find "$shared" -printf '%p %s %T@ %m\n' | sort; }
before=$(mktemp); listing > "$before"
run_tier() {
  local name=$1; shift
  local log; log=$(mktemp)
  echo "=== $name tests ==="
  "$@" 2>&1 | tee "$log"
  local code=${PIPESTATUS[0]}
  [ "$code" -ne 0 ] && status=1
  summary+=("$name:$code:$log")
}
run_tier unit npm run --silent test:unit
run_tier integration npm run --silent test:integration
run_tier ui npm run --silent test:ui

# Hermetic: ../shared holds nothing new and nothing changed (tests open mirrors of it, never the folder itself).
hermetic_log=$(mktemp)
if [ -z "$shared" ]; then
  echo "shared: no ../shared (XRAY_SHARED) to check" > "$hermetic_log"; hermetic=1
elif diff <(cat "$before") <(listing) > "$hermetic_log"; then
  echo "  1 passing" >> "$hermetic_log"; hermetic=0
else
  echo "tests changed $shared:"; cat "$hermetic_log"; echo "  1 failing" >> "$hermetic_log"; hermetic=1; status=1
fi
summary+=("shared-untouched:$hermetic:$hermetic_log")
rm -f "$before"

passed=0; failed=0
echo "=== summary ==="
for entry in "${summary[@]}"; do
  IFS=: read -r name code log <<<"$entry"
  if [ "$name" = integration ]; then
    line=$(grep -E 'extension host: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line"); f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  else
    p=$(grep -Eo '^ *[0-9]+ passing' "$log" | tail -1 | grep -Eo '[0-9]+'); f=$(grep -Eo '^ *[0-9]+ failing' "$log" | tail -1 | grep -Eo '[0-9]+')
  fi
  p=${p:-0}; f=${f:-0}
  # A tier that failed without reporting a failing test (crashed, or ran nothing) counts as one failure.
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  [ "$p" -eq 0 ] && { f=$((f == 0 ? 1 : f)); status=1; }
  echo "$name: $p passed, $f failed"
  passed=$((passed + p)); failed=$((failed + f))
  rm -f "$log"
done
echo "tests: $passed passed, $failed failed"
exit $status
