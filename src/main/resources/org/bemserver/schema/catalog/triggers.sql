-- Triggers of the tables and views of the managed schemas, internal ones (for foreign keys) and
-- the clones a partitioned table's trigger makes on its partitions excluded.
-- Columns: schema, table, name, definition, enabled (O|D|R|A), comment.
SELECT n.nspname, c.relname, t.tgname, pg_catalog.pg_get_triggerdef(t.oid), t.tgenabled,
       pg_catalog.obj_description(t.oid, 'pg_trigger'), t.tgrelid AS owner
  FROM pg_catalog.pg_trigger t
  JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ANY (?)
   AND NOT t.tgisinternal
   AND t.tgparentid = 0
 ORDER BY 1, 2, 3
