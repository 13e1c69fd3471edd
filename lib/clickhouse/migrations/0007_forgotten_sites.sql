-- Tombstones: the sites whose data was deleted, and up to when. The flusher stores no hit of a site stamped up to
-- `until`, so a queue message still on its way or a replayed dead letter cannot bring deleted data back, and it
-- takes such hits out of the batches kept in R2. Deleting a site sets `until` to the end of time (nothing of it is
-- stored again); deleting a site's data sets it to that moment (newer hits count). The latest `until` wins.
CREATE TABLE IF NOT EXISTS forgotten_sites
(
    site_id      String,
    until        DateTime64(3, 'UTC'),
    forgotten_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(until)
ORDER BY site_id;
