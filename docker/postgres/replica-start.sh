#!/bin/sh
# postgres-replica's entrypoint: on an empty volume, clone the primary with pg_basebackup (WAL
# streamed during the copy, standby.signal and primary_conninfo written by --write-recovery-conf,
# following the primary's slot), retrying while the primary is still starting; then run as a hot
# standby. Runs as the postgres user (compose `user: postgres`).
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_basebackup --host="$PRIMARY_HOST" --username="$POSTGRES_REPLICATION_USER" \
    --pgdata="$PGDATA" --wal-method=stream --write-recovery-conf \
    --slot="$POSTGRES_REPLICATION_SLOT" --no-password; do
    echo "pg_basebackup from $PRIMARY_HOST failed; retrying in 2 s" >&2
    rm -rf "${PGDATA:?}"/*
    sleep 2
  done
  chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on
