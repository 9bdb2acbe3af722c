-- Primary key, unique, foreign key, check and exclusion constraints of the tables of the managed
-- schemas, as PostgreSQL writes them (NOT VALID, DEFERRABLE and actions included); copies
-- inherited by partitions and child tables are left out.
-- Columns: schema, table, name, type (p|u|f|c|x), definition, comment, owner (the table's OID).
SELECT n.nspname AS schema, c.relname AS table, k.conname AS name, k.contype AS type,
       pg_catalog.pg_get_constraintdef(k.oid) AS definition,
       pg_catalog.obj_description(k.oid, 'pg_constraint') AS comment, k.conrelid AS owner
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ANY (?)
   AND k.contype IN ('p', 'u', 'f', 'c', 'x')
   AND k.conislocal
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
 ORDER BY 1, 2, 3
