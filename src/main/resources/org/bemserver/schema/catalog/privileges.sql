-- Privileges granted on the tables, views, sequences of the managed schemas to roles other than
-- their owner (the owner's own rights are implicit), extension members excluded; a privilege
-- granted by two grantors counts once. Columns: schema, object, grantee, privileges,
-- on (sequence|table, for the GRANT statement).
SELECT n.nspname, c.relname,
       CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(r.rolname) END,
       string_agg(DISTINCT acl.privilege_type || CASE WHEN acl.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END, ', '),
       CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) acl
  LEFT JOIN pg_catalog.pg_roles r ON r.oid = acl.grantee
 WHERE n.nspname = ANY (?)
   AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
   AND c.relacl IS NOT NULL
   AND acl.grantee <> c.relowner
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
 GROUP BY 1, 2, 3, 5
 ORDER BY 1, 2, 3
