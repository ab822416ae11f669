"""Everything a build publishes besides the pages: open data (CSV, JSON, the .xlsx workbook and
its Data Package), Atom feeds and the calendar, the static search index, and the pages that keep
old addresses working."""
