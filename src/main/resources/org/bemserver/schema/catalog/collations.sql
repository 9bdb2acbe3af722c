-- Collations of the managed schemas, extension members excluded.
-- Columns: schema, name, definition (the options of CREATE COLLATION that make two collations
-- equal: provider, then locale or lc_collate and lc_ctype, ICU rules, deterministic = false; the
-- collation's version is left out, as it follows the server's library), comment, owner (the
-- collation's OID).
-- The row is read through to_jsonb: the ICU locale is colliculocale on PostgreSQL 15 and 16,
-- colllocale from 17 on (where the builtin provider uses it too), and collicurules exists from 16.
SELECT n.nspname AS schema, co.collname AS name,
       concat_ws(', ',
           'provider = ' || CASE co.collprovider WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin' ELSE 'libc' END,
           CASE WHEN co.collprovider IN ('i', 'b')
                THEN 'locale = ' || pg_catalog.quote_literal(coalesce(j.row ->> 'colllocale', j.row ->> 'colliculocale')) END,
           CASE WHEN co.collprovider = 'c' THEN 'lc_collate = ' || pg_catalog.quote_literal(co.collcollate) END,
           CASE WHEN co.collprovider = 'c' THEN 'lc_ctype = ' || pg_catalog.quote_literal(co.collctype) END,
           CASE WHEN j.row ->> 'collicurules' IS NOT NULL
                THEN 'rules = ' || pg_catalog.quote_literal(j.row ->> 'collicurules') END,
           CASE WHEN NOT co.collisdeterministic THEN 'deterministic = false' END) AS definition,
       pg_catalog.obj_description(co.oid, 'pg_collation') AS comment,
       co.oid AS owner
  FROM pg_catalog.pg_collation co
  JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
 CROSS JOIN LATERAL (SELECT pg_catalog.to_jsonb(co) AS row) j
 WHERE n.nspname = ANY (?)
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_collation'::regclass AND e.objid = co.oid AND e.deptype = 'e')
 ORDER BY 1, 2
