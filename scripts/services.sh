# Sourced by scripts/test: makes sure PostgreSQL and Redis answer on 127.0.0.1, starting them
# with this machine's documented commands when they do not, and fails loudly otherwise.

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

wait_for() {
  local what=$1 check=$2
  for _ in $(seq 1 30); do
    if $check; then return 0; fi
    sleep 1
  done
  echo "scripts/test: $what is not reachable on 127.0.0.1 and could not be started; the tests need it." >&2
  return 1
}

ensure_postgres() {
  if pg_up; then return 0; fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "scripts/test: PostgreSQL is not running and pg_ctlcluster is missing (apt-get install postgresql)." >&2
    return 1
  fi
  echo "scripts/test: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  wait_for PostgreSQL pg_up
}

ensure_redis() {
  if redis_up; then return 0; fi
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "scripts/test: Redis is not running and redis-server is missing (apt-get install redis-server)." >&2
    return 1
  fi
  echo "scripts/test: starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  wait_for Redis redis_up
}
