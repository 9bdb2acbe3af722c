-- Tables (plain, partitioned, foreign) of the managed schemas.
-- Columns: schema, name, kind (table|partitioned table|foreign table), unlogged, row_security,
-- forced_row_security, partition_key, partition_of (parent and bound), inherits, options, comment,
-- owner (the table's OID), of_type (the composite type of a typed table, CREATE TABLE ... OF type).
SELECT n.nspname AS schema, c.relname AS name,
       CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table' ELSE 'table' END AS kind,
       c.relpersistence = 'u' AS unlogged, c.relrowsecurity AS row_security, c.relforcerowsecurity AS forced_row_security,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relispartition THEN
           (SELECT pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(p.relname)
              FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
              JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid)
           || ' ' || pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_of,
       CASE WHEN NOT c.relispartition THEN
           (SELECT string_agg(pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(p.relname), ', '
                              ORDER BY i.inhseqno)
              FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
              JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid) END AS inherits,
       array_to_string(c.reloptions, ', ') AS options,
       pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
       c.oid AS owner,
       CASE WHEN c.reloftype <> 0 THEN pg_catalog.format_type(c.reloftype, NULL) END AS of_type
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ANY (?)
   AND c.relkind IN ('r', 'p', 'f')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY 1, 2
