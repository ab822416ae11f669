"""The other commands' own code: spreadsheet import and export, the synthetic demo portal,
skeletons of new decision files, and `diff`: the portal as it was at a git revision
(`revisions`) and the report of what changed (`diff_report`)."""
