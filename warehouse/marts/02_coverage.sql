-- v_coverage_items | grain: one row per (counted article, theme). Syndicated copies of an original we hold
-- are left out (the original carries the item); articles with no theme appear once with theme_id NULL.
CREATE OR REPLACE VIEW v_coverage_items AS
WITH counted AS (
    SELECT * FROM v_articles WHERE is_counted
),
themed AS (
    SELECT c.*, t.theme_id, t.decided_by
    FROM counted c LEFT JOIN v_article_themes t USING (article_id)
)
SELECT * FROM themed;
COMMENT ON VIEW v_coverage_items IS 'Bài được tính (mỗi bài một lần) x chủ đề | Counted articles x themes (copies counted once, credited to the original)';

-- coverage_daily | grain: partner x source x theme x day x format x language.
CREATE OR REPLACE VIEW coverage_daily AS
SELECT partner, source_id, theme_id, published_date AS day, format, language, count(*) AS items
FROM v_coverage_items
GROUP BY ALL;
COMMENT ON VIEW coverage_daily IS 'Số tin bài theo đối tác, chủ đề, ngày, thể loại, ngôn ngữ | Items per partner x theme x day x format x language';

-- coverage_monthly | grain: partner x source x theme x month.
CREATE OR REPLACE VIEW coverage_monthly AS
SELECT partner, source_id, theme_id, year, published_month AS month, count(*) AS items,
       count(*) FILTER (WHERE format = 'news') AS news,
       count(*) FILTER (WHERE format = 'article') AS articles,
       count(*) FILTER (WHERE format IN ('photo', 'photo_report')) AS photo_reports,
       count(*) FILTER (WHERE format = 'video') AS videos,
       count(*) FILTER (WHERE format = 'infographic') AS infographics
FROM v_coverage_items
GROUP BY ALL;
COMMENT ON VIEW coverage_monthly IS 'Số tin bài theo đối tác, chủ đề, tháng (kèm thể loại) | Items per partner x theme x month, split by format';

-- coverage_quarterly | grain: partner x source x theme x quarter (period like 2021Q3).
CREATE OR REPLACE VIEW coverage_quarterly AS
SELECT partner, source_id, theme_id, year, quarter, period, count(*) AS items
FROM v_coverage_items
GROUP BY ALL;
COMMENT ON VIEW coverage_quarterly IS 'Số tin bài theo đối tác, chủ đề, quý | Items per partner x theme x quarter';
