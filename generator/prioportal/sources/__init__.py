"""Reading what the portal is made of, keeping where every value stands: YAML decision files
(`yaml_files`), Markdown pages (`pages`) and the history of each file in git (`git_history`)."""
