"""Extraction: every field of every demo page exact, Vietnamese dates and bylines, syndication, layout changes."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from phoihop.config import Hints
from phoihop.demo_portals import build_pages, load_articles
from scrapers.bylines import Byline, parse_line
from scrapers.dates import parse_vietnamese
from scrapers.extract import Context, LayoutChanged, extract

VN = dt.timezone(dt.timedelta(hours=7))
PORTALS, ARTICLES = load_articles()
PAGES = {p.url: p for p in build_pages()}
OUTLETS = frozenset(p["outlet"].casefold() for p in PORTALS.values())


@pytest.mark.parametrize("article", ARTICLES, ids=[a.slug[:40] for a in ARTICLES])
def test_demo_page_fields_exact(article) -> None:  # type: ignore[no-untyped-def]
    page = PAGES[article.url]
    got = extract(page.body, article.url, Context(outlets=OUTLETS), page.content_type)
    assert got.title == article.title
    assert got.lead == article.lead
    assert got.body == "\n\n".join(article.body)
    assert got.published == article.published
    assert got.author == article.author.split(":", 1)[-1].strip()
    assert got.format == article.format
    assert got.images == len(article.images)
    assert got.videos == int(article.video)
    assert got.language == "vi"
    expected_source = article.source_line.split(":", 1)[1].strip() if article.source_line else None
    assert got.syndicated_from == expected_source


@pytest.mark.parametrize(("line", "expected"), [
    ("Thứ Năm, 08/12/2016|18:36", dt.datetime(2016, 12, 8, 18, 36, tzinfo=VN)),
    ("Thứ sáu, 10/04/2020 07:56", dt.datetime(2020, 4, 10, 7, 56, tzinfo=VN)),
    ("Thứ sáu, ngày 9 tháng 7 năm 2021 | 18:51:51", dt.datetime(2021, 7, 9, 18, 51, 51, tzinfo=VN)),
    ("Cập nhật: 18:36 08/12/2016", dt.datetime(2016, 12, 8, 18, 36, tzinfo=VN)),
    ("09/07/2021 - 08:15 (GMT+7)", dt.datetime(2021, 7, 9, 8, 15, tzinfo=VN)),
    ("Ngày 9/7/2021", dt.datetime(2021, 7, 9, tzinfo=VN)),
])
def test_vietnamese_date_lines(line: str, expected: dt.datetime) -> None:
    got = parse_vietnamese(line)
    assert got == expected and got is not None and got.utcoffset() == dt.timedelta(hours=7)


@pytest.mark.parametrize(("line", "expected"), [
    ("Hoàng Mẫn", Byline(author="Hoàng Mẫn")),
    ("HẢI NAM", Byline(author="HẢI NAM")),
    ("P.V", Byline(author="P.V")),
    ("Ảnh: QUANG HUY", Byline(author="QUANG HUY")),
    ("Minh Anh (tổng hợp)", Byline(author="Minh Anh")),
    ("Theo Thu Hằng", Byline(author="Thu Hằng")),
    ("Theo TTXVN", Byline(syndicated_from="TTXVN")),
    ("Theo hanoimoi.com.vn", Byline(syndicated_from="hanoimoi.com.vn")),
    ("Nguồn: Báo điện tử Đảng Cộng sản Việt Nam", Byline(syndicated_from="Báo điện tử Đảng Cộng sản Việt Nam")),
    ("(Theo Báo Nhân Dân)", Byline(syndicated_from="Báo Nhân Dân")),
])
def test_bylines_and_source_lines(line: str, expected: Byline) -> None:
    assert parse_line(line, OUTLETS) == expected


@pytest.mark.parametrize("line", [
    "Báo điện tử Đảng Cộng sản Việt Nam",  # the outlet is not an author
    "Thành phố tiếp tục duy trì các trạm y tế lưu động.",
    "Tin cùng chuyên mục",
])
def test_not_a_byline(line: str) -> None:
    assert parse_line(line, OUTLETS) is None


def test_syndicated_copy_names_its_source() -> None:
    copy = next(a for a in ARTICLES if a.copy_of)
    got = extract(PAGES[copy.url].body, copy.url, Context(outlets=OUTLETS))
    assert got.syndicated_from == "Báo điện tử Đảng Cộng sản Việt Nam"
    assert "Nguồn:" not in got.body, "the source line is not body text"
    assert got.author == copy.author, "the copy keeps the original's byline"


def test_layout_change_raises_named_error() -> None:
    article = next(a for a in ARTICLES if a.portal == "sggp")  # sggp pages have no h1.detail-title
    ctx = Context(source="dcs_tphcm", hints=Hints(title="h1.detail-title"), outlets=OUTLETS)
    with pytest.raises(LayoutChanged) as err:
        extract(PAGES[article.url].body, article.url, ctx)
    assert err.value.source == "dcs_tphcm" and err.value.field == "title"
    assert "layout changed at source 'dcs_tphcm'" in str(err.value)


def test_hints_still_matching_are_used() -> None:
    article = next(a for a in ARTICLES if a.portal == "dcs")
    ctx = Context(source="dcs_tphcm", hints=Hints(title="h1.detail-title", date=".detail-date"), outlets=OUTLETS)
    got = extract(PAGES[article.url].body, article.url, ctx)
    assert got.title == article.title and got.published == article.published


def test_extract_cli_prints_one_json_object_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from phoihop.cli import main

    files = []
    for article in ARTICLES[:2]:
        path = tmp_path / f"{article.slug}.html.gz"
        path.write_bytes(gzip.compress(PAGES[article.url].body))
        files.append(str(path))
    assert main(["extract", *files]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["file"] for x in lines] == files
    assert [x["title"] for x in lines] == [a.title for a in ARTICLES[:2]]
    assert set(lines[0]) >= {"file", "url", "title", "lead", "body", "published", "modified", "author", "section",
                             "tags", "language", "images", "videos", "format", "syndicated_from"}


@pytest.mark.parametrize(("raw", "expected"), [
    ("Von Holger Zschäpitz", ["Holger Zschäpitz"]),
    ("By Shawn Pogatchnik", ["Shawn Pogatchnik"]),
    ("Felix Schröder und Jörg Soldwisch, dpa", ["Felix Schröder", "Jörg Soldwisch", "dpa"]),
    ("Daniel Großert Redakteur", ["Daniel Großert"]),
    ("Minh Anh", ["Minh Anh"]),
])
def test_metadata_author_strings_are_split_into_names(raw: str, expected: list[str]) -> None:
    from scrapers.bylines import split_authors

    assert split_authors(raw) == expected


def _page(head: str, body: str) -> bytes:
    return f"<!doctype html><html lang='vi'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


PARAS = "".join(f"<p>Đoạn {i}: Thành phố tiếp tục triển khai các giải pháp chuyển đổi số trong quản lý đô thị, "
                f"nâng cao chất lượng phục vụ người dân và doanh nghiệp trên địa bàn.</p>" for i in range(6))


@pytest.mark.parametrize(("head", "expected"), [
    # the site name glued to og:title is dropped; HTML entities in JSON-LD are decoded
    ("<meta property='og:site_name' content='Báo Sài Gòn'>"
     "<meta property='og:title' content='Khai mạc hội nghị | Báo Sài Gòn'>",
     "Khai mạc hội nghị"),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "&quot;Xanh&quot; ho&#225; giao th&ocirc;ng"}'
     "</script><title>Khác - Báo X</title>", '"Xanh" hoá giao thông'),
    # no metadata: the <title> without the host's name
    ("<title>Khai mạc hội nghị - saigon.example</title>", "Khai mạc hội nghị"),
    # a section label glued to the JSON-LD headline, absent from og:title
    ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Khai mạc hội nghị báo chí | Thời sự"}'
     "</script><meta property='og:title' content='Khai mạc hội nghị báo chí'>", "Khai mạc hội nghị báo chí"),
    # a Korean site's "ㅣ" is a pipe
    ("<meta property='og:site_name' content='한국일보'><meta property='og:title' content='장동혁 대표 기자회견ㅣ한국일보'>",
     "장동혁 대표 기자회견"),
])
def test_headline_without_site_name_or_entities(head: str, expected: str) -> None:
    got = extract(_page(head, f"<article>{PARAS}</article>"), "https://saigon.example/tin/1.html")
    assert got.title == expected


def test_site_names_match_without_diacritics_and_with_umlauts_spelt_out() -> None:
    from scrapers.page import is_site_name

    assert is_site_name("Báo điện tử Đảng Cộng sản Việt Nam", {"dangcongsan.vn", "dangcongsan"})
    assert is_site_name("Börsen-Zeitung", {"boersen-zeitung.de", "boersen-zeitung"})
    assert not is_site_name("Steigende Zinsen", {"boersen-zeitung.de", "boersen-zeitung"})


def test_json_ld_people_are_authors_and_the_outlet_is_not() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "T", "publisher": '
          '{"@type": "Organization", "name": "Báo Sài Gòn"}, "author": [{"@type": "Person", "name": "Lan Anh"}, '
          '{"@type": "Person", "givenName": "Quốc", "familyName": "Hùng"}, '
          '{"@type": "Organization", "name": "Báo Sài Gòn"}]}'
          "</script>")
    got = extract(_page(ld, f"<article>{PARAS}</article>"), "https://saigon.example/tin/1.html")
    assert got.authors == ("Lan Anh", "Quốc Hùng")


def test_printed_byline_is_read_name_by_name_not_glued() -> None:
    byline = "<div class='byline'><span>Dan Jervis-Bardy</span><span>The West Australian</span></div>"
    head = "<meta property='og:site_name' content='The West Australian'><meta property='og:title' content='T'>"
    got = extract(_page(head, f"{byline}<article>{PARAS}</article>"), "https://thewest.example/news/1")
    assert got.authors == ("Dan Jervis-Bardy",)


def test_lead_is_the_sapo_that_the_page_describes_not_any_teaser() -> None:
    sapo = "Sáng nay, Thành ủy TP Hồ Chí Minh tổ chức hội nghị quán triệt nghị quyết về chuyển đổi số."
    head = f"<meta name='description' content='{sapo}'><meta property='og:title' content='T'>"
    teaser = "<div class='teaser'>Tin khác: Giá vàng hôm nay tăng mạnh theo thị trường thế giới, vượt mốc mới.</div>"
    got = extract(_page(head, f"{teaser}<article><div class='sapo'>{sapo}</div>{PARAS}</article>"),
                  "https://saigon.example/tin/1.html")
    assert got.lead == sapo
    assert "Giá vàng" not in got.text
    head_no_desc = "<meta property='og:title' content='T'>"
    got = extract(_page(head_no_desc, f"{teaser}<article>{PARAS}</article>"), "https://saigon.example/tin/2.html")
    assert got.lead == "" and "Giá vàng" not in got.lead


def test_body_hint_gives_the_hinted_paragraphs() -> None:
    page = _page("<meta property='og:title' content='T'>",
                 f"<div class='menu'><p>Trang chủ</p></div><div class='noi-dung'>{PARAS}<ul><li>Một mục</li></ul></div>")
    got = extract(page, "https://saigon.example/tin/1.html", Context(source="x", hints=Hints(body=".noi-dung")))
    assert got.body.split("\n\n")[0].startswith("Đoạn 0:") and got.body.endswith("Một mục")
    assert "Trang chủ" not in got.body
    with pytest.raises(LayoutChanged):
        extract(page, "https://saigon.example/tin/1.html", Context(source="x", hints=Hints(body=".khong-co")))


def test_fast_extraction_is_rechecked_when_it_looks_wrong() -> None:
    from scrapers.blocks import Paragraphs, needs_full_mode

    longest = "Ủy ban nhân dân thành phố ban hành kế hoạch thực hiện chương trình phối hợp truyền thông năm 2021 " * 2
    page = Paragraphs(root=None, chars=3000, longest=longest)
    good = "Mở đầu bài viết.\n" + longest + "\n" + "Đoạn tiếp theo của bài. " * 60
    assert not needs_full_mode(good, page)
    assert needs_full_mode("Trang chủ\nThời sự\nKinh tế " * 60, page)  # a long menu without the article's text
    assert needs_full_mode(good[:500], page)  # under 30% of the page's paragraph text
    assert needs_full_mode(good, Paragraphs(root=None, chars=0, longest=""))  # no <p> to check against


def test_promotional_lines_under_the_text_are_not_body_and_the_byline_above_them_is_read() -> None:
    tail = ("<p>HẢI NAM</p><p>Theo dõi Báo Sài Gòn trên Google News để cập nhật tin tức mới nhất.</p>"
            "<p>© Bản quyền thuộc về Báo Sài Gòn.</p>")
    page = _page("<meta property='og:title' content='T'>", f"<article>{PARAS}{tail}</article>")
    got = extract(page, "https://saigon.example/tin/1.html", Context(outlets=frozenset({"báo sài gòn"})))
    assert got.body.endswith("trên địa bàn.") and "Google News" not in got.body and "Bản quyền" not in got.body
    assert got.authors == ("HẢI NAM",)


def test_vietnamese_site_name_is_recognised_without_diacritics_and_sapo_without_description() -> None:
    sapo = "Sáng 9/7, Thành ủy tổ chức hội nghị sơ kết công tác tuyên giáo 6 tháng đầu năm 2021."
    head = "<meta property='og:title' content='Sơ kết công tác tuyên giáo | Báo điện tử Đảng Cộng sản Việt Nam'>"
    got = extract(_page(head, f"<article><h2 class='detail-sapo'>{sapo}</h2>{PARAS}</article>"),
                  "https://dangcongsan.vn/tuyen-giao/so-ket-123.html")
    assert got.title == "Sơ kết công tác tuyên giáo"
    assert got.lead == sapo and not got.body.startswith(sapo)


def test_a_standfirst_without_a_telling_class_is_the_lead_when_the_description_prints_it() -> None:
    standfirst = ("Chiều 12/8, Ban Tuyên giáo Thành ủy tổ chức hội nghị giao ban báo chí, đánh giá kết quả "
                  "thực hiện chương trình phối hợp truyền thông 6 tháng đầu năm.")
    head = f"<meta name='description' content='{standfirst}'><meta property='og:title' content='T'>"
    got = extract(_page(head, f"<article><h1>T</h1><h2>{standfirst}</h2>{PARAS}</article>"),
                  "https://saigon.example/tin/4.html")
    assert got.lead == standfirst and standfirst not in got.body
    # a description that the page does not print is not made up into a lead
    got = extract(_page(head, f"<article><h1>T</h1>{PARAS}</article>"), "https://saigon.example/tin/5.html")
    assert got.lead == ""


def test_a_zone_less_time_is_vietnamese_only_on_a_vietnamese_page() -> None:
    dateline = "<div class='post-date'>Thứ sáu, 10/04/2020 07:56</div>"
    english = "".join(f"<p>Paragraph {i}: the city council approved the digital transformation plan for the "
                      f"district, officials said on Friday after a long debate.</p>" for i in range(6))

    def page(body: str) -> bytes:  # no lang attribute, no og:locale: the language is read from the text
        return f"<html><head><meta property='og:title' content='T'></head><body>{body}</body></html>".encode()

    vietnamese = extract(page(f"{dateline}<article>{PARAS}</article>"), "https://saigon.example/tin/6.html")
    assert vietnamese.language == "vi" and vietnamese.published == dt.datetime(2020, 4, 10, 7, 56, tzinfo=VN)
    other = extract(page(f"{dateline}<article>{english}</article>"), "https://news.example/a/6")
    assert other.language is None and other.published == dt.datetime(2020, 4, 10, 7, 56, tzinfo=dt.UTC)


def test_the_next_story_of_an_endless_scroll_is_not_part_of_the_article() -> None:
    other = "".join(f"<p>Tin khác {i}: đội tuyển bóng đá giành chiến thắng trong trận đấu tối qua tại sân "
                    f"vận động Mỹ Đình trước hàng chục nghìn khán giả.</p>" for i in range(12))
    head = "<meta property='og:title' content='Hội nghị giao ban báo chí quý III'>"
    body = (f"<article><h1>Hội nghị giao ban báo chí quý III</h1>{PARAS}</article>"
            f"<div class='under'><article><h1>Đội tuyển thắng lớn</h1>{other}</article></div>")
    got = extract(_page(head, body), "https://saigon.example/tin/7.html")
    assert got.body.startswith("Đoạn 0:") and "Tin khác" not in got.body
    # a page whose only <h1> is the site's logo keeps its article, even inside an <article> with a headline
    logo = f"<h1>Báo Sài Gòn</h1><article><h1>Đội tuyển thắng lớn</h1>{other}</article>"
    assert "Tin khác 0:" in extract(_page(head, logo), "https://saigon.example/tin/8.html").body


def test_an_article_shipped_inside_a_script_is_read() -> None:
    """A client-side rendered page: an empty shell, the article as HTML in a JSON string in a script."""
    html = "".join(f"<p class=\"editor-p\">{i}. {p}</p>" for i, p in enumerate(
        ["Sáng 9/7, Thành ủy tổ chức hội nghị sơ kết công tác tuyên giáo sáu tháng đầu năm 2021 tại hội trường.",
         "Hội nghị đánh giá kết quả thực hiện chương trình phối hợp truyền thông với các cơ quan báo chí.",
         "Các đại biểu thảo luận phương hướng nhiệm vụ sáu tháng cuối năm và các giải pháp trọng tâm."]))
    payload = json.dumps(json.dumps({"article": html}))  # escaped twice, as Next.js ships it
    page = _page("<meta property='og:title' content='T'>",
                 f"<div id='root'></div><script>self.__next_f.push([1,{payload}])</script>")
    got = extract(page, "https://saigon.example/tin/9.html")
    assert got.body.split("\n\n") == [p.split(">", 1)[1].removesuffix("</p")
                                      for p in html.split("</p>") if p]


def test_furniture_lines_inside_the_text_are_not_body() -> None:
    furniture = ["Advertisement", "Xem thêm: Hội nghị tổng kết năm 2020", "Đọc thêm", "Tin liên quan",
                 "Sign up for our daily newsletter", "Subscribe and you could win a car", "Cập nhật 18:36 08/12/2016"]
    body = PARAS.replace("</p>", "</p>" + "".join(f"<p>{f}</p>" for f in furniture), 1)
    got = extract(_page("<meta property='og:title' content='T'>", f"<article>{body}</article>"),
                  "https://saigon.example/tin/10.html")
    assert not any(f in got.body for f in furniture) and got.body.count("Đoạn") == PARAS.count("Đoạn")


def test_a_bold_name_above_the_text_is_the_author_and_not_body() -> None:
    page = _page("<meta property='og:title' content='T'>",
                 f"<article><p><strong>Mathatisi Sebusi/Mohalenyane Phakela</strong></p>{PARAS}</article>")
    got = extract(page, "https://saigon.example/tin/11.html")
    assert got.authors == ("Mathatisi Sebusi", "Mohalenyane Phakela") and got.body.startswith("Đoạn 0:")


@pytest.mark.parametrize("head", [
    "<meta name='author' content='Báo Sài Gòn'><meta name='author' content='신현주 기자'>",  # outlet first, reporter second
    "<meta name='cXenseParse:author' content='신현주'>",
])
def test_author_meta_tags_beyond_the_first(head: str) -> None:
    got = extract(_page(f"<meta property='og:site_name' content='Báo Sài Gòn'>{head}", f"<article>{PARAS}</article>"),
                  "https://saigon.example/tin/12.html")
    assert got.authors == ("신현주",)


def test_the_cms_admin_account_is_not_an_author() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "T", "author": '
          '{"@id": "https://saigon.example/author/admin/", "name": "Saigon D"}}</script>')
    byline = "<span class='author vcard'><a href='https://saigon.example/author/admin/'>Saigon D</a></span>"
    got = extract(_page(ld, f"{byline}<article><p><b>MTHOBISI SITHOLE</b></p>{PARAS}</article>"),
                  "https://saigon.example/tin/13.html")
    assert got.authors == ("MTHOBISI SITHOLE",)


def test_an_article_printed_in_several_containers_is_read_whole() -> None:
    """Long articles come in several containers of one kind; an extractor that keeps the first gets the rest."""
    from lxml import html as lxml_html

    from scrapers.blocks import paragraph_stats, with_chunks
    from scrapers.page import Boilerplate

    def chunk(part: int, cls: str = "body__inner-container") -> str:
        return f"<div class='{cls}'>" + "".join(
            f"<p>Phần {part}, đoạn {i}: Ban Tuyên giáo đánh giá kết quả thực hiện chương trình phối hợp truyền "
            f"thông với các cơ quan báo chí trên địa bàn trong năm qua.</p>" for i in range(5 - part)) + "</div>"

    doc = lxml_html.fromstring(f"<html><body>{chunk(4, 'intro')}{chunk(1)}<div class='grid'>{chunk(2)}</div>"
                               f"<div class='grid'>{chunk(3)}</div></body></html>")
    paras = paragraph_stats(doc, Boilerplate())
    first = [p.text_content() for p in paras.root.iter("p")] if paras.root is not None else []
    got = with_chunks(first, paras)
    assert [p.split(",")[0] for p in got] == ["Phần 1"] * 4 + ["Phần 2"] * 3 + ["Phần 3"] * 2  # not the intro
    assert with_chunks(got, paras) == got  # containers already read are not added twice


@pytest.mark.parametrize(("line", "is_date"), [
    ("05.08.2024, 20:59 Uhr", True), ("2025年1月14日 01時28分 (1月14日 01時40分更新)", True),
    ("Cập nhật lúc 18:36 ngày 08/12/2016", True), ("Năm 2024, 15 tỉnh đạt 100% kế hoạch", False),
    ("Uppdaterad 15.59 | Publicerad 14.14", True), ("17:41 JST, October 13, 2024", True),
    ("| 2019 | 15 | 20 |", False),
    ("Giai đoạn 2021-2025: 3 chương trình", False),
])
def test_date_lines_above_the_text_are_recognised_in_any_language(line: str, is_date: bool) -> None:
    from scrapers.cleanup import date_line

    assert date_line(line) is is_date


def test_another_storys_teaser_with_a_summary_is_removed_before_extraction() -> None:
    from lxml import html as lxml_html

    from scrapers.extract import _prune_for_extractor
    from scrapers.page import classed_elements

    summary = ("Một bài khác về giao thông đô thị, với đoạn tóm tắt dài kể lại toàn bộ nội dung chính của bài để "
               "mời bạn đọc bấm vào xem tiếp trên trang của báo.")
    doc = lxml_html.fromstring(
        f"<html><body><div id='bai'>{PARAS}</div><ul><li><a href='/tin/99.html'><p>TÓM TẮT: {summary}</p></a></li>"
        f"<li><a href='/tin/98.html'><p>Tin ngắn</p></a></li></ul></body></html>")
    root = doc.get_element_by_id("bai")
    _prune_for_extractor(doc, classed_elements(doc), root)
    text = doc.text_content()
    assert "TÓM TẮT" not in text and "Tin ngắn" in text and "Đoạn 5" in text  # a short linked title is left
    # a page whose whole article sits inside a link keeps it
    wrapped = lxml_html.fromstring(f"<html><body><a href='/x'><div id='bai'>{PARAS}</div></a></body></html>")
    _prune_for_extractor(wrapped, classed_elements(wrapped), wrapped.get_element_by_id("bai"))
    assert "Đoạn 5" in wrapped.text_content()


def test_credit_lines_author_bios_and_consent_notices_are_not_body() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "T", "author": '
          '{"@type": "Person", "name": "Lan Anh"}}</script>')
    notice = ("<p>An dieser Stelle finden Sie einen von unseren Redakteuren ausgewählten, externen Inhalt. "
              "Ich bin damit einverstanden, dass mir der externe Inhalt angezeigt wird.</p>")
    tail = ("<p>Reporting by Lan Anh in Hanoi; Editing by Minh Quân</p>"
            "<p>Lan Anh là phóng viên thường trú của báo tại Hà Nội, phụ trách mảng văn hóa – xã hội.</p>")
    body = PARAS.replace("</p>", "</p>" + notice, 1) + tail
    got = extract(_page(ld, f"<article>{body}</article>"), "https://saigon.example/tin/16.html")
    assert got.authors == ("Lan Anh",)
    assert got.body.split("\n\n")[-1].startswith("Đoạn 5:") and got.body.count("\n\n") == 5


def test_a_paragraph_the_extractor_dropped_for_its_links_is_put_back_in_place() -> None:
    from scrapers.blocks import with_dropped

    linked = ("Trước đó, Ban Tuyên giáo đã ký chương trình phối hợp với báo Sài Gòn, báo Hà Nội và đài phát thanh "
              "thành phố về truyền thông chuyển đổi số trong giai đoạn 2021–2025.")
    body = ["Đoạn mở đầu của bài viết.", "Đoạn cuối", "của bài, bị cắt thành hai dòng."]
    own = ((body[0], False), (linked, True), ("Đoạn cuối của bài, bị cắt thành hai dòng.", False))
    assert with_dropped(body, own) == [body[0], linked, *body[1:]]
    assert with_dropped([body[0], linked, *body[1:]], own) == [body[0], linked, *body[1:]]
    # a short data line of linked names goes back below the text, a short linked line above it does not
    data, byline = "Hà Nội: Ba Đình, Hoàn Kiếm, Tây Hồ", "von Engin Haupt, MDR"
    own = ((byline, True), (body[0], False), (data, True))
    assert with_dropped(body[:1], own) == [body[0], data]
    from lxml import html as lxml_html

    from scrapers.blocks import linked_text

    for markup, wanted in [("<p>Hà Nội: <a>Ba Đình</a>, <a>Hoàn Kiếm</a>, Tây Hồ</p>", True),
                           ("<p>Xem thêm: <a>Hội nghị tổng kết công tác tuyên giáo năm 2020</a></p>", False),
                           ("<p>Không có liên kết nào trong đoạn văn này cả.</p>", False)]:
        p = lxml_html.fragment_fromstring(markup)
        assert linked_text(p, p.text_content()) is wanted


def test_a_standfirst_right_under_the_headline_is_the_lead_even_when_the_description_differs() -> None:
    standfirst = "Ban Tuyên giáo Thành ủy tổ chức hội nghị giao ban báo chí quý III, đánh giá việc phối hợp truyền thông."
    head = "<meta name='description' content='Một mô tả khác hẳn do bộ phận SEO viết cho máy tìm kiếm đọc.'>"
    page = _page(head, f"<article><h1 class='text-3xl leading-none'>Giao ban báo chí quý III</h1><!-- x -->"
                       f"<div class='excerpt'>{standfirst}</div>{PARAS}</article>")
    got = extract(page, "https://saigon.example/tin/17.html")
    assert got.lead == standfirst and standfirst not in got.body  # and the Tailwind "leading-none" h1 is not it
    # a teaser under another heading is not the lead
    other = _page(head, f"<article><h1>Giao ban báo chí quý III</h1>{PARAS}</article>"
                        f"<section><h1>Tin khác</h1><div class='teaser'>{standfirst}</div></section>")
    assert extract(other, "https://saigon.example/tin/17.html").lead == ""


def test_a_lead_the_extractor_cut_into_lines_is_not_repeated_in_the_body() -> None:
    lines = ["Ban Tuyên giáo ký chương trình phối hợp", "với mười cơ quan báo chí", "trong giai đoạn 2021–2025"]
    page = _page("<meta property='og:title' content='T'>",
                 f"<article><p class='sapo'>{'<br>'.join(lines)}</p>{PARAS}</article>")
    got = extract(page, "https://saigon.example/tin/18.html")
    assert got.lead.split() == " ".join(lines).split()  # the line breaks separate words
    assert got.body.startswith("Đoạn 0:")


def test_a_kicker_line_with_the_social_headline_above_the_text_is_not_body() -> None:
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Tiêu đề cho máy tìm kiếm đọc"}'
            "</script><meta property='og:title' content='Giao ban báo chí quý III năm nay'>")
    body = f"<article><p>Tuyên giáo Giao ban báo chí quý III năm nay</p>{PARAS}<p>Bấm vào đây để xem toàn văn</p></article>"
    got = extract(_page(head, body), "https://saigon.example/tin/19.html")
    assert got.title == "Tiêu đề cho máy tìm kiếm đọc"
    assert got.body.startswith("Đoạn 0:") and got.body.endswith("trên địa bàn.")


def test_a_header_block_printing_date_headline_and_lead_gives_the_lead_alone() -> None:
    lead = "Ban Tuyên giáo Thành ủy tổ chức hội nghị giao ban báo chí quý III, đánh giá việc phối hợp truyền thông."
    head = (f"<meta property='og:title' content='Giao ban báo chí quý III năm 2024'>"
            f"<meta name='description' content='{lead}'>")
    block = f"<div class='teaser-header'>15.10.2024, 14:36 Thời sự &gt; Giao ban báo chí quý III năm 2024 {lead}</div>"
    got = extract(_page(head, f"<article>{block}{PARAS}</article>"), "https://saigon.example/tin/20.html")
    assert got.lead == lead and got.body.startswith("Đoạn 0:")


def test_trafilatura_reads_the_article_element_when_it_holds_the_text() -> None:
    from lxml import html as lxml_html

    from scrapers.blocks import paragraph_stats, scope
    from scrapers.page import Boilerplate

    related = "".join(f"<p>Tin khác {i}: một bài khác của chuyên mục.</p>" for i in range(3))
    doc = lxml_html.fromstring(f"<html><body><main><article>{PARAS}</article></main>"
                               f"<div class='x'>{related}</div></body></html>")
    scoped = scope(doc, paragraph_stats(doc, Boilerplate()))
    assert scoped is not doc and "Đoạn 5" in scoped.text_content() and "Tin khác" not in scoped.text_content()
    # an <article> that holds a small part of the page's paragraph text is not trusted with the page
    elsewhere = "".join(f"<div><p>Phần {i}: {'nội dung khác của trang. ' * 6}</p></div>" for i in range(10))
    thin = lxml_html.fromstring(f"<html><body><article>{PARAS}</article>{elsewhere}</body></html>")
    paras = paragraph_stats(thin, Boilerplate())
    assert paras.root is not None and paras.root.tag == "article" and scope(thin, paras) is thin


def test_the_other_stories_box_under_the_text_is_cut_at_its_heading() -> None:
    box = "<p>Tin cùng chuyên mục</p>" + "".join(
        f"<p>Tin {i}: Một bài khác cùng chuyên mục với đoạn giới thiệu dài hơn một chút để trông như đoạn văn.</p>"
        for i in range(3))
    got = extract(_page("<meta property='og:title' content='T'>", f"<article>{PARAS}{box}</article>"),
                  "https://saigon.example/tin/21.html")
    assert got.body.endswith("trên địa bàn.") and "Tin 0:" not in got.body
    # "More from X:" introduces a quote, which is text
    quoted = extract(_page("<meta property='og:title' content='T'>",
                           f"<article>{PARAS}<p>More from NBC's TODAY:</p>{PARAS}</article>"),
                     "https://saigon.example/tin/22.html")
    assert quoted.body.count("Đoạn 5:") == 2


def test_ruby_annotations_stay_in_their_line() -> None:
    ruby = "<ruby><rb>弾劾</rb><rp>（</rp><rt>だんがい</rt><rp>）</rp></ruby>"
    paras = PARAS.replace("<p>Đoạn 3:", f"<p>Đoạn 3: 尹氏は野党が政府高官や検事らへの\n{ruby}\n訴追案を提出した。", 1)
    got = extract(_page("<meta property='og:title' content='T'>", f"<article>{paras}</article>"),
                  "https://saigon.example/tin/23.html")
    assert "検事らへの 弾劾（だんがい） 訴追案" in got.body and got.body.count("\n\n") == 5


def test_json_ld_in_cdata_and_a_zone_less_time_with_a_zoned_twin() -> None:
    ld = ('<script type="application/ld+json">//<![CDATA[\n{"@type": "NewsArticle", "headline": "T", '
          '"datePublished": "2023-04-28 18:11:01.0"}\n//]]></script>')
    twin = "<meta name='date' content='2023-04-28T18:11:01+02:00'>"
    english = "".join(f"<p>Paragraph {i}: the city council approved the digital transformation plan for the "
                      f"district, officials said on Friday after a long debate.</p>" for i in range(6))
    page = f"<html lang='de'><head>{ld}{twin}</head><body><article>{english}</article></body></html>".encode()
    got = extract(page, "https://news.example/a/7")
    assert got.published == dt.datetime(2023, 4, 28, 18, 11, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    from lxml import html as lxml_html

    from scrapers.page import jsonld

    claim = page.replace(b'"@type": "NewsArticle"', b'"@type": "ClaimReview"')  # a fact-check's metadata
    assert jsonld(lxml_html.fromstring(claim)).get("datePublished") == "2023-04-28 18:11:01.0"
    alone = extract(page.replace(twin.encode(), b""), "https://news.example/a/7")
    assert alone.published == dt.datetime(2023, 4, 28, 18, 11, 1, tzinfo=dt.UTC)  # no zone anywhere: UTC
