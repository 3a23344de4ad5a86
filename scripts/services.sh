# Sourced by the scripts: makes sure PostgreSQL and NATS (with JetStream) answer where the game
# expects them. A machine's own services are started the way Debian installs them when they are
# down (idempotent); otherwise it says how to start them.
reachable() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
wait_reachable() { # host port
  for _ in $(seq 1 50); do reachable "$1" "$2" && return 0; sleep 0.2; done
  return 1
}
check_service() { # name host port hint
  if ! reachable "$2" "$3"; then
    printf '\033[1;31m%s is not reachable on %s:%s.\033[0m %s\n' "$1" "$2" "$3" "$4" >&2
    return 1
  fi
}
# Safe to call again: the test command calls it before each phase that needs the services, since
# the machine's nats-server has died mid-run (three times so far, with nothing in its log).
ensure_services() {
  if ! reachable 127.0.0.1 5432 && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "PostgreSQL is down: starting it (pg_ctlcluster)" >&2
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    wait_reachable 127.0.0.1 5432 || true
  fi
  if ! reachable 127.0.0.1 4222 && [ -x /usr/sbin/nats-server ] && command -v start-stop-daemon >/dev/null; then
    echo "NATS is down: starting it with JetStream (nats-server -js)" >&2
    # What the last one said as it died, if it said anything.
    [ -s /var/log/nats-server.stderr ] && tail -n 30 /var/log/nats-server.stderr >&2
    as_root mkdir -p /var/lib/nats-server
    # Its stderr is kept: a Go runtime crash is written there, not to its log.
    as_root start-stop-daemon --start --oknodo --background --output /var/log/nats-server.stderr \
      --exec /usr/sbin/nats-server -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || true
    wait_reachable 127.0.0.1 4222 || true
  fi
  check_service PostgreSQL 127.0.0.1 5432 \
    "Start it (Debian: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start), trust auth for user postgres." \
    && check_service NATS 127.0.0.1 4222 \
    "Start it with JetStream: nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server"
}
ensure_services
