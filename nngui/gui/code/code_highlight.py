"""Python source coloured by Pygments' own lexer and style, in a ``QSyntaxHighlighter``.

Pygments splits the whole source into tokens once; each line (a text block) then gets the
formats of its tokens. The colours and weights are Pygments' ``default`` style.
"""

from __future__ import annotations

from pygments import lex
from pygments.lexers import PythonLexer
from pygments.styles import get_style_by_name

from nngui.gui.qt import QtGui

STYLE = "default"


def _format(style: dict) -> QtGui.QTextCharFormat | None:
    if not (style["color"] or style["bold"] or style["italic"]):
        return None
    fmt = QtGui.QTextCharFormat()
    if style["color"]:
        fmt.setForeground(QtGui.QColor(f"#{style['color']}"))
    if style["bold"]:
        fmt.setFontWeight(QtGui.QFont.Weight.Bold)
    if style["italic"]:
        fmt.setFontItalic(True)
    return fmt


def token_spans(source: str) -> dict[int, list[tuple[int, int, object]]]:
    """``{line index: [(column, length, token type), ...]}`` of ``source`` as Pygments lexes it."""
    spans: dict[int, list] = {}
    line = column = 0
    for token, text in lex(source, PythonLexer(stripnl=False, ensurenl=False)):
        for i, part in enumerate(text.split("\n")):
            if i:
                line, column = line + 1, 0
            if part:
                spans.setdefault(line, []).append((column, len(part), token))
                column += len(part)
    return spans


class PythonHighlighter(QtGui.QSyntaxHighlighter):
    """Colours ``document`` (which holds ``source``) the way Pygments colours Python."""

    def __init__(self, document: QtGui.QTextDocument, source: str):
        super().__init__(document)
        style = get_style_by_name(STYLE)
        formats: dict = {}
        self._spans = {}
        for line, spans in token_spans(source).items():
            coloured = []
            for column, length, token in spans:
                if token not in formats:
                    formats[token] = _format(style.style_for_token(token))
                if formats[token] is not None:
                    coloured.append((column, length, formats[token]))
            self._spans[line] = coloured
        self.rehighlight()

    def highlightBlock(self, text):
        for column, length, fmt in self._spans.get(self.currentBlock().blockNumber(), ()):
            self.setFormat(column, length, fmt)
