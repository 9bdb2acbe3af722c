-- The objects of the managed schemas that db-setup wants absent and a reset drops, each with the
-- statement that drops it, in an order that lets CASCADE do the rest (views, tables, sequences,
-- routines, types). Objects that belong to an extension are left out: a reset keeps extensions.
-- Parameter 1: the managed schemas, as text[].
WITH objects AS (
    SELECT n.nspname AS schema_name, c.relname AS name,
           CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
                          WHEN 'f' THEN 'foreign table' ELSE 'table' END AS kind,
           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                          WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS keyword,
           '' AS arguments, 'pg_catalog.pg_class'::regclass AS catalog, c.oid,
           CASE c.relkind WHEN 'v' THEN 1 WHEN 'm' THEN 1 WHEN 'S' THEN 3 ELSE 2 END AS drop_order
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND NOT c.relispartition
    UNION ALL
    SELECT n.nspname, p.proname,
           CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
           CASE p.prokind WHEN 'a' THEN 'AGGREGATE' ELSE 'ROUTINE' END,
           '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
           'pg_catalog.pg_proc'::regclass, p.oid, 4
      FROM pg_catalog.pg_proc p
      JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    UNION ALL
    SELECT n.nspname, t.typname,
           CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END,
           CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
           '', 'pg_catalog.pg_type'::regclass, t.oid, 5
      FROM pg_catalog.pg_type t
      JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
     WHERE t.typtype IN ('e', 'd', 'r')
        OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
    UNION ALL
    SELECT n.nspname, co.collname, 'collation', 'COLLATION', '', 'pg_catalog.pg_collation'::regclass, co.oid, 6
      FROM pg_catalog.pg_collation co
      JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
)
SELECT o.schema_name, o.name, o.kind,
       format('DROP %s IF EXISTS %I.%I%s CASCADE', o.keyword, o.schema_name, o.name, o.arguments) AS drop_statement
  FROM objects o
 WHERE o.schema_name = ANY (?)
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = o.catalog AND d.objid = o.oid AND d.deptype = 'e')
 ORDER BY o.drop_order, o.schema_name, o.name
