"""The other commands' own code: spreadsheet import and export, the synthetic demo portal,
skeletons of new decision files, and the portal as it was at a git revision for `diff`."""
