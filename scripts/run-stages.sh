#!/usr/bin/env bash
# Run each stage as `make STAGE`, JOBS stages at a time (in the order given: a stage starts when a
# running one ends), keep going after a failure, log each stage to LOGDIR/STAGE.log, and close with
# one line per stage (verdict, wall seconds, CPU seconds) plus the total and the test counts.
#
# With JOBS > 1 every stage gets its own build directory (STAGE_BUILD/STAGE, passed as BUILD=...):
# its own collection tree, ansible-test HOME and outputs, so two stages never write one tree or share
# ~/.ansible/test. Stage output goes to the log only; a failed stage's last lines are printed.
#
# A stage's verdict is its exit status: non-zero is FAIL. A stage that exited 0 after printing a line
# "SKIP-STAGE: reason" (not run, e.g. samples-contract in a plain clone) is NOT RUN with that reason;
# a stage that passed but printed "SKIP: reason" lines (a part was skipped) is PASS with those reasons.
# Exit status: 0 when no stage failed, 1 otherwise.
#
# A stage named in SOLO (e.g. bench-smoke, whose timings mean little beside a busy stage) waits until
# the running stages have ended; beside it run only the stages named in LIGHT (one process at a time
# each, e.g. lint), so it keeps a core to itself. A stage named in neither waits for it to end.
#
# Usage: [MAKE=make] [LOGDIR=build/logs] [JOBS=2] [STAGE_BUILD=build/stage] [SOLO="S1 S2"] [LIGHT="S3 S4"]
#        run-stages.sh STAGE...
set -uo pipefail

make_cmd=${MAKE:-make}
logdir=${LOGDIR:-build/logs}
jobs=${JOBS:-1}
stage_build=${STAGE_BUILD:-}
solo=" ${SOLO:-} "
light=" ${LIGHT:-} "
mkdir -p "$logdir"
rm -f "$logdir"/*.log "$logdir"/*.result

# run_stage STAGE: its output into LOGDIR/STAGE.log, "rc wall cpu" into LOGDIR/STAGE.result
run_stage() {
    local stage=$1 log="$logdir/$1.log" start rc elapsed cpu
    local -a build=()
    if [ "$jobs" -gt 1 ] && [ -n "$stage_build" ]; then build=("BUILD=$stage_build/$stage"); fi
    start=$(date +%s)
    # bash's `times`, second line: user and system time of the subshell's children (make and all below)
    run() { "$make_cmd" --no-print-directory "$stage" "${build[@]}"; rc=$?; times >"$logdir/$stage.cpu"; return "$rc"; }
    if [ "$jobs" -gt 1 ]; then
        (run) >"$log" 2>&1
        rc=$?
    else
        (run) 2>&1 | tee "$log"
        rc=${PIPESTATUS[0]}
    fi
    elapsed=$(( $(date +%s) - start ))
    cpu=$(sed -n 2p "$logdir/$stage.cpu" | tr 'ms' '  ' | awk '{ printf "%d", $1 * 60 + $2 + $3 * 60 + $4 }')
    echo "$rc $elapsed $cpu" >"$logdir/$stage.result"
    rm -f "$logdir/$stage.cpu"
    if [ "$jobs" -gt 1 ]; then
        if [ "$rc" -ne 0 ]; then
            echo "== $stage: FAILED (exit $rc) after ${elapsed}s; last lines of $log:"
            tail -n 30 "$log" | sed 's/^/   | /'
        else
            echo "== $stage: exit 0 after ${elapsed}s"
        fi
    fi
}

overall_start=$(date +%s)
# the stages running now: counted from the shell's job table (a `wait -n` may also report a job that
# ended before, so counting its returns can let a third stage start)
running() { jobs -rp | wc -l; }
solo_started=
for stage in "$@"; do
    if [ "$jobs" -gt 1 ] && [ -n "$solo_started" ] && [[ "$light" != *" $stage "* ]]; then
        wait; solo_started=  # a SOLO stage runs beside LIGHT stages only
    fi
    if [ "$jobs" -gt 1 ] && [[ "$solo" == *" $stage "* ]]; then
        wait
        echo "== $stage: started, beside light stages only (log: $logdir/$stage.log)"
        run_stage "$stage" &
        solo_started=1
    elif [ "$jobs" -gt 1 ]; then
        while [ "$(running)" -ge "$jobs" ]; do wait -n; done
        echo "== $stage: started (log: $logdir/$stage.log)"
        run_stage "$stage" &
    else
        echo
        echo "================================================================ $stage"
        run_stage "$stage"
    fi
done
wait

total=$(( $(date +%s) - overall_start ))
passed=0; failed=0; skipped=0; cpu_total=0
echo
echo "================================================================ summary ($jobs stage(s) at a time)"
printf '%-7s  %-16s %6s %6s\n' verdict stage wall cpu
for stage in "$@"; do
    log="$logdir/$stage.log"
    rc=1; elapsed=0; cpu=0
    if [ -f "$logdir/$stage.result" ]; then read -r rc elapsed cpu <"$logdir/$stage.result"; fi
    skips=$(grep -E '^SKIP(-STAGE)?:' "$log" 2>/dev/null | sed -E 's/^SKIP(-STAGE)?: *//' | paste -sd ';' - || true)
    if [ "$rc" -ne 0 ]; then
        result=FAIL; failed=$((failed + 1))
    elif grep -q '^SKIP-STAGE:' "$log"; then
        result="NOT RUN"; skipped=$((skipped + 1))
    else
        result=PASS; passed=$((passed + 1))
    fi
    cpu_total=$((cpu_total + cpu))
    line=$(printf '%-7s  %-16s %5ss %5ss' "$result" "$stage" "$elapsed" "$cpu")
    if [ "$result" = "NOT RUN" ]; then
        line="$line  ($skips)"
    elif [ -n "$skips" ]; then
        line="$line  (skipped: $skips)"
    fi
    if [ "$result" = FAIL ]; then
        line="$line  -> see $log"
    fi
    echo "$line"
done
echo "total time: ${total}s wall, ${cpu_total}s CPU (user + system, all stages) on $(nproc) CPU(s)"
echo "stages: $passed passed, $failed failed, $skipped not run"
# The test count over every pytest run of this `make test` (units, e2e), as the closing line.
count() {
    cat "$logdir"/*.log 2>/dev/null | grep -E '^=+ .* in [0-9.]+s' | grep -oE "[0-9]+ $1" \
        | awk '{ n += $1 } END { print n + 0 }'
}
echo "tests: $(count passed) passed, $(( $(count failed) + $(count error) )) failed, $(count skipped) skipped"
[ "$failed" -eq 0 ]
