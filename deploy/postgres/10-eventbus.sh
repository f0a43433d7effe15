#!/bin/bash
# First start of the PostgreSQL container only (docker-entrypoint-initdb.d, empty data volume): the bus's own role
# and database. The bus connects as "eventbus", not a superuser, and owns its database and schema (Flyway migrates
# it at every start). The password comes from EVENTBUS_DB_PASSWORD (deploy/.env), passed as a psql variable so it is
# quoted as a literal.
set -euo pipefail
psql -v ON_ERROR_STOP=1 -v pw="$EVENTBUS_DB_PASSWORD" --username "$POSTGRES_USER" --dbname postgres <<'SQL'
create role eventbus login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password :'pw';
create database eventbus owner eventbus;
\connect eventbus
alter schema public owner to eventbus;
SQL
