"""HTML article bodies (Zendesk, Intercom exports) -> Markdown, with a well-formedness check.

Browsers repair any HTML, so "does not parse" needs a definition a help-center
editor can act on. We use the standard library's tokenizer (``html.parser``) and
reject a body when

- markup is cut off (``<a href="...`` or ``<!--`` never closed), or
- an end tag has no matching open element, or closes an element other than the
  innermost one (``<b>text</i>``), or
- an element is never closed.

Void elements (``<br>``, ``<img>``...) and elements whose end tag HTML makes
optional (``<p>``, ``<li>``, table cells...) never count as unclosed. This accepts
everything a WYSIWYG editor writes and catches the truncated or hand-broken bodies
that would otherwise lose text silently.

The conversion keeps what the linter and the gap matcher need: paragraphs and
headings on their own lines, list items as ``- ``, links as ``[text](href)``,
``<pre>``/``<code>`` as fenced or inline code (so the linter skips them) and
``<strong>`` as ``**`` (UI element names). The stdlib tokenizer does the parsing;
the small tree walk here is ours because Markdown converters on PyPI (markdownify,
html2text) would add a BeautifulSoup dependency or a GPL licence and still need this
structural check.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
OPTIONAL_END = frozenset(
    [
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "option",
        "optgroup",
        "colgroup",
        "caption",
        "rt",
        "rp",
    ]
)
PARAGRAPH_BLOCKS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "blockquote",
        "ul",
        "ol",
        "dl",
        "table",
        "figure",
        "figcaption",
        "form",
        "fieldset",
        "details",
        "summary",
        "address",
    ]
)
LINE_BLOCKS = frozenset(["tr", "dt", "dd"])
SKIPPED = frozenset({"script", "style", "template", "noscript", "head"})
HEADINGS = {f"h{level}": level for level in range(1, 7)}
_UNTERMINATED = re.compile(r"<[!/?a-zA-Z]")
_SPACES = re.compile(r"[ \t\r\n\f]+")


class HtmlError(ValueError):
    """The HTML is not well formed; the message names the tag and line, not the text."""


def html_to_markdown(html: str) -> str:
    """Convert an article body to Markdown; raise :class:`HtmlError` when it is broken."""
    converter = _Converter()
    converter.feed(html)
    leftover = converter.rawdata
    if leftover and _UNTERMINATED.match(leftover):
        line = html.count("\n", 0, len(html) - len(leftover)) + 1
        raise HtmlError(f"markup cut off at line {line}")
    converter.close()
    converter.check_all_closed()
    return converter.markdown()


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._stack: list[tuple[str, int]] = []
        self._links: list[str | None] = []
        self._lists: list[list[int]] = []  # per open list: [next number] or [] for bullets
        self._skip = 0
        self._pre = 0

    # -- structure ---------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self._stack.append((tag, self.getpos()[0]))
        if tag in SKIPPED:
            self._skip += 1
            return
        self._open(tag, dict(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <img/>, and the XHTML-style <p/> that never has content.
        if tag in SKIPPED:
            return
        self._open(tag, dict(attrs))
        if tag not in VOID:
            self._close(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        line = self.getpos()[0]
        open_tags = [name for name, _ in self._stack]
        if tag not in open_tags:
            raise HtmlError(f"</{tag}> at line {line} has no matching <{tag}>")
        while self._stack:
            name, opened = self._stack.pop()
            if name == tag:
                break
            if name not in OPTIONAL_END:
                raise HtmlError(f"</{tag}> at line {line} closes <{name}> opened at line {opened}")
            self._close(name)
        if tag in SKIPPED:
            self._skip -= 1
            return
        self._close(tag)

    def check_all_closed(self) -> None:
        for name, opened in self._stack:
            if name not in OPTIONAL_END:
                raise HtmlError(f"<{name}> opened at line {opened} is never closed")

    # -- output ------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._pre:
            self._out.append(data)
            return
        text = _SPACES.sub(" ", data)
        if text.strip() or (self._out and not self._out[-1].endswith((" ", "\n"))):
            self._out.append(text)

    def _open(self, tag: str, attrs: dict[str, str | None]) -> None:
        if tag in HEADINGS:
            self._block("\n\n" + "#" * HEADINGS[tag] + " ")
        elif tag == "pre":
            self._block("\n\n```\n")
            self._pre += 1
        elif tag in ("ul", "ol"):
            self._lists.append([1] if tag == "ol" else [])
            self._block("\n\n")
        elif tag == "li":
            marker = "- "
            if self._lists and self._lists[-1]:
                marker = f"{self._lists[-1][0]}. "
                self._lists[-1][0] += 1
            self._block("\n" + marker)
        elif tag == "br":
            self._out.append("\n")
        elif tag == "hr":
            self._block("\n\n---\n\n")
        elif tag in PARAGRAPH_BLOCKS:
            self._block("\n\n")
        elif tag in LINE_BLOCKS:
            self._block("\n")
        elif tag in ("td", "th"):
            self._out.append(" | ")
        elif tag == "code" and not self._pre:
            self._out.append("`")
        elif tag in ("strong", "b"):
            self._out.append("**")
        elif tag == "a":
            href = attrs.get("href")
            self._links.append(href)
            if href:
                self._out.append("[")

    def _close(self, tag: str) -> None:
        if tag == "pre":
            self._pre -= 1
            if self._out:  # the code's own final newline would leave a blank line
                self._out[-1] = self._out[-1].rstrip("\n")
            self._out.append("\n```\n\n")
        elif tag in ("ul", "ol"):
            if self._lists:
                self._lists.pop()
            self._block("\n\n")
        elif tag in HEADINGS or tag in PARAGRAPH_BLOCKS:
            self._block("\n\n")
        elif tag == "code" and not self._pre:
            self._out.append("`")
        elif tag in ("strong", "b"):
            self._out.append("**")
        elif tag == "a" and self._links:
            href = self._links.pop()
            if href:
                self._out.append(f"]({href})")

    def _block(self, separator: str) -> None:
        self._out.append(separator)

    def markdown(self) -> str:
        # Blocks open and close with blank lines: keep one, and trim the spaces HTML
        # indentation leaves at line edges (except inside code, where they matter).
        lines: list[str] = []
        in_code = False
        for line in "".join(self._out).split("\n"):
            if line.strip() == "```":
                in_code = not in_code
                lines.append("```")
            else:
                lines.append(line.rstrip() if in_code else line.strip())
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
