-- v_programme_periods | grain: programme x quarter (and x year) inside the programme's dates.
CREATE OR REPLACE VIEW v_programme_periods AS
WITH quarters AS (
    SELECT p.programme_id, 'quarter' AS period_kind,
           year(q) || 'Q' || quarter(q) AS period, q::DATE AS period_start,
           (q + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE AS period_end
    FROM programmes p,
         LATERAL (SELECT unnest(generate_series(date_trunc('quarter', p.start_date), p.end_date, INTERVAL 3 MONTH)) AS q)
),
years AS (
    SELECT p.programme_id, 'year' AS period_kind, y::VARCHAR AS period, make_date(y, 1, 1) AS period_start,
           make_date(y, 12, 31) AS period_end
    FROM programmes p, LATERAL (SELECT unnest(range(year(p.start_date), year(p.end_date) + 1)) AS y)
)
SELECT * FROM quarters UNION ALL SELECT * FROM years;
COMMENT ON VIEW v_programme_periods IS 'Các kỳ đánh giá của chương trình | Evaluation periods (quarters, years) of each programme';

-- v_target_attainment | grain: programme x period x target (theme/format/language, NULL = all).
CREATE OR REPLACE VIEW v_target_attainment AS
WITH targets AS (
    SELECT t.programme_id, t.period AS period_kind, t.theme_id, t.format, t.language, t.items,
           pp.period, pp.period_start, pp.period_end
    FROM programme_targets t
    JOIN v_programme_periods pp ON pp.programme_id = t.programme_id AND pp.period_kind = t.period
),
items AS (
    SELECT ps.programme_id, c.*
    FROM v_coverage_items c JOIN programme_sources ps USING (source_id)
),
actuals AS (
    SELECT t.programme_id, t.period, t.theme_id, t.format, t.language, t.items AS target,
           count(DISTINCT i.article_id) AS actual
    FROM targets t
    LEFT JOIN items i
      ON i.programme_id = t.programme_id
     AND i.published_date BETWEEN t.period_start AND t.period_end
     AND (t.theme_id IS NULL OR i.theme_id = t.theme_id)
     AND (t.format IS NULL OR i.format = t.format OR (t.format = 'photo_report' AND i.format = 'photo'))
     AND (t.language IS NULL OR i.language = t.language)
    GROUP BY ALL
)
SELECT *, round(actual / nullif(target, 0), 3) AS attainment, actual >= target AS met
FROM actuals;
COMMENT ON VIEW v_target_attainment IS 'Mức hoàn thành chỉ tiêu theo kỳ | Target attainment per programme, period, theme, format and language';

-- v_themes_under_target | grain: programme x period x agreed theme that missed its target (or has no item).
CREATE OR REPLACE VIEW v_themes_under_target AS
WITH agreed AS (
    SELECT pt.programme_id, pp.period, pt.theme_id
    FROM programme_themes pt JOIN v_programme_periods pp USING (programme_id)
    WHERE pp.period_kind = 'quarter'
),
theme_targets AS (
    SELECT programme_id, period, theme_id, sum(target) AS target, sum(actual) AS actual
    FROM v_target_attainment WHERE theme_id IS NOT NULL AND format IS NULL AND language IS NULL
    GROUP BY ALL
),
theme_items AS (
    SELECT ps.programme_id, c.period, c.theme_id, count(DISTINCT c.article_id) AS items
    FROM v_coverage_items c JOIN programme_sources ps USING (source_id)
    WHERE c.theme_id IS NOT NULL GROUP BY ALL
)
SELECT a.programme_id, a.period, a.theme_id, coalesce(ti.items, 0) AS items, tt.target,
       round(coalesce(ti.items, 0) / nullif(tt.target, 0), 3) AS attainment
FROM agreed a
LEFT JOIN theme_targets tt USING (programme_id, period, theme_id)
LEFT JOIN theme_items ti USING (programme_id, period, theme_id)
WHERE coalesce(ti.items, 0) = 0 OR coalesce(ti.items, 0) < coalesce(tt.target, 0);
COMMENT ON VIEW v_themes_under_target IS 'Chủ đề chưa đạt chỉ tiêu hoặc chưa có bài | Agreed themes under target (or with no item) per quarter';
