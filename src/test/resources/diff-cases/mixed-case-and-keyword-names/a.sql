CREATE TABLE "Units" (id int PRIMARY KEY, "left" text, "Symbol" text); INSERT INTO "Units" VALUES (1, 'a', 'm');
