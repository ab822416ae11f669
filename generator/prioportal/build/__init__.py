"""Running the pipeline: the cold build (`pipeline`), the preview that rebuilds after a save
(`preview`), `prioportal validate` run again from what the last run kept (`revalidate`), and
the machinery they share: safe output, the link check, parallel work and timing."""
