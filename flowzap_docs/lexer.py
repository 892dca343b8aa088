"""A Pygments lexer for FlowZap Code, registered as ``flowzap``.

Source listings of diagrams (``.. code-block:: flowzap``, ```` ```flowzap ```` shown as code)
are coloured like the language deserves: lanes, shapes, handles and labels each stand out.
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups
from pygments.token import Comment, Keyword, Name, Operator, Punctuation, String, Text, Whitespace

__all__ = ["FlowZapLexer"]

_ID = r"[A-Za-z_][\w\-]*"


class FlowZapLexer(RegexLexer):
    """FlowZap Code: ``Lane { # Title``, ``n1: circle label:"..."``, ``a.handle(right) -> b.handle(left)``."""

    name = "FlowZap Code"
    aliases = ["flowzap", "fz"]
    filenames = ["*.fz"]
    mimetypes = ["text/x-flowzap"]

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"//.*?$", Comment.Single),
            (r"(#)(.*?)(\}?)$", bygroups(Punctuation, Name.Label, Punctuation)),
            (r"\b(circle|rectangle|diamond|taskbox)\b", Keyword.Type),
            (r"\b(loop)\b", Keyword),
            (r"(\.)(handle)(\()(left|right|top|bottom)(\))",
             bygroups(Punctuation, Name.Builtin, Punctuation, Keyword.Constant, Punctuation)),
            (r"->", Operator),
            (r"(\[)([^\]\"]*)(\])(?=\s+" + _ID + r")", bygroups(Punctuation, String.Doc, Punctuation)),
            (r"\b(label|owner|description|system)(@[A-Za-z_\-]+)?(?=\s*[:=])",
             bygroups(Name.Attribute, Name.Decorator)),
            (r'"', String.Double, "string"),
            (_ID + r"(?=\s*\{)", Name.Class),
            (_ID + r"(?=\s*:)", Name.Function),
            (_ID, Name.Variable),
            (r"[{}\[\]():=,.]", Punctuation),
            (r".", Text),
        ],
        "string": [
            (r'\\["\\]', String.Escape),
            (r'[^"\\\n]+', String.Double),
            (r'"', String.Double, "#pop"),
            (r"\n", Text, "#pop"),
            (r".", String.Double),
        ],
    }
