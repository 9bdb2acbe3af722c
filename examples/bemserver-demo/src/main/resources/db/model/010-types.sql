-- Types of the bemserver-demo schema at head (revision 7).
CREATE TYPE event_level AS ENUM ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL');
