#!/usr/bin/env bash
# What `make bench` runs: every figure next to its baseline, in one run,
# then the table (bench/report). In-process figures are Go benchmarks in
# bench/; where a ratio is the figure, the two sides run in turns (separate
# processes, one after the other, BENCH_PAIRS times) so their medians are
# over interleaved pairs. The cold start and the idle window are the
# bench/coldstart harness watching the real binaries' frames on the X server
# (Xvfb, DAMAGE). Everything runs inside a private D-Bus session with a real
# gnome-keyring (scripts/with-keyring.sh), so the keychain figures are real.
#
# Output: the raw benchmark lines and the Markdown report in artifacts/bench/;
# the report is also printed. Takes about 6 minutes on 2 cores once Fyne's
# cgo GLFW driver is in the build cache (a first build adds about 5).
#
# BENCH_PAIRS (default 10) sets the interleaved pairs; BENCH_COUNT (default
# 5) the runs of the other figures. BENCH_QUICK=1 is a smoke test: 3 pairs,
# 2 runs, and 10 s instead of 60 s (steady state, idle window) and 20 s
# (renewals).
set -euo pipefail
cd "$(dirname "$0")/.."
# Fyne reads the locale from LANG; "C" (common in CI) makes it log an error.
case "${LANG:-C}" in C | C.* | POSIX) export LANG=en_US.UTF-8 ;; esac

if [ -z "${SIGNET_BENCH_INNER:-}" ]; then
  export SIGNET_BENCH_INNER=1
  exec scripts/with-keyring.sh "$0" "$@"
fi

COUNT=${BENCH_COUNT:-5}
PAIRS=${BENCH_PAIRS:-10}
STEADY=60 IDLE=60 RENEWAL=20
if [ "${BENCH_QUICK:-}" = 1 ]; then COUNT=2 PAIRS=3 STEADY=10 IDLE=10 RENEWAL=10; fi
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
printf 'BenchmarkBinarySize/%s \t1\t%d bytes\n' app "$(stat -c %s bin/signet)" bare "$(stat -c %s bin/bare)" >>"$RAW"

{
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr), $(go version | cut -d' ' -f3-)"
  echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), pairs: $PAIRS, other runs: $COUNT"
} | tee -a "$RAW" >&2

bench() { # regexp benchtime count
  bin/bench.test -test.run '^$' -test.bench "$1" -test.benchtime "$2" -test.count "$3" -test.benchmem=false |
    tee -a "$RAW" | grep -E '^Benchmark' >&2
}
pairs() { # regexp benchtime: PAIRS runs of every sub-benchmark, in turns
  for _ in $(seq "$PAIRS"); do bench "$1" "$2" 1; done
}

step "1. refresh coalescing (N = 10, 100, 1000; 50 ms refresh)"
bench '^BenchmarkRefreshCoalescing$' 3x "$COUNT"
step "3. transport overhead: raw net/http, x/oauth2, session (in turns)"
pairs '^BenchmarkTransportOverhead$' 0.2s
step "5. large lists (in turns)"
pairs '^BenchmarkLargeList$' 1x
pairs '^BenchmarkLargeListPeakRSS$' 1x
bench '^BenchmarkLargeListScroll$' 1x 3
# Loading all 1000 pages in the app's list takes ~9 s a run: 3 runs, not PAIRS.
bench '^BenchmarkListWindowRSS$' 1x 3
# The same once more, then idle for a minute as a window would (~2.5 min).
[ "${BENCH_QUICK:-}" = 1 ] || SIGNET_BENCH_SETTLED=1 bench '^BenchmarkListWindowRSS$' 1x 1
step "6. keychain cost (real gnome-keyring)"
bench '^BenchmarkKeychain$' 5x "$COUNT"
step "2. steady state: ${STEADY} s of polling, three sessions side by side"
SIGNET_BENCH_STEADY_SECONDS=$STEADY bench '^BenchmarkSteadyPolling$' 1x 1
step "2. 4 callers polling for ${RENEWAL} s across renewals of 5 s tokens (3 runs; the server in another process)"
SIGNET_BENCH_RENEWAL_SECONDS=$RENEWAL bench '^BenchmarkRenewalLatency$' 1x 3

step "4. cold start ($PAIRS pairs) and ${IDLE} s idle, frames watched on the X server (Xvfb)"
WORK=$(mktemp -d)
XVFB=""
cleanup() {
  if [ -n "$XVFB" ]; then kill "$XVFB" 2>/dev/null || true; wait "$XVFB" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
# -displayfd picks a free display number and reports it when ready.
# Wide enough for the app and the bare window side by side (idle figure).
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$WORK/display" 2>"$WORK/xvfb.log" &
XVFB=$!
for _ in $(seq 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
[ -s "$WORK/display" ] || { cat "$WORK/xvfb.log" >&2; echo "Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$(cat "$WORK/display")"
# A failure here still leaves the other figures' report ("not run" for these).
bin/coldstart -app bin/signet -bare bin/bare -runs "$PAIRS" -idle "${IDLE}s" -timeout 30s | tee -a "$RAW" >&2 ||
  echo "cold start: the harness failed (see above); its rows show as not run" >&2

step "report"
bin/bench-report <"$RAW" | tee "$ART/report.md"
