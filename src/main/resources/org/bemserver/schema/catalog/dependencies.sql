-- What depends on what among the objects of the managed schemas (pg_depend), as the keys a
-- snapshot gives them (KIND|schema|table|name). A view depends through its _RETURN rule and a
-- default through its pg_attrdef row: both are put on their view or column. An index that backs
-- a constraint stands for its constraint; an array type for its element type; a table's row type
-- for its table. Columns: dependent (key), referenced (key), deptype (n normal, a automatic).
-- Parameter 1: the managed schemas, as text[].
WITH managed AS (
    SELECT oid, nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY (?)
), members AS (
    -- an extension's types and functions stand for the extension: what uses them needs it
    SELECT d.classid, d.objid, 'EXTENSION|null|null|' || e.extname AS key
      FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
     WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e'
), own AS (
    SELECT 'pg_catalog.pg_namespace'::regclass AS classid, n.oid AS objid, 0 AS objsubid,
           'SCHEMA|null|null|' || n.nspname AS key
      FROM managed n
    UNION ALL
    SELECT 'pg_catalog.pg_extension'::regclass, e.oid, 0, 'EXTENSION|null|null|' || e.extname
      FROM pg_catalog.pg_extension e JOIN managed n ON n.oid = e.extnamespace
    UNION ALL
    SELECT 'pg_catalog.pg_collation'::regclass, co.oid, 0, 'COLLATION|' || n.nspname || '|null|' || co.collname
      FROM pg_catalog.pg_collation co JOIN managed n ON n.oid = co.collnamespace
    UNION ALL
    SELECT 'pg_catalog.pg_class'::regclass, c.oid, 0,
           CASE WHEN c.relkind IN ('r', 'p', 'f') THEN 'TABLE' WHEN c.relkind IN ('v', 'm') THEN 'VIEW' ELSE 'SEQUENCE' END
               || '|' || n.nspname || '|null|' || c.relname
      FROM pg_catalog.pg_class c JOIN managed n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
    UNION ALL
    SELECT 'pg_catalog.pg_class'::regclass, c.oid, a.attnum,
           CASE WHEN c.relkind IN ('v', 'm') THEN 'VIEW|' || n.nspname || '|null|' || c.relname
                ELSE 'COLUMN|' || n.nspname || '|' || c.relname || '|' || a.attname END
      FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
      JOIN managed n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'pg_catalog.pg_class'::regclass, i.oid, 0,
           coalesce('CONSTRAINT|' || n.nspname || '|' || t.relname || '|' || k.conname,
                    'INDEX|' || n.nspname || '|' || t.relname || '|' || i.relname)
      FROM pg_catalog.pg_class i JOIN pg_catalog.pg_index x ON x.indexrelid = i.oid
      JOIN pg_catalog.pg_class t ON t.oid = x.indrelid JOIN managed n ON n.oid = i.relnamespace
      -- a join, not a subquery per index: pg_constraint has no index on conindid
      LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = i.oid AND k.contype IN ('p', 'u', 'x')
    UNION ALL
    SELECT 'pg_catalog.pg_type'::regclass, t.oid, 0,
           CASE WHEN t.typrelid <> 0 AND (SELECT relkind FROM pg_catalog.pg_class WHERE oid = t.typrelid) <> 'c'
                THEN (SELECT CASE WHEN c.relkind IN ('v', 'm') THEN 'VIEW' ELSE 'TABLE' END || '|' || n.nspname || '|null|'
                             || c.relname FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid)
                ELSE 'TYPE|' || n.nspname || '|null|' || t.typname END
      FROM pg_catalog.pg_type t JOIN managed n ON n.oid = t.typnamespace
     WHERE t.typtype IN ('e', 'd', 'r', 'c')
    UNION ALL
    SELECT 'pg_catalog.pg_class'::regclass, c.oid, a.attnum, 'TYPE|' || n.nspname || '|null|' || c.relname
      FROM pg_catalog.pg_class c JOIN managed n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
     WHERE c.relkind = 'c' AND NOT a.attisdropped
    UNION ALL
    SELECT 'pg_catalog.pg_class'::regclass, c.oid, 0, 'TYPE|' || n.nspname || '|null|' || c.relname
      FROM pg_catalog.pg_class c JOIN managed n ON n.oid = c.relnamespace
     WHERE c.relkind = 'c'
    UNION ALL
    SELECT 'pg_catalog.pg_type'::regclass, arr.oid, 0, 'TYPE|' || n.nspname || '|null|' || t.typname
      FROM pg_catalog.pg_type arr JOIN pg_catalog.pg_type t ON t.oid = arr.typelem AND t.typarray = arr.oid
      JOIN managed n ON n.oid = t.typnamespace
     WHERE t.typtype IN ('e', 'd', 'r', 'c')
    UNION ALL
    SELECT 'pg_catalog.pg_proc'::regclass, p.oid, 0,
           'FUNCTION|' || n.nspname || '|null|' || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'
      FROM pg_catalog.pg_proc p JOIN managed n ON n.oid = p.pronamespace
    UNION ALL
    SELECT 'pg_catalog.pg_constraint'::regclass, k.oid, 0,
           CASE WHEN k.conrelid <> 0
                THEN 'CONSTRAINT|' || n.nspname || '|' || (SELECT relname FROM pg_catalog.pg_class WHERE oid = k.conrelid)
                     || '|' || k.conname
                ELSE 'TYPE|' || n.nspname || '|null|' || (SELECT typname FROM pg_catalog.pg_type WHERE oid = k.contypid) END
      FROM pg_catalog.pg_constraint k JOIN managed n ON n.oid = k.connamespace
    UNION ALL
    SELECT 'pg_catalog.pg_trigger'::regclass, tg.oid, 0, 'TRIGGER|' || n.nspname || '|' || c.relname || '|' || tg.tgname
      FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid JOIN managed n ON n.oid = c.relnamespace
     WHERE NOT tg.tgisinternal
    UNION ALL
    SELECT 'pg_catalog.pg_policy'::regclass, po.oid, 0, 'POLICY|' || n.nspname || '|' || c.relname || '|' || po.polname
      FROM pg_catalog.pg_policy po JOIN pg_catalog.pg_class c ON c.oid = po.polrelid JOIN managed n ON n.oid = c.relnamespace
    UNION ALL
    SELECT 'pg_catalog.pg_rewrite'::regclass, r.oid, 0,
           'VIEW|' || n.nspname || '|null|' || c.relname
      FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class JOIN managed n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('v', 'm')
    UNION ALL
    SELECT 'pg_catalog.pg_attrdef'::regclass, d.oid, 0, 'COLUMN|' || n.nspname || '|' || c.relname || '|' || a.attname
      FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_class c ON c.oid = d.adrelid
      JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
      JOIN managed n ON n.oid = c.relnamespace
), keys AS (
    SELECT o.classid, o.objid, o.objsubid, coalesce(m.key, o.key) AS key
      FROM own o LEFT JOIN members m ON m.classid = o.classid AND m.objid = o.objid
    UNION ALL
    SELECT m.classid, m.objid, 0, m.key
      FROM members m
     WHERE NOT EXISTS (SELECT 1 FROM own o WHERE o.classid = m.classid AND o.objid = m.objid)
)
SELECT DISTINCT dependent.key AS dependent, referenced.key AS referenced, dep.deptype
  FROM pg_catalog.pg_depend dep
  JOIN keys dependent ON dependent.classid = dep.classid AND dependent.objid = dep.objid
                     AND dependent.objsubid = dep.objsubid
  JOIN keys referenced ON referenced.classid = dep.refclassid AND referenced.objid = dep.refobjid
                      AND referenced.objsubid = dep.refobjsubid
 WHERE dep.deptype IN ('n', 'a')
   AND dependent.key <> referenced.key
 ORDER BY 1, 2
