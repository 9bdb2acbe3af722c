-- Objects outside the managed schemas that depend on objects inside them: a reset's DROP ... CASCADE
-- would take them too (a view in another schema over one of our tables, a column of another
-- schema's table typed with one of our enums). Each object is placed in the schema of the
-- relation, type or routine it belongs to.
-- Parameter 1: the managed schemas, as text[].
WITH placed AS (
    SELECT d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid,
           CASE d.classid
               WHEN 'pg_catalog.pg_class'::regclass THEN (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = d.objid)
               WHEN 'pg_catalog.pg_type'::regclass THEN (SELECT typnamespace FROM pg_catalog.pg_type WHERE oid = d.objid)
               WHEN 'pg_catalog.pg_proc'::regclass THEN (SELECT pronamespace FROM pg_catalog.pg_proc WHERE oid = d.objid)
               WHEN 'pg_catalog.pg_constraint'::regclass THEN (SELECT connamespace FROM pg_catalog.pg_constraint WHERE oid = d.objid)
               WHEN 'pg_catalog.pg_rewrite'::regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_rewrite r
                   JOIN pg_catalog.pg_class c ON c.oid = r.ev_class WHERE r.oid = d.objid)
               WHEN 'pg_catalog.pg_attrdef'::regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_attrdef a
                   JOIN pg_catalog.pg_class c ON c.oid = a.adrelid WHERE a.oid = d.objid)
               WHEN 'pg_catalog.pg_trigger'::regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_trigger t
                   JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid WHERE t.oid = d.objid)
               WHEN 'pg_catalog.pg_policy'::regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_policy p
                   JOIN pg_catalog.pg_class c ON c.oid = p.polrelid WHERE p.oid = d.objid)
           END AS namespace,
           CASE d.refclassid
               WHEN 'pg_catalog.pg_class'::regclass THEN (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = d.refobjid)
               WHEN 'pg_catalog.pg_type'::regclass THEN (SELECT typnamespace FROM pg_catalog.pg_type WHERE oid = d.refobjid)
               WHEN 'pg_catalog.pg_proc'::regclass THEN (SELECT pronamespace FROM pg_catalog.pg_proc WHERE oid = d.refobjid)
           END AS ref_namespace
      FROM pg_catalog.pg_depend d
     WHERE d.deptype IN ('n', 'a')
)
SELECT DISTINCT CASE p.classid
           -- a view depends through its rule, a default through its pg_attrdef row: name the relation
           WHEN 'pg_catalog.pg_rewrite'::regclass THEN pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass,
               (SELECT ev_class FROM pg_catalog.pg_rewrite WHERE oid = p.objid), 0)
           WHEN 'pg_catalog.pg_attrdef'::regclass THEN pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass,
               (SELECT adrelid FROM pg_catalog.pg_attrdef WHERE oid = p.objid), 0)
           ELSE pg_catalog.pg_describe_object(p.classid, p.objid, 0)
       END
  FROM placed p
  JOIN pg_catalog.pg_namespace own ON own.oid = p.namespace
  JOIN pg_catalog.pg_namespace ref ON ref.oid = p.ref_namespace
 WHERE ref.nspname = ANY (?)
   AND NOT own.nspname = ANY (?)
   AND own.nspname NOT IN ('pg_catalog', 'information_schema')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = p.classid AND e.objid = p.objid AND e.deptype = 'e')
 ORDER BY 1
