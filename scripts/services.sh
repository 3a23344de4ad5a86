# Sourced by the scripts: checks that PostgreSQL and NATS (with JetStream) answer where the game
# expects them, and says how to start them if not.
check_service() { # name host port hint
  if ! (exec 3<>"/dev/tcp/$2/$3") 2>/dev/null; then
    printf '\033[1;31m%s is not reachable on %s:%s.\033[0m %s\n' "$1" "$2" "$3" "$4" >&2
    return 1
  fi
}
check_service PostgreSQL 127.0.0.1 5432 \
  "Start it (Debian: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start), trust auth for user postgres." \
  && check_service NATS 127.0.0.1 4222 \
  "Start it with JetStream: nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server"
