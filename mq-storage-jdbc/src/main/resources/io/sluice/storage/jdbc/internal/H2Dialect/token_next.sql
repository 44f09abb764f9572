SELECT NEXT VALUE FOR ${schema}.mq_token_seq
