#!/usr/bin/env bash
# Render the seed's documents to the PNG previews shown in README.md (needs LibreOffice and poppler).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
reportgen build data/key-outcomes.yaml -o "$work" -q
soffice --headless --convert-to pdf --outdir "$work/docx" "$work/key-outcomes.docx" >/dev/null
soffice --headless --convert-to pdf --outdir "$work/pptx" "$work/key-outcomes.pptx" >/dev/null
pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$work/docx/key-outcomes.pdf" docs/images/docx-page-1
pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$work/key-outcomes.pdf" docs/images/pdf-page-1
pdftoppm -png -r 50 -f 5 -l 5 -singlefile "$work/pptx/key-outcomes.pdf" docs/images/pptx-slide  # the first session slide
