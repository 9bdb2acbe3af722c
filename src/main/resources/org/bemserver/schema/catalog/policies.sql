-- Row-level security policies of the tables of the managed schemas.
-- Columns: schema, table, name, definition (command, permissive, roles, USING, WITH CHECK), comment,
-- owner (the table's OID).
SELECT n.nspname AS schema, c.relname AS table, p.polname AS name,
       CASE WHEN p.polpermissive THEN 'AS PERMISSIVE' ELSE 'AS RESTRICTIVE' END
           || ' FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                       WHEN 'd' THEN 'DELETE' ELSE 'ALL' END
           || ' TO ' || CASE WHEN p.polroles = '{0}' THEN 'PUBLIC'
                             ELSE (SELECT string_agg(pg_catalog.quote_ident(r.rolname), ', ' ORDER BY r.rolname)
                                     FROM pg_catalog.pg_roles r WHERE r.oid = ANY (p.polroles)) END
           || coalesce(' USING (' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', '')
           || coalesce(' WITH CHECK (' || pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) || ')', '') AS definition,
       pg_catalog.obj_description(p.oid, 'pg_policy') AS comment,
       p.polrelid AS owner
  FROM pg_catalog.pg_policy p
  JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ANY (?)
 ORDER BY 1, 2, 3
