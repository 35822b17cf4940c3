#!/bin/sh
# Runs once, when the postgres image initialises an empty data volume (docker-entrypoint-initdb.d):
# the role postgres-replica clones and streams with, its physical slot (WAL is kept until the
# replica has it), and the pg_hba line letting it connect for replication. The server restarts
# after initialisation, so the pg_hba change is in force before anyone connects.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=role="$POSTGRES_REPLICATION_USER" \
  --set=password="$POSTGRES_REPLICATION_PASSWORD" \
  --set=slot="$POSTGRES_REPLICATION_SLOT" <<'SQL'
CREATE ROLE :"role" WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot(:'slot');
SQL
echo "host replication $POSTGRES_REPLICATION_USER all scram-sha-256" >> "$PGDATA/pg_hba.conf"
