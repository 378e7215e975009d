#!/usr/bin/env bash
# What `make bench` runs: every figure of issue 5 next to its baseline, in one
# run, then the table (bench/report). In-process figures are Go benchmarks in
# bench/ (run with -count for median and spread); the cold start is the
# bench/coldstart harness timing the real binary under Xvfb. Everything runs
# inside a private D-Bus session with a real gnome-keyring
# (scripts/with-keyring.sh), so the keychain figures are real.
#
# Output: the raw benchmark lines and the Markdown report in artifacts/bench/;
# the report is also printed. Takes about 4 minutes on 2 cores once Fyne's
# cgo GLFW driver is in the build cache (a first build adds about 5).
#
# BENCH_COUNT (default 5) sets the runs per figure; BENCH_QUICK=1 shortens
# the 60 s steady-state run to 10 s and the counts to 2, for a smoke test.
set -euo pipefail
cd "$(dirname "$0")/.."
# Fyne reads the locale from LANG; "C" (common in CI) makes it log an error.
case "${LANG:-C}" in C | C.* | POSIX) export LANG=en_US.UTF-8 ;; esac

if [ -z "${SIGNET_BENCH_INNER:-}" ]; then
  export SIGNET_BENCH_INNER=1
  exec scripts/with-keyring.sh "$0" "$@"
fi

COUNT=${BENCH_COUNT:-5}
STEADY=60
if [ "${BENCH_QUICK:-}" = 1 ]; then COUNT=2; STEADY=10; fi
ART=artifacts/bench
RAW=$ART/raw.txt
mkdir -p "$ART" bin
: >"$RAW"

step() { printf '\n== %s\n' "$*" >&2; }

step "building: the app and the bare Fyne window the same way (cgo, GLFW), the benchmarks"
go build -trimpath -o bin/signet .
go build -trimpath -o bin/bare ./bench/coldstart/bare
go build -trimpath -o bin/coldstart ./bench/coldstart
go build -trimpath -o bin/bench-report ./bench/report
go test -c -o bin/bench.test ./bench

{
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr), $(go version | cut -d' ' -f3-)"
  echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), runs per figure: $COUNT"
} | tee -a "$RAW" >&2

bench() { # regexp benchtime count
  bin/bench.test -test.run '^$' -test.bench "$1" -test.benchtime "$2" -test.count "$3" -test.benchmem=false |
    tee -a "$RAW" | grep -E '^Benchmark' >&2
}

step "1. refresh coalescing (N = 10, 100, 1000; 50 ms refresh)"
bench '^BenchmarkRefreshCoalescing$' 5x "$COUNT"
step "3. transport overhead"
bench '^BenchmarkTransportOverhead$' 0.5s "$COUNT"
step "5. large lists"
bench '^BenchmarkLargeList$' 3x "$COUNT"
bench '^BenchmarkLargeListScroll$' 1x 3
bench '^BenchmarkLargeListPeakRSS$' 1x "$COUNT"
step "6. keychain cost (real gnome-keyring)"
bench '^BenchmarkKeychain$' 5x "$COUNT"
step "2. steady state: ${STEADY} s of polling, three sessions side by side"
SIGNET_BENCH_STEADY_SECONDS=$STEADY bench '^BenchmarkSteadyPolling$' 1x 1

step "4. cold start under Xvfb"
WORK=$(mktemp -d)
XVFB=""
cleanup() {
  if [ -n "$XVFB" ]; then kill "$XVFB" 2>/dev/null || true; wait "$XVFB" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
# -displayfd picks a free display number and reports it when ready.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/display" 2>"$WORK/xvfb.log" &
XVFB=$!
for _ in $(seq 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
[ -s "$WORK/display" ] || { cat "$WORK/xvfb.log" >&2; echo "Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$(cat "$WORK/display")"
# A failure here still leaves the other figures' report ("not run" for these).
bin/coldstart -app bin/signet -bare bin/bare -runs "$COUNT" -timeout 30s | tee -a "$RAW" >&2 ||
  echo "cold start: the harness failed (see above); its rows show as not run" >&2

step "report"
bin/bench-report <"$RAW" | tee "$ART/report.md"
