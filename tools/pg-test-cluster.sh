#!/bin/sh
# Run a command with a throwaway PostgreSQL cluster: PAPERWORK_TEST_PG_URL points at it,
# and PAPERWORK_TEST_PG_CTL is a script that runs pg_ctl on it as its owner, with its data
# folder and log (e.g. "$PAPERWORK_TEST_PG_CTL restart -m fast": a fault test restarts it).
#
#   sh tools/pg-test-cluster.sh COMMAND [ARG...]
#
# The cluster lives in a fresh temporary folder (data, unix socket, log), listens on
# 127.0.0.1 at a free port, and is stopped and deleted when the command ends, however
# it ends; the command's exit status is this script's. As root (CI) the server runs as
# an unprivileged user (pgtest, created when missing), since PostgreSQL refuses root;
# a developer runs it as themselves. When PAPERWORK_TEST_PG_URL is already set it is
# used as it is. Without PostgreSQL the command runs alone (the PostgreSQL tests then
# skip, except under CI=true, where they fail).
set -eu
[ "$#" -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 64; }
if [ -n "${PAPERWORK_TEST_PG_URL:-}" ]; then
    exec "$@"
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "pg-test-cluster: PostgreSQL not installed; running without it" >&2
    exec "$@"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/paperwork-pg.XXXXXX")
as_owner() { "$@"; }
owner=""
if [ "$(id -u)" = 0 ]; then
    id pgtest >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin pgtest
    chown pgtest "$dir"
    as_owner() { runuser -u pgtest -- "$@"; }
    owner="runuser -u pgtest --"
fi
chmod 700 "$dir"

stop() {
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner "$bindir/initdb" -D "$dir/data" -U pgtest --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U pgtest paperwork_test
export PAPERWORK_TEST_PG_URL="postgresql://pgtest@127.0.0.1:$port/paperwork_test"
# a restart reuses the options above (postmaster.opts); -l keeps the server's output off
# the caller's pipes
printf '#!/bin/sh\nexec %s "%s/pg_ctl" -D "%s/data" -l "%s/server.log" -w -t 60 "$@"\n' \
    "$owner" "$bindir" "$dir" "$dir" >"$dir/ctl"
chmod 755 "$dir/ctl"
export PAPERWORK_TEST_PG_CTL="$dir/ctl"
echo "pg-test-cluster: $PAPERWORK_TEST_PG_URL" >&2
status=0
"$@" || status=$?
exit "$status"
