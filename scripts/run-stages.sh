#!/usr/bin/env bash
# Run each stage as `make STAGE`, keep going after a failure, log each stage to
# build/logs/STAGE.log, and print one summary line per stage plus a closing count.
# A stage that printed a line "SKIP-STAGE: reason" (not run, e.g. samples-contract in a plain clone)
# is reported as NOT RUN with that reason; a stage
# that passed but printed "SKIP: reason" lines (a part was skipped) is PASS with those reasons.
# Exit status: 0 when no stage failed, 1 otherwise.
set -uo pipefail

make_cmd=${MAKE:-make}
logdir=${LOGDIR:-build/logs}
mkdir -p "$logdir"

declare -a names results times notes
overall_start=$(date +%s)

for stage in "$@"; do
    log="$logdir/$stage.log"
    echo
    echo "================================================================ $stage"
    start=$(date +%s)
    "$make_cmd" --no-print-directory "$stage" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    elapsed=$(( $(date +%s) - start ))
    skips=$(grep -E '^SKIP(-STAGE)?:' "$log" | sed -E 's/^SKIP(-STAGE)?: *//' | paste -sd ';' - || true)
    if [ "$rc" -ne 0 ]; then
        result=FAIL
    elif grep -q '^SKIP-STAGE:' "$log"; then
        result="NOT RUN"
    else
        result=PASS
    fi
    names+=("$stage"); results+=("$result"); times+=("$elapsed"); notes+=("$skips")
done

total=$(( $(date +%s) - overall_start ))
passed=0; failed=0; skipped=0
echo
echo "================================================================ summary"
for i in "${!names[@]}"; do
    case "${results[$i]}" in
        PASS) passed=$((passed + 1)) ;;
        FAIL) failed=$((failed + 1)) ;;
        "NOT RUN") skipped=$((skipped + 1)) ;;
    esac
    line=$(printf '%-7s  %-16s %5ss' "${results[$i]}" "${names[$i]}" "${times[$i]}")
    if [ "${results[$i]}" = "NOT RUN" ]; then
        line="$line  (${notes[$i]})"
    elif [ -n "${notes[$i]}" ]; then
        line="$line  (skipped: ${notes[$i]})"
    fi
    if [ "${results[$i]}" = FAIL ]; then
        line="$line  -> see $logdir/${names[$i]}.log"
    fi
    echo "$line"
done
echo "total time: ${total}s"
echo "stages: $passed passed, $failed failed, $skipped not run"
# The test count over every pytest run of this `make test` (units, e2e), as the closing line.
count() {
    cat "$logdir"/*.log 2>/dev/null | grep -E '^=+ .* in [0-9.]+s' | grep -oE "[0-9]+ $1" \
        | awk '{ n += $1 } END { print n + 0 }'
}
echo "tests: $(count passed) passed, $(( $(count failed) + $(count error) )) failed, $(count skipped) skipped"
[ "$failed" -eq 0 ]
