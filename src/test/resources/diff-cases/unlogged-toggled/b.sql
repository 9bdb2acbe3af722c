CREATE UNLOGGED TABLE cache (k text);
