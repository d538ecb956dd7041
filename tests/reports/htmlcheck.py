"""Check a report page: every image decodes, every image has alt text, nothing loads from outside the file; and
read its first paragraph (the answer a brief opens with)."""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser

from PIL import Image


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []
        self.tags: list[str] = []
        self.external: list[str] = []  # what the page would load from outside itself
        self.links: list[str] = []  # <a href>: followed only when clicked

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if tag == "img":
            self.images.append(a)
        for key in ("src", "href"):
            value = a.get(key) or ""
            if value and not value.startswith(("data:", "#")):
                (self.links if tag == "a" and key == "href" else self.external).append(value)


def parse(page: str) -> _Collect:
    c = _Collect()
    c.feed(page)
    return c


def decode_images(page: str) -> list[tuple[str, tuple[int, int]]]:
    """(alt, size) of every image; raises if one does not decode or lacks alt text."""
    found = []
    for img in parse(page).images:
        src, alt = img.get("src") or "", (img.get("alt") or "").strip()
        assert alt, f"image without alt text: {src[:60]}"
        assert src.startswith("data:image/png;base64,"), f"image not embedded as PNG: {src[:60]}"
        im = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1], validate=True)))
        im.load()
        found.append((alt, im.size))
    return found


def first_paragraph(html: str) -> str:
    """The text of the page body's first <p>, tags removed."""
    body = html[html.index("<body"):]
    return re.sub(r"<[^>]+>", "", re.search(r"<p[^>]*>(.*?)</p>", body, re.S).group(1))
