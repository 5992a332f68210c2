"""The text layer: scripts, fonts, shaping, line breaking and bidi order, shared by every renderer.

The only home of uharfbuzz and fontTools. Import the submodule you need (`text.scripts`, `text.fonts`,
`text.shaping`, `text.breaking`, `text.bidi`); this package imports none of them, and `scripts`, `fonts`
and `breaking` import neither library until a function needs it: `reportgen --help` and Western European
text never load fontTools, and only `shaping` (the PDF's) loads uharfbuzz on import.
"""
