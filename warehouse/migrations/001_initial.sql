-- 001: the phoihop warehouse. One row per canonical article (current version) plus its version history,
-- theme assignments with evidence, entities, syndication links, crawl runs, fetch log, validation, quarantine.

CREATE TABLE sources (
    source_id   VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    outlet      VARCHAR NOT NULL,
    base_url    VARCHAR NOT NULL,
    section     VARCHAR,
    language    VARCHAR NOT NULL,
    founded     DATE,
    checked     VARCHAR NOT NULL
);
COMMENT ON TABLE sources IS 'Nguồn tin (cổng/chuyên trang của đối tác) được thu thập | Partner portals and sections phoihop crawls (config/sources.yaml)';

CREATE TABLE themes (
    theme_id      VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    description   VARCHAR,
    theme_version VARCHAR NOT NULL
);
COMMENT ON TABLE themes IS 'Các chủ đề đã thống nhất trong chương trình phối hợp | The 16 agreed themes (config/themes.yaml)';

CREATE TABLE programmes (
    programme_id VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    parties      VARCHAR[] NOT NULL,
    start_date   DATE NOT NULL,
    end_date     DATE NOT NULL
);
COMMENT ON TABLE programmes IS 'Chương trình phối hợp truyền thông | Media-coordination programmes (config/programmes.yaml)';

CREATE TABLE programme_sources (
    programme_id VARCHAR NOT NULL,
    source_id    VARCHAR NOT NULL,
    PRIMARY KEY (programme_id, source_id)
);
COMMENT ON TABLE programme_sources IS 'Nguồn tin thuộc chương trình | Which sources each programme covers';

CREATE TABLE programme_themes (
    programme_id VARCHAR NOT NULL,
    theme_id     VARCHAR NOT NULL,
    PRIMARY KEY (programme_id, theme_id)
);
COMMENT ON TABLE programme_themes IS 'Chủ đề thống nhất trong chương trình | Agreed themes of each programme';

CREATE TABLE programme_targets (
    programme_id VARCHAR NOT NULL,
    period       VARCHAR NOT NULL,   -- 'quarter' or 'year'
    theme_id     VARCHAR,            -- NULL: all themes
    format       VARCHAR,            -- NULL: all formats
    language     VARCHAR,            -- NULL: all language editions
    items        INTEGER NOT NULL
);
COMMENT ON TABLE programme_targets IS 'Chỉ tiêu số lượng theo kỳ, chủ đề, thể loại, ngôn ngữ | Agreed volumes per period by theme, format and language';

CREATE TABLE programme_events (
    programme_id VARCHAR NOT NULL,
    event_id     VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    starts_at    TIMESTAMPTZ NOT NULL,
    theme_id     VARCHAR,
    keywords     VARCHAR[] NOT NULL,  -- lower-case, without diacritics (matched against articles.search_text)
    PRIMARY KEY (programme_id, event_id)
);
COMMENT ON TABLE programme_events IS 'Sự kiện trọng điểm để đo độ kịp thời | Key events against which pick-up speed is measured';

CREATE TABLE articles (
    article_id      VARCHAR PRIMARY KEY,   -- hash of the canonical URL
    source_id       VARCHAR NOT NULL,
    canonical_url   VARCHAR NOT NULL UNIQUE,
    url             VARCHAR NOT NULL,
    version         INTEGER NOT NULL,
    content_hash    VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,
    lead            VARCHAR,
    body            VARCHAR NOT NULL,
    published       TIMESTAMPTZ,
    modified        TIMESTAMPTZ,
    authors         VARCHAR[],
    section         VARCHAR,
    tags            VARCHAR[],
    language        VARCHAR,
    images          INTEGER,
    videos          INTEGER,
    format          VARCHAR NOT NULL,
    syndicated_from VARCHAR,
    words           INTEGER,
    search_text     VARCHAR,               -- title, lead and body without diacritics, for accent-insensitive search
    first_seen      TIMESTAMPTZ NOT NULL,
    last_loaded     TIMESTAMPTZ NOT NULL,
    run_id          VARCHAR NOT NULL,
    warc            VARCHAR,
    warc_offset     BIGINT
);
COMMENT ON TABLE articles IS 'Tin, bài (phiên bản hiện hành) | Articles, one row per canonical URL, current version';
COMMENT ON COLUMN articles.article_id IS 'Mã bài ổn định (băm URL chuẩn) | Stable id: hash of the canonical URL';
COMMENT ON COLUMN articles.format IS 'Thể loại: news, article, photo_report, video, infographic, megastory, audio | Format as the page presents it';
COMMENT ON COLUMN articles.syndicated_from IS 'Nguồn gốc khi bài đăng lại ("Nguồn: ...") | Outlet named as the source of a republished copy';

CREATE TABLE article_versions (
    article_id   VARCHAR NOT NULL,
    version      INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL,
    title        VARCHAR NOT NULL,
    lead         VARCHAR,
    body         VARCHAR NOT NULL,
    published    TIMESTAMPTZ,
    authors      VARCHAR[],
    loaded_at    TIMESTAMPTZ NOT NULL,
    run_id       VARCHAR NOT NULL,
    PRIMARY KEY (article_id, version)
);
COMMENT ON TABLE article_versions IS 'Lịch sử phiên bản khi trang bài thay đổi | Every version of an article, a new one each time its page changes';

CREATE TABLE theme_assignments (
    article_id         VARCHAR NOT NULL,
    theme_id           VARCHAR NOT NULL,
    article_version    INTEGER NOT NULL,
    classifier_version VARCHAR NOT NULL,
    score              DOUBLE NOT NULL,
    assigned           BOOLEAN NOT NULL,
    evidence           JSON,
    assigned_at        TIMESTAMPTZ NOT NULL,
    is_current         BOOLEAN NOT NULL,
    PRIMARY KEY (article_id, theme_id, classifier_version, article_version)
);
COMMENT ON TABLE theme_assignments IS 'Điểm và gán chủ đề kèm bằng chứng, theo phiên bản bộ phân loại | Theme scores, assignment and evidence per classifier version (is_current marks the live one)';

CREATE TABLE theme_verdicts (
    article_id VARCHAR NOT NULL,
    theme_id   VARCHAR NOT NULL,
    verdict    BOOLEAN NOT NULL,
    analyst    VARCHAR NOT NULL,
    note       VARCHAR,
    decided_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE theme_verdicts IS 'Hiệu chỉnh của chuyên viên (ghi đè bộ phân loại) | Analyst corrections; the latest verdict overrides the classifier in the marts';

CREATE TABLE entities (
    article_id VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,   -- PER, ORG, LOC, POSITION
    mentions   INTEGER NOT NULL,
    origin     VARCHAR NOT NULL,   -- 'ner' or 'gazetteer'
    PRIMARY KEY (article_id, name, kind)
);
COMMENT ON TABLE entities IS 'Nhân vật, cơ quan, chức danh được nhắc đến | Officials, bodies and places an article mentions';

CREATE TABLE syndication (
    copy_article_id     VARCHAR PRIMARY KEY,
    original_article_id VARCHAR,
    original_outlet     VARCHAR NOT NULL,
    marker              VARCHAR NOT NULL
);
COMMENT ON TABLE syndication IS 'Liên kết bài đăng lại -> bài gốc | Republished copy -> original (counted once, credited to the original)';

CREATE TABLE crawl_runs (
    run_id        VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    started       TIMESTAMPTZ,
    finished      TIMESTAMPTZ,
    status        VARCHAR NOT NULL,
    discovered    INTEGER,
    fetched       INTEGER,
    not_modified  INTEGER,
    failed        INTEGER,
    extracted     INTEGER,
    quarantined   INTEGER,
    loaded_new    INTEGER,
    loaded_changed INTEGER,
    message       VARCHAR,
    PRIMARY KEY (run_id, source_id)
);
COMMENT ON TABLE crawl_runs IS 'Tóm tắt mỗi lần chạy theo nguồn | Per run and source: counts and outcome';

CREATE TABLE fetch_log (
    run_id     VARCHAR NOT NULL,
    source_id  VARCHAR NOT NULL,
    url        VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,
    status     INTEGER,
    outcome    VARCHAR NOT NULL,
    bytes      BIGINT,
    elapsed_s  DOUBLE,
    retries    INTEGER,
    error      VARCHAR,
    fetched_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE fetch_log IS 'Nhật ký tải trang | Every HTTP request of every run: status, bytes, time, retries, error';

CREATE TABLE validation_results (
    run_id       VARCHAR NOT NULL,
    source_id    VARCHAR NOT NULL,
    suite        VARCHAR NOT NULL,
    expectation  VARCHAR NOT NULL,
    column_name  VARCHAR,
    success      BOOLEAN NOT NULL,
    unexpected   INTEGER,
    elements     INTEGER,
    validated_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE validation_results IS 'Kết quả kiểm định dữ liệu (Great Expectations) | Great Expectations results per run, source and expectation';

CREATE TABLE quarantine (
    run_id         VARCHAR NOT NULL,
    source_id      VARCHAR NOT NULL,
    url            VARCHAR NOT NULL,
    stage          VARCHAR NOT NULL,
    reasons        VARCHAR[] NOT NULL,
    record         JSON,
    warc           VARCHAR,
    warc_offset    BIGINT,
    quarantined_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, url, stage)
);
COMMENT ON TABLE quarantine IS 'Bản ghi bị loại (lý do, tham chiếu bản gốc) | Rejected records with the failed checks and the raw WARC reference';
