-- Managed schemas. Columns: schema, comment.
SELECT n.nspname, pg_catalog.obj_description(n.oid, 'pg_namespace'), n.oid AS owner
  FROM pg_catalog.pg_namespace n
 WHERE n.nspname = ANY (?)
 ORDER BY 1
