"""What the officer-day browser tests share: the pages each role can reach (found by following
the links of the pages themselves, so a new page is covered without being listed), the text a
page shows, and the checks on that text (English left untranslated, raw ids) and on its
accessibility (axe-core)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from kervan.web.i18n_catalogs import po_path, read_catalog

# Links that are not pages to read: files, actions, the API, the public forms, and pages
# that only repeat another with a different filter.
SKIPPED_LINK = re.compile(
    r"^/(api|static|sign-out|verify|help|language)(/|$)|\.(csv|pdf|png|json|ya?ml|js)$|[?&]cursor="
)
MAX_PAGES_PER_ROLE = 40
SHOWN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-label")
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
RAW_REFERENCE = re.compile(r"\b(measure|person|document|benefit):[0-9a-z-]{6,}", re.I)
# English function words: two different ones in one piece of text of another language mean a
# sentence was built in English (Python's f-strings, a missing code).
ENGLISH_WORDS = re.compile(
    r"\b(the|of|and|by|with|from|between|was|has|been|this|which|not|expires|found|expected)\b"
)
# Words that are the same in English and the officer's language, or names of things.
SAME_WORDS = {"hu": {"not"}, "tr": set(), "az": set(), "uz": set()}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in SHOWN_ATTRIBUTES:
            if values.get(name):
                self.pieces.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.pieces.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.pieces.append(" ".join(data.split()))


def shown_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.pieces


def page_links(html: str, base: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    origin = urlsplit(base)
    found = []
    for href in parser.links:
        target = urlsplit(urljoin(base, href))
        if target.netloc != origin.netloc or not target.path.startswith("/"):
            continue
        path = target.path + (f"?{target.query}" if target.query else "")
        if not SKIPPED_LINK.search(path):
            found.append(path)
    return found


def crawl(request: Any, base: str, start: Iterable[str] = ("/",)) -> dict[str, str]:
    """Every page reachable from ``start`` by links, breadth first, at most
    ``MAX_PAGES_PER_ROLE``, with the HTML it answered (the language scan reads it again for
    the language it was read in); ``request`` is a signed-in Playwright APIRequestContext."""
    queue, seen, pages = list(start), set(start), {}
    while queue and len(pages) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        response = request.get(base + path)
        if not response.ok or "text/html" not in response.headers.get("content-type", ""):
            continue
        html = response.text()
        pages[response.url.removeprefix(base)] = html
        for link in page_links(html, response.url):
            bare = link.split("#")[0]
            if bare not in seen:
                seen.add(bare)
                queue.append(bare)
    return dict(sorted(pages.items()))


LANGUAGE_OF_PAGE = re.compile(r'<html\b[^>]*\blang="([a-z-]+)"')


def language_of(html: str) -> str | None:
    """The language a page says it is in (its ``<html lang>``)."""
    found = LANGUAGE_OF_PAGE.search(html)
    return found.group(1) if found else None


@dataclass
class Finding:
    page: str
    language: str
    kind: str
    text: str


@dataclass
class EnglishCatalog:
    """The English sentences the UI has, to find them on a page of another language."""

    language: str
    sentences: list[str] = field(default_factory=list)

    @classmethod
    def for_language(cls, code: str) -> EnglishCatalog:
        catalog = read_catalog(po_path(code), code)
        sentences = [
            str(m.id)
            for m in catalog
            if isinstance(m.id, str)
            and m.id
            and m.string
            and m.string != m.id
            and "%(" not in m.id
            and len(m.id.split()) >= 3
        ]
        return cls(code, sorted(sentences, key=len, reverse=True))


# An element that declares a language of its own (WCAG 3.1.2): text an officer wrote in another
# language, shown as such for want of a translation, or a language's name in the menu.
OTHER_LANGUAGE = re.compile(r'<(\w+)\b[^>]*\blang="(?P<lang>[a-z-]+)"[^>]*>.*?</\1>', re.S)


def without_other_languages(html: str, language: str) -> str:
    def keep(match: re.Match[str]) -> str:
        return match.group(0) if match.group("lang") == language else ""

    body = html[html.find("<body") :] if "<body" in html else html
    return OTHER_LANGUAGE.sub(keep, body)


def findings_on(
    page: str, html: str, language: str, english: EnglishCatalog | None
) -> list[Finding]:
    found: list[Finding] = []
    html = without_other_languages(html, language)
    same = SAME_WORDS.get(language, set())
    for piece in shown_text(html):
        if UUID.search(piece) or RAW_REFERENCE.search(piece):
            found.append(Finding(page, language, "raw id", piece))
        if english is None:
            continue
        words = {w.lower() for w in ENGLISH_WORDS.findall(piece)} - same
        if len(words) >= 2:
            found.append(Finding(page, language, "English", piece))
            continue
        for sentence in english.sentences:
            if sentence in piece:
                found.append(Finding(page, language, "untranslated", piece))
                break
    return found


SERIOUS = ("serious", "critical")


def serious_axe_violations(axe: Any, page: Any) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]
