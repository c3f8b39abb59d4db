"""Lines of the extractor's output that are not the article's text: link lists, furniture, date lines, the
headline and lead again above the text, the other stories' box, promotions, credits and bios under it."""

from __future__ import annotations

import re

from scrapers.dates import parse_vietnamese
from scrapers.page import norm, squash

MD_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
LINK_SHARE_ITEM, LINK_SHARE_PARA = 0.5, 0.8


def unlinked(text: str) -> str:
    """trafilatura's text with its [text](url) link mark-up reduced to the text."""
    return MD_LINK.sub(lambda m: m.group(1), text)


def link_free(text: str) -> list[str]:
    """Paragraphs of trafilatura's output (links marked up as [text](url)) without link lists.

    A list item that is mostly a link ("- Politik: [Weitere Meldung](...)") or a paragraph that is almost all
    link ("Lesen Sie auch: [...]") points elsewhere: related-news boxes inside the article container.
    """
    out = []
    for line in re.split(r"\n+", text):
        linked = sum(len(m.group(1)) for m in MD_LINK.finditer(line))
        para = norm(unlinked(line))
        if not para:
            continue
        share = linked / max(1, len(para.lstrip("- ")))
        if share >= (LINK_SHARE_ITEM if para.startswith("- ") else LINK_SHARE_PARA):
            continue
        out.append(para)
    return out


PROMO = re.compile(
    r"newsletter|abonnier|abonnement|abonnés|subscribe (?:now|to|here|today)|whatsapp|telegram|google news|"
    r"copyright|©|ⓒ|all rights reserved|sign up|signing up|einloggen|comment policy|commenting|kommentar abgeben|"
    r"bản quyền|theo dõi (?:báo|chúng tôi|kênh|fanpage)|trên (?:google news|zalo|fanpage)|đăng ký nhận|"
    r"read more|lesen sie auch|mehr zum thema|click here|klicken sie|fehler gefunden|\[comments\]|"
    r"follow (?:us|[A-Z][\w.]+ on)|social media", re.I)


FURNITURE_LINE = re.compile(
    r"(?:advertisement|anzeige|werbung|quảng cáo|article content|recommended videos?|auch interessant|"
    r"(?:read more|lesen sie (?:auch|mehr)|mehr zum thema|xem thêm|đọc thêm|tin liên quan|most read|sign up|"
    r"our standards|for more stories like this|enjoying our latest content|log in or create an account|"
    r"click here|hier klicken|bấm vào đây|hat ihnen dieser artikel gefallen|this is a breaking news? story|"
    r"we independently select|join thought-provoking conversations|subscribe\b)\b.*|"
    r".*(?:story continues below|join our commenting forum|get in touch with our news team|newsletter|news-app|"
    r"google news).*)",
    re.I)


NOTICE = re.compile(  # the site's notices about consent, accounts, affiliate links and translations
    r"externen? Inhalt|einverstanden, dass|Drittplattformen|compartir tu cuenta|compartiendo tu cuenta|"
    r"affiliate commission|special offers, promotions|invest in journalism|your consent|"
    r"privacy (?:settings|preferences)|Partnermarke|maschinelle Übersetzung", re.I)


def furniture_line(para: str) -> bool:
    """A line of the page's furniture inside the text: "Advertisement", "Read more: ...", "Sign up for
    ...", "Auch interessant", a newsletter offer, a notice asking consent for an embedded post."""
    return (len(para) < 160 and FURNITURE_LINE.fullmatch(para.strip("- ")) is not None) or (
        len(para) < 500 and NOTICE.search(para) is not None)


CREDITS = re.compile(  # the agency's credit line under a wire story
    r"^(?:\(?reporting by|writing by|editing by|additional reporting|with (?:files|reporting) from|"
    r"mit (?:informationen|material) (?:von|der)|(?:theo|nguồn) (?:ttxvn|vna)\b)|"
    r"\b(?:contributed (?:to )?this report|reported from [A-Z])", re.I)


MORE_BOX = re.compile(  # the heading of the other stories' box under an article ("More from X:" quotes X)
    r"(?:more from .{1,40}|more stories|you may also like|das könnte sie (?:auch )?interessieren|mehr aus .{1,40}|"
    r"(?:tin|bài) (?:cùng chuyên mục|liên quan|khác)|cùng chuyên mục)(?<!:)", re.I)


def trim_tail(body: list[str]) -> list[str]:
    """Drop the lines under the text: the other stories' box, newsletter and app offers, "follow us", copyright,
    the credit line."""
    box = next((i for i in range(len(body) // 2, len(body)) if len(body[i]) < 60 and MORE_BOX.fullmatch(body[i])),
               None)
    body = body[:box] if box else body
    end = len(body)
    while end > 1 and ((len(body[end - 1]) < 250 and PROMO.search(body[end - 1])) or (
            len(body[end - 1]) < 400 and CREDITS.search(body[end - 1]))):
        end -= 1
    return body[:end]


BIO_VERB = re.compile(r"\b(?:is|was|has|ist|war|hat|est|était|es|fue|là|từng|has covered|makes)\b")


def without_bios(body: list[str], authors: list[str]) -> list[str]:
    """Drop the author's biography under the text ("Ulrich Exner ist Korrespondent...", "X is a senior
    researcher..."): a closing paragraph that names an author near its start and says who they are."""
    if not authors or len(body) < 3:
        return body
    keep = len(body)
    for i in range(len(body) - 1, max(len(body) - 4, 0), -1):
        opening = body[i][:90]
        if len(body[i]) < 600 and any(a in opening for a in authors) and BIO_VERB.search(opening):
            keep = i
        else:
            break
    return body[:keep]


def in_figure(para: str, figures: str) -> bool:
    """A caption or photo credit that trafilatura kept as a paragraph: its text is part of a <figure>."""
    squashed = squash(para)
    return len(para) < 400 and len(squashed) >= 8 and squashed in figures


DATE_WORDS = re.compile(
    r"[\d\W_]+|\b(?:uhr|am|um|at|on|updated?|published|posted|veröffentlicht|aktualisiert|uppdaterad|publicerad|"
    r"oppdatert|publisert|opdateret|publiceret|publié|mis à jour|publicado|actualizado|pubblicato|aggiornato|"
    r"cập nhật|ngày|tháng|năm|lúc|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|gmt|utc|cet|cest|jst|ict|ist|est|edt|pst|pdt|bst)\b"
    r"|[年月日時分更新]", re.I)


DATE_SHAPE = re.compile(r"\d{1,2}[:.h]\d{2}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|[年月日]|[^\W\d]{3,}\.? \d{1,2},? \d{4}")


def date_line(para: str) -> bool:
    """A line that is only a date and time, in any language ("05.08.2024, 20:59 Uhr", "2025年1月14日 01時28分");
    not a table row of figures ("| 2019 | 15 | 20 |")."""
    return (len(para) < 70 and len(re.findall(r"\d+", para)) >= 3 and len(DATE_WORDS.sub("", para)) <= 3
            and DATE_SHAPE.search(para) is not None)


def trim_head(body: list[str], titles: set[str], lead: str, section: str | None) -> list[str]:
    """Drop the furniture an extractor keeps above the text: section label, headlines, date line, the lead again."""
    furniture = titles | {lead, section or ""}
    squashed_titles = [t for t in map(squash, titles) if len(t) >= 15]
    start = 0
    unread_lead = squash(lead)  # the lead again, maybe cut into lines: each line is the rest's beginning
    for para in body[:6]:
        short = len(para) < 90
        squashed = squash(para) if len(para) < 300 else ""
        kicker_and_title = any(t in squashed and len(squashed) - len(t) < 80 for t in squashed_titles)
        lead_line = len(squashed) >= 10 and unread_lead.startswith(squashed)
        if lead_line:
            unread_lead = unread_lead[len(squashed):]
        if para in furniture or kicker_and_title or lead_line or (
                short and (parse_vietnamese(para) is not None or date_line(para) or len(para.split()) <= 3)):
            start += 1
            continue
        break
    # the lead again a little further down, under a kicker line that stopped the trimming
    return [p for i, p in enumerate(body[start:]) if not (i < 4 and lead and p == lead)]
