CREATE TABLE t (id int NOT NULL, v text, CONSTRAINT pk_t PRIMARY KEY (id));
