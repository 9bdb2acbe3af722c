-- Privileges granted on the tables, views, sequences, routines and the managed schemas themselves
-- to roles other than their owner (the owner's own rights are implicit), extension members
-- excluded; a privilege granted by two grantors counts once. A routine's PUBLIC EXECUTE is its
-- default: only its revoke shows, as a PUBLIC row with no privileges.
-- Columns: schema (null for a schema's own), object (a routine with its identity arguments),
-- grantee, granted (the privileges), granted_on (table|sequence|function|procedure|schema, for the
-- GRANT statement), owner (the OID of the object).
-- (The names come from the first branch of the UNION.)
WITH managed AS (
    SELECT oid, nspname, nspowner, nspacl FROM pg_catalog.pg_namespace WHERE nspname = ANY (?)
), routines AS NOT MATERIALIZED (
    SELECT n.nspname, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS name,
           p.proacl, p.proowner, CASE WHEN p.prokind = 'p' THEN 'procedure' ELSE 'function' END AS kind, p.oid
      FROM pg_catalog.pg_proc p
      JOIN managed n ON n.oid = p.pronamespace
     WHERE p.proacl IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                        WHERE e.classid = 'pg_catalog.pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
), routine_grants AS (
    SELECT f.nspname, f.name, acl.grantee,
           string_agg(DISTINCT acl.privilege_type || CASE WHEN acl.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END,
                      ', ') AS granted,
           f.kind, f.oid
      FROM routines f
     CROSS JOIN LATERAL pg_catalog.aclexplode(f.proacl) acl
     WHERE acl.grantee <> f.proowner
     GROUP BY 1, 2, 3, 5, 6
    UNION ALL
    SELECT f.nspname, f.name, 0, NULL, f.kind, f.oid
      FROM routines f
     WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.aclexplode(f.proacl) acl WHERE acl.grantee = 0)
)
SELECT n.nspname AS schema, c.relname AS object,
       CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(r.rolname) END AS grantee,
       string_agg(DISTINCT acl.privilege_type || CASE WHEN acl.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END, ', ')
           AS granted,
       CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END AS granted_on,
       c.oid AS owner
  FROM pg_catalog.pg_class c
  JOIN managed n ON n.oid = c.relnamespace
  CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) acl
  LEFT JOIN pg_catalog.pg_roles r ON r.oid = acl.grantee
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
   AND c.relacl IS NOT NULL
   AND acl.grantee <> c.relowner
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
 GROUP BY 1, 2, 3, 5, 6
UNION ALL
SELECT g.nspname, g.name, CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(r.rolname) END,
       g.granted, g.kind, g.oid
  FROM routine_grants g
  LEFT JOIN pg_catalog.pg_roles r ON r.oid = g.grantee
 WHERE g.grantee <> 0 OR g.granted IS DISTINCT FROM 'EXECUTE'
UNION ALL
SELECT NULL, n.nspname, CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(r.rolname) END,
       string_agg(DISTINCT acl.privilege_type || CASE WHEN acl.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END, ', '),
       'schema', n.oid
  FROM managed n
  CROSS JOIN LATERAL pg_catalog.aclexplode(n.nspacl) acl
  LEFT JOIN pg_catalog.pg_roles r ON r.oid = acl.grantee
 WHERE n.nspacl IS NOT NULL
   AND acl.grantee <> n.nspowner
 GROUP BY 1, 2, 3, 5, 6
 ORDER BY 1, 2, 3
