-- Enum, domain, composite and range types of the managed schemas, extension members excluded.
-- Columns: schema, name, kind (enum|domain|composite|range), definition, comment, and for a
-- domain its default_value, not_null and checks (name, U+001E, definition; U+001F between two),
-- apart from its base type so that each can be changed in place (ALTER DOMAIN); owner (the type's
-- OID).
-- The definition is what makes two types equal: enum labels in order, a domain's base type and
-- collation, a composite type's attributes in order, a range's subtype.
SELECT n.nspname AS schema, t.typname AS name,
       CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'c' THEN 'composite' ELSE 'range' END AS kind,
       CASE t.typtype
           WHEN 'e' THEN (SELECT string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                            FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid)
           WHEN 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod)
                || CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation
                        THEN ' COLLATE ' || (SELECT pg_catalog.quote_ident(c.collname) FROM pg_catalog.pg_collation c
                                              WHERE c.oid = t.typcollation) ELSE '' END
           WHEN 'c' THEN (SELECT string_agg(pg_catalog.quote_ident(a.attname) || ' '
                                            || pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                            FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0
                             AND NOT a.attisdropped)
           ELSE (SELECT 'SUBTYPE = ' || pg_catalog.format_type(r.rngsubtype, NULL)
                   FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid)
       END AS definition,
       pg_catalog.obj_description(t.oid, 'pg_type') AS comment,
       CASE WHEN t.typtype = 'd' THEN t.typdefault END AS default_value,
       t.typtype = 'd' AND t.typnotnull AS not_null,
       CASE WHEN t.typtype = 'd' THEN
           (SELECT string_agg(k.conname || chr(30) || pg_catalog.pg_get_constraintdef(k.oid), chr(31) ORDER BY k.conname)
              FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c') END AS checks,
       t.oid AS owner
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
 WHERE n.nspname = ANY (?)
   AND (t.typtype IN ('e', 'd', 'r')
        OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c')))
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
 ORDER BY 1, 2
