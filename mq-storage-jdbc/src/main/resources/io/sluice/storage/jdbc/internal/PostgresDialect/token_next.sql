SELECT nextval('${schema}.mq_token_seq')
