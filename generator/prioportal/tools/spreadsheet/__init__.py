"""Spreadsheets: `prioportal import` turns a ranking table (.xlsx, .ods or .csv) into one YAML file
per measure, and `prioportal export` writes a round back as the same table for a council paper.

Municipalities keep their ranking in the spreadsheets of the source tools (DOMAIN.md, "Columns of
the source ranking tools"): Basverktyg, the investment ranking, the summary across committees.
The import recognises their column headings in Swedish, Norwegian (bokmål and nynorsk) and
English whatever the case, spacing, line breaks and hyphenation inside a heading, footnote marks,
units in parentheses and heading rows merged over several columns; an explicit mapping file
(`--mapping`) names any other column, and a warning prints the mapping line that works as printed.
Scale labels ("Mycket stor", "Svært stor", "Høy") are mapped to the levels of the round's
criteria version; amounts may be written "10 000", "10 000 tkr" or "1,5 mnkr" (a unit in the
heading, "År 1 (tkr)", applies to the whole column, and the import says how it read it). Every
problem names the sheet, the row and the column, and nothing is written while any error remains
(all or nothing, like the build).

Nothing is lost and nothing invented: a CSV line split by an unquoted separator stops the import;
a column of money named after a criterion is an amount, and one whose year is not said stops the
import with the mapping line to add; a range, and a year the sheet does not give, become visible
placeholders; a guessed cost kind is reported; a row with the id or the title of a measure of the
round is that measure; personal data is reported wherever it is in the sheet, always masked.

An existing YAML file is never overwritten unless asked (`--update`); an update edits the file
with ruamel.yaml, so the communicator's comments, field order and untouched fields stay as they
were, and only what the sheet says is changed (an empty cell changes nothing).

The export writes the headings the import reads, in the portal's language, so import → export →
import gives the same YAML files, and export → edit → import --update changes only what was edited
(several cost lines of a measure are one row, their sums; a changed sum stops at its cell). A table's "Kommentar" is not published: it is kept in the
measure's `internal_note`, a field nothing published shows, and the export reads it back from there
(or from the comment lines at the top of the file where an earlier import kept it).

pandas (with openpyxl and odfpy) is imported only inside the functions that read a spreadsheet:
the site build never imports it.

The modules, in the order the import runs through them: `vocabulary` (the words of the source
tools: headings, scale labels, fixed values), `amounts` (a cell's amount and the unit a heading
gives), `sheets` (a file's sheets as grids of cells), `layout` (which row holds the headings and
what each column holds), `rows` (each row as a measure's fields), `measure_yaml` (the YAML files
written: new with placeholders, or edited in place), `importing` (the plan of what is written)
and `exporting` (a round back as a table).
"""
