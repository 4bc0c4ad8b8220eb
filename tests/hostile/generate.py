"""Writes the hostile-input corpus in ``inputs/`` (committed; re-run to regenerate).

Each file is one malformed or hostile input for the commands that read files: broken
headers, wrong encodings, BOMs, NUL bytes, control and escape sequences, markup,
right-to-left and combining text, emoji, path-like ids, empty and whitespace-only
documents. The 10 MB single-line input is made at test time (it is too big to commit).

    python tests/hostile/generate.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "inputs"

FIELDS = {
    "id": "hostile-doc",
    "title": "Hostile",
    "language": "en",
    "date": "1940-11-12",
    "kind": "memo",
    "status": "partial",
    "original_publication": "",
    "archival_reference": "",
    "copy_source": "test",
    "license": "CC0",
    "notes": "",
}
BODY = "Molotov asked a question. Hitler answered it.\n"


def header(**changes: str | None) -> str:
    lines = ["+++"]
    for key, value in {**FIELDS, **changes}.items():
        if value is not None:
            lines.append(
                f"{key} = {value!r}".replace("'", '"') if '"' not in str(value) else f"{key} = '{value}'"
            )
    lines.append("+++")
    return "\n".join(lines) + "\n\n"


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()
    cases: dict[str, bytes] = {}

    def text(name: str, value: str) -> None:
        cases[name + ".txt"] = value.encode("utf-8")

    def raw(name: str, value: bytes) -> None:
        cases[name + ".bin"] = value

    # --- broken headers (documents)
    for field in FIELDS:
        text(f"header-missing-{field.replace('_', '-')}", header(**{field: None}) + BODY)
    text("header-unclosed-fence", '+++\nid = "x"\ntitle = "t"\n' + BODY)
    text("header-bad-toml", "+++\nid = \ntitle = [unclosed\n+++\n" + BODY)
    text("header-duplicate-key", header().replace("+++\n\n", 'id = "again"\n+++\n\n', 1) + BODY)
    text("header-id-is-number", header().replace('id = "hostile-doc"', "id = 5") + BODY)
    text("header-id-table", header().replace('id = "hostile-doc"', "id = { a = 1 }") + BODY)
    text("header-participants-number", header().replace("+++\n\n", "participants = 3\n+++\n\n", 1) + BODY)
    text(
        "header-participants-mixed", header().replace("+++\n\n", 'participants = ["a", 1]\n+++\n\n', 1) + BODY
    )
    text("header-only", header())
    text("header-fence-only", "+++\n+++\n")
    text("header-empty-id", header(id="") + BODY)
    text("header-empty-title", header(title="   ") + BODY)
    for n, bad in enumerate(
        [
            "../x",
            "../../etc/passwd",
            "/etc/passwd",
            "a/b",
            "a\\\\b",
            "UPPER",
            "-lead",
            ".hidden",
            "x" * 101,
            "sp ace",
            "nul\\u0000id",
            "a..b",
            "ид-кириллица",
            "~home",
            "c:\\\\windows",
        ]
    ):
        text(f"header-id-pathlike-{n:02d}", header(id=bad) + BODY)
    for n, bad in enumerate(["xx", "russian", "RU", "r", "", "en-US", "zz"]):
        text(f"header-language-bad-{n}", header(language=bad) + BODY)
    for n, bad in enumerate(["done", "COMPLETE", ""]):
        text(f"header-status-bad-{n}", header(status=bad) + BODY)
    for n, bad in enumerate(["12 Nov 1940", "1940/11/12", "yesterday", "19401112", ""]):
        text(f"header-date-bad-{n}", header(date=bad) + BODY)
    text("header-huge-title", header(title="T" * 100_000) + BODY)
    text(
        "header-markup-in-title", header(title="[bold red]Evil[/] [link=http://x.example]click[/link]") + BODY
    )
    text(
        "header-escape-in-title",
        header().replace('title = "Hostile"', 'title = "\\u001b[2J\\u001b]0;pwned\\u0007"') + BODY,
    )
    # --- encodings
    raw("encoding-cp1251", ("Молотов спросил. Гитлер ответил.\n").encode("cp1251"))
    raw("encoding-latin1", "Führer sagte: Größe.\n".encode("latin-1"))
    raw("encoding-utf16-le-bom", "\ufeffMolotov spoke.\n".encode("utf-16-le"))
    raw("encoding-utf16-be", "Molotov spoke.\n".encode("utf-16-be"))
    raw("encoding-utf32", "Molotov spoke.\n".encode("utf-32"))
    raw("encoding-invalid-continuation", b"Molotov \x80\x80 spoke.\n")
    raw("encoding-overlong", b"Molotov \xc0\xaf spoke.\n")
    raw("encoding-surrogate-cesu", b"Emoji \xed\xa0\xbd\xed\xb8\x80 here.\n")
    raw("encoding-truncated-multibyte", "Молотов".encode()[:-1])
    raw("encoding-shift-jis", "モロトフが話した。\n".encode("shift_jis"))
    text("encoding-utf8-bom-ok", "\ufeff" + header() + BODY)
    text("encoding-bom-in-middle", header() + "Molotov\ufeff asked. Hitler\ufeff answered.\n")
    # --- NUL, controls, escapes
    raw("nul-bytes", header().encode() + b"Molotov\x00asked.\n")
    raw("nul-only", b"\x00" * 64)
    raw("binary-png-magic", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    for name, seq in {
        "ansi-red": "\x1b[31mRED\x1b[0m",
        "ansi-clear-screen": "\x1b[2J\x1b[H",
        "osc-title": "\x1b]0;pwned\x07",
        "osc-52-clipboard": "\x1b]52;c;ZXZpbA==\x07",
        "osc-8-link": "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",
        "c1-csi": "\x9b31mred",
        "c1-osc": "\x9d0;title\x9c",
        "bell-backspace": "\x07\x08\x08\x08overwrite",
        "carriage-return-overwrite": "visible\rHIDDEN",
        "dcs-sequence": "\x1bP1$r0m\x1b\\",
        "form-feed-vertical-tab": "a\x0cb\x0bc",
        "del-chars": "a\x7f\x7fb",
    }.items():
        text(f"escape-{name}", header() + f"Molotov said {seq} something. Hitler replied.\n")
        text(f"escape-{name}-noheader", f"Molotov said {seq} something. Hitler replied.\n")
    # --- empty and whitespace
    text("empty", "")
    text("whitespace-only", " \t \n\n   \n")
    text("newlines-only", "\n" * 1000)
    text("header-whitespace-body", header() + "   \n\n\t\n")
    text("only-gap-markers", header() + "[[GAP — all lost]]\n\n[[TRUNCATED]]\n")
    text("nbsp-only", "\u00a0\u2003\u3000\n")
    # --- scripts and Unicode
    text(
        "mixed-scripts", header() + "Molotov (Молотов) met Hitler (Гитлер) — 会談 — محادثة. Then they ate.\n"
    )
    text("rtl-arabic", header(language="ar") + "قال مولوتوف شيئا. ثم أجاب هتلر.\n")
    text("rtl-hebrew-in-english", header() + "The word שלום appears. Then another sentence.\n")
    text("bidi-override", header() + "Innocent \u202etxt.exe\u202c name. Second sentence.\n")
    text("bidi-isolates", header() + "A \u2067RTL\u2069 isolate. Second.\n")
    text(
        "combining-zalgo", header() + "M\u0301\u0302\u0303\u0304\u0305\u0306o\u0307\u0308\u0309lotov. Next.\n"
    )
    text("combining-only", header() + "\u0301\u0302\u0303\u0304. \u0305\u0306.\n")
    text("emoji", header() + "Molotov 🤝 Hitler 🇩🇪🇷🇺. 👨‍👩‍👧‍👦 family emoji.\n")
    text("zero-width", header() + "Mo\u200blo\u200ctov\u200d asked\u2060. Next.\n")
    text("astral-plane", header() + "𝔐𝔬𝔩𝔬𝔱𝔬𝔳 𝔰𝔭𝔬𝔨𝔢. 𓀀𓀁.\n")
    text("cjk-no-spaces", header(language="zh") + "莫洛托夫问了一个问题。希特勒回答了。\n")
    text("fullwidth-punctuation", header() + "Ｍｏｌｏｔｏｖ．Ｈｉｔｌｅｒ！\n")
    text("line-separators", header() + "One\u2028two\u2029three. Four.\n")
    text("noncharacters", header() + "Bad \ufffe\uffff chars. Next.\n")
    text("private-use", header() + "Private \ue000\uf8ff use. Next.\n")
    # --- markup and markers
    text(
        "rich-markup", header() + "[bold]Not bold[/bold]. [link=http://evil.example]Not a link[/link]. [/]\n"
    )
    text("rich-markup-unbalanced", header() + "[red]Never closed. [/blue] wrong close. \\[escaped].\n")
    text("marker-unclosed", header() + "Text [[GAP — never closed. More text.\n")
    text("marker-nested", header() + "A [[GAP [[OMITTED inner]] outer]] B.\n")
    text("marker-lowercase", header() + "A [[gap — lower]] B.\n")
    text("marker-multiline", header() + "A.\n\n[[GAP — spans\n\nparagraphs]]\n\nB.\n")
    text("marker-unknown-kind", header() + "A [[NOTE something]] B.\n")
    text(
        "markdown-heavy",
        header() + "# Heading\n\n> quote\n\n| a | b |\n|---|---|\n\n```\ncode. More.\n```\n\n---\n",
    )
    text("html", header() + "<script>alert(1)</script>. <b>bold</b>. &amp; entity.\n")
    text("toml-injection-title", header(title='x"\nid = "evil') + BODY)
    # --- sizes and shapes
    text("long-word", header() + "x" * 200_000 + ".\n")
    text("many-short-lines", header() + "A.\n" * 20_000)
    text("many-paragraphs", header() + "A. B.\n\n" * 5_000)
    text("deep-punctuation", header() + "!?." * 20_000 + "\n")
    text("crlf-line-endings", (header() + BODY).replace("\n", "\r\n"))
    text("cr-only-line-endings", (header() + BODY).replace("\n", "\r"))
    text("tabs-everywhere", header() + "\tMolotov\tasked.\t\tHitler\tanswered.\t\n")

    for name, data in sorted(cases.items()):
        (OUT / name).write_bytes(data)
    print(f"{len(cases)} inputs written to {OUT}")


if __name__ == "__main__":
    main()
