"""Editions in other languages: a source's texts sent to translators as gettext PO files, and read back.

The package's modules: texts (every translatable text of an event with its stable path, and the event with
translations in their place) and catalogue (the PO files: written and merged by `reportgen translate`, read
by a build). A build of an edition is planned in building/editions.py.
"""
