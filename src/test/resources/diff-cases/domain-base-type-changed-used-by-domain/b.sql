CREATE DOMAIN amount AS numeric(10,2) CHECK (VALUE >= 0);
CREATE DOMAIN price AS amount DEFAULT 1 CHECK (VALUE < 1000);
CREATE DOMAIN discounted AS price NOT NULL;
CREATE TABLE t (id int, p price, d discounted DEFAULT 0, a amount); INSERT INTO t VALUES (1, 5, 3, 7);
CREATE VIEW v AS SELECT p, d FROM t;
