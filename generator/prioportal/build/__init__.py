"""Running the pipeline: the cold build (`pipeline`), the preview that rebuilds after a save
(`preview`), `prioportal validate` run again from what the last run kept (`revalidate`), and
the machinery they share: swapping the site in all at once, the link check and timing. What a
warm path keeps from one run to the next is decided here and nowhere below (`reuse`, `reviews`,
`plan_reuse`, `site_outputs`, `revalidate`); writing files safely and the cores are `system`'s."""
