-- Extensions installed in a managed schema. Columns: name, schema, version, comment.
SELECT e.extname, n.nspname, e.extversion, pg_catalog.obj_description(e.oid, 'pg_extension'), e.oid AS owner
  FROM pg_catalog.pg_extension e
  JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
 WHERE n.nspname = ANY (?)
 ORDER BY 1
