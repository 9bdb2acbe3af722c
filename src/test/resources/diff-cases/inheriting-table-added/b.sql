CREATE TABLE base (id int); CREATE TABLE child (extra int) INHERITS (base);
