-- v_event_timeliness | grain: programme x key event x source. Hours from the event's start to the source's
-- first article on it (published at or after the start, text matching one of the event's keywords).
CREATE OR REPLACE VIEW v_event_timeliness AS
WITH events AS (
    SELECT e.*, ps.source_id FROM programme_events e JOIN programme_sources ps USING (programme_id)
),
matches AS (
    SELECT e.programme_id, e.event_id, e.name AS event, e.starts_at, e.source_id, a.article_id, a.title, a.published
    FROM events e
    JOIN articles a ON a.source_id = e.source_id AND a.published >= e.starts_at
    WHERE len([kw FOR kw IN e.keywords IF contains(a.search_text, kw)]) > 0
),
first_pick AS (
    SELECT programme_id, event_id, event, starts_at, source_id,
           arg_min(article_id, published) AS first_article_id, arg_min(title, published) AS first_title,
           min(published) AS first_published, count(*) AS articles
    FROM matches GROUP BY ALL
)
SELECT f.*, s.outlet AS partner,
       round(epoch(f.first_published - f.starts_at) / 3600.0, 1) AS hours_to_first
FROM first_pick f JOIN sources s USING (source_id);
COMMENT ON VIEW v_event_timeliness IS 'Độ kịp thời: số giờ từ sự kiện đến bài đầu tiên của đối tác | Hours from a key event to each partner''s first article on it';

-- v_entities_top | grain: partner x period x entity (officials, bodies, positions) with article counts.
CREATE OR REPLACE VIEW v_entities_top AS
SELECT a.partner, a.period, e.kind, e.name, count(DISTINCT e.article_id) AS articles, sum(e.mentions) AS mentions
FROM entities e JOIN v_articles a USING (article_id)
WHERE a.is_counted
GROUP BY ALL;
COMMENT ON VIEW v_entities_top IS 'Nhân vật, cơ quan được đưa tin nhiều nhất | Officials and bodies covered, per partner and quarter';

-- v_run_summary | grain: run x source. What each nightly run did.
CREATE OR REPLACE VIEW v_run_summary AS
SELECT r.*, s.outlet AS partner FROM crawl_runs r LEFT JOIN sources s USING (source_id);
COMMENT ON VIEW v_run_summary IS 'Tóm tắt các lần chạy | Per run and source: discovered, fetched, quarantined, loaded';
