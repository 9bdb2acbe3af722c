-- The owner of a catalog row (class w.cls, object w.obj) in a managed schema (ns), and its kind
-- (r table, v view, s sequence, t type, f routine, n schema, e extension, l collation): a table owns its
-- columns, defaults, constraints, indexes, triggers, policies and rules, and an identity column's
-- sequence; a view its rules and triggers; a type its array type; every other object owns itself.
-- A foreign key's internal triggers have no owner: the constraint stands for them.
-- A LATERAL subquery of changes.sql.
      SELECT o.owner,
             CASE o.cls WHEN 'pg_catalog.pg_type'::regclass THEN 't' WHEN 'pg_catalog.pg_proc'::regclass THEN 'f'
                        WHEN 'pg_catalog.pg_namespace'::regclass THEN 'n' WHEN 'pg_catalog.pg_extension'::regclass THEN 'e'
                        WHEN 'pg_catalog.pg_collation'::regclass THEN 'l'
                        -- (a subquery: one index lookup per owner, whatever the plan expects)
                        ELSE CASE (SELECT r.relkind FROM pg_catalog.pg_class r WHERE r.oid = o.owner)
                                  WHEN 'v' THEN 'v' WHEN 'm' THEN 'v' WHEN 'S' THEN 's' ELSE 'r' END END
        FROM (SELECT CASE WHEN c.relkind IN ('i', 'I') THEN x.indrelid
                          WHEN c.relkind = 'c' THEN c.reltype
                          WHEN c.relkind = 'S' THEN coalesce(i.refobjid, c.oid)
                          ELSE c.oid END,
                     CASE WHEN c.relkind = 'c' THEN 'pg_catalog.pg_type'::regclass ELSE 'pg_catalog.pg_class'::regclass END
                FROM pg_catalog.pg_class c
                LEFT JOIN pg_catalog.pg_index x ON x.indexrelid = c.oid
                -- an identity column's sequence belongs to its table
                LEFT JOIN pg_catalog.pg_depend i ON i.classid = 'pg_catalog.pg_class'::regclass AND i.objid = c.oid
                                                AND i.deptype = 'i' AND i.refclassid = 'pg_catalog.pg_class'::regclass
               WHERE w.cls = 'pg_catalog.pg_class'::regclass AND c.oid = w.obj AND c.relnamespace IN (SELECT oid FROM ns)
              UNION ALL
              SELECT CASE WHEN k.conrelid <> 0 THEN k.conrelid ELSE k.contypid END,
                     CASE WHEN k.conrelid <> 0 THEN 'pg_catalog.pg_class'::regclass ELSE 'pg_catalog.pg_type'::regclass END
                FROM pg_catalog.pg_constraint k
               WHERE w.cls = 'pg_catalog.pg_constraint'::regclass AND k.oid = w.obj AND k.connamespace IN (SELECT oid FROM ns)
              UNION ALL
              SELECT g.tgrelid, 'pg_catalog.pg_class'::regclass FROM pg_catalog.pg_trigger g
               WHERE w.cls = 'pg_catalog.pg_trigger'::regclass AND g.oid = w.obj AND NOT g.tgisinternal
              UNION ALL
              SELECT p.polrelid, 'pg_catalog.pg_class'::regclass FROM pg_catalog.pg_policy p
               WHERE w.cls = 'pg_catalog.pg_policy'::regclass AND p.oid = w.obj
              UNION ALL
              SELECT r.ev_class, 'pg_catalog.pg_class'::regclass FROM pg_catalog.pg_rewrite r
               WHERE w.cls = 'pg_catalog.pg_rewrite'::regclass AND r.oid = w.obj
              UNION ALL
              SELECT d.adrelid, 'pg_catalog.pg_class'::regclass FROM pg_catalog.pg_attrdef d
               WHERE w.cls = 'pg_catalog.pg_attrdef'::regclass AND d.oid = w.obj
              UNION ALL
              -- a table's row type belongs to the table; an array type to its element type
              SELECT CASE WHEN t.typrelid <> 0 AND r.relkind <> 'c' THEN t.typrelid
                          WHEN t.typelem <> 0 AND t.typcategory = 'A' THEN t.typelem
                          ELSE t.oid END,
                     CASE WHEN t.typrelid <> 0 AND r.relkind <> 'c' THEN 'pg_catalog.pg_class'::regclass
                          ELSE 'pg_catalog.pg_type'::regclass END
                FROM pg_catalog.pg_type t
                LEFT JOIN pg_catalog.pg_class r ON r.oid = t.typrelid
               WHERE w.cls = 'pg_catalog.pg_type'::regclass AND t.oid = w.obj AND t.typnamespace IN (SELECT oid FROM ns)
              UNION ALL
              SELECT p.oid, 'pg_catalog.pg_proc'::regclass FROM pg_catalog.pg_proc p
               WHERE w.cls = 'pg_catalog.pg_proc'::regclass AND p.oid = w.obj AND p.pronamespace IN (SELECT oid FROM ns)
              UNION ALL
              SELECT w.obj, 'pg_catalog.pg_namespace'::regclass
               WHERE w.cls = 'pg_catalog.pg_namespace'::regclass AND w.obj IN (SELECT oid FROM ns)
              UNION ALL
              SELECT e.oid, 'pg_catalog.pg_extension'::regclass FROM pg_catalog.pg_extension e
               WHERE w.cls = 'pg_catalog.pg_extension'::regclass AND e.oid = w.obj AND e.extnamespace IN (SELECT oid FROM ns)
              UNION ALL
              SELECT co.oid, 'pg_catalog.pg_collation'::regclass FROM pg_catalog.pg_collation co
               WHERE w.cls = 'pg_catalog.pg_collation'::regclass AND co.oid = w.obj AND co.collnamespace IN (SELECT oid FROM ns)
             ) o (owner, cls)
