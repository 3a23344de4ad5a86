# shellcheck shell=bash
# Sourced by the scripts: makes sure PostgreSQL and NATS (with JetStream) answer, and exports
# where for the rest of the script: BUTTON_PG_URL (postgres://postgres@127.0.0.1:PORT, without a
# database name) and NATS_URL (nats://127.0.0.1:PORT).
#
# They are wanted on 127.0.0.1, ports BUTTON_PG_PORT (5432) and BUTTON_NATS_PORT (4222). What
# answers there is used as it is. When nothing does: on the standard port, the machine's own
# service is started the way Debian installs it; failing that (or on another port), the package is
# installed from Debian if missing and a private one is started for this checkout, its data under
# BUTTON_SERVICES_DIR (.services/, git-ignored), on the wanted port or, when something else holds
# that one, on the next free port. A private one left running by an earlier run is used again.
# stop_private_services stops what this shell started, and only that.
services_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUTTON_PG_PORT="${BUTTON_PG_PORT:-5432}"
BUTTON_NATS_PORT="${BUTTON_NATS_PORT:-4222}"
BUTTON_SERVICES_DIR="${BUTTON_SERVICES_DIR:-$services_root/.services}"

reachable() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
services_say() { printf '\033[1m%s\033[0m\n' "$*" >&2; }
services_error() { printf '\033[1;31m%s\033[0m\n' "$*" >&2; }
# Retries a command every 0.2 s, up to COUNT times.
services_wait() { # count command...
  local count="$1"; shift
  for _ in $(seq 1 "$count"); do "$@" && return 0; sleep 0.2; done
  return 1
}

# Debian packages, as scripts/setup.sh installs them (apt-get through sudo when not root; once
# more on failure, since dpkg sometimes loses a downloaded file on a busy machine).
services_apt_install() {
  command -v apt-get >/dev/null || { services_error "No apt-get here: install $* yourself."; return 1; }
  services_say "installing $* (Debian)"
  local sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  if [ -z "${services_apt_updated:-}" ]; then "${sudo[@]}" apt-get update -qq || return 1; services_apt_updated=1; fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    || "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# The wanted port if nothing listens on it, else the next free one above it.
services_free_port() { # wanted
  local port="$1"
  while reachable 127.0.0.1 "$port"; do
    port=$((port + 1))
    [ "$port" -le $(($1 + 100)) ] || return 1
  done
  echo "$port"
}

# Whether the process PID runs the program NAME (a pid file can outlive its process, and its
# number be given to another), an exited one not yet reaped (a zombie) excluded.
services_runs() { # pid name
  [ -n "$1" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] \
    && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# ---- PostgreSQL

services_pg_data="$BUTTON_SERVICES_DIR/postgres"

# 0 when PostgreSQL takes connections on the port, 1 when it answers but does not yet (starting
# up), 2 when nothing that speaks PostgreSQL answers. pg_isready when it is there; else a bare
# SSLRequest, which any PostgreSQL answers with one byte (S or N).
pg_state() { # port
  if command -v pg_isready >/dev/null; then
    local status=0
    pg_isready -q -h 127.0.0.1 -p "$1" -U postgres -d postgres -t 3 || status=$?
    case "$status" in 0 | 1) return "$status" ;; *) return 2 ;; esac
  fi
  local reply
  reply="$( { exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf '\x00\x00\x00\x08\x04\xd2\x16\x2f' >&3
    IFS= read -r -n 1 -t 3 reply <&3 || exit 1
    printf '%s' "$reply"; } 2>/dev/null)"
  case "$reply" in S | N) return 0 ;; *) return 2 ;; esac
}
pg_answers() { local status=0; pg_state "$1" || status=$?; [ "$status" -le 1 ]; }
pg_ready() { pg_state "$1"; }

# The programs of the newest PostgreSQL installed (Debian keeps them out of PATH).
pg_bin_dir() {
  local dir
  dir="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  [ -x "$dir/initdb" ] || dir=""
  if [ -z "$dir" ] && command -v pg_ctl >/dev/null; then dir="$(dirname "$(command -v pg_ctl)")"; fi
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

# initdb and postgres refuse to run as root: as root, the private cluster belongs to Debian's
# `postgres` user. From / so that a working directory it may not read does not stop it.
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && "$@"); fi
}

# The port of this checkout's private PostgreSQL when it runs (its postmaster.pid: pid on line 1,
# port on line 4), else fails.
private_pg_port() {
  local pid port
  [ -r "$services_pg_data/postmaster.pid" ] || return 1
  pid="$(sed -n 1p "$services_pg_data/postmaster.pid")"
  port="$(sed -n 4p "$services_pg_data/postmaster.pid")"
  services_runs "$pid" postgres && [ -n "$port" ] && services_wait 50 pg_ready "$port" && echo "$port"
}

start_private_pg() { # port
  local port="$1" bin version log="$BUTTON_SERVICES_DIR/postgres.log"
  mkdir -p "$BUTTON_SERVICES_DIR" || return 1
  if [ -f "$services_pg_data/PG_VERSION" ]; then
    # The cluster can only be started by the PostgreSQL that made it.
    version="$(cat "$services_pg_data/PG_VERSION")"
    bin="/usr/lib/postgresql/$version/bin"
    [ -x "$bin/pg_ctl" ] || bin="$(pg_bin_dir)" || return 1
  else
    bin="$(pg_bin_dir)" || { services_error "PostgreSQL's initdb and pg_ctl are not installed."; return 1; }
    rm -rf "$services_pg_data"
    mkdir -m 700 "$services_pg_data" || return 1
    [ "$(id -u)" -ne 0 ] || chown postgres: "$services_pg_data" || return 1
    if ! as_pg_owner test -w "$services_pg_data"; then
      services_error "The postgres user cannot write $services_pg_data: make its parent folders reachable (chmod o+x), or set BUTTON_SERVICES_DIR elsewhere."
      return 1
    fi
    services_say "PostgreSQL: making a private cluster in $services_pg_data (initdb, trust auth for user postgres)"
    if ! as_pg_owner "$bin/initdb" -D "$services_pg_data" -U postgres -A trust -E UTF8 --locale=C \
      >"$BUTTON_SERVICES_DIR/initdb.log" 2>&1; then
      tail -n 20 "$BUTTON_SERVICES_DIR/initdb.log" >&2
      rm -rf "$services_pg_data"
      return 1
    fi
    # Loopback only, and its socket in its own folder rather than the machine's /run/postgresql.
    printf "\n# This checkout's private PostgreSQL (scripts/services.sh).\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\n" \
      "${services_pg_data//\'/\'\'}" >>"$services_pg_data/postgresql.conf"
  fi
  # pg_ctl opens the log itself, as the cluster's owner.
  touch "$log" && { [ "$(id -u)" -ne 0 ] || chown postgres: "$log"; } || return 1
  # The port is given at each start: the wanted one may be taken this time.
  if ! as_pg_owner "$bin/pg_ctl" -D "$services_pg_data" -l "$log" -o "-p $port" -w -t 60 start >/dev/null; then
    tail -n 20 "$log" >&2
    return 1
  fi
  services_pg_bin="$bin"
}

stop_private_pg() {
  [ -n "${services_pg_bin:-}" ] || return 0
  as_pg_owner "$services_pg_bin/pg_ctl" -D "$services_pg_data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  services_pg_bin=
  services_say "PostgreSQL: stopped the private one ($services_pg_data)"
}

ensure_postgres() {
  local wanted="$BUTTON_PG_PORT" port="" where
  if pg_answers "$wanted"; then
    port="$wanted"
    services_wait 50 pg_ready "$port" || true
  elif port="$(private_pg_port)"; then
    :
  else
    port=""
    # The machine's own, on the standard port, as Debian installs it; not for a checkout that has
    # a cluster of its own (it would be the machine's from then on).
    if [ "$wanted" = 5432 ] && [ ! -f "$services_pg_data/PG_VERSION" ] && command -v pg_ctlcluster >/dev/null \
      && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
      services_say "PostgreSQL is down: starting the machine's own (pg_ctlcluster)"
      as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
      services_wait 50 pg_ready "$wanted" && port="$wanted"
    fi
    if [ -z "$port" ] && ! pg_bin_dir >/dev/null; then
      services_apt_install postgresql || { services_error "Installing PostgreSQL failed."; return 1; }
      # Debian's package may have started the machine's own cluster there.
      services_wait 10 pg_ready "$wanted" && port="$wanted"
    fi
    if [ -z "$port" ]; then
      port="$(services_free_port "$wanted")" || { services_error "No free port from $wanted up for PostgreSQL."; return 1; }
      [ "$port" = "$wanted" ] \
        || services_say "PostgreSQL: 127.0.0.1:$wanted is taken by something else: the private one uses port $port"
      if ! start_private_pg "$port"; then
        services_error "PostgreSQL: the private one did not start (log: $BUTTON_SERVICES_DIR/postgres.log)."
        return 1
      fi
    fi
  fi
  BUTTON_PG_URL="postgres://postgres@127.0.0.1:$port"
  export BUTTON_PG_URL
  if [ "$(private_pg_port 2>/dev/null)" = "$port" ]; then
    where="this checkout's own (data in $services_pg_data, log $BUTTON_SERVICES_DIR/postgres.log)"
    if [ -n "${services_pg_bin:-}" ]; then
      where="$where; stopped when this script ends"
    else
      where="$where; left running by an earlier run, it is not stopped (its owner's pg_ctl -D $services_pg_data stop does)"
    fi
  else
    where="not this checkout's, used as it is"
  fi
  where="PostgreSQL at $BUTTON_PG_URL: $where"
  # Said once, and again only when it changes (the test command checks before each phase).
  [ "$where" = "${services_pg_said:-}" ] || services_say "$where"
  services_pg_said="$where"
}

# ---- NATS

services_nats_dir="$BUTTON_SERVICES_DIR/nats"

# 0 when NATS with JetStream answers on the port, 1 when NATS without JetStream does (as Debian's
# nats-server service runs it), 2 when no NATS does. A NATS server greets every client with an
# INFO line that says whether JetStream is on.
nats_state() { # port
  local info
  info="$( { exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    IFS= read -r -t 3 line <&3 || exit 1
    printf '%s' "$line"; } 2>/dev/null)"
  case "$info" in
    "INFO {"*'"jetstream":true'*) return 0 ;;
    "INFO {"*) return 1 ;;
    *) return 2 ;;
  esac
}
nats_answers() { nats_state "$1"; }

nats_bin() {
  if command -v nats-server >/dev/null; then command -v nats-server
  elif [ -x /usr/sbin/nats-server ]; then echo /usr/sbin/nats-server
  else return 1; fi
}

private_nats_port() {
  local pid port
  pid="$(cat "$BUTTON_SERVICES_DIR/nats.pid" 2>/dev/null)" || return 1
  port="$(cat "$BUTTON_SERVICES_DIR/nats.port" 2>/dev/null)" || return 1
  services_runs "$pid" nats-server && [ -n "$port" ] && services_wait 50 nats_answers "$port" && echo "$port"
}

start_private_nats() { # port
  local port="$1" nats
  nats="$(nats_bin)" || { services_error "nats-server is not installed."; return 1; }
  mkdir -p "$services_nats_dir" || return 1
  rm -f "$BUTTON_SERVICES_DIR/nats.pid"
  echo "$port" >"$BUTTON_SERVICES_DIR/nats.port"
  local logged; logged="$(stat -c %s "$BUTTON_SERVICES_DIR/nats.log" 2>/dev/null || echo 0)"
  # A session of its own: Ctrl-C in the terminal reaches the game, and the services are stopped
  # after it, not under it. Its stderr is kept: a Go runtime crash is written there.
  setsid "$nats" -a 127.0.0.1 -p "$port" -js -sd "$services_nats_dir" -P "$BUTTON_SERVICES_DIR/nats.pid" \
    </dev/null >>"$BUTTON_SERVICES_DIR/nats.log" 2>&1 &
  if ! services_wait 50 nats_answers "$port" || ! services_wait 25 test -s "$BUTTON_SERVICES_DIR/nats.pid"; then
    # What this start wrote: its first lines (a refused option, a store it cannot open) and its last.
    tail -c +"$((logged + 1))" "$BUTTON_SERVICES_DIR/nats.log" \
      | awk 'NR <= 5 { print; next } { last[NR % 15] = $0 } END { for (i = NR - 14; i <= NR; i++) if (i > 5) print last[i % 15] }' >&2
    kill "$!" 2>/dev/null || true
    return 1
  fi
  services_nats_pid="$(cat "$BUTTON_SERVICES_DIR/nats.pid")"
}

private_nats_gone() { ! services_runs "$services_nats_pid" nats-server; }
stop_private_nats() {
  [ -n "${services_nats_pid:-}" ] || return 0
  if services_runs "$services_nats_pid" nats-server; then
    kill -TERM "$services_nats_pid" 2>/dev/null || true
    # JetStream writes its store out on the way down; then it is given no more time.
    services_wait 50 private_nats_gone || kill -KILL "$services_nats_pid" 2>/dev/null || true
    services_wait 10 private_nats_gone || true
    # Reaped, when this shell started it (for another's, wait returns at once).
    wait "$services_nats_pid" 2>/dev/null || true
  fi
  rm -f "$BUTTON_SERVICES_DIR/nats.pid"
  services_nats_pid=
  services_say "NATS: stopped the private one ($services_nats_dir)"
}

ensure_nats() {
  local wanted="$BUTTON_NATS_PORT" port="" where status=0
  nats_state "$wanted" || status=$?
  if [ "$status" -eq 0 ]; then
    port="$wanted"
  elif port="$(private_nats_port)"; then
    :
  else
    port=""
    # The game cannot use a NATS without JetStream: one is started beside it.
    [ "$status" -eq 2 ] \
      || services_say "NATS on 127.0.0.1:$wanted runs without JetStream, which the game needs"
    # The machine's own, on the standard port, as it was started before this script could start
    # private ones; not for a checkout that has one of its own.
    if [ "$status" -eq 2 ] && [ "$wanted" = 4222 ] && [ ! -d "$services_nats_dir" ] \
      && [ -x /usr/sbin/nats-server ] && command -v start-stop-daemon >/dev/null; then
      services_say "NATS is down: starting the machine's own with JetStream (nats-server -js)"
      # What the last one said as it died, if it said anything.
      [ -s /var/log/nats-server.stderr ] && tail -n 30 /var/log/nats-server.stderr >&2
      # Its own log's last lines, and whether the kernel killed it (out of memory): it has died
      # before with neither saying why, so both are shown to whoever looks next.
      [ -s /var/log/nats-server.log ] && tail -n 5 /var/log/nats-server.log >&2
      dmesg 2>/dev/null | grep -i -E 'oom|killed process|nats' | tail -n 5 >&2 || true
      as_root mkdir -p /var/lib/nats-server || true
      # Its stderr is kept: a Go runtime crash is written there, not to its log.
      as_root start-stop-daemon --start --oknodo --background --output /var/log/nats-server.stderr \
        --exec /usr/sbin/nats-server -- \
        -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || true
      services_wait 50 nats_answers "$wanted" && port="$wanted"
    fi
    if [ -z "$port" ] && ! nats_bin >/dev/null; then
      services_apt_install nats-server || { services_error "Installing nats-server failed."; return 1; }
    fi
    if [ -z "$port" ]; then
      port="$(services_free_port "$wanted")" || { services_error "No free port from $wanted up for NATS."; return 1; }
      [ "$port" = "$wanted" ] \
        || services_say "NATS: 127.0.0.1:$wanted is taken by something else: the private one uses port $port"
      if ! start_private_nats "$port"; then
        services_error "NATS: the private one did not start (log: $BUTTON_SERVICES_DIR/nats.log)."
        return 1
      fi
    fi
  fi
  NATS_URL="nats://127.0.0.1:$port"
  export NATS_URL
  if [ "$(private_nats_port 2>/dev/null)" = "$port" ]; then
    where="this checkout's own, with JetStream (data in $services_nats_dir, log $BUTTON_SERVICES_DIR/nats.log)"
    if [ -n "${services_nats_pid:-}" ]; then
      where="$where; stopped when this script ends"
    else
      where="$where; left running by an earlier run, it is not stopped (kill \$(cat $BUTTON_SERVICES_DIR/nats.pid) does)"
    fi
  else
    where="not this checkout's, used as it is"
  fi
  where="NATS at $NATS_URL: $where"
  [ "$where" = "${services_nats_said:-}" ] || services_say "$where"
  services_nats_said="$where"
}

# ----

# Safe to call again: the test command calls it before each phase that needs the services, since
# the machine's nats-server has died mid-run (three times so far, with nothing in its log).
ensure_services() {
  if ! ensure_postgres; then
    services_error "PostgreSQL is not reachable on 127.0.0.1:$BUTTON_PG_PORT. Start one there (trust auth for user postgres), or set BUTTON_PG_PORT to where one runs."
    return 1
  fi
  if ! ensure_nats; then
    services_error "NATS is not reachable on 127.0.0.1:$BUTTON_NATS_PORT. Start one there with JetStream (nats-server -a 127.0.0.1 -p $BUTTON_NATS_PORT -js -sd DIR), or set BUTTON_NATS_PORT to where one runs."
    return 1
  fi
}

# Stops the private services this shell started (not the machine's, not one an earlier run left):
# for an EXIT trap. Safe to call again.
stop_private_services() {
  stop_private_nats
  stop_private_pg
}

ensure_services
