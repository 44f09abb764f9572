-- UTC whatever the session's time zone (the columns hold UTC; see MariaDbDialect).
SELECT UTC_TIMESTAMP(6)
