-- Columns of the tables of the managed schemas, in their physical order (attnum, for the order
-- report only: a dropped column leaves a gap).
-- Columns: schema, table, column, attnum, type, not null, default, identity (a|d|''),
-- generated expression, collation (only when not the type's default), comment, generated kind
-- (s stored, v virtual on PostgreSQL 18). A partition's columns come from its parent.
SELECT n.nspname, c.relname, a.attname, a.attnum,
       pg_catalog.format_type(a.atttypid, a.atttypmod),
       a.attnotnull,
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END,
       a.attidentity,
       CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
                    FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                   WHERE co.oid = a.attcollation) END,
       pg_catalog.col_description(c.oid, a.attnum),
       a.attgenerated
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE n.nspname = ANY (?)
   AND c.relkind IN ('r', 'p', 'f')
   AND a.attnum > 0 AND NOT a.attisdropped
   AND a.attislocal
   AND NOT c.relispartition
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
 ORDER BY 1, 2, 4
