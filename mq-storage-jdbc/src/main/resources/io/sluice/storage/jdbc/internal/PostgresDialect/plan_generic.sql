-- For this transaction only: use the statement's generic plan (built once per connection) instead
-- of planning it again for every call's parameters.
SET LOCAL plan_cache_mode = force_generic_plan
