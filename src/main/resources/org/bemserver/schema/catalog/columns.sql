-- Columns of the tables of the managed schemas, in their physical order (attnum, for the order
-- report only: a dropped column leaves a gap).
-- Columns: schema, table, name, attnum, type, not_null, default_value, identity (a|d|''),
-- generated (the expression), collation (only when not the type's default), comment,
-- generated_kind (s stored, v virtual on PostgreSQL 18), identity_options: the identity sequence's
-- options that are not the defaults (its sequence hangs off the column with deptype i; the
-- defaults follow the increment's sign and the column's type, so a retype alone changes nothing
-- here); owner (the table's OID). A partition's columns come from its parent.
SELECT n.nspname AS schema, c.relname AS table, a.attname AS name, a.attnum,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END AS default_value,
       a.attidentity AS identity,
       CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END AS generated,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
                    FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                   WHERE co.oid = a.attcollation) END AS collation,
       pg_catalog.col_description(c.oid, a.attnum) AS comment,
       a.attgenerated AS generated_kind,
       CASE WHEN a.attidentity <> '' THEN
           (SELECT concat_ws(' ',
                       CASE WHEN s.seqincrement <> 1 THEN 'INCREMENT BY ' || s.seqincrement END,
                       CASE WHEN s.seqmin <> CASE WHEN s.seqincrement > 0 THEN 1
                                                  WHEN s.seqtypid = 'pg_catalog.int2'::regtype THEN -32768
                                                  WHEN s.seqtypid = 'pg_catalog.int4'::regtype THEN -2147483648
                                                  ELSE -9223372036854775807 - 1 END
                            THEN 'MINVALUE ' || s.seqmin END,
                       CASE WHEN s.seqmax <> CASE WHEN s.seqincrement < 0 THEN -1
                                                  WHEN s.seqtypid = 'pg_catalog.int2'::regtype THEN 32767
                                                  WHEN s.seqtypid = 'pg_catalog.int4'::regtype THEN 2147483647
                                                  ELSE 9223372036854775807 END
                            THEN 'MAXVALUE ' || s.seqmax END,
                       CASE WHEN s.seqstart <> CASE WHEN s.seqincrement > 0 THEN s.seqmin ELSE s.seqmax END
                            THEN 'START WITH ' || s.seqstart END,
                       CASE WHEN s.seqcache <> 1 THEN 'CACHE ' || s.seqcache END,
                       CASE WHEN s.seqcycle THEN 'CYCLE' END)
              FROM pg_catalog.pg_depend sd
              JOIN pg_catalog.pg_sequence s ON s.seqrelid = sd.objid
             WHERE sd.refclassid = 'pg_catalog.pg_class'::regclass AND sd.refobjid = a.attrelid
               AND sd.refobjsubid = a.attnum AND sd.classid = 'pg_catalog.pg_class'::regclass AND sd.deptype = 'i')
       END AS identity_options,
       c.oid AS owner
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
