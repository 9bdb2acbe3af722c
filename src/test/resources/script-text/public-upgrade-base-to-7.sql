-- Upgrade of org.x:y:1 from revision <base> to revision 7, written by bemserver db-script
-- History table: public.hist
--
-- Run it with: psql -v ON_ERROR_STOP=1 -f upgrade-base-to-7.sql (and your connection options)
-- It takes Flyway's lock, then checks that the database is at revision <base> with the checksums below,
-- and stops with nothing changed otherwise. Each migration runs in a transaction of its own, as db-upgrade runs it.
--
-- Applied revisions expected (revision, script, checksum as Flyway computes it):
--   none: the managed schemas are empty; the script creates public.hist as Flyway does
-- Revisions applied:
--   1  V1__create_users.sql  -347105039
--   2  V2__create_sites.sql  -109702203
--   3  V3__add_site_timezone.sql  -1831828626
--   4  V4__index_site_names.sql  -633098318
--   5  V5__comment_sites.sql  -488761278
--   6  V6__elsewhere.sql  -1182929098
--   7  V7__here.sql  1191459247
--
-- Verify afterwards: mvn bemserver:db-current prints "Current revision: 7 (head)", or in psql:
--   SELECT version, script, checksum, installed_by, success FROM "public"."hist" ORDER BY installed_rank;

\set ON_ERROR_STOP on

-- the locks db-upgrade, db-downgrade and Flyway take: this script never interleaves with them
SELECT pg_advisory_lock(1650814323, -1705526347);
SELECT pg_advisory_lock(77430002752814);
-- the values of ${flyway:user} and ${flyway:database}, and Flyway's search path for migrations
DO $session$
BEGIN
    PERFORM set_config('bemserver.flyway_user', current_user, false);
    PERFORM set_config('bemserver.flyway_database', current_database(), false);
    IF current_setting('search_path') <> '"public"' AND current_setting('search_path') NOT LIKE '"public",%' THEN
        PERFORM set_config('search_path', '"public"' || ',' || current_setting('search_path'), false);
    END IF;
    PERFORM set_config('bemserver.search_path', current_setting('search_path'), false);
END
$session$;

-- stops here, with nothing changed, unless the database is at revision <base>
DO $guard$
DECLARE
    found text;
    problem text;
    versions text[] := ARRAY[]::text[];
    checksums integer[] := ARRAY[]::integer[];
BEGIN
    IF to_regclass('"public"."hist"') IS NOT NULL THEN
        SELECT h.version INTO found FROM "public"."hist" h WHERE h.version IS NOT NULL AND h.success
         ORDER BY string_to_array(h.version, '.')::numeric[] DESC LIMIT 1;
        SELECT string_agg(p, '; ') INTO problem FROM (
            SELECT 'revision ' || h.version || ' (' || h.script || ') is recorded as failed' AS p FROM "public"."hist" h WHERE NOT h.success
            UNION ALL
            SELECT 'revision ' || e.v || ' was applied with checksum ' || coalesce(h.checksum::text, 'none')
                   || ' but the project''s is ' || e.c FROM unnest(versions, checksums) AS e(v, c)
              JOIN "public"."hist" h ON h.version = e.v AND h.success WHERE h.checksum IS DISTINCT FROM e.c
            UNION ALL
            SELECT 'revision ' || e.v || ' is not applied' FROM unnest(versions) AS e(v)
             WHERE NOT EXISTS (SELECT 1 FROM "public"."hist" h WHERE h.version = e.v AND h.success)
        ) problems;
    ELSIF EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ANY (ARRAY['public']::text[])) THEN
        RAISE EXCEPTION 'The database holds objects but no history table public.hist: this script installs an empty database; nothing was changed';
    END IF;
    IF found IS DISTINCT FROM NULL THEN
        RAISE EXCEPTION 'The database is at revision %, not <base> as this script expects: nothing was changed', coalesce(found, '<base>');
    END IF;
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION 'The database is at revision <base> but %: nothing was changed', problem;
    END IF;
END
$guard$;

-- the history table, as Flyway creates it
BEGIN;
DO $create$
BEGIN
    IF to_regclass('"public"."hist"') IS NULL THEN
        EXECUTE 'CREATE TABLE "public"."hist" (
    "installed_rank" INT NOT NULL,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
)';
        EXECUTE 'ALTER TABLE "public"."hist" ADD CONSTRAINT "hist_pk" PRIMARY KEY ("installed_rank")';
        EXECUTE 'CREATE INDEX "hist_s_idx" ON "public"."hist" ("success")';
    END IF;
END
$create$;
COMMIT;

-- Applying 1 - create users (1/7): V1__create_users.sql
BEGIN;
SELECT set_config('bemserver.started', clock_timestamp()::text, false);
CREATE TABLE users (id serial PRIMARY KEY, name varchar(80) NOT NULL UNIQUE);
INSERT INTO "public"."hist" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT coalesce(max(installed_rank), 0) + 1, '1', 'create users', 'SQL', 'V1__create_users.sql', -347105039, current_setting('bemserver.flyway_user'),
       (extract(epoch FROM clock_timestamp() - current_setting('bemserver.started')::timestamptz) * 1000)::integer, true
  FROM "public"."hist";
COMMIT;

-- Applying 2 - create sites (2/7): V2__create_sites.sql
BEGIN;
SELECT set_config('bemserver.started', clock_timestamp()::text, false);
CREATE TABLE sites (
    id serial PRIMARY KEY,
    name varchar(80) NOT NULL
);
INSERT INTO sites (name) VALUES ('HQ');
INSERT INTO "public"."hist" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT coalesce(max(installed_rank), 0) + 1, '2', 'create sites', 'SQL', 'V2__create_sites.sql', -109702203, current_setting('bemserver.flyway_user'),
       (extract(epoch FROM clock_timestamp() - current_setting('bemserver.started')::timestamptz) * 1000)::integer, true
  FROM "public"."hist";
COMMIT;

-- Applying 3 - add site timezone (3/7): V3__add_site_timezone.sql
BEGIN;
SELECT set_config('bemserver.started', clock_timestamp()::text, false);
ALTER TABLE sites ADD COLUMN timezone varchar(40) NOT NULL DEFAULT 'UTC';
INSERT INTO "public"."hist" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT coalesce(max(installed_rank), 0) + 1, '3', 'add site timezone', 'SQL', 'V3__add_site_timezone.sql', -1831828626, current_setting('bemserver.flyway_user'),
       (extract(epoch FROM clock_timestamp() - current_setting('bemserver.started')::timestamptz) * 1000)::integer, true
  FROM "public"."hist";
COMMIT;

-- Applying 4 - index site names (4/7): V4__index_site_names.sql
-- runs outside a transaction, as Flyway runs it
SELECT set_config('bemserver.started', clock_timestamp()::text, false);
CREATE INDEX CONCURRENTLY sites_name_idx ON sites (name);
INSERT INTO "public"."hist" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT coalesce(max(installed_rank), 0) + 1, '4', 'index site names', 'SQL', 'V4__index_site_names.sql', -633098318, current_setting('bemserver.flyway_user'),
       (extract(epoch FROM clock_timestamp() - current_setting('bemserver.started')::timestamptz) * 1000)::integer, true
  FROM "public"."hist";

-- Applying 5 - comment sites (5/7): V5__comment_sites.sql
BEGIN;
SELECT set_config('bemserver.started', clock_timestamp()::text, false);
DO $do$
BEGIN
    EXECUTE replace(replace($statement$COMMENT ON TABLE sites IS 'sites of ${flyway:database}, by ${flyway:user}'$statement$,
        '${flyway:user}', current_setting('bemserver.flyway_user')), '${flyway:database}', current_setting('bemserver.flyway_database'));
END
$do$;
CREATE TABLE notes (id int PRIMARY KEY, body text DEFAULT 'bem');
INSERT INTO "public"."hist" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT coalesce(max(installed_rank), 0) + 1, '5', 'comment sites', 'SQL', 'V5__comment_sites.sql', -488761278, current_setting('bemserver.flyway_user'),
       (extract(epoch FROM clock_timestamp() - current_setting('bemserver.started')::timestamptz) * 1000)::integer, true
  FROM "public"."hist";
COMMIT;

-- Applying 6 - elsewhere (6/7): V6__elsewhere.sql
BEGIN;
SELECT set_config('bemserver.started', clock_timestamp()::text, false);
CREATE SCHEMA side;
SET search_path TO side;
CREATE TABLE t6 (id int);
RESET ROLE;
SELECT set_config('search_path', current_setting('bemserver.search_path'), false);
INSERT INTO "public"."hist" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT coalesce(max(installed_rank), 0) + 1, '6', 'elsewhere', 'SQL', 'V6__elsewhere.sql', -1182929098, current_setting('bemserver.flyway_user'),
       (extract(epoch FROM clock_timestamp() - current_setting('bemserver.started')::timestamptz) * 1000)::integer, true
  FROM "public"."hist";
COMMIT;

-- Applying 7 - here (7/7): V7__here.sql
BEGIN;
SELECT set_config('bemserver.started', clock_timestamp()::text, false);
CREATE TABLE t7 (id int);
INSERT INTO "public"."hist" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT coalesce(max(installed_rank), 0) + 1, '7', 'here', 'SQL', 'V7__here.sql', 1191459247, current_setting('bemserver.flyway_user'),
       (extract(epoch FROM clock_timestamp() - current_setting('bemserver.started')::timestamptz) * 1000)::integer, true
  FROM "public"."hist";
COMMIT;

SELECT pg_advisory_unlock(77430002752814);
SELECT pg_advisory_unlock(1650814323, -1705526347);
