CREATE TYPE side AS ENUM ('left', 'right'); CREATE TYPE pair AS (s side, n int);
