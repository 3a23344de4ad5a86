#!/usr/bin/env bash
# The soak (not in the test command): 20 minutes at 2,000 presses/s with 2,000 live SSE clients,
# on this machine, beside the load generator, on a nats-server and a PostgreSQL database of its
# own (removed at the end). Passes when every 202 is in PostgreSQL exactly once, no refused press
# was taken, no client lost its stream, and the resident memory of every process of the game
# grew less than 10 % from the end of the warm-up (5 minutes) to the end (nats-server, whose Go
# heap has a soft limit: or stayed within that limit + 10 %).
#
#   cargo build -p server -p loadgen --profile server-release
#   scripts/soak.sh [path/to/the-button]          SOAK_SECONDS=120 for a short trial
#   SOAK_PROFILE_DIR=/tmp/soak scripts/soak.sh     and where the memory is: nats-server's Go heap
#       at the end of the warm-up and at the end (read with `go tool pprof -top [-base …]`), and
#       the reducer's allocator statistics when it stops (mimalloc's: in use, peak, committed)
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
BIN="${1:-$TARGET_DIR/server-release/the-button}"
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build -p server -p loadgen --profile server-release"; exit 1; }
LOADGEN="${BUTTON_BENCH_LOADGEN:-$(dirname "$BIN")/loadgen}"
[ -x "$LOADGEN" ] || { echo "no load generator at $LOADGEN"; exit 1; }
SECONDS_TOTAL="${SOAK_SECONDS:-1200}"
# The warm-up: a quarter of the run, and at least the events stream's duplicate window (2 min),
# before which the stream (and nats-server with it) still grows by design.
WARM_UP=$(( SECONDS_TOTAL / 4 > 150 ? SECONDS_TOTAL / 4 : 150 ))
# nats-server's Go heap, softly limited as deploy/kubernetes/10-nats.yaml does: without it Go
# gives memory back late, and the soak would measure that rather than a leak. With it Go lets
# the heap grow up to the limit before it collects hard, so nats-server is flat when it stays
# within the limit (+10 %) after the warm-up, or grows less than 10 %.
NATS_MEMLIMIT_MIB="${SOAK_NATS_MEMLIMIT_MIB:-256}"
NATS_MEMLIMIT="${NATS_MEMLIMIT_MIB}MiB"
RATE="${SOAK_RATE:-2000}"
CLIENTS="${SOAK_CLIENTS:-2000}"
ulimit -n 65536 2>/dev/null || true

run="$(date +%s)_$$"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NATS_PORT="$(free_port)"
MONITOR_PORT="$(free_port)"
WEB_PORT="$(free_port)"
URL="http://127.0.0.1:$WEB_PORT"
export NATS_URL="nats://127.0.0.1:$NATS_PORT"
export BUTTON_RULES="server/bench-rules.json"
export BUTTON_TRUSTED_PROXIES="127.0.0.1"
export BUTTON_RATE_LIMIT_PER_SECOND=1000000 BUTTON_RATE_LIMIT_BURST=1000000
# As in scripts/bench.sh: the load generator's players are a few networks.
export BUTTON_DIFFICULTY_GAME_LEVELS="" BUTTON_DIFFICULTY_NETWORK_LEVELS=""
export LEPTOS_OUTPUT_NAME=the-button LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:$WEB_PORT" LEPTOS_ENV=PROD
export BUTTON_POW_SECRET="soak-secret-$run-0123456789"
export BUTTON_NAMESPACE="soak_$run"
export RUST_LOG=warn
BUTTON_PG_URL="${BUTTON_PG_URL:-postgres://postgres@127.0.0.1:5432}"
export DATABASE_URL="$BUTTON_PG_URL/button_soak_$run"
pids=()
cleanup() {
  { kill -9 "${pids[@]}"; wait; } 2>/dev/null
  psql -q "$BUTTON_PG_URL/postgres" -c "DROP DATABASE IF EXISTS button_soak_$run WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
# Resident memory of a process, in KiB.
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# ... of which anonymous (the heap, stacks): RSS also counts the pages of the binary's code as it
# is first run (file-backed, shared, given back under pressure), which grow with new code paths.
anon() { awk '/^RssAnon:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

PROFILE_PORT="$(free_port)"
GOMEMLIMIT="$NATS_MEMLIMIT" "$BENCH_NATS_SERVER" -a 127.0.0.1 -p "$NATS_PORT" -m "$MONITOR_PORT" -js \
  ${SOAK_PROFILE_DIR:+--profile "$PROFILE_PORT"} -sd "$work/nats" >"$work/nats.log" 2>&1 &
NATS_PID=$!; pids+=("$NATS_PID"); sleep 0.5
"$BIN" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }
"$BIN" serve >"$work/web.log" 2>&1 & WEB_PID=$!; pids+=("$WEB_PID")
PROFILE_DIR="${SOAK_PROFILE_DIR:-}"
[ -z "$PROFILE_DIR" ] || mkdir -p "$PROFILE_DIR"
# The reducer's allocator is mimalloc (compiled in: heaptrack and the like do not see it), which
# prints what it holds when the process ends.
if [ -n "$PROFILE_DIR" ]; then export MIMALLOC_SHOW_STATS=1; fi
"$BIN" reducer >"$work/reducer.log" 2>&1 & REDUCER_PID=$!; pids+=("$REDUCER_PID")
unset MIMALLOC_SHOW_STATS
"$BIN" watcher >"$work/watcher.log" 2>&1 & WATCHER_PID=$!; pids+=("$WATCHER_PID")
for _ in $(seq 1 150); do curl -fsS "$URL/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$URL/health/ready" >/dev/null || { echo "the game did not start"; cat "$work/web.log"; exit 1; }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); binary $BIN"
echo "nats-server $("$BENCH_NATS_SERVER" --version | awk '{ print $NF }') ($BENCH_NATS_SERVER), $(psql -V | awk '{ print "PostgreSQL " $3 }')"
echo "soak: $SECONDS_TOTAL s at $RATE presses/s with $CLIENTS live clients (warm-up $WARM_UP s, nats-server GOMEMLIMIT $NATS_MEMLIMIT)"
"$LOADGEN" --json sse --url "$URL" --clients "$CLIENTS" --seconds "$(( SECONDS_TOTAL + 10 ))" >"$work/sse.json" 2>"$work/sse.err" &
SSE_PID=$!; pids+=("$SSE_PID")
sleep 3
"$LOADGEN" --json press --url "$URL" --rate "$RATE" --seconds "$SECONDS_TOTAL" --count 100000000 \
  --players 20000 --in-flight 1000 >"$work/press.json" 2>"$work/press.err" &
PRESS_PID=$!; pids+=("$PRESS_PID")

# The events stream as nats-server's monitoring port tells it: messages and bytes held (what
# the reducer has not trimmed yet).
stream_held() {
  curl -fsS "http://127.0.0.1:$MONITOR_PORT/jsz?streams=true" 2>/dev/null | python3 -c '
import json, sys
try:
    jsz = json.load(sys.stdin)
    streams = [s for a in jsz.get("account_details", []) for s in a.get("stream_detail", [])]
    events = [s["state"] for s in streams if s["name"].endswith("_EVENTS")]
    print(events[0]["messages"], events[0]["bytes"] // 1024) if events else print("? ?")
except Exception:
    print("? ?")'
}
# What nats-server holds for its clients: the bytes queued to every connection and not yet
# written (a client that reads slower than it is sent to), and the slow consumers it counted.
clients_pending() {
  python3 - "http://127.0.0.1:$MONITOR_PORT" <<'PY'
import json, sys, urllib.request
try:
    get = lambda path: json.load(urllib.request.urlopen(sys.argv[1] + path, timeout=5))
    connz, varz = get("/connz?limit=1024"), get("/varz")
    print(sum(c.get("pending_bytes", 0) for c in connz.get("connections", [])) // 1024, varz.get("slow_consumers", 0))
except Exception:
    print("? ?")
PY
}
# Memory every 30 s: seconds, web, reducer, watcher, nats-server (KiB), the stream's size (its
# growth in nats-server's memory is the first thing to rule in or out), then what nats-server
# queues for its clients.
echo "seconds web_kib reducer_kib watcher_kib nats_kib stream_messages stream_kib nats_pending_kib slow_consumers web_anon_kib reducer_anon_kib watcher_anon_kib nats_anon_kib" >"$work/rss.txt"
started=$(date +%s)
heap_taken=""
# nats-server's Go heap (in use, by allocating function), as pprof reads it.
nats_heap() { curl -fsS -o "$PROFILE_DIR/nats-heap-$1.pb.gz" "http://127.0.0.1:$PROFILE_PORT/debug/pprof/heap" || echo "no heap profile"; }
while kill -0 "$PRESS_PID" 2>/dev/null; do
  if [ -n "$PROFILE_DIR" ] && [ -z "$heap_taken" ] && [ $(( $(date +%s) - started )) -ge "$WARM_UP" ]; then
    nats_heap warm; heap_taken=1
  fi
  echo "$(( $(date +%s) - started )) $(rss "$WEB_PID") $(rss "$REDUCER_PID") $(rss "$WATCHER_PID") $(rss "$NATS_PID") $(stream_held) $(clients_pending) $(anon "$WEB_PID") $(anon "$REDUCER_PID") $(anon "$WATCHER_PID") $(anon "$NATS_PID")" >>"$work/rss.txt"
  sleep 30
done
wait "$PRESS_PID"; press_status=$?
wait "$SSE_PID"; sse_status=$?
if [ -n "$PROFILE_DIR" ]; then
  nats_heap end
  # A clean stop, so that mimalloc prints its statistics.
  kill -TERM "$REDUCER_PID" 2>/dev/null
  for _ in $(seq 1 300); do kill -0 "$REDUCER_PID" 2>/dev/null || break; sleep 0.1; done
  cp "$work/rss.txt" "$PROFILE_DIR/rss.txt"
  grep -v '^{' "$work/reducer.log" >"$PROFILE_DIR/reducer-mimalloc.txt"
  curl -fsS "http://127.0.0.1:$MONITOR_PORT/varz" >"$PROFILE_DIR/nats-varz.json" 2>/dev/null
  echo "profiles in $PROFILE_DIR: $(ls "$PROFILE_DIR" | tr '\n' ' ')"
fi
cat "$work/rss.txt"
cat "$work/press.json"; echo
cat "$work/sse.json"; echo

failed=0
[ "$press_status" -eq 0 ] || { echo "FAIL the presses: $(cat "$work/press.err")"; failed=1; }
[ "$sse_status" -eq 0 ] || { echo "FAIL the live clients: $(cat "$work/sse.err")"; failed=1; }
held=$(report_value "$work/sse.json" held); asked=$(report_value "$work/sse.json" clients)
[ "${held:-0}" = "${asked:-x}" ] || { echo "FAIL $held of $asked live clients held to the end"; failed=1; }
# Growth of each process from the first sample after the warm-up to the last.
python3 - "$work/rss.txt" "$WARM_UP" "$NATS_MEMLIMIT_MIB" <<'EOF' || failed=1
import sys
rows = [list(map(int, line.split()[:5])) for line in open(sys.argv[1]).read().split("\n")[1:] if line.strip()]
warm = [r for r in rows if r[0] >= int(sys.argv[2])]
if len(warm) < 2:
    print("FAIL too few memory samples after the warm-up"); sys.exit(1)
bad = False
for i, name in enumerate(["web", "reducer", "watcher", "nats-server"], start=1):
    first, last = warm[0][i], warm[-1][i]
    growth = (last - first) / max(first, 1)
    ok = growth < 0.10
    within = ""
    if name == "nats-server" and not ok:
        limit = int(sys.argv[3]) * 1024
        ok = max(r[i] for r in warm) <= limit * 1.1
        within = f"; at most {max(r[i] for r in warm) / 1024:.1f} MiB, within its {limit / 1024:.0f} MiB limit + 10 %: {'yes' if ok else 'no'}"
    bad |= not ok
    print(f"{'PASS' if ok else 'FAIL'} {name}: {first / 1024:.1f} → {last / 1024:.1f} MiB after the warm-up ({growth:+.1%}{within})")
anon_rows = [list(line.split()) for line in open(sys.argv[1]).read().split("\n")[1:] if line.strip()]
anon_warm = [r for r in anon_rows if int(r[0]) >= int(sys.argv[2]) and len(r) >= 13 and r[9].isdigit()]
if len(anon_warm) >= 2:
    print("anonymous memory (heap, stacks), for the record: " + ", ".join(
        f"{name} {int(anon_warm[0][i]) / 1024:.1f} → {int(anon_warm[-1][i]) / 1024:.1f} MiB"
        for i, name in enumerate(["web", "reducer", "watcher", "nats-server"], start=9)))
sys.exit(1 if bad else 0)
EOF
errors=$(grep -ciE ' (error|panicked)' "$work/web.log" "$work/reducer.log" "$work/watcher.log" | awk -F: '{ s += $2 } END { print s + 0 }')
[ "$errors" -eq 0 ] || { echo "FAIL $errors errors in the game's logs:"; grep -hiE ' (error|panicked)' "$work"/*.log | head -20; failed=1; }
[ "$failed" -eq 0 ] && echo "soak: PASS" || echo "soak: FAIL"
exit "$failed"
