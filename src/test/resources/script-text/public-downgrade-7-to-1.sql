-- Downgrade of org.x:y:1 from revision 7 to revision 1, written by bemserver db-script
-- History table: public.hist
--
-- Run it with: psql -v ON_ERROR_STOP=1 -f downgrade-7-to-1.sql (and your connection options)
-- It takes Flyway's lock, then checks that the database is at revision 7 with the checksums below,
-- and stops with nothing changed otherwise. The undo scripts run in one transaction, as db-downgrade runs them.
--
-- Applied revisions expected (revision, script, checksum as Flyway computes it):
--   1  V1__create_users.sql  -347105039
--   2  V2__create_sites.sql  -109702203
--   3  V3__add_site_timezone.sql  -1831828626
--   4  V4__index_site_names.sql  -633098318
--   5  V5__comment_sites.sql  -488761278
--   6  V6__elsewhere.sql  -1182929098
--   7  V7__here.sql  1191459247
-- Revisions undone, newest first:
--   7  U7__here.sql
--   6  U6__elsewhere.sql
--   5  U5__comment_sites.sql
--   4  U4__index_site_names.sql
--   3  U3__add_site_timezone.sql
--   2  U2__create_sites.sql
--
-- Verify afterwards: mvn bemserver:db-current prints "Current revision: 1", or in psql:
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

-- stops here, with nothing changed, unless the database is at revision 7
DO $guard$
DECLARE
    found text;
    problem text;
    versions text[] := ARRAY['1', '2', '3', '4', '5', '6', '7']::text[];
    checksums integer[] := ARRAY[-347105039, -109702203, -1831828626, -633098318, -488761278, -1182929098, 1191459247]::integer[];
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
    END IF;
    IF found IS DISTINCT FROM '7' THEN
        RAISE EXCEPTION 'The database is at revision %, not 7 as this script expects: nothing was changed', coalesce(found, '<base>');
    END IF;
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION 'The database is at revision 7 but %: nothing was changed', problem;
    END IF;
END
$guard$;

BEGIN;

-- Reverting 7 - here (1/6): U7__here.sql
DROP TABLE t7;

-- Reverting 6 - elsewhere (2/6): U6__elsewhere.sql
SET ROLE x;
DROP SCHEMA side CASCADE;
RESET ROLE;
SELECT set_config('search_path', current_setting('bemserver.search_path'), false);

-- Reverting 5 - comment sites (3/6): U5__comment_sites.sql
DROP TABLE notes;
COMMENT ON TABLE sites IS NULL;

-- Reverting 4 - index site names (4/6): U4__index_site_names.sql
DROP INDEX sites_name_idx;

-- Reverting 3 - add site timezone (5/6): U3__add_site_timezone.sql
ALTER TABLE sites DROP COLUMN timezone;

-- Reverting 2 - create sites (6/6): U2__create_sites.sql
DROP TABLE sites;

DELETE FROM "public"."hist" WHERE version IN ('7', '6', '5', '4', '3', '2');
COMMIT;

SELECT pg_advisory_unlock(77430002752814);
SELECT pg_advisory_unlock(1650814323, -1705526347);
