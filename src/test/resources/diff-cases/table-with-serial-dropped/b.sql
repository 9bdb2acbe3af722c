CREATE TABLE keep (x int);
