-- Bytes per row: the rows' own size (pg_column_size of the whole row, the tuple as stored without its header) and
-- each table's heap (with TOAST) and index bytes divided by its rows.
with t(name, kind) as (values ('eb_delivery', 'r'), ('eb_delivery_history', 'p'), ('eb_delivery_attempt', 'p')),
parts as (
    select t.name, coalesce(p.relid, t.name::regclass) as rel
      from t left join lateral pg_partition_tree(t.name::regclass) p on t.kind = 'p' and p.isleaf),
sizes as (
    select name, sum(pg_table_size(rel)) as heap, sum(pg_indexes_size(rel)) as idx from parts group by name),
counts as (
    select 'eb_delivery' as name, count(*) as n, avg(pg_column_size(x.*)) as row_bytes from eb_delivery x
    union all select 'eb_delivery_history', count(*), avg(pg_column_size(x.*)) from eb_delivery_history x
    union all select 'eb_delivery_attempt', count(*), avg(pg_column_size(x.*)) from eb_delivery_attempt x)
select s.name as "table", c.n as "rows", round(c.row_bytes) as "row bytes (pg_column_size)",
       pg_size_pretty(s.heap) as heap, pg_size_pretty(s.idx) as indexes,
       case when c.n > 0 then round(s.heap::numeric / c.n) end as "heap bytes/row",
       case when c.n > 0 then round(s.idx::numeric / c.n) end as "index bytes/row"
  from sizes s join counts c using (name) order by 1;
