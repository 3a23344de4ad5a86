#!/usr/bin/env bash
# The end-to-end figures of BENCHMARKS.md, in one run on this machine: raw JetStream publishes/s,
# the reducer alone (anonymous presses, and presses by 5,000 players), presses/s through the whole
# HTTP path, press → SSE at 5,000 presses/s, the fan-out to 1,000 and 10,000 SSE clients side by
# side with nginx + nchan (Debian's; `scripts/setup.sh --bench` installs it), 5,000
# presses/s under GAME.md's cooldowns, and the page (its WASM, and Chromium's time to a pressable
# button, when the binary comes from `cargo leptos build --release --precompress`). Everything
# runs here (loopback only) beside the load generator, on its own nats-server (temporary store;
# the version deployments run when `scripts/setup.sh --bench` installed it, see scripts/env.sh)
# and its own PostgreSQL databases, all removed at the end. Takes about two minutes.
#
#   cargo build -p server -p loadgen --profile server-release
#   scripts/bench.sh [path/to/the-button]      (default: the server-release build)
#
# With the page as well (the same server-release binary, and the release page beside it):
#   scripts/build-worker.sh && cargo leptos build --release --precompress \
#     && cargo build -p loadgen --profile server-release && scripts/bench.sh
#
# The load generator is the `loadgen` beside the binary; to compare two builds of the server
# under one load, give both runs the same one:
#   BUTTON_BENCH_LOADGEN=path/to/loadgen scripts/bench.sh path/to/other/the-button
#
# Where the CPU goes, for the figures that miss their goal: BENCH_PROFILE_DIR=dir samples the
# whole machine with perf (499 Hz, flat) during the reducer alone with players, the presses at
# 5,000/s and the fan-out to 10,000 clients, and writes each process's functions by self time
# to dir/PHASE-PROCESS.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
BIN="${1:-$TARGET_DIR/server-release/the-button}"
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build -p server -p loadgen --profile server-release"; exit 1; }
LOADGEN="${BUTTON_BENCH_LOADGEN:-$(dirname "$BIN")/loadgen}"
[ -x "$LOADGEN" ] || { echo "no load generator at $LOADGEN: cargo build -p loadgen --profile server-release"; exit 1; }
# 10,000 live clients need 10,000 sockets on each side.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -ge 10500 ] || echo "warning: ulimit -n is $(ulimit -n); 10,000 SSE clients need about 10,100 per process"

run="$(date +%s)_$$"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NATS_PORT="$(free_port)"
WEB_PORT="$(free_port)"
URL="http://127.0.0.1:$WEB_PORT"
export NATS_URL="nats://127.0.0.1:$NATS_PORT"
export BUTTON_RULES="server/bench-rules.json"
export BUTTON_TRUSTED_PROXIES="127.0.0.1"
export BUTTON_RATE_LIMIT_PER_SECOND=1000000 BUTTON_RATE_LIMIT_BURST=1000000
# The difficulty policy off: the load generator's players are a few /24s that would pay the
# flood's price (the policy has its own test, server/tests/integration/difficulty.rs).
export BUTTON_DIFFICULTY_GAME_LEVELS="" BUTTON_DIFFICULTY_NETWORK_LEVELS=""
export LEPTOS_OUTPUT_NAME=the-button LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:$WEB_PORT" LEPTOS_ENV=PROD
export BUTTON_POW_SECRET="bench-secret-$run-0123456789"
export RUST_LOG=warn
# PostgreSQL where scripts/services.sh says it is, else the standard place.
BUTTON_PG_URL="${BUTTON_PG_URL:-postgres://postgres@127.0.0.1:5432}"
databases=()
use_database() { export DATABASE_URL="$BUTTON_PG_URL/button_bench_$1_$run"; databases+=("button_bench_$1_$run"); }
psql_value() { psql -qAt "$DATABASE_URL" -c "$1" 2>/dev/null; }
pids=()
cleanup() {
  { kill -9 "${pids[@]}"; wait; } 2>/dev/null
  for db in "${databases[@]}"; do
    psql -q "$BUTTON_PG_URL/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  done
  rm -rf "$work"
}
trap cleanup EXIT
HZ="$(getconf CLK_TCK)"
PROFILE_DIR="${BENCH_PROFILE_DIR:-}"
[ -z "$PROFILE_DIR" ] || { mkdir -p "$PROFILE_DIR" && command -v perf >/dev/null; } || { echo "BENCH_PROFILE_DIR needs perf"; exit 1; }
# Starts sampling the machine for a phase (name); profile_stop writes each process's share:
# label=pid… (the game's processes), plus nats-server, PostgreSQL and the load generator by name.
profile_start() {
  [ -n "$PROFILE_DIR" ] || return 0
  perf record -a -F 499 -o "$PROFILE_DIR/$1.data" >"$PROFILE_DIR/$1.perf.log" 2>&1 & PERF_PID=$!
  sleep 0.5
}
profile_stop() {
  [ -n "$PROFILE_DIR" ] || return 0
  local name="$1" label pid; shift
  kill -INT "$PERF_PID" 2>/dev/null; wait "$PERF_PID" 2>/dev/null
  # Each process's samples as shares of its own: by binary (the kernel's share is its system
  # calls and network stack), then by function.
  report() {
    local out="$PROFILE_DIR/$name-$1.txt" all; shift
    all="$(perf report -i "$PROFILE_DIR/$name.data" --stdio --no-children --percentage relative \
      --sort dso,symbol "$@" 2>/dev/null | grep -v '^#' | grep -v '^$' | sed 's/  */ /g; s/ *$//; s/ - -$//')"
    { echo "$all" | awk '$1 ~ /%$/ { d[$2] += $1 } END { for (k in d) printf "%6.2f%% %s\n", d[k], k }' | sort -rn
      echo "--"
      echo "$all" | awk '$1 ~ /%$/ && $1 + 0 >= 0.3'; } >"$out"
  }
  for label_pid in "$@"; do
    label="${label_pid%%=*}"; pid="${label_pid#*=}"
    report "$label" --pid "$pid"
  done
  report nats-server --comms nats-server
  report postgres --comms postgres
  report loadgen --pid "$(pgrep -d, -x loadgen || echo 0)"
  report nginx --comms nginx
  perf report -i "$PROFILE_DIR/$name.data" --stdio --no-children --sort comm 2>/dev/null | grep -v '^#' | grep -v '^$' \
    | sed 's/  */ /g' | head -20 >"$PROFILE_DIR/$name-by-process.txt"
}
# CPU seconds (user + system) a process has used so far.
cpu() { awk -v hz="$HZ" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# ... all of PostgreSQL's processes, the backends that exited included.
pg_cpu() {
  local postmaster; postmaster="$(pgrep -o -x postgres)"
  { for p in $(pgrep -x postgres); do cat "/proc/$p/stat" 2>/dev/null; done; } | awk -v hz="$HZ" -v pm="$postmaster" \
    '{ t += $14 + $15; if ($1 == pm) t += $16 + $17 } END { printf "%.2f", t / hz }'
}
snapshot() { echo "$(cpu "$WEB_PID") $(cpu "$REDUCER_PID") $(cpu "$WATCHER_PID") $(cpu "$NATS_PID") $(pg_cpu)"; }
TIMEFORMAT='%3U %3S'
# Runs a load generator command, its report to $1.json and its CPU time to $1.time.
measure() {
  local name="$1" status; shift
  { time "$@" >"$work/$name.json" 2>"$work/$name.err"; } 2>"$work/$name.time"; status=$?
  [ "$status" -eq 0 ] || { echo "$name failed:"; cat "$work/$name.err"; }
  return "$status"
}
# CPU per unit of work of each process between two snapshots: name, units, before, after.
cpu_report() {
  local name="$1" units="$2"; read -r w0 r0 t0 n0 p0 <<<"$3"; read -r w1 r1 t1 n1 p1 <<<"$4"
  read -r lu ls <"$work/$name.time"
  awk -v u="$units" -v lg="$(calc "$lu + $ls")" -v w="$(calc "$w1 - $w0")" -v r="$(calc "$r1 - $r0")" \
    -v t="$(calc "$t1 - $t0")" -v n="$(calc "$n1 - $n0")" -v p="$(calc "$p1 - $p0")" 'BEGIN {
      tot = lg + w + r + t + n + p; if (u < 1) u = 1
      printf "cpu seconds: load generator %.1f, web %.1f, reducer %.1f, watcher %.1f, nats-server %.1f, PostgreSQL %.1f (total %.1f)\n", lg, w, r, t, n, p, tot
      printf "cpu µs per %s: load generator %.0f, web %.0f, reducer %.0f, nats-server %.0f, PostgreSQL %.0f, total %.0f\n", "'"${5:-press}"'", lg*1e6/u, w*1e6/u, r*1e6/u, n*1e6/u, p*1e6/u, tot*1e6/u }'
}
section() { printf '\n== %s\n' "$*"; }
calc() { awk "BEGIN { print $1 }"; }
wait_ready() {
  for _ in $(seq 1 150); do
    curl -fsS "$URL/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the game did not start"; exit 1
}

"$BENCH_NATS_SERVER" -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$work/nats" >"$work/nats.log" 2>&1 &
NATS_PID=$!; pids+=("$NATS_PID"); sleep 0.5
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(lscpu | sed -n 's/^Model name: *//p')"
echo "binary:  $BIN (load generator: $LOADGEN)"
echo "nats-server $("$BENCH_NATS_SERVER" --version | awk '{ print $NF }'), $(psql -V | awk '{ print "PostgreSQL " $3 }')"

section "raw: press payloads straight to JetStream (the ceiling)"
use_database raw
BUTTON_NAMESPACE="bench_raw" "$LOADGEN" --json raw --count 400000 --seconds 10 --in-flight 1000 | tee "$work/raw.json"
raw_rate=$(report_value "$work/raw.json" acked_per_second .0f)

# The reducer alone on 100,000 presses already waiting in the stream, from its start (connecting,
# the lock and the consumer included): prints and sets $reducer_alone_rate (events/s).
# Arguments: a name for the database and log, a namespace, then the load generator's raw options.
reducer_alone() {
  local name="$1" namespace="$2"; shift 2
  use_database "$name"
  export BUTTON_NAMESPACE="$namespace" BUTTON_REDUCER_BATCH_SIZE=500
  export BUTTON_REDUCER_BACKLOG_BATCH_SIZE="${BACKLOG_BATCH:-4000}"
  "$BIN" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }
  "$LOADGEN" raw --count 100000 --seconds 60 --in-flight 1000 "$@" >/dev/null
  local started applied=0 secs
  started=$(date +%s.%N)
  [ "$name" != players ] || profile_start reducer-players
  "$BIN" reducer >"$work/reducer-$name.log" 2>&1 & REDUCER_PID=$!; pids+=("$REDUCER_PID")
  # One psql for the whole wait, asked every 50 ms: a psql started for each look took 15 % of
  # the machine from the reducer (perf, in this phase).
  coproc POLL { psql -qAtX "$DATABASE_URL" 2>/dev/null; }
  for _ in $(seq 1 600); do
    # Applied and tallied: the reducer writes the leaderboards, the countries and the minutes'
    # players every few seconds (db/tally.rs); its work is done when no press is left out.
    echo "SELECT CASE WHEN EXISTS (SELECT 1 FROM presses WHERE seq > (SELECT through_seq FROM tallied))
          THEN 0 ELSE coalesce(max(counter), 0) END FROM states;" >&"${POLL[1]}"
    read -r -t 5 applied <&"${POLL[0]}" || break
    [ "${applied:-0}" -ge 100000 ] && break
    sleep 0.05
  done
  secs=$(calc "$(date +%s.%N) - $started")
  eval "exec ${POLL[1]}>&-"; wait "$POLL_PID" 2>/dev/null
  [ "$name" != players ] || profile_stop reducer-players reducer="$REDUCER_PID"
  kill "$REDUCER_PID" 2>/dev/null; wait "$REDUCER_PID" 2>/dev/null
  reducer_alone_rate=$(calc "int($applied / $secs)")
  echo "reducer ($name): $applied events applied in $(printf '%.2f' "$secs") s (from its start: connecting, lock, consumer included): $reducer_alone_rate events/s"
}

# PostgreSQL alone: what the reducer just wrote (every table of the game), copied into a new
# database of the same schema with COPY, in one transaction: the ceiling of the writes the
# reducer makes. Prints and sets $copy_rate (presses/s). Argument: a name for the database.
pg_ceiling() {
  local source="$DATABASE_URL" name="$1" presses started secs
  presses=$(psql_value "SELECT count(*) FROM presses")
  pg_dump --data-only --no-owner $(printf -- '-t %s ' rules states presses players player_flair \
    minutes minute_players moments scores country_days admin_actions) "$source" >"$work/copy.sql"
  use_database "$name"
  "$BIN" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }
  # The migrations seed the default rules: the copy brings the rules the game played by.
  psql_value "TRUNCATE rules CASCADE" >/dev/null
  copy_rate=0
  started=$(date +%s.%N)
  psql -q -v ON_ERROR_STOP=1 --single-transaction -f "$work/copy.sql" "$DATABASE_URL" >/dev/null \
    || { echo "the copy failed"; return 1; }
  secs=$(calc "$(date +%s.%N) - $started")
  copy_rate=$(calc "int($presses / $secs)")
  echo "PostgreSQL alone ($name): COPY of the same rows ($presses presses, $(wc -c <"$work/copy.sql") bytes) in $(printf '%.2f' "$secs") s: $copy_rate presses/s"
}

section "reducer alone: 100,000 anonymous presses waiting in the stream, batches of 500 always"
BACKLOG_BATCH=500 reducer_alone reducer500 bench_r500
reducer500_rate=$reducer_alone_rate

section "reducer alone: 100,000 anonymous presses waiting in the stream (batches of 4,000 while a backlog waits)"
reducer_alone reducer bench_red
reducer_rate=$reducer_alone_rate
pg_ceiling copy_red
reducer_copy_rate=$copy_rate

section "reducer alone, the presses by 5,000 players from five countries: 100,000 waiting, batches of 500 always"
BACKLOG_BATCH=500 reducer_alone players500 bench_p500 --players 5000
players500_rate=$reducer_alone_rate

section "reducer alone, the presses by 5,000 players from five countries: 100,000 waiting, the tally written with every batch"
BUTTON_REDUCER_TALLY_EVERY_MS=0 reducer_alone players_tally0 bench_pt0 --players 5000
players_tally0_rate=$reducer_alone_rate

section "reducer alone, the presses by 5,000 players from five countries: 100,000 waiting (batches of 4,000 while a backlog waits)"
reducer_alone players bench_pl --players 5000
players_rate=$reducer_alone_rate
pg_ceiling copy_pl
players_copy_rate=$copy_rate

section "the game: serve + reducer + watcher, one process each"
use_database game
export BUTTON_NAMESPACE="bench_game"
"$BIN" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }
"$BIN" serve >"$work/web.log" 2>&1 & WEB_PID=$!; pids+=("$WEB_PID")
"$BIN" reducer >"$work/reducer.log" 2>&1 & REDUCER_PID=$!; pids+=("$REDUCER_PID")
"$BIN" watcher >"$work/watcher.log" 2>&1 & WATCHER_PID=$!; pids+=("$WATCHER_PID")
wait_ready

section "the page: the hydrate WASM a first visit downloads, and Chromium's time to a pressable button"
# The page as players get it: a release build's (`cargo leptos build --release --precompress`,
# which builds this binary too and writes hash.txt beside it, naming the page's files, each with
# its brotli and gzip forms), timed by end2end/bench/time-to-pressable.mjs in Debian's Chromium
# on the idle game, before any load. Without such a page, or without Chromium, the phase is
# passed over and says why.
page_phase() {
  local hash wasm
  hash=$(sed -n 's/^wasm: *//p' "$(dirname "$BIN")/hash.txt" 2>/dev/null)
  wasm="target/site/pkg/the-button.$hash.wasm"
  if [ -z "$hash" ] || [ ! -f "$wasm.br" ]; then
    echo "passed over: no release page beside $BIN (cargo leptos build --release --precompress)"; return
  fi
  if ! command -v chromium >/dev/null || [ ! -d end2end/node_modules/playwright-core ]; then
    echo "passed over: no Chromium or no Playwright (scripts/setup.sh --browser)"; return
  fi
  wasm_bytes=$(stat -c %s "$wasm")
  wasm_gzip=$(gzip -9 -c "$wasm" | wc -c)
  wasm_brotli=$(stat -c %s "$wasm.br")
  echo "hydrate WASM $wasm: $wasm_bytes bytes; gzip -9 $wasm_gzip; brotli (what Chromium is sent) $wasm_brotli"
  node end2end/bench/time-to-pressable.mjs "$URL" 10 | tee "$work/page.txt"
  tail -n 1 "$work/page.txt" >"$work/page.json"
  first_pressable=$(report_value "$work/page.json" first.pressable_ms .0f)
  again_pressable=$(report_value "$work/page.json" again.pressable_ms .0f)
  first_kib=$(calc "int($(report_value "$work/page.json" first.bytes) / 1024)")
}
page_phase

section "presses, as many as possible (open loop at 30,000/s, 20,000 players)"
before="$(snapshot)"
measure max "$LOADGEN" --json press --url "$URL" --rate 30000 --seconds 10 --count 400000 --players 20000 --in-flight 2000
cat "$work/max.json"; echo
cpu_report max "$(report_value "$work/max.json" accepted)" "$before" "$(snapshot)"
max_rate=$(report_value "$work/max.json" accepted_per_second .0f)

section "presses at 5,000/s (5,000 players): 202 → state on SSE"
before="$(snapshot)"
profile_start presses-5k
measure 5k "$LOADGEN" --json press --url "$URL" --rate 5000 --seconds 10 --count 100000 --players 5000 --in-flight 2000
profile_stop presses-5k web="$WEB_PID" reducer="$REDUCER_PID"
cat "$work/5k.json"; echo
cpu_report 5k "$(report_value "$work/5k.json" accepted)" "$before" "$(snapshot)"
sse_p99=$(report_value "$work/5k.json" to_sse.p99_ms .1f)
requests_per_press=$(report_value "$work/5k.json" requests_per_press .2f)

section "presses at 5,000/s again, the reducer taking batches of 500 always (no backlog batches)"
kill "$REDUCER_PID" 2>/dev/null; wait "$REDUCER_PID" 2>/dev/null
BUTTON_REDUCER_BACKLOG_BATCH_SIZE=500 "$BIN" reducer >"$work/reducer-500.log" 2>&1 & REDUCER_PID=$!; pids+=("$REDUCER_PID")
sleep 2
before="$(snapshot)"
measure 5k500 "$LOADGEN" --json press --url "$URL" --rate 5000 --seconds 10 --count 100000 --players 5000 --in-flight 2000
cat "$work/5k500.json"; echo
cpu_report 5k500 "$(report_value "$work/5k500.json" accepted)" "$before" "$(snapshot)"
sse500_p99=$(report_value "$work/5k500.json" to_sse.p99_ms .1f)
kill "$REDUCER_PID" 2>/dev/null; wait "$REDUCER_PID" 2>/dev/null
"$BIN" reducer >"$work/reducer.log" 2>&1 & REDUCER_PID=$!; pids+=("$REDUCER_PID")
sleep 2

section "fan-out side by side: the game's web server and nginx + nchan, 10 states/s, 1,000 and 10,000 clients"
# The same client program (loadgen sse) on both, for 15 s; states come from second 3 to 13. The
# game's come from real presses (one state each, committed by the reducer); nchan's are the same
# states (the game's JSON, the same size) that the load generator POSTs to nchan's publisher. The
# game also sends each state's feed of the newest presses: its real work, counted in its CPU.
# nginx runs one worker per core, as the game's runtime runs a thread per core.
NCHAN_PORT="$(free_port)"
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<NGINX
load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 19000; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$NCHAN_PORT backlog=16384;
    location = /pub { nchan_publisher; nchan_channel_id states; nchan_message_buffer_length 20; nchan_message_timeout 60s; }
    location = /v1/states/stream {
      nchan_subscriber eventsource; nchan_channel_id states;
      nchan_eventsource_event state_update; nchan_subscriber_first_message newest;
    }
  }
}
NGINX
[ -f /usr/lib/nginx/modules/ngx_nchan_module.so ] || scripts/setup.sh --bench >/dev/null
/usr/sbin/nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" >"$work/nginx/stdout.log" 2>&1 &
NGINX_PID=$!; pids+=("$NGINX_PID")
for _ in $(seq 1 50); do curl -fsS -o /dev/null -X POST -d '{}' "http://127.0.0.1:$NCHAN_PORT/pub" 2>/dev/null && break; sleep 0.1; done
# CPU seconds of nginx: its master and workers.
nginx_cpu() { local t=0; for p in "$NGINX_PID" $(pgrep -P "$NGINX_PID"); do t=$(calc "$t + $(cpu "$p")"); done; echo "$t"; }
# Prints one side's line and sets $side_rate (deliveries/s), $side_p50, $side_p99, $side_cpu (µs
# per delivery): name, report, server CPU seconds.
side() {
  local name="$1" report="$2" seconds="$3" deliveries
  deliveries=$(report_value "$report" deliveries)
  side_rate=$(calc "int(${deliveries:-0} / 10)")
  side_p50=$(report_value "$report" delays.p50_ms .1f); side_p99=$(report_value "$report" delays.p99_ms .1f)
  side_cpu=$(calc "int(10 * $seconds * 1e6 / (${deliveries:-0} + 1)) / 10")
  printf '%-7s %s of %s deliveries (%s %%), %s/s; publish → client p50 %s ms, p99 %s ms; %s CPU s, %s µs per delivery\n' \
    "$name" "$deliveries" "$(report_value "$report" expected)" \
    "$(calc "int(1000 * ${deliveries:-0} / ($(report_value "$report" expected) + 1)) / 10")" \
    "$side_rate" "$side_p50" "$side_p99" "$seconds" "$side_cpu"
}
for clients in 1000 10000; do
  before="$(cpu "$WEB_PID")"
  measure "fanout-game-$clients" "$LOADGEN" --json sse --url "$URL" --clients "$clients" --seconds 15 &
  SSE_PID=$!; pids+=("$SSE_PID")
  sleep 3
  [ "$clients" != 10000 ] || profile_start fanout-10000
  "$LOADGEN" press --url "$URL" --rate 10 --seconds 10 --count 100 --players 100 --in-flight 10 >/dev/null
  [ "$clients" != 10000 ] || profile_stop fanout-10000 web="$WEB_PID" reducer="$REDUCER_PID"
  wait "$SSE_PID"
  game_cpu=$(calc "$(cpu "$WEB_PID") - $before")
  before="$(nginx_cpu)"
  profiler=""
  [ "$clients" != 10000 ] || { (sleep 3; profile_start fanout-nchan-10000; sleep 10; profile_stop fanout-nchan-10000) & profiler=$!; }
  measure "fanout-nchan-$clients" "$LOADGEN" --json sse --url "http://127.0.0.1:$NCHAN_PORT" \
    --publish "http://127.0.0.1:$NCHAN_PORT/pub" --rate 10 --clients "$clients" --seconds 15
  [ -z "$profiler" ] || wait "$profiler"
  nchan_cpu=$(calc "$(nginx_cpu) - $before")
  echo "-- $clients clients"
  side game "$work/fanout-game-$clients.json" "$game_cpu"
  eval "game_${clients}_rate=$side_rate game_${clients}_p50=$side_p50 game_${clients}_p99=$side_p99 game_${clients}_cpu=$side_cpu"
  side nchan "$work/fanout-nchan-$clients.json" "$nchan_cpu"
  eval "nchan_${clients}_rate=$side_rate nchan_${clients}_p50=$side_p50 nchan_${clients}_p99=$side_p99 nchan_${clients}_cpu=$side_cpu"
done
fanout_p99=$game_10000_p99

section "the real rules: GAME.md's cooldowns (3 s in CALM … 0.5 s in CHAOS), 5,000 presses/s by 18,000 players"
# A game of its own, whose rules differ from the others' only by the cooldowns: every press now
# reserves its player's cooldown in the shared bucket (a KV compare-and-set). Each player presses
# once every 3.6 s (18,000 players round-robin at 5,000/s), past the longest cooldown, so a 429
# here would be a bug, not the rules at work.
kill "$WEB_PID" "$REDUCER_PID" "$WATCHER_PID" 2>/dev/null; wait "$WEB_PID" "$REDUCER_PID" "$WATCHER_PID" 2>/dev/null
use_database cooldowns
export BUTTON_NAMESPACE="bench_cd" BUTTON_RULES="server/bench-rules-cooldowns.json"
"$BIN" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }
"$BIN" serve >"$work/web-cd.log" 2>&1 & WEB_PID=$!; pids+=("$WEB_PID")
"$BIN" reducer >"$work/reducer-cd.log" 2>&1 & REDUCER_PID=$!; pids+=("$REDUCER_PID")
"$BIN" watcher >"$work/watcher-cd.log" 2>&1 & WATCHER_PID=$!; pids+=("$WATCHER_PID")
wait_ready
before="$(snapshot)"
measure cd "$LOADGEN" --json press --url "$URL" --rate 5000 --seconds 10 --count 100000 --players 18000 --in-flight 2000
cat "$work/cd.json"; echo
cpu_report cd "$(report_value "$work/cd.json" accepted)" "$before" "$(snapshot)"
cd_rate=$(report_value "$work/cd.json" accepted_per_second .0f)
cd_p99=$(report_value "$work/cd.json" accept_latency.p99_ms .1f)
k5_p99=$(report_value "$work/5k.json" accept_latency.p99_ms .1f)

verdict() { if awk "BEGIN { exit !($1) }"; then echo "✔"; else echo "✘"; fi; }
section "summary"
ratio=$(calc "int(100 * ${max_rate:-0} / ${raw_rate:-1}) / 100")
printf '%-44s %s\n' "raw JetStream publishes/s" "${raw_rate:-?}"
printf '%-44s %s bytes gzip -9 %s (brotli, as sent: %s)\n' "hydrate WASM" "${wasm_gzip:-?}" \
  "$(verdict "${wasm_gzip:-999999} <= 300000")≤300KB" "${wasm_brotli:-?}"
printf '%-44s first visit %s ms (%s KiB), return visit %s ms\n' "Chromium: navigation → pressable button" \
  "${first_pressable:-?}" "${first_kib:-?}" "${again_pressable:-?}"
printf '%-44s %s  (%s × raw) %s %s\n' "accepted presses/s" "${max_rate:-?}" "$ratio" \
  "$(verdict "${max_rate:-0} >= 20000")≥20k/s" "$(verdict "$ratio >= 0.5")≥0.5×raw"
printf '%-44s %s ms  %s (batches of 500 always: %s ms)\n' "p99 202 → SSE at 5,000 presses/s" "${sse_p99:-?}" "$(verdict "${sse_p99:-9999} <= 50")≤50ms" "${sse500_p99:-?}"
printf '%-44s %s\n' "HTTP requests per press (5,000/s)" "${requests_per_press:-?}"
printf '%-44s %s ms  %s\n' "p99 commit → client, 10,000 SSE clients" "${fanout_p99:-?}" "$(verdict "${fanout_p99:-9999} <= 100")≤100ms"
for clients in 1000 10000; do
  eval "g_rate=\$game_${clients}_rate g_p50=\$game_${clients}_p50 g_p99=\$game_${clients}_p99 g_cpu=\$game_${clients}_cpu"
  eval "n_rate=\$nchan_${clients}_rate n_p50=\$nchan_${clients}_p50 n_p99=\$nchan_${clients}_p99 n_cpu=\$nchan_${clients}_cpu"
  printf '%-44s game %s/s p50 %s p99 %s ms %s µs; nchan %s/s p50 %s p99 %s ms %s µs  %s\n' \
    "fan-out at 10 states/s, $clients clients" "$g_rate" "$g_p50" "$g_p99" "$g_cpu" "$n_rate" "$n_p50" "$n_p99" "$n_cpu" \
    "$(verdict "${g_rate:-0} >= ${n_rate:-0} * 0.99 && ${g_p50:-9999} <= ${n_p50:-0} && ${g_p99:-9999} <= ${n_p99:-0} && ${g_cpu:-9999} <= ${n_cpu:-0}")≥nchan"
done
printf '%-44s %s/s, p99 sent → 202 %s ms (%s ms without)\n' "5,000/s with GAME.md's cooldowns" "${cd_rate:-?}" "${cd_p99:-?}" "${k5_p99:-?}"
printf '%-44s %s anonymous, %s by players\n' "reducer events/s, batches of 500 always" "$reducer500_rate" "$players500_rate"
printf '%-44s %s by players\n' "reducer events/s, the tally with every batch" "$players_tally0_rate"
printf '%-44s %s  (%s × raw) %s; PostgreSQL COPY of its rows %s/s (reducer at %s of it)\n' \
  "reducer events/s" "$reducer_rate" "$(calc "int(100 * $reducer_rate / ${raw_rate:-1}) / 100")" \
  "$(verdict "$reducer_rate >= ${raw_rate:-0}")≥raw" "$reducer_copy_rate" "$(calc "int(100 * $reducer_rate / $reducer_copy_rate) / 100")"
printf '%-44s %s  (%s × raw) %s; PostgreSQL COPY of its rows %s/s (reducer at %s of it)\n' \
  "reducer events/s, presses by 5,000 players" "$players_rate" "$(calc "int(100 * $players_rate / ${raw_rate:-1}) / 100")" \
  "$(verdict "$players_rate >= ${raw_rate:-0}")≥raw" "$players_copy_rate" "$(calc "int(100 * $players_rate / $players_copy_rate) / 100")"
