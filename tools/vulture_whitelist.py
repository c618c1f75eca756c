"""Names vulture (``vulture nngui tests docs benchmarks tools/vulture_whitelist.py``) cannot see used.

Qt calls these itself: overridden virtual methods and a handler's fixed signature. A syntax
highlighter is kept alive by holding it. Each line uses the name, which is all vulture needs.
"""

_ = None
# Qt's virtual methods, called by Qt
_.eventFilter, _.event, _.keyPressEvent, _.mousePressEvent, _.changeEvent, _.closeEvent, _.resizeEvent
_.wheelEvent, _.paintEvent, _.showEvent, _.minimumSizeHint, _.sizeHint, _.highlightBlock
_.validate, _.fixup, _.stepBy, _.stepEnabled, _.textFromValue, _.valueFromText
# a signal handler's signature (signum, frame)
signum
# held so that Qt does not delete it
_.highlighter
