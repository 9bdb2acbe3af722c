-- Which of the given rows of the counted catalogs no longer exist (see changes.sql for their
-- identities). Parameters: the identities to look up in each counted catalog, in the order of the
-- branches. Columns: tag (the counted catalog), id (the row's identity).
SELECT 'class' AS tag, k AS id FROM unnest(CAST(? AS text[])) k
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = k::oid)
UNION ALL
SELECT 'type', k FROM unnest(CAST(? AS text[])) k
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type WHERE oid = k::oid)
UNION ALL
SELECT 'routine', k FROM unnest(CAST(? AS text[])) k
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc WHERE oid = k::oid)
UNION ALL
SELECT 'schema', k FROM unnest(CAST(? AS text[])) k
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE oid = k::oid)
UNION ALL
SELECT 'extension', k FROM unnest(CAST(? AS text[])) k
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE oid = k::oid)
UNION ALL
SELECT 'constraint', k FROM unnest(CAST(? AS text[])) k
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE oid = k::oid)
UNION ALL
SELECT 'trigger', k FROM unnest(CAST(? AS text[])) k
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE oid = k::oid)
UNION ALL
SELECT 'policy', k FROM unnest(CAST(? AS text[])) k
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE oid = k::oid)
UNION ALL
SELECT 'comment', k FROM unnest(CAST(? AS text[])) k
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_description
                    WHERE classoid = split_part(k, ':', 1)::oid AND objoid = split_part(k, ':', 2)::oid
                      AND objsubid = split_part(k, ':', 3)::int)
UNION ALL
SELECT 'collation', k FROM unnest(CAST(? AS text[])) k
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_collation WHERE oid = k::oid)
