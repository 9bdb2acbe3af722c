-- Functions, procedures and aggregates of the managed schemas, extension members excluded.
-- Columns: schema, name, arguments (identity arguments), kind (function|procedure|aggregate|window
-- function), definition (pg_get_functiondef; for an aggregate its transition function and state
-- type), comment, owner (the routine's OID).
SELECT n.nspname AS schema, p.proname AS name, pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments,
       CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window function'
                      ELSE 'function' END AS kind,
       CASE WHEN p.prokind = 'a'
            THEN (SELECT 'SFUNC = ' || a.aggtransfn::regproc::text || ', STYPE = '
                         || pg_catalog.format_type(a.aggtranstype, NULL)
                         || coalesce(', FINALFUNC = ' || nullif(a.aggfinalfn, 0)::regproc::text, '')
                         || coalesce(', INITCOND = ' || a.agginitval, '')
                    FROM pg_catalog.pg_aggregate a WHERE a.aggfnoid = p.oid)
            ELSE pg_catalog.pg_get_functiondef(p.oid) END AS definition,
       pg_catalog.obj_description(p.oid, 'pg_proc') AS comment,
       p.oid AS owner
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = ANY (?)
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
 ORDER BY 1, 2, 3
