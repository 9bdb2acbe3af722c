-- Triggers of the tables and views of the managed schemas, internal ones (for foreign keys) and
-- the clones a partitioned table's trigger makes on its partitions excluded.
-- Columns: schema, table, name, definition, enabled (O|D|R|A), comment, owner (the table's OID).
SELECT n.nspname AS schema, c.relname AS table, t.tgname AS name, pg_catalog.pg_get_triggerdef(t.oid) AS definition,
       t.tgenabled AS enabled, pg_catalog.obj_description(t.oid, 'pg_trigger') AS comment, t.tgrelid AS owner
  FROM pg_catalog.pg_trigger t
  JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ANY (?)
   AND NOT t.tgisinternal
   AND t.tgparentid = 0
 ORDER BY 1, 2, 3
