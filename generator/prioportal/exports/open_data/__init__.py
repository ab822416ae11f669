"""Open data: every build publishes the measures, rounds and criteria as CSV, JSON and an .xlsx
workbook in `open-data/`, described by a Frictionless Data Package (`datapackage.json` with a
table schema per CSV file), with the JSON Schemas of the YAML files beside them.

Everything here is deterministic: rows are sorted by their key, columns come in a fixed order,
and nothing reads the clock. The workbook's document dates and the timestamps of its zip
entries are set from the newest commit of the decisions (without git: SOURCE_DATE_EPOCH, or
else the newest date in the decisions themselves), so two builds of one commit give the same
bytes.

`frictionless` is not used here (it pulls in about 40 packages); the tests validate the
package with it.

`tables` declares what is published (the folder, its files and every table's columns), `rows`
makes the tables' rows (kept per measure by a preview) and their CSV text, `datapackage`
describes the files, and `files` writes them all; the workbook itself is `exports.workbook`.
The page that documents the open data is `site.open_data_page`.
"""
