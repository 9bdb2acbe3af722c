-- Views and materialized views of the managed schemas.
-- Columns: schema, name, kind (view|materialized view), definition, options, populated, comment,
-- owner (the view's OID).
SELECT n.nspname AS schema, c.relname AS name,
       CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END AS kind,
       pg_catalog.pg_get_viewdef(c.oid) AS definition,
       array_to_string(c.reloptions, ', ') AS options,
       c.relispopulated AS populated,
       pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
       c.oid AS owner
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ANY (?)
   AND c.relkind IN ('v', 'm')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
 ORDER BY 1, 2
