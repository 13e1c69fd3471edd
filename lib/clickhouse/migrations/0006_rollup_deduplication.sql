-- The flusher sends each batch with an insert_deduplication_token and deduplicate_blocks_in_dependent_materialized_views = 1,
-- so a batch written again (a retry after a timeout, a redelivery of the same messages) adds no second block to the
-- sessions and pages tables either. ClickHouse Cloud's shared tables keep the block ids to check against by default;
-- a self-hosted non-replicated table keeps them only with this window, as events and dropped_hits already do.
ALTER TABLE sessions MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE pages MODIFY SETTING non_replicated_deduplication_window = 1000;
