-- 002: operators record what became of a quarantined record (re-extracted after a hint fix, or dismissed).
ALTER TABLE quarantine ADD COLUMN resolved_at TIMESTAMPTZ;
ALTER TABLE quarantine ADD COLUMN resolution VARCHAR;
COMMENT ON COLUMN quarantine.resolution IS 'Cách xử lý bản ghi bị loại (nạp lại, bỏ qua) | What became of the record: reloaded, dismissed';

-- v_quarantine_open | grain: one row per quarantined record not yet resolved.
CREATE OR REPLACE VIEW v_quarantine_open AS
SELECT run_id, source_id, url, stage, reasons, quarantined_at, warc, warc_offset
FROM quarantine WHERE resolved_at IS NULL;
COMMENT ON VIEW v_quarantine_open IS 'Bản ghi bị loại chưa xử lý | Quarantined records awaiting an operator';
