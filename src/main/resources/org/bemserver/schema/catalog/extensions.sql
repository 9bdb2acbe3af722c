-- Extensions installed in a managed schema. Columns: name, schema, version, comment,
-- owner (the extension's OID).
SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version,
       pg_catalog.obj_description(e.oid, 'pg_extension') AS comment, e.oid AS owner
  FROM pg_catalog.pg_extension e
  JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
 WHERE n.nspname = ANY (?)
 ORDER BY 1
