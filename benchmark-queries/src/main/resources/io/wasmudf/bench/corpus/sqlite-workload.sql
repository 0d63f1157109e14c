CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB, created TEXT)
BEGIN
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) INSERT INTO t(name, score, data, created) SELECT 'name' || x, (x * 37 % 1000) / 10.0, CAST(printf('%08x', x * 2654435761 % 4294967296) AS BLOB), date('2024-01-01', '+' || (x % 365) || ' days') FROM c
COMMIT
SELECT count(*), sum(score), avg(score), min(name), max(name) FROM t
SELECT substr(name, 1, 5) AS g, count(*), round(avg(score), 3) FROM t GROUP BY g ORDER BY g LIMIT 10
CREATE INDEX t_score ON t(score)
SELECT id, score FROM t WHERE score BETWEEN 10 AND 10.5 ORDER BY score, id LIMIT 20
SELECT json_object('id', id, 'name', name, 'tags', json_array(score, created)) FROM t WHERE id % 1000 = 0
SELECT json_extract('{"a":[1,2,{"b":"x"}]}', '$.a[2].b'), (SELECT json_group_array(id) FROM t WHERE id < 10)
SELECT strftime('%Y-%m', created) AS m, count(*), sum(score) FROM t GROUP BY m ORDER BY m
SELECT date('2024-02-28', '+1 day'), julianday('2024-03-01') - julianday('2024-01-01'), datetime(1700000000, 'unixepoch'), strftime('%w %j', '2024-12-31')
SELECT hex(data), length(data), typeof(data) FROM t WHERE id IN (1, 2, 4999)
UPDATE t SET score = score * 2 WHERE id % 3 = 0
SELECT total(score), group_concat(id, ',') FROM (SELECT id, score FROM t WHERE id % 777 = 0)
SELECT id, sum(score) OVER (ORDER BY id ROWS 2 PRECEDING) FROM t WHERE id <= 5
SELECT * FROM missing_table
