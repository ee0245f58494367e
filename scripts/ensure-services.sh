#!/usr/bin/env bash
# The distributed-mode tests use the machine's PostgreSQL (127.0.0.1:5432) and Redis
# (127.0.0.1:6379). Start them if they are installed but stopped; fail (exit 1) naming any
# that is still not reachable.
set -u
pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
if ! pg_up && command -v pg_ctlcluster >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! redis_up && command -v redis-server >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile /tmp/seesay-test-redis.log || true
fi
for _ in $(seq 1 50); do pg_up && redis_up && exit 0; sleep 0.2; done
status=0
pg_up || { echo "error: PostgreSQL is not reachable on 127.0.0.1:5432" >&2; status=1; }
redis_up || { echo "error: Redis is not reachable on 127.0.0.1:6379" >&2; status=1; }
exit $status
