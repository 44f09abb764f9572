-- Already part of V1 on MariaDB, whose schema starts at the state PostgreSQL reaches with V4.
-- This version exists so that every dialect's schema has the same version number.
DO 0;
