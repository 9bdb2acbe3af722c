CREATE TABLE "Units" (id int PRIMARY KEY, "left" text, "Symbol" text, "user" text); INSERT INTO "Units" VALUES (1, 'a', 'm', 'me'), (2, 'b', 's', NULL);
