-- v_articles | grain: one row per canonical article (current version).
-- Adds the partner (outlet), local publication date parts (Asia/Ho_Chi_Minh) and syndication: a copy whose
-- original is in the warehouse has is_counted = false, so coverage counts the item once, credited to the original.
CREATE OR REPLACE VIEW v_articles AS
WITH sources AS (
    SELECT source_id, outlet AS partner, name AS source_name FROM sources
),
copies AS (
    SELECT copy_article_id, original_article_id, original_outlet FROM syndication
),
final AS (
    SELECT
        a.article_id, a.source_id, s.partner, s.source_name, a.canonical_url, a.title, a.lead, a.published,
        timezone('Asia/Ho_Chi_Minh', a.published)::DATE AS published_date,
        date_trunc('month', timezone('Asia/Ho_Chi_Minh', a.published))::DATE AS published_month,
        year(timezone('Asia/Ho_Chi_Minh', a.published)) AS year,
        quarter(timezone('Asia/Ho_Chi_Minh', a.published)) AS quarter,
        year(timezone('Asia/Ho_Chi_Minh', a.published)) || 'Q' || quarter(timezone('Asia/Ho_Chi_Minh', a.published)) AS period,
        a.format, a.language, a.authors, a.section, a.tags, a.images, a.videos, a.words, a.version,
        a.syndicated_from, c.original_article_id,
        c.copy_article_id IS NOT NULL AS is_copy,
        NOT (c.copy_article_id IS NOT NULL AND c.original_article_id IS NOT NULL) AS is_counted
    FROM articles a
    JOIN sources s USING (source_id)
    LEFT JOIN copies c ON c.copy_article_id = a.article_id
)
SELECT * FROM final;
COMMENT ON VIEW v_articles IS 'Bài hiện hành kèm đối tác, ngày đăng (giờ VN), kỳ, đăng lại | Current articles with partner, local date parts, period and syndication (is_counted: false for copies of an original we hold)';

-- v_article_themes | grain: one row per (article, theme) that the article carries.
-- The classifier's current assignment, overridden at once by the latest analyst verdict (theme_verdicts).
CREATE OR REPLACE VIEW v_article_themes AS
WITH model AS (
    SELECT article_id, theme_id, score, assigned, evidence, classifier_version
    FROM theme_assignments WHERE is_current
),
verdicts AS (
    SELECT article_id, theme_id, arg_max(verdict, decided_at) AS verdict, arg_max(analyst, decided_at) AS analyst
    FROM theme_verdicts GROUP BY article_id, theme_id
),
combined AS (
    SELECT
        coalesce(m.article_id, v.article_id) AS article_id,
        coalesce(m.theme_id, v.theme_id) AS theme_id,
        m.score, m.assigned AS model_assigned, v.verdict, v.analyst,
        coalesce(v.verdict, m.assigned, false) AS assigned,
        CASE WHEN v.verdict IS NOT NULL THEN 'analyst' ELSE 'model' END AS decided_by,
        m.evidence, m.classifier_version
    FROM model m
    FULL OUTER JOIN verdicts v ON v.article_id = m.article_id AND v.theme_id = m.theme_id
)
SELECT * FROM combined WHERE assigned;
COMMENT ON VIEW v_article_themes IS 'Chủ đề của từng bài (hiệu chỉnh của chuyên viên được ưu tiên) | Themes each article carries: the classifier, overridden by analyst verdicts';
