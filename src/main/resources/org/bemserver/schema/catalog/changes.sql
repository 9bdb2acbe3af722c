-- What changed in the catalog since a mark: the rows written by transactions that began at or
-- after it (xmin; age() compares transaction ids across wraparound), each with the owner of what
-- it describes (owner.sql); then the number of rows of each counted catalog, where a deletion can
-- leave no other trace (the caller compares it with the rows it knows). Rows of the objects
-- initdb made (OIDs below 16384) are not listed: migrations do not change them.
-- Parameters: the mark (the next transaction id when the last reading began), the managed
-- schemas, whether to list every row of the counted catalogs describing objects users created
-- (the first reading: those of users and of the managed schemas) rather than only the new ones,
-- and the catalogs written since the last reading (NULL: any may have been), as regclass names:
-- the others are not scanned, and their count is not returned (it is the one the caller knows).
-- Columns: tag (the counted catalog, null for the others), id (the row's identity in it), owner,
-- kind (the owner's); then the owners of what names them (null, null, owner, kind); then one row
-- per counted catalog scanned: its tag, its number of rows, NULL, 'count'; then NULL, the next transaction id
-- in the reading's snapshot, NULL, 'mark'.
WITH mark AS (
    SELECT pg_catalog.age((CAST(? AS bigint) % 4294967296)::text::xid) AS age
), ns AS (
    SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = ANY (?)
), listing AS (
    SELECT CAST(? AS boolean) AS all_rows
), gate AS (
    SELECT CAST(CAST(? AS text[]) AS pg_catalog.regclass[]) AS catalogs
), counted (tag, cls, n, objs) AS (
    -- one scan of each counted catalog: its number of rows, and those written since the mark
    -- (every row at the first reading); none of a catalog not written, which then has no row here
    -- (the condition above the aggregate, kept there by OFFSET 0, is checked once, before the scan)
    SELECT * FROM (SELECT 'class', 'pg_catalog.pg_class'::regclass, count(*),
                         array_agg(c.oid) FILTER (WHERE pg_catalog.age(c.xmin) <= (SELECT age FROM mark) OR (SELECT all_rows FROM listing))
                    FROM pg_catalog.pg_class c
                   WHERE c.oid >= 16384 OFFSET 0) s
     WHERE (SELECT catalogs IS NULL OR 'pg_catalog.pg_class'::regclass = ANY (catalogs) FROM gate)
    UNION ALL
    SELECT * FROM (SELECT 'type', 'pg_catalog.pg_type'::regclass, count(*),
                         array_agg(t.oid) FILTER (WHERE pg_catalog.age(t.xmin) <= (SELECT age FROM mark) OR (SELECT all_rows FROM listing))
                    FROM pg_catalog.pg_type t
                   WHERE t.oid >= 16384 OFFSET 0) s
     WHERE (SELECT catalogs IS NULL OR 'pg_catalog.pg_type'::regclass = ANY (catalogs) FROM gate)
    UNION ALL
    SELECT * FROM (SELECT 'routine', 'pg_catalog.pg_proc'::regclass, count(*),
                         array_agg(p.oid) FILTER (WHERE pg_catalog.age(p.xmin) <= (SELECT age FROM mark) OR (SELECT all_rows FROM listing))
                    FROM pg_catalog.pg_proc p
                   WHERE p.oid >= 16384 OFFSET 0) s
     WHERE (SELECT catalogs IS NULL OR 'pg_catalog.pg_proc'::regclass = ANY (catalogs) FROM gate)
    UNION ALL
    SELECT * FROM (SELECT 'schema', 'pg_catalog.pg_namespace'::regclass, count(*),
                         array_agg(n.oid) FILTER (WHERE pg_catalog.age(n.xmin) <= (SELECT age FROM mark) OR (SELECT all_rows FROM listing))
                    FROM pg_catalog.pg_namespace n
                   WHERE (n.oid >= 16384 OR n.oid IN (SELECT oid FROM ns)) OFFSET 0) s
     WHERE (SELECT catalogs IS NULL OR 'pg_catalog.pg_namespace'::regclass = ANY (catalogs) FROM gate)
    UNION ALL
    SELECT * FROM (SELECT 'extension', 'pg_catalog.pg_extension'::regclass, count(*),
                         array_agg(e.oid) FILTER (WHERE pg_catalog.age(e.xmin) <= (SELECT age FROM mark) OR (SELECT all_rows FROM listing))
                    FROM pg_catalog.pg_extension e
                   WHERE e.oid >= 16384 OFFSET 0) s
     WHERE (SELECT catalogs IS NULL OR 'pg_catalog.pg_extension'::regclass = ANY (catalogs) FROM gate)
    UNION ALL
    SELECT * FROM (SELECT 'constraint', 'pg_catalog.pg_constraint'::regclass, count(*),
                         array_agg(k.oid) FILTER (WHERE pg_catalog.age(k.xmin) <= (SELECT age FROM mark) OR (SELECT all_rows FROM listing))
                    FROM pg_catalog.pg_constraint k
                   WHERE k.oid >= 16384 OFFSET 0) s
     WHERE (SELECT catalogs IS NULL OR 'pg_catalog.pg_constraint'::regclass = ANY (catalogs) FROM gate)
    UNION ALL
    SELECT * FROM (SELECT 'trigger', 'pg_catalog.pg_trigger'::regclass, count(*),
                         array_agg(g.oid) FILTER (WHERE pg_catalog.age(g.xmin) <= (SELECT age FROM mark) OR (SELECT all_rows FROM listing))
                    FROM pg_catalog.pg_trigger g
                   WHERE g.oid >= 16384 OFFSET 0) s
     WHERE (SELECT catalogs IS NULL OR 'pg_catalog.pg_trigger'::regclass = ANY (catalogs) FROM gate)
    UNION ALL
    SELECT * FROM (SELECT 'policy', 'pg_catalog.pg_policy'::regclass, count(*),
                         array_agg(p.oid) FILTER (WHERE pg_catalog.age(p.xmin) <= (SELECT age FROM mark) OR (SELECT all_rows FROM listing))
                    FROM pg_catalog.pg_policy p
                   WHERE p.oid >= 16384 OFFSET 0) s
     WHERE (SELECT catalogs IS NULL OR 'pg_catalog.pg_policy'::regclass = ANY (catalogs) FROM gate)
    UNION ALL
    SELECT * FROM (SELECT 'collation', 'pg_catalog.pg_collation'::regclass, count(*),
                         array_agg(co.oid) FILTER (WHERE pg_catalog.age(co.xmin) <= (SELECT age FROM mark) OR (SELECT all_rows FROM listing))
                    FROM pg_catalog.pg_collation co
                   WHERE co.oid >= 16384 OFFSET 0) s
     WHERE (SELECT catalogs IS NULL OR 'pg_catalog.pg_collation'::regclass = ANY (catalogs) FROM gate)
), comments (n, cls, objs, ids) AS (
    -- COMMENT ... IS NULL deletes its row
    SELECT count(*),
           array_agg(d.classoid) FILTER (WHERE pg_catalog.age(d.xmin) <= (SELECT age FROM mark) OR (SELECT all_rows FROM listing)),
           array_agg(d.objoid) FILTER (WHERE pg_catalog.age(d.xmin) <= (SELECT age FROM mark) OR (SELECT all_rows FROM listing)),
           array_agg(d.classoid || ':' || d.objoid || ':' || d.objsubid)
               FILTER (WHERE pg_catalog.age(d.xmin) <= (SELECT age FROM mark) OR (SELECT all_rows FROM listing))
      FROM (SELECT xmin, classoid, objoid, objsubid FROM pg_catalog.pg_description WHERE objoid >= 16384
            UNION ALL
            -- (apart: the index on objoid then skips the rows of the system's objects)
            SELECT xmin, classoid, objoid, objsubid FROM pg_catalog.pg_description
             WHERE objoid < 16384 AND classoid = 'pg_catalog.pg_namespace'::regclass AND objoid IN (SELECT oid FROM ns)) d
     WHERE (SELECT catalogs IS NULL OR 'pg_catalog.pg_description'::regclass = ANY (catalogs) FROM gate)
), written (tag, cls, obj, id) AS (
    SELECT c.tag, c.cls, o.obj, o.obj::text FROM counted c CROSS JOIN LATERAL unnest(c.objs) o (obj)
    UNION ALL
    SELECT 'comment', o.cls, o.obj, o.id FROM comments c CROSS JOIN LATERAL unnest(c.cls, c.objs, c.ids) o (cls, obj, id)
    UNION ALL
    -- rows whose deletion shows in a counted catalog (a dropped column or default leaves its
    -- attribute row changed; OWNED BY NONE leaves the sequence's pg_sequence row rewritten)
    -- (each catalog only when it was written)
    SELECT DISTINCT NULL, w.cls, w.obj, NULL::text
      FROM (SELECT 'pg_catalog.pg_class'::regclass, a.attrelid
              FROM pg_catalog.pg_attribute a WHERE pg_catalog.age(a.xmin) <= (SELECT age FROM mark)
               AND (SELECT catalogs IS NULL OR 'pg_catalog.pg_attribute'::regclass = ANY (catalogs) FROM gate)
            UNION ALL
            SELECT 'pg_catalog.pg_class'::regclass, d.adrelid
              FROM pg_catalog.pg_attrdef d WHERE pg_catalog.age(d.xmin) <= (SELECT age FROM mark)
               AND (SELECT catalogs IS NULL OR 'pg_catalog.pg_attrdef'::regclass = ANY (catalogs) FROM gate)
            UNION ALL
            SELECT 'pg_catalog.pg_class'::regclass, x.indrelid
              FROM pg_catalog.pg_index x WHERE pg_catalog.age(x.xmin) <= (SELECT age FROM mark)
               AND (SELECT catalogs IS NULL OR 'pg_catalog.pg_index'::regclass = ANY (catalogs) FROM gate)
            UNION ALL
            SELECT 'pg_catalog.pg_class'::regclass, r.ev_class
              FROM pg_catalog.pg_rewrite r WHERE pg_catalog.age(r.xmin) <= (SELECT age FROM mark)
               AND (SELECT catalogs IS NULL OR 'pg_catalog.pg_rewrite'::regclass = ANY (catalogs) FROM gate)
            UNION ALL
            SELECT 'pg_catalog.pg_class'::regclass, i.inhrelid
              FROM pg_catalog.pg_inherits i WHERE pg_catalog.age(i.xmin) <= (SELECT age FROM mark)
               AND (SELECT catalogs IS NULL OR 'pg_catalog.pg_inherits'::regclass = ANY (catalogs) FROM gate)
            UNION ALL
            SELECT 'pg_catalog.pg_class'::regclass, s.seqrelid
              FROM pg_catalog.pg_sequence s WHERE pg_catalog.age(s.xmin) <= (SELECT age FROM mark)
               AND (SELECT catalogs IS NULL OR 'pg_catalog.pg_sequence'::regclass = ANY (catalogs) FROM gate)
            UNION ALL
            SELECT 'pg_catalog.pg_type'::regclass, e.enumtypid
              FROM pg_catalog.pg_enum e WHERE pg_catalog.age(e.xmin) <= (SELECT age FROM mark)
               AND (SELECT catalogs IS NULL OR 'pg_catalog.pg_enum'::regclass = ANY (catalogs) FROM gate)
            UNION ALL
            SELECT 'pg_catalog.pg_type'::regclass, r.rngtypid
              FROM pg_catalog.pg_range r WHERE pg_catalog.age(r.xmin) <= (SELECT age FROM mark)
               AND (SELECT catalogs IS NULL OR 'pg_catalog.pg_range'::regclass = ANY (catalogs) FROM gate)
            UNION ALL
            SELECT 'pg_catalog.pg_proc'::regclass, a.aggfnoid
              FROM pg_catalog.pg_aggregate a WHERE pg_catalog.age(a.xmin) <= (SELECT age FROM mark)
               AND (SELECT catalogs IS NULL OR 'pg_catalog.pg_aggregate'::regclass = ANY (catalogs) FROM gate)) w (cls, obj)
), mapped AS (
    SELECT w.tag, w.id, w.cls, w.obj, o.owner, o.kind
      FROM written w
      LEFT JOIN LATERAL (
/*owner*/
      ) o (owner, kind) ON true
), dependent (cls, obj) AS (
    -- what names a changed object: a view of a table, a foreign key to it, a column or domain of
    -- a type, a trigger of a function, a sequence owned by a column, a default calling a sequence
    -- (PostgreSQL writes their text anew when it is renamed)
    -- (LATERAL: one index lookup per changed object, whatever the plan expects)
    -- (the changed owners, and the objects outside the managed schemas or moved out of them)
    SELECT DISTINCT d.classid, d.objid
      FROM (SELECT CASE WHEN kind IN ('r', 'v', 's') THEN 'pg_catalog.pg_class'::regclass
                        WHEN kind = 't' THEN 'pg_catalog.pg_type'::regclass
                        WHEN kind = 'f' THEN 'pg_catalog.pg_proc'::regclass
                        WHEN kind = 'l' THEN 'pg_catalog.pg_collation'::regclass END, owner
              FROM mapped WHERE owner IS NOT NULL
            UNION
            SELECT cls, obj FROM mapped
             WHERE owner IS NULL
               AND cls IN ('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_type'::regclass, 'pg_catalog.pg_proc'::regclass,
                           'pg_catalog.pg_collation'::regclass)
           ) m (cls, obj)
     CROSS JOIN LATERAL (
           SELECT d.classid, d.objid FROM pg_catalog.pg_depend d
            WHERE d.refclassid = m.cls AND d.refobjid = m.obj AND d.deptype IN ('n', 'a')
           OFFSET 0) d
     WHERE NOT (SELECT all_rows FROM listing)
)
SELECT tag, id, owner, kind FROM mapped
UNION ALL
SELECT DISTINCT NULL, NULL, o.owner, o.kind
  FROM dependent w
  CROSS JOIN LATERAL (
/*owner*/
  ) o (owner, kind)
UNION ALL SELECT tag, n::text, NULL, 'count' FROM counted
UNION ALL SELECT 'comment', n::text, NULL, 'count' FROM comments WHERE (SELECT catalogs IS NULL OR 'pg_catalog.pg_description'::regclass = ANY (catalogs) FROM gate)
-- the next transaction id in this reading's snapshot: rows written after it carry it or a later one
UNION ALL SELECT NULL, pg_catalog.txid_snapshot_xmax(pg_catalog.txid_current_snapshot())::text, NULL, 'mark'
