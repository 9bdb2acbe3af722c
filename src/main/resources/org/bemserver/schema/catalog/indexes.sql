-- Indexes of the tables and materialized views of the managed schemas, except those that back a
-- constraint (they come with it) and those a partitioned index created on a partition.
-- Columns: schema, table, name, definition, valid, comment, owner (the table's OID).
SELECT n.nspname AS schema, t.relname AS table, i.relname AS name,
       pg_catalog.pg_get_indexdef(x.indexrelid) AS definition, x.indisvalid AS valid,
       pg_catalog.obj_description(i.oid, 'pg_class') AS comment, x.indrelid AS owner
  FROM pg_catalog.pg_index x
  JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
  JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = i.relnamespace
 WHERE n.nspname = ANY (?)
   AND t.relkind IN ('r', 'p', 'm')
   AND NOT i.relispartition
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u', 'x'))
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_class'::regclass AND e.objid = t.oid AND e.deptype = 'e')
 ORDER BY 1, 3
