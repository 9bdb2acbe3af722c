-- Managed schemas. Columns: name, comment, owner (the schema's OID).
SELECT n.nspname AS name, pg_catalog.obj_description(n.oid, 'pg_namespace') AS comment, n.oid AS owner
  FROM pg_catalog.pg_namespace n
 WHERE n.nspname = ANY (?)
 ORDER BY 1
